// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/export"
	"github.com/appmixer/terraform-provider-appmixer/internal/export/designer"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// designedTenant is a tenant a designer built by hand, and what was built.
func designedTenant(t *testing.T) (*tenant, *designer.Seeded) {
	t.Helper()
	tn := startTenant(t)
	seeded, err := designer.Build(context.Background(), tn.api, tn.accounts, testfixture.Root())
	must(t, err)
	return tn, seeded
}

// exportTo runs the export of tn into a new directory, with the public file put where the README says.
func exportTo(t *testing.T, tn *tenant, opts export.Options) (string, *export.Module) {
	t.Helper()
	tnt, err := export.Read(context.Background(), tn.api, export.Filter{}, nil)
	must(t, err)
	mod, err := export.Build(tnt, opts)
	must(t, err)
	dir := t.TempDir()
	must(t, mod.WriteDir(dir, false))
	must(t, os.MkdirAll(filepath.Join(dir, "public"), 0o750))
	must(t, os.WriteFile(filepath.Join(dir, "public", designer.PublicFile), []byte(designer.PublicContent), 0o600))
	return dir, mod
}

func (tn *tenant) env() []string {
	return []string{"APPMIXER_BASE_URL=" + tn.srv.URL, "APPMIXER_USERNAME=" + tn.srv.AdminUsername(), "APPMIXER_PASSWORD=" + tn.srv.AdminPassword(),
		"TF_VAR_appmixer_slack_client_secret=" + designer.SlackClientSecret, "TF_VAR_config_partner_api_key=" + designer.PartnerAPIKey}
}

// TestExport_promotes exports a tenant built by hand and applies the module to an empty tenant that
// holds accounts of the same services and names: the next plan is empty and both tenants hold the
// same objects, each with its own ids. The module holds none of the source's ids or secrets.
func TestExport_promotes(t *testing.T) {
	requireTF(t)
	t.Parallel()
	src, seeded := designedTenant(t)
	dir, mod := exportTo(t, src, export.Options{})

	// Nothing tenant-bound is written literally.
	bound := map[string]string{"store": seeded.StoreID, "flow": seeded.OrdersFlowID, "user": seeded.ShareUserID,
		"integration": seeded.IntegrationID, "slack secret": designer.SlackClientSecret, "config secret": designer.PartnerAPIKey}
	for _, id := range src.accounts {
		bound["account"] = id
	}
	for name, content := range mod.Files {
		for what, id := range bound {
			if strings.Contains(string(content), id) {
				t.Errorf("%s holds the source's %s %s", name, what, id)
			}
		}
	}

	// Laid out as terraform fmt lays it out.
	if res := terraform(t, dir, nil, "fmt", "-check", "-recursive", "-no-color"); res.exitCode != 0 {
		t.Errorf("terraform fmt would change: %s%s", res.stdout, res.stderr)
	}

	dst := startTenant(t) // the same accounts, with their own ids
	_, err := dst.api.CreateUser(context.Background(), appmixer.NewUser{Username: designer.ShareUser, Email: designer.ShareUser, Password: "ann-password-2"})
	must(t, err)
	res := mustTerraform(t, dir, dst.env(), 0, "apply", "-auto-approve", "-no-color")
	if want := fmt.Sprintf("%d added, 0 changed, 0 destroyed", len(mod.Resources)); !strings.Contains(res.stdout, want) {
		t.Errorf("apply: want %q in:\n%s", want, res.stdout)
	}
	mustTerraform(t, dir, dst.env(), 0, "plan", "-detailed-exitcode", "-no-color")

	if diffs := sameView(tenantView(t, src), tenantView(t, dst)); len(diffs) > 0 {
		t.Errorf("the tenants differ:\n%s", strings.Join(diffs, "\n"))
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	must(t, err)
	for _, secret := range []string{designer.SlackClientSecret, designer.PartnerAPIKey} {
		if strings.Contains(string(state), secret) {
			t.Errorf("the state holds the secret %q", secret)
		}
	}
}

// TestExport_adopts exports with -import: the module adopts the source tenant, importing every
// object and adding none, and the apply writes nothing but the secrets taken from variables and the
// public file from public/. Then -unmanaged against a state that manages half of the tenant lists
// exactly the other half.
func TestExport_adopts(t *testing.T) {
	requireTF(t)
	t.Parallel()
	src, _ := designedTenant(t)
	dir, mod := exportTo(t, src, export.Options{Import: true})
	n := len(mod.Resources)
	res := mustTerraform(t, dir, src.env(), 0, "plan", "-no-color")
	t.Log(summary(res.stdout))
	if want := fmt.Sprintf("Plan: %d to import, 0 to add,", n); !strings.Contains(res.stdout, want) {
		t.Errorf("plan: want %q in:\n%s", want, res.stdout)
	}
	before := tenantView(t, src)
	src.srv.ResetStats()
	mustTerraform(t, dir, src.env(), 0, "apply", "-auto-approve", "-no-color")
	allowed := map[string]bool{"PUT /service-config/{serviceId}": true, "POST /config": true, "POST /public-files": true, "POST /user/auth": true}
	for route, count := range src.srv.Stats().Requests {
		if !strings.HasPrefix(route, "GET ") && !allowed[route] {
			t.Errorf("adopting sent %d× %s", count, route)
		}
	}
	if diffs := sameView(before, tenantView(t, src)); len(diffs) > 0 {
		t.Errorf("adopting changed the tenant:\n%s", strings.Join(diffs, "\n"))
	}
	mustTerraform(t, dir, src.env(), 0, "plan", "-detailed-exitcode", "-no-color")

	// Half of it leaves Terraform's hands: the flows, the stores and the connector.
	var dropped []string
	for _, r := range mod.Resources {
		if r.Type == "appmixer_flow" || r.Type == "appmixer_data_store" || r.Type == "appmixer_component" {
			dropped = append(dropped, r.Type+"."+r.Name)
		}
	}
	mustTerraform(t, dir, src.env(), 0, append([]string{"state", "rm", "-no-color"}, dropped...)...)
	managed, err := export.ReadStates([]string{filepath.Join(dir, "terraform.tfstate")})
	must(t, err)
	tnt, err := export.Read(context.Background(), src.api, export.Filter{}, nil)
	must(t, err)
	report, err := export.Build(tnt, export.Options{Managed: managed})
	must(t, err)
	var listed []string
	for _, r := range report.Resources {
		listed = append(listed, r.Type+"."+r.Name)
	}
	if strings.Join(listed, " ") != strings.Join(dropped, " ") {
		t.Errorf("-unmanaged lists %q, want what the state no longer manages: %q", listed, dropped)
	}
}

// summary is the plan's resource headers and its Plan: line.
func summary(plan string) string {
	var out []string
	for _, l := range strings.Split(plan, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "# ") || strings.HasPrefix(l, "Plan:") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestExport_adopts_identity: with -identity the import blocks name identities (Terraform and OpenTofu
// 1.12+), and adopt the tenant as the id blocks do.
func TestExport_adopts_identity(t *testing.T) {
	requireTF(t)
	needsCLI(t, "1.12.0", "import blocks by identity")
	t.Parallel()
	src, _ := designedTenant(t)
	dir, mod := exportTo(t, src, export.Options{Import: true, Identity: true})
	res := mustTerraform(t, dir, src.env(), 0, "plan", "-no-color")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add,", len(mod.Resources)); !strings.Contains(res.stdout, want) {
		t.Errorf("plan: want %q in:\n%s", want, summary(res.stdout))
	}
}
