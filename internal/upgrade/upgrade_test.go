// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

//go:build upgrade

package upgrade

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// current is the folder holding the provider built from this checkout.
var current string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "appmixer-upgrade")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-appmixer"), "../..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	err = build.Run()
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "building the current provider:", err)
		os.Exit(1)
	}
	current = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// oldProviders reads UPGRADE_OLD_PROVIDERS: name=folder pairs separated by commas, each folder holding
// the terraform-provider-appmixer binary of an old commit, and name the testdata folder of the
// configuration that build applies.
func oldProviders(t *testing.T) map[string]string {
	t.Helper()
	spec := os.Getenv("UPGRADE_OLD_PROVIDERS")
	if spec == "" {
		t.Fatal("UPGRADE_OLD_PROVIDERS is not set: run scripts/upgrade-leg.sh, which builds the old providers")
	}
	olds := map[string]string{}
	for _, pair := range strings.Split(spec, ",") {
		name, dir, ok := strings.Cut(pair, "=")
		if !ok {
			t.Fatalf("UPGRADE_OLD_PROVIDERS: %q is not name=folder", pair)
		}
		if _, err := os.Stat(filepath.Join("testdata", name, "main.tf")); err != nil {
			t.Fatalf("UPGRADE_OLD_PROVIDERS names %q, which has no testdata/%s/main.tf", name, name)
		}
		olds[name] = dir
	}
	return olds
}

// TestUpgrade applies each old build's configuration with that build, against a local server that
// gives the answers old builds expect, then plans it with the current build: the plan must be empty,
// with no error, replacement or change, and the state must come out in the current schema.
func TestUpgrade(t *testing.T) {
	for name, oldDir := range oldProviders(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, err := localserver.StartLegacy("127.0.0.1:0", localserver.Options{}, localserver.AllLegacyAnswers...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Close() })

			work := t.TempDir()
			testfixture.CopyDir(t, filepath.Join("testdata", name), work)
			connector, err := filepath.Abs("../../examples/connectors/acme-weather/acme/weather")
			if err != nil {
				t.Fatal(err)
			}
			vars := fmt.Sprintf("base_url = %q\nusername = %q\npassword = %q\nconnector_dir = %q\n",
				srv.URL, srv.AdminUsername(), srv.AdminPassword(), connector)
			if err := os.WriteFile(filepath.Join(work, "terraform.tfvars"), []byte(vars), 0o600); err != nil {
				t.Fatal(err)
			}

			old := cli(t, work, oldDir, "apply", "-auto-approve")
			if old.code != 0 {
				t.Fatalf("the old build (%s) could not apply:\n%s", oldDir, old.out)
			}
			// The configuration a user holds after following the deprecation messages of renamed attributes.
			renameAttributes(t, filepath.Join(work, "main.tf"))
			plan := cli(t, work, current, "plan", "-detailed-exitcode")
			if plan.code != 0 {
				t.Fatalf("the current build plans a change (exit %d) for state the old build wrote:\n%s", plan.code, plan.out)
			}
			if !strings.Contains(plan.out, "No changes.") {
				t.Errorf("the plan does not say No changes.:\n%s", plan.out)
			}
			// The state written back by the current build reads as it planned it: a second plan is empty too.
			if again := cli(t, work, current, "apply", "-refresh-only", "-auto-approve"); again.code != 0 {
				t.Fatalf("refreshing the old state with the current build failed:\n%s", again.out)
			}
			if again := cli(t, work, current, "plan", "-detailed-exitcode"); again.code != 0 {
				t.Fatalf("after the current build rewrote the state, plan exits %d:\n%s", again.code, again.out)
			}
		})
	}
}

// renameAttributes applies testdata/renames.txt ("resource_type old_name new_name" a line) to the
// arguments of those resources in a configuration.
func renameAttributes(t *testing.T, path string) {
	t.Helper()
	list, err := os.ReadFile(filepath.Join("testdata", "renames.txt"))
	if err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(list), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) != 3 {
			t.Fatalf("testdata/renames.txt: %q is not \"resource_type old_name new_name\"", line)
		}
		block := regexp.MustCompile(`(?ms)^resource "` + regexp.QuoteMeta(f[0]) + `" .*?^}`)
		arg := regexp.MustCompile(`(?m)^(\s+)` + regexp.QuoteMeta(f[1]) + `(\s*=)`)
		config = block.ReplaceAllFunc(config, func(b []byte) []byte { return arg.ReplaceAll(b, []byte("${1}"+f[2]+"${2}")) })
	}
	if err := os.WriteFile(path, config, 0o600); err != nil {
		t.Fatal(err)
	}
}

type result struct {
	code int
	out  string
}

// cli runs the leg's terraform (TF_ACC_TERRAFORM_PATH, else terraform on PATH) in dir with the provider
// binary of providerDir through dev_overrides, so no init is needed.
func cli(t *testing.T, dir, providerDir string, args ...string) result {
	t.Helper()
	rc := filepath.Join(t.TempDir(), "terraformrc")
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"appmixer/appmixer\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "-input=false", "-no-color")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return result{out: out.String()}
	case errors.As(err, &exit):
		return result{code: exit.ExitCode(), out: out.String()}
	}
	t.Fatalf("%s %s: %v", bin, strings.Join(args, " "), err)
	return result{}
}
