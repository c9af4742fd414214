package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// builtTenant is a tenant made the way people make one without Terraform: flows drawn in the designer
// and bound to accounts, an integration published in Studio and added by end users in the widget,
// users, a data store, an OAuth client and a connector published with the CLI.
type builtTenant struct {
	*tenant
	objects int // what the adoption guide's query lists: the number of imports the apply must make
}

// buildTenant builds it through the API, as those tools call it.
func buildTenant(t *testing.T) *builtTenant {
	t.Helper()
	ctx := context.Background()
	tn := &builtTenant{tenant: startTenant(t)} // the admin, with a Slack and a weather account
	api := tn.api
	// The admin itself and the two accounts.
	tn.objects = 1 + len(tn.accounts)

	store, err := api.CreateStore(ctx, "Orders seen")
	must(t, err)
	must(t, api.CreateServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{
		"clientId": json.RawMessage(`"slack-client-id"`), "clientSecret": json.RawMessage(`"slack-client-secret"`),
		"sandbox": json.RawMessage(`true`)}}))
	tn.objects += 2

	// acme.weather, published as `appmixer publish` does: the packed zip, then its ticket.
	pkg, _, err := connector.PackDir(filepath.Join(testfixture.Root(), "examples/connectors/acme-weather/acme/weather"), "acme.weather")
	must(t, err)
	ticket, err := api.PublishComponent(ctx, "acme.weather", pkg.Zip)
	must(t, err)
	must(t, appmixer.Poll(ctx, func(ctx context.Context) (bool, error) {
		st, err := api.ComponentUploadStatus(ctx, ticket)
		return err == nil && st.Finished, err
	}))
	tn.objects++

	// Designer flows: a running one bound to Slack that records orders in the store, a stopped one
	// with a custom field.
	orders := fmt.Sprintf(`{
	  "o-start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}},
	  "o-store": {"type": "appmixer.utils.storage.Set", "label": "Remember", "x": 300, "y": 100,
	    "source": {"in": {"o-start": ["out"]}}, "config": {"properties": {"storeId": %q}}},
	  "o-slack": {"type": "appmixer.slack.list.SendChannelMessage", "label": "Tell sales", "x": 500, "y": 100,
	    "source": {"in": {"o-store": ["out"]}},
	    "config": {"transform": {"in": {"o-store": {"out": {"type": "json2new", "lambda": {"channelId": "#sales", "text": "New order"}}}}}}}
	}`, store)
	running, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Orders to Slack", Description: new("Every order, told to sales"),
		Definition: json.RawMessage(orders)})
	must(t, err)
	must(t, api.BindAccount(ctx, "o-slack", tn.accounts["appmixer:slack"]))
	must(t, api.StartFlow(ctx, running))
	_, err = api.CreateFlow(ctx, appmixer.FlowInput{Name: "Nightly report", CustomFields: map[string]any{"team": "ops"},
		Definition: json.RawMessage(`{"r-timer": {"type": "appmixer.utils.timers.Timer", "label": "Nightly", "x": 100, "y": 100, "source": {}},
		  "r-mail": {"type": "appmixer.utils.email.SendEmail", "x": 300, "y": 100, "source": {"in": {"r-timer": ["out"]}},
		    "config": {"properties": {"to": "ops@example.com"}}}}`)})
	must(t, err)
	tn.objects += 2

	// An integration published to every user, and two customers who added it in the widget.
	draft, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Welcome e-mail", Type: appmixer.FlowTypeDraft,
		Definition: json.RawMessage(`{"w-start": {"type": "appmixer.utils.controls.OnStart", "x": 100, "y": 100, "source": {}},
		  "w-mail": {"type": "appmixer.utils.email.SendEmail", "x": 300, "y": 100, "source": {"in": {"w-start": ["out"]}}}}`)})
	must(t, err)
	template, err := api.PublishIntegration(ctx, draft, []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})
	must(t, err)
	for _, email := range []string{"ann@shop.example", "bob@shop.example"} {
		_, err := newCustomer(t, tn.tenant, email).CreateIntegrationInstance(ctx, template)
		must(t, err)
	}
	tn.objects += 1 + 2 // the integration and its customers, who are users; their instances are not listed
	return tn
}

// TestAdoptionGuide runs the commands of docs/guides/adopting-a-tenant.md as written, in a copy of
// examples/adoption, against a tenant built without Terraform: the query writes a configuration that
// imports everything with no change, and the next plan is empty.
func TestAdoptionGuide(t *testing.T) {
	requireTF(t)
	needsCLI(t, "1.14.0", "list resources and terraform query")
	t.Parallel()
	tn := buildTenant(t)
	dir := t.TempDir()
	testfixture.CopyDir(t, filepath.Join(testfixture.Root(), "examples/adoption"), dir)
	env := []string{"APPMIXER_BASE_URL=" + tn.srv.URL, "APPMIXER_USERNAME=" + tn.srv.AdminUsername(), "APPMIXER_PASSWORD=" + tn.srv.AdminPassword()}

	mustTerraform(t, dir, env, 0, "init", "-no-color")
	mustTerraform(t, dir, env, 0, "query", "-no-color", "-generate-config-out=tenant.tf")
	if _, err := os.Stat(filepath.Join(dir, "tenant.tf")); err != nil {
		t.Fatalf("the query wrote no configuration: %v", err)
	}
	// Before the connector's source is in place, the plan says where it goes.
	res := mustTerraform(t, dir, env, 1, "plan", "-no-color")
	if flat := strings.Join(strings.Fields(res.stderr), " "); !strings.Contains(flat, `Put the source of "acme.weather" there`) ||
		!strings.Contains(flat, `source_dir = "connectors/acme/weather"`) {
		t.Errorf("the plan does not say where the connector's source goes:\n%s", res.stderr)
	}
	testfixture.CopyDir(t, filepath.Join(testfixture.Root(), "examples/connectors/acme-weather/acme/weather"), filepath.Join(dir, "connectors/acme/weather"))

	// Everything is imported, nothing changes, and the server gets no write.
	tn.srv.ResetStats()
	res = mustTerraform(t, dir, env, 0, "apply", "-no-color", "-auto-approve")
	for _, want := range []string{
		fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", tn.objects),
		fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", tn.objects),
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("apply: want %q in:\n%s", want, res.stdout)
		}
	}
	for route, n := range tn.srv.Stats().Requests {
		if !strings.HasPrefix(route, "GET ") && route != "POST /user/auth" {
			t.Errorf("the apply of the adopted tenant sent %d× %s", n, route)
		}
	}
	mustTerraform(t, dir, env, 0, "plan", "-no-color", "-detailed-exitcode")
}

// needsCLI skips a test whose feature the terraform CLI under test lacks: below minimum, or OpenTofu.
func needsCLI(t *testing.T, minimum, feature string) {
	t.Helper()
	res := terraform(t, t.TempDir(), nil, "version")
	first, _, _ := strings.Cut(res.stdout, "\n")
	m := regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)`).FindStringSubmatch(first)
	switch {
	case m == nil:
		t.Fatalf("cannot read the CLI's version from %q", first)
	case m[1] == "OpenTofu":
		t.Skipf("OpenTofu %s.%s.%s does not support %s: skipping", m[2], m[3], m[4], feature)
	case versionBelow(m[2:], minimum):
		t.Skipf("Terraform %s.%s.%s lacks %s, which needs Terraform %s or newer: skipping", m[2], m[3], m[4], feature, minimum)
	}
}

// versionBelow compares major, minor and patch with a dotted minimum.
func versionBelow(got []string, minimum string) bool {
	want := strings.Split(minimum, ".")
	for i := range 3 {
		var g, w int
		_, _ = fmt.Sscan(got[i], &g)
		_, _ = fmt.Sscan(want[i], &w)
		if g != w {
			return g < w
		}
	}
	return false
}
