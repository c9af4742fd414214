// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

var manyTenants = []string{"dev", "stage", "prod"}

// TestManyTenantsExample applies examples/many-tenants/terraform (a provider alias and a module call
// per tenant) to three local servers, with the CLI the suite drives (Terraform, or OpenTofu in its leg).
func TestManyTenantsExample(t *testing.T) {
	requireTF(t)
	t.Parallel()
	exerciseManyTenants(t, terraformBinary(), "terraform")
}

// TestManyTenantsExample_openTofuForEach applies examples/many-tenants/opentofu (one provider block
// with for_each, OpenTofu 1.9+) to three local servers. It uses the suite's CLI when that is OpenTofu,
// else tofu-1.12 from the shared tools (SHARED_TOOLS, default ../shared/tools from the repository).
func TestManyTenantsExample_openTofuForEach(t *testing.T) {
	requireTF(t)
	t.Parallel()
	tofu := terraformBinary()
	if !strings.Contains(filepath.Base(tofu), "tofu") {
		tools := os.Getenv("SHARED_TOOLS")
		if tools == "" {
			tools = filepath.Join(testfixture.Root(), "..", "shared", "tools")
		}
		tofu = filepath.Join(tools, "tofu-1.12")
		if _, err := os.Stat(tofu); err != nil {
			t.Skipf("needs OpenTofu 1.9 or newer for provider for_each: no %s (set SHARED_TOOLS)", tofu)
		}
	}
	exerciseManyTenants(t, tofu, "opentofu")
}

// exerciseManyTenants applies the variant to three tenants, checks that each got its own objects and
// nothing of the others', that a second plan is empty, and that destroy empties all three.
func exerciseManyTenants(t *testing.T, cli, variant string) {
	t.Helper()
	work := t.TempDir()
	testfixture.CopyDir(t, "../../examples/many-tenants", filepath.Join(work, "many-tenants"))
	dir := filepath.Join(work, "many-tenants", variant)

	servers := map[string]*localserver.Running{}
	tenants, passwords := map[string]any{}, map[string]string{}
	for _, name := range manyTenants {
		srv := startLocalServer(t, localserver.Options{})
		servers[name] = srv
		tenants[name] = map[string]any{"base_url": srv.URL, "username": srv.AdminUsername(), "max_requests_per_second": 50}
		passwords[name] = srv.AdminPassword()
	}
	writeJSON(t, filepath.Join(dir, "terraform.tfvars.json"), map[string]any{"tenants": tenants, "passwords": passwords})

	run := func(want int, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
		out, err := cmd.CombinedOutput()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %s: %v", cli, strings.Join(args, " "), err)
		}
		if code != want {
			t.Fatalf("%s %s: exit %d, want %d\n%s", cli, strings.Join(args, " "), code, want, out)
		}
		return string(out)
	}
	// holds lists the flows and data stores on a tenant.
	holds := func(name string) []string {
		t.Helper()
		srv := servers[name]
		api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
		must(t, err)
		flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
		must(t, err)
		stores, err := api.ListStores(context.Background())
		must(t, err)
		var got []string
		for _, f := range flows {
			got = append(got, "flow "+f.Name)
		}
		for _, s := range stores {
			got = append(got, "store "+s.Name)
		}
		return got
	}
	run(0, "get")
	run(0, "apply", "-auto-approve", "-no-color")
	for _, name := range manyTenants {
		want := []string{"flow Heartbeat (" + name + ")", "store audit-" + name}
		if got := holds(name); strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("tenant %s holds %v, want only its own %v", name, got, want)
		}
	}
	run(0, "plan", "-detailed-exitcode", "-no-color")
	run(0, "destroy", "-auto-approve", "-no-color")
	for _, name := range manyTenants {
		if got := holds(name); len(got) != 0 {
			t.Errorf("tenant %s still holds %v after destroy", name, got)
		}
	}
}
