// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// guideExample is what docs/guides/testing-with-appmixer-local.md shows, file by file.
const guideExample = "../../examples/testing-with-appmixer-local"

// TestLocalTestingGuide runs the guide's CI job as a user's repository would: the steps of its
// workflow, in the layout the guide describes, with terraform init installing the provider from a
// local mirror instead of the registry (the one difference, besides building appmixer-local from this
// checkout instead of `go install`ing a release).
func TestLocalTestingGuide(t *testing.T) {
	requireTF(t)
	t.Parallel()
	checkGuideIncludesExample(t)
	steps := workflowSteps(t, filepath.Join(guideExample, "github-workflow.yml"))
	env := guideEnv(t)

	repo := guideRepo(t, nil)
	out, err := runSteps(repo, env, steps)
	if err != nil {
		t.Fatalf("the guide's CI job failed: %v\n%s", err, out)
	}
	for _, want := range []string{"Apply complete! Resources: 1 added, 0 changed, 0 destroyed.", "No changes."} {
		if !strings.Contains(out, want) {
			t.Errorf("the CI job's output lacks %q:\n%s", want, out)
		}
	}
	flow := stateResource(t, filepath.Join(repo, "appmixer", "terraform.tfstate"), "appmixer_flow")
	accounts, _ := flow["accounts"].(map[string]any)
	if flow["stage"] != "running" || len(accounts) != 2 || accounts["5d0c6a3e-2f1b-4c8d-9e7a-000000000002"] == "" {
		t.Errorf("the applied flow is %v, want it running with both seeded accounts bound", flow)
	}

	// The seed is what makes it pass: without the connector the plan stops, as the guide shows.
	repo = guideRepo(t, func(seed map[string]any) { delete(seed, "connectors") })
	out, err = runSteps(repo, env, steps)
	if err == nil || !strings.Contains(out, "has no component of these") || !strings.Contains(out, "acme.weather.forecast.GetForecast") {
		t.Errorf("without the seeded connector the job should fail on the missing component type; err %v:\n%s", err, out)
	}
}

// checkGuideIncludesExample: the guide renders these files themselves, so the test runs what it shows.
func checkGuideIncludesExample(t *testing.T) {
	t.Helper()
	tmpl, err := os.ReadFile("../../templates/guides/testing-with-appmixer-local.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"tenant.json", "main.tf", "test.sh", "github-workflow.yml"} {
		if !bytes.Contains(tmpl, []byte(`"examples/testing-with-appmixer-local/`+f+`"`)) {
			t.Errorf("the guide no longer includes examples/testing-with-appmixer-local/%s", f)
		}
	}
}

// workflowSteps returns the run: commands of a guide's workflow, after the install step that this
// test replaces by building appmixer-local from this checkout.
func workflowSteps(t *testing.T, path string) []string {
	t.Helper()
	wf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var runs []string
	for _, m := range regexp.MustCompile(`(?m)^\s+run: (.+)$`).FindAllStringSubmatch(string(wf), -1) {
		runs = append(runs, m[1])
	}
	const install = "go install github.com/appmixer/terraform-provider-appmixer/cmd/appmixer-local@"
	if len(runs) < 2 || !strings.HasPrefix(runs[0], install) {
		t.Fatalf("the workflow's steps are %q; the test expects %q first, then the steps it runs", runs, install)
	}
	return runs[1:]
}

// guideEnv builds appmixer-local onto PATH and a CLI configuration whose filesystem mirror holds the
// provider built by TestMain under both registries' addresses.
func guideEnv(t *testing.T) []string {
	t.Helper()
	bin := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../cmd/appmixer-local").CombinedOutput(); err != nil {
		t.Fatalf("building appmixer-local: %v\n%s", err, out)
	}
	provider, err := os.ReadFile(filepath.Join(filepath.Dir(cliConfig), "terraform-provider-appmixer"))
	if err != nil {
		t.Fatal(err)
	}
	mirror := t.TempDir()
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "appmixer", "appmixer", "0.1.0", runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "terraform-provider-appmixer_v0.1.0"), provider, 0o755); err != nil { //nolint:gosec // a plugin must be executable
			t.Fatal(err)
		}
	}
	rc := filepath.Join(mirror, "terraformrc")
	config := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	// TERRAFORM is the guide's switch for OpenTofu; the CLI is the one the other e2e tests drive.
	return append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "TERRAFORM="+terraformBinary(),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "NO_COLOR=1")
}

// guideRepo lays out a user's repository as the guide describes: the example as appmixer/, the
// connector it seeds under connectors/. edit, if set, changes the seed first.
func guideRepo(t *testing.T, edit func(seed map[string]any)) string {
	t.Helper()
	repo := t.TempDir()
	testfixture.CopyDir(t, guideExample, filepath.Join(repo, "appmixer"))
	testfixture.CopyDir(t, "../../examples/connectors", filepath.Join(repo, "connectors"))
	if err := os.Chmod(filepath.Join(repo, "appmixer", "test.sh"), 0o755); err != nil { //nolint:gosec // the script is run as a program
		t.Fatal(err)
	}
	if edit != nil {
		path := filepath.Join(repo, "appmixer", "tenant.json")
		var seed map[string]any
		data, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(data, &seed)
		}
		if err != nil {
			t.Fatal(err)
		}
		edit(seed)
		if data, err = json.Marshal(seed); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// runSteps runs each step as GitHub Actions runs a run: step on Linux (bash -e), from the repository's root.
func runSteps(repo string, env, steps []string) (string, error) {
	var out bytes.Buffer
	for _, step := range steps {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = repo, env, &out, &out
		err := cmd.Run()
		cancel()
		if err != nil {
			return out.String(), fmt.Errorf("step %q: %w", step, err)
		}
	}
	return out.String(), nil
}

// stateResource returns the attributes of the one resource of a type in a state file.
func stateResource(t *testing.T, path, typ string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Resources {
		if r.Type == typ && len(r.Instances) == 1 {
			return r.Instances[0].Attributes
		}
	}
	t.Fatalf("no %s in %s", typ, path)
	return nil
}
