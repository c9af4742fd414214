// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// kitDir is the terraform test kit of examples/promotion that the testing guide ships.
const kitDir = "../../examples/promotion/tests"

// ansi matches terraform's colour codes, which terraform test prints even when not on a terminal.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestPromotionKit runs the guide's workflow for the promotion module's terraform test kit, as a user's
// repository would (examples/ copied as they are, the provider from a local mirror, appmixer-local
// built from this checkout), with the CLI of the leg: Terraform in make test, OpenTofu in the
// opentofu leg. Then it seeds a bug into the module, a misspelt Slack service, and the same command
// must fail on it.
func TestPromotionKit(t *testing.T) {
	requireTF(t)
	t.Parallel()
	checkGuideIncludesKit(t)
	steps := workflowSteps(t, filepath.Join(kitDir, "github-workflow.yml"))
	if len(steps) != 1 || steps[0] != "examples/promotion/tests/run.sh" {
		t.Fatalf("the workflow's steps after the install are %q, want the kit's one command", steps)
	}
	env := guideEnv(t)

	out, err := runSteps(kitRepo(t, nil), env, steps)
	out = ansi.ReplaceAllString(out, "")
	if err != nil {
		t.Fatalf("the kit failed: %v\n%s", err, out)
	}
	// Every run of both files: the apply ones against the local tenants and the mocked plan-only ones.
	for _, want := range []string{`run "promote"... pass`, `run "prod"... pass`, `run "dev"... pass`,
		`run "prod_binds_its_own_accounts"... pass`, `run "each_tenant_names_its_own_store"... pass`, "Success! 5 passed, 0 failed."} {
		if !strings.Contains(out, want) {
			t.Errorf("the kit's output lacks %q:\n%s", want, out)
		}
	}

	// The seeded bug: appmixer:slack misspelt in the module's .tf files.
	out, err = runSteps(kitRepo(t, func(tf []byte) []byte {
		return bytes.ReplaceAll(tf, []byte(`"appmixer:slack"`), []byte(`"appmixer:slak"`))
	}), env, steps)
	out = ansi.ReplaceAllString(out, "")
	if err == nil || !strings.Contains(out, `run "promote"... fail`) || !strings.Contains(out, `account of service "appmixer:slak"`) {
		t.Errorf("with appmixer:slack misspelt the kit should fail on the account look-up; err %v:\n%s", err, out)
	}
}

// checkGuideIncludesKit: the guide renders the kit's files themselves, so this test runs what it shows.
func checkGuideIncludesKit(t *testing.T) {
	t.Helper()
	tmpl, err := os.ReadFile("../../templates/guides/testing-with-appmixer-local.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"run.sh", "tenant.json", "promotion.tftest.hcl", "unit.tftest.hcl", "check/main.tf", "github-workflow.yml"} {
		if !bytes.Contains(tmpl, []byte(`"examples/promotion/tests/`+f+`"`)) {
			t.Errorf("the guide no longer includes examples/promotion/tests/%s", f)
		}
	}
}

// kitRepo copies examples/ into a fresh repository root; edit, if set, rewrites the promotion module's
// own .tf files (not the tests').
func kitRepo(t *testing.T, edit func([]byte) []byte) string {
	t.Helper()
	repo := t.TempDir()
	testfixture.CopyDir(t, "../../examples", filepath.Join(repo, "examples"))
	module := filepath.Join(repo, "examples", "promotion")
	if err := os.Chmod(filepath.Join(module, "tests", "run.sh"), 0o755); err != nil { //nolint:gosec // the script is run as a program
		t.Fatal(err)
	}
	if edit == nil {
		return repo
	}
	edited := 0
	err := filepath.WalkDir(module, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" || strings.Contains(path, string(filepath.Separator)+"tests"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if changed := edit(data); !bytes.Equal(changed, data) {
			edited++
			return os.WriteFile(path, changed, 0o600)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if edited == 0 {
		t.Fatal("the edit changed none of the module's .tf files")
	}
	return repo
}
