// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	goversion "github.com/hashicorp/go-version"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestDocsAreGenerated fails when docs/ is not what tfplugindocs makes of the current schema, examples
// and templates: run `make docs` and commit the result. It renders with the terraform that make docs
// uses (scripts/tfplugindocs.sh), and never downloads one. A terraform too old to see a feature renders
// the docs without it: the check then compares everything else, and logs what it left out.
func TestDocsAreGenerated(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1: tfplugindocs reads the schema through terraform")
	}
	tf, err := goversion.NewVersion(strings.TrimSpace(string(docsScript(t, nil, "--version"))))
	if err != nil {
		t.Fatal(err)
	}
	// A hidden folder in the provider directory, removed afterwards, keeps the working tree tidy.
	out, err := os.MkdirTemp(".", ".docs-check-") //nolint:usetesting // tfplugindocs only writes below the provider directory
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(out) })
	rendered := filepath.Join(filepath.Base(out), "docs")
	args := []string{"--rendered-website-dir", rendered}
	var unseen []newerDocs
	for _, n := range newerDocsParts {
		if tf.LessThan(goversion.Must(goversion.NewVersion(n.minimum))) {
			unseen = append(unseen, n)
		}
	}
	var env []string
	if len(unseen) > 0 {
		// tfplugindocs refuses an example of what its terraform cannot see, so it gets examples without.
		examples := filepath.Join(filepath.Base(out), "examples")
		testfixture.CopyDir(t, "examples", examples)
		for _, n := range unseen {
			for _, f := range n.examples {
				matches, _ := filepath.Glob(filepath.Join(examples, f))
				for _, m := range matches {
					mustRemove(t, m)
				}
			}
		}
		args = append(args, "--examples-dir", examples)
		env = []string{"DOCS_PARTIAL=1"}
	}
	docsScript(t, env, args...)

	want := readTree(t, rendered)
	got := readTree(t, "docs")
	for name := range got {
		// Hand-written pages beside the generated ones (docs/new-resources.md) are not tfplugindocs's.
		if !strings.Contains(name, "/") && name != "index.md" {
			delete(got, name)
		}
	}
	for _, n := range unseen {
		left, problems := n.leaveOut(got, want)
		for _, p := range problems {
			t.Error(p)
		}
		if len(left) == 0 {
			left = []string{"nothing (docs/ has none)"}
		}
		t.Logf("Terraform %s cannot render %s (Terraform %s or newer), so these parts of docs/ were NOT checked: %s. "+
			"A newer terraform checks them (see scripts/tfplugindocs.sh).", tf, n.feature, n.minimum, strings.Join(left, ", "))
	}
	for name, content := range want {
		if !bytes.Equal(got[name], content) {
			t.Errorf("docs/%s is stale or missing; run make docs", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("docs/%s is no longer generated; run make docs", name)
		}
	}
}

// newerDocs is what a feature of a newer Terraform adds to docs/: examples tfplugindocs refuses without
// the feature, and what leaveOut takes out of the committed pages (got) so that they can be compared
// with pages rendered without it (want). It returns what it took out, and what is missing.
type newerDocs struct {
	feature, minimum string
	examples         []string
	leaveOut         func(got, want map[string][]byte) (left, problems []string)
}

var newerDocsParts = []newerDocs{
	{
		feature: "resource identity", minimum: "1.12.0", examples: []string{"resources/*/import-by-identity.tf"},
		leaveOut: func(got, want map[string][]byte) (left, problems []string) {
			for name := range got {
				rest, ok := withoutSection(got[name], want[name], identityIntro)
				if ok {
					got[name] = rest
					left = append(left, "the identity section of docs/"+name)
				}
				short, isResource := strings.CutPrefix(name, "resources/")
				example := filepath.Join("examples", "resources", "appmixer_"+strings.TrimSuffix(short, ".md"), "import-by-identity.tf")
				if _, err := os.Stat(example); err == nil && isResource && !ok {
					problems = append(problems, fmt.Sprintf("docs/%s lacks the identity import section that %s "+
						"asks for, or differs elsewhere too; run make docs", name, example))
				}
			}
			sort.Strings(left)
			return left, problems
		},
	},
	{
		feature: "list resources and actions", minimum: "1.14.0",
		leaveOut: func(got, want map[string][]byte) (left, problems []string) {
			for _, pages := range []map[string][]byte{got, want} {
				for name := range pages {
					if strings.HasPrefix(name, "list-resources/") || strings.HasPrefix(name, "actions/") {
						delete(pages, name)
						left = append(left, "docs/"+name)
					}
				}
			}
			sort.Strings(left)
			return slices.Compact(left), nil
		},
	},
}

// identityIntro begins the identity import section of templates/resources.md.tmpl.
const identityIntro = "In Terraform v1.12.0 and later"

// withoutSection returns page without the one run of lines, beginning with the line intro, that it has
// beside rendered: only then does the page equal rendered once the section is left out.
func withoutSection(page, rendered []byte, intro string) ([]byte, bool) {
	a, b := strings.SplitAfter(string(page), "\n"), strings.SplitAfter(string(rendered), "\n")
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	if len(b)-p-s != 0 || len(a)-p-s == 0 || !strings.HasPrefix(a[p], intro) {
		return page, false
	}
	return []byte(strings.Join(append(a[:p:p], a[len(a)-s:]...), "")), true
}

// docsScript runs scripts/tfplugindocs.sh, which picks the terraform, and returns its output.
func docsScript(t *testing.T, env []string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "scripts/tfplugindocs.sh", args...)
	cmd.Env = append(append(os.Environ(), "CHECKPOINT_DISABLE=1"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/tfplugindocs.sh %s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr.Bytes())
	}
	for line := range strings.Lines(stderr.String()) {
		if strings.HasPrefix(line, "tfplugindocs renders with") {
			t.Log(strings.TrimSpace(line))
		}
	}
	return stdout
}

func mustRemove(t *testing.T, name string) {
	t.Helper()
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil && !strings.Contains(err.Error(), "no such file") {
		t.Fatal(err)
	}
	return files
}
