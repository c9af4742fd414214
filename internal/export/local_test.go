// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"context"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/export/designer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// designed is a local tenant built by designer, with its client.
type designed struct {
	srv    *localserver.Running
	api    *appmixer.Client
	seeded *designer.Seeded
}

func startDesigned(t *testing.T) *designed {
	t.Helper()
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]string{}
	for service, name := range map[string]string{"appmixer:slack": "ops@example.com", "acme:weather": "weather-bot"} {
		if accounts[service], err = srv.AddAccount(srv.AdminUsername(), localserver.AccountSeed{Service: service, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	seeded, err := designer.Build(context.Background(), api, accounts, testfixture.Root())
	if err != nil {
		t.Fatal(err)
	}
	return &designed{srv: srv, api: api, seeded: seeded}
}

// TestRead_local reads a hand-built tenant: automations with their bindings, the integration draft
// with its template (not the template or instances as flows of their own), the custom connector with
// its source, and only what the filter asks for.
func TestRead_local(t *testing.T) {
	d := startDesigned(t)
	ctx := context.Background()
	tn, err := Read(ctx, d.api, Filter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tn.Flows) != 2 || len(tn.Integrations) != 1 || tn.Integrations[0].Template == nil {
		t.Fatalf("read %d flows and %d integrations, want 2 automations and the published integration", len(tn.Flows), len(tn.Integrations))
	}
	if got := tn.Bindings[d.seeded.OrdersFlowID]["o-slack"]; got == "" || tn.Accounts[got].Name != "ops@example.com" {
		t.Errorf("the Slack binding of Orders to Slack: %q", got)
	}
	if len(tn.Components) != 1 || tn.Components[0].Service != "acme.weather" || len(tn.Components[0].Zip) == 0 {
		t.Errorf("components: %+v", tn.Components)
	}
	mod, err := Build(tn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := mod.Files["connectors/acme/weather/service.json"]; !ok {
		t.Error("the connector's source is not under connectors/acme/weather")
	}
	if n := len(mod.Resources); n != d.seeded.Objects+1 { // + the routes ACL, which every tenant has
		t.Errorf("%d resources, want %d", n, d.seeded.Objects+1)
	}

	only, err := Read(ctx, d.api, Filter{Kinds: []string{KindFlows}, FlowPattern: "Orders*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Flows) != 1 || only.Flows[0].Name != "Orders to Slack" || len(only.Integrations) != 0 || only.ServiceConfigs != nil || only.StoresExported {
		t.Errorf("-only flows -flows 'Orders*' read %d flows, %d integrations, %d service configs", len(only.Flows), len(only.Integrations), len(only.ServiceConfigs))
	}
	// The store a flow names is looked up by name when stores are not exported.
	mod, err = Build(only, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod.Files["lookups.tf"]), `data "appmixer_data_store" "orders_seen"`) {
		t.Errorf("lookups.tf:\n%s", mod.Files["lookups.tf"])
	}
}

// TestRead_refused: a user without the admin scope gets an error that names the route and the scope.
func TestRead_refused(t *testing.T) {
	d := startDesigned(t)
	plain, err := appmixer.New(appmixer.Config{BaseURL: d.srv.URL, Username: designer.ShareUser, Password: "ann-password-1"})
	if err != nil {
		t.Fatal(err)
	}
	for kind, route := range map[string]string{KindServiceConfigs: "(GET /service-config) was refused (403)",
		KindComponents: "(GET /components/acme.weather) was refused (403)"} {
		_, err = Read(context.Background(), plain, Filter{Kinds: []string{kind}}, nil)
		if err == nil || !strings.Contains(err.Error(), route) || !strings.Contains(err.Error(), "admin scope") || !strings.Contains(err.Error(), "-only") {
			t.Errorf("a plain user's export of %s: %v, want an error naming %q, the admin scope and -only", kind, err, route)
		}
	}
}
