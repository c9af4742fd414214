// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// The documentation's examples are what a new user copies first. Each one is tried as that user would:
// copied into a folder of its own, given what it asks for and does not make itself, applied against a
// fresh appmixer-local, planned again (nothing to do), destroyed, and the server compared with how it
// was before.
//
// What an example asks for lives in testdata/examples/<kind>/<type>/, in the forms a user would give
// it: terraform.tfvars for its variables, the local files it names (flows/, files/, assets/), and
// tenant.seed.json (the `appmixer-local -seed` format) for what the tenant must already have, such as
// a connected account or a published connector. prepareExample covers the rest, which a user makes
// with other tools.

// exampleFragments are data-source examples that are excerpts of a larger configuration: they name
// resources they do not declare, or a second tenant, so they cannot be applied on their own.
var exampleFragments = map[string]string{
	"appmixer_flow":                  "promotes from a second tenant named by tenant = \"acme-dev\"",
	"appmixer_flow_logs":             "checks appmixer_flow.orders, declared elsewhere",
	"appmixer_integration_instances": "reads appmixer_integration.welcome, declared elsewhere",
	"appmixer_unprocessed_messages":  "checks appmixer_flow.orders and .billing, declared elsewhere",
}

func TestResourceExamples(t *testing.T) {
	requireTF(t)
	t.Parallel()
	for _, typ := range exampleTypes(t, "resources", "resource.tf") {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			tryExample(t, "resources", typ)
		})
	}
}

func TestDataSourceExamples(t *testing.T) {
	requireTF(t)
	t.Parallel()
	for _, typ := range exampleTypes(t, "data-sources", "data-source.tf") {
		if why, ok := exampleFragments[typ]; ok {
			t.Logf("%s: not applied on its own: it %s", typ, why)
			continue
		}
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			tryExample(t, "data-sources", typ)
		})
	}
}

// exampleTypes lists the types with an example file under examples/<kind>.
func exampleTypes(t *testing.T, kind, file string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../../examples", kind, "appmixer_*", file))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples/%s/*/%s: %v", kind, file, err)
	}
	var types []string
	for _, f := range files {
		types = append(types, filepath.Base(filepath.Dir(f)))
	}
	return types
}

// tryExample applies, re-plans and destroys examples/<kind>/<typ> against a fresh local server.
func tryExample(t *testing.T, kind, typ string) {
	srv := startLocalServer(t, localserver.Options{})
	inputs := filepath.Join("testdata", "examples", kind, typ)
	seedTenant(t, srv, filepath.Join(inputs, "tenant.seed.json"))

	// The example keeps its place beside examples/connectors, which it may name by a relative path.
	work := t.TempDir()
	testfixture.CopyDir(t, "../../examples/connectors", filepath.Join(work, "examples", "connectors"))
	dir := filepath.Join(work, "examples", kind, typ)
	testfixture.CopyDir(t, filepath.Join("../../examples", kind, typ), dir)
	for _, f := range []string{"import.sh", "import-by-identity.tf", "import-by-string-id.tf"} {
		// The docs show these beside the example; they import existing objects, which is another story.
		must(t, ignoreMissing(os.Remove(filepath.Join(dir, f))))
	}
	if _, err := os.Stat(inputs); err == nil {
		testfixture.CopyDir(t, inputs, dir)
		must(t, ignoreMissing(os.Remove(filepath.Join(dir, "tenant.seed.json"))))
	}
	// The docs' examples leave out the block every configuration starts with (README, "Using it with a
	// real tenant"); without it terraform looks for hashicorp/appmixer.
	must(t, os.WriteFile(filepath.Join(dir, "providers.tf"), []byte(providersTF), 0o600))
	prepareExample(t, srv, kind+"/"+typ, dir)

	env := []string{"APPMIXER_BASE_URL=" + srv.URL, "APPMIXER_USERNAME=" + srv.AdminUsername(), "APPMIXER_PASSWORD=" + srv.AdminPassword()}
	before := snapshotServer(t, srv)
	mustTerraform(t, dir, env, 0, "apply", "-auto-approve", "-no-color")
	if kind == "resources" && snapshotServer(t, srv).equal(before) {
		t.Errorf("applying the %s example changed nothing on the server", typ)
	}
	planNothingToDo(t, dir, env)
	mustTerraform(t, dir, env, 0, "destroy", "-auto-approve", "-no-color")
	for _, d := range snapshotServer(t, srv).diff(before) {
		t.Errorf("after destroying the %s example: %s", typ, d)
	}
}

const providersTF = `terraform {
  required_providers {
    appmixer = {
      source = "appmixer/appmixer"
    }
  }
}
`

// planNothingToDo runs plan -detailed-exitcode and wants exit 0. Terraform plans a data source nested
// in a check block to be read again during every apply, and then exits 2 with "Plan: 0 to add, 0 to
// change, 0 to destroy"; such a plan, and only such a plan, also counts as nothing to do.
func planNothingToDo(t *testing.T, dir string, env []string) {
	t.Helper()
	res := terraform(t, dir, env, "plan", "-detailed-exitcode", "-no-color", "-out=next.tfplan")
	if res.exitCode == 0 {
		return
	}
	if res.exitCode == 2 {
		show := mustTerraform(t, dir, env, 0, "show", "-json", "next.tfplan")
		var plan struct {
			ResourceChanges []struct {
				Address string `json:"address"`
				Change  struct {
					Actions []string `json:"actions"`
				} `json:"change"`
				ActionReason string `json:"action_reason"`
			} `json:"resource_changes"`
			OutputChanges map[string]struct {
				Actions []string `json:"actions"`
			} `json:"output_changes"`
		}
		must(t, json.Unmarshal([]byte(show.stdout), &plan))
		var changes []string
		for _, rc := range plan.ResourceChanges {
			if a := strings.Join(rc.Change.Actions, ","); a != "no-op" && (a != "read" || rc.ActionReason != "read_because_check_nested") {
				changes = append(changes, rc.Address+" "+a)
			}
		}
		for name, oc := range plan.OutputChanges {
			if a := strings.Join(oc.Actions, ","); a != "no-op" {
				changes = append(changes, "output."+name+" "+a)
			}
		}
		if len(changes) == 0 {
			return
		}
	}
	t.Fatalf("the plan after apply is not empty: exit %d\nstdout:\n%s\nstderr:\n%s", res.exitCode, res.stdout, res.stderr)
}

func ignoreMissing(err error) error {
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// seedTenant applies a seed file, when there is one, as `appmixer-local -seed` would.
func seedTenant(t *testing.T, srv *localserver.Running, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return
	}
	seed, err := localserver.LoadSeed(path)
	must(t, err)
	warnings, err := srv.ApplySeed(seed)
	must(t, err)
	for _, w := range warnings {
		t.Log(w)
	}
}

// prepareExample makes what an example expects and a user makes with tools other than Terraform.
func prepareExample(t *testing.T, srv *localserver.Running, example, dir string) {
	t.Helper()
	ctx := context.Background()
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	must(t, err)
	switch example {
	case "resources/appmixer_component":
		// dist/acme.billing.zip, as `appmixer pack` would build it in CI.
		pkg, problems, err := connector.PackDir("testdata/connectors/acme-billing/acme/billing", "acme.billing")
		must(t, err)
		if connector.HasErrors(problems) {
			t.Fatalf("packing the billing connector: %v", problems)
		}
		must(t, os.MkdirAll(filepath.Join(dir, "dist"), 0o750))
		must(t, os.WriteFile(filepath.Join(dir, "dist", "acme.billing.zip"), pkg.Zip, 0o600))
	case "resources/appmixer_modifiers":
		// modifiers.json as `appmixer modifiers get` writes it, with the tenant's own modifier added.
		doc, err := api.Modifiers(ctx)
		must(t, err)
		var m map[string]map[string]any
		must(t, json.Unmarshal(doc, &m))
		m["modifiers"]["acme_vat"] = map[string]any{
			"label": "Add VAT", "category": []string{"number"}, "type": "modifier", "returns": map[string]any{"type": "number"},
			"arguments": []any{}, "helperFn": "function(value) { return value * 1.21; }",
		}
		writeJSON(t, filepath.Join(dir, "modifiers.json"), m)
	case "data-sources/appmixer_integration_category":
		// The Automation Hub tab an admin made by hand, which the example finds by name.
		_, err := api.CreateCategory(ctx, "Onboarding", "")
		must(t, err)
	case "data-sources/appmixer_data_store":
		// The store made by hand in the tenant, which the example finds by name.
		_, err := api.CreateStore(ctx, "Leads")
		must(t, err)
	}
}
