// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// tenant is one local Appmixer server standing in for a dev or prod tenant.
type tenant struct {
	srv *localserver.Running
	api *appmixer.Client
	// accounts are the tenant's own connected account ids by service.
	accounts map[string]string
}

func startTenant(t *testing.T) *tenant {
	t.Helper()
	srv := startLocalServer(t, localserver.Options{})
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	if err != nil {
		t.Fatal(err)
	}
	tn := &tenant{srv: srv, api: api, accounts: map[string]string{}}
	for service, name := range map[string]string{"appmixer:slack": "ops@example.com", "acme:weather": "weather-bot"} {
		id, err := srv.AddAccount(srv.AdminUsername(), localserver.AccountSeed{Service: service, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		tn.accounts[service] = id
	}
	return tn
}

func (tn *tenant) tfvar() map[string]string {
	return map[string]string{
		"base_url": tn.srv.URL, "username": tn.srv.AdminUsername(), "password": tn.srv.AdminPassword(),
		"slack_account_name": "ops@example.com", "weather_account_name": "weather-bot",
	}
}

// snapshot is what a tenant holds that the promotion touches: flows by name (with their ids),
// installed component names, service configs and data stores.
type snapshot struct {
	flows          map[string]string
	components     []string
	serviceConfigs []string
	stores         []string
}

func (tn *tenant) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := context.Background()
	flows, err := tn.api.ListAllFlows(ctx, appmixer.ListFlowsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := snapshot{flows: map[string]string{}}
	for _, f := range flows {
		s.flows[f.Name] = f.ID
	}
	comps, err := tn.api.ListComponents(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range comps {
		s.components = append(s.components, c.Name)
	}
	sort.Strings(s.components)
	configs, err := tn.api.ListServiceConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range configs {
		s.serviceConfigs = append(s.serviceConfigs, c.ServiceID)
	}
	stores, err := tn.api.ListStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stores {
		s.stores = append(s.stores, st.Name+" "+st.ID)
	}
	return s
}

func (tn *tenant) flowByName(t *testing.T, name string) *appmixer.Flow {
	t.Helper()
	flows, err := tn.api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range flows {
		if flows[i].Name == name {
			return &flows[i]
		}
	}
	t.Fatalf("no flow named %q on %s", name, tn.srv.URL)
	return nil
}

// promotedFlows are the flows examples/promotion deploys, by name.
var promotedFlows = []string{"Daily forecast to Slack", "Storm alerts by e-mail"}

func TestPromotionExample(t *testing.T) {
	requireTF(t)
	t.Parallel()
	dev, prod := startTenant(t), startTenant(t)
	// A flow made by hand on each tenant, which the configuration must never touch.
	for _, tn := range []*tenant{dev, prod} {
		if _, err := tn.api.CreateFlow(context.Background(), appmixer.FlowInput{Name: "hand-made",
			Definition: json.RawMessage(`{"s":{"type":"appmixer.utils.controls.OnStart","source":{}}}`)}); err != nil {
			t.Fatal(err)
		}
	}
	before := map[*tenant]snapshot{dev: dev.snapshot(t), prod: prod.snapshot(t)}

	work := t.TempDir()
	testfixture.CopyDir(t, "../../examples", filepath.Join(work, "examples"))
	dir := filepath.Join(work, "examples", "promotion")
	writeJSON(t, filepath.Join(dir, "terraform.tfvars.json"), map[string]any{"dev": dev.tfvar(), "prod": prod.tfvar(),
		"slack_client_ids":     map[string]string{"dev": "dev-client-id", "prod": "prod-client-id"},
		"slack_client_secrets": map[string]string{"dev": promotionSecrets["dev"], "prod": promotionSecrets["prod"]},
		// The test destroys what it promotes: a published integration goes only with force_destroy.
		"force_destroy_integrations": true,
	})
	mustTerraform(t, dir, nil, 0, "get")

	// 1. Apply to both tenants: the same flows, each tenant's own accounts bound, its own OAuth client
	// set and its own data store named.
	mustTerraform(t, dir, nil, 0, "apply", "-auto-approve")
	checkTenantConfig(t, dev, "dev")
	checkTenantConfig(t, prod, "prod")
	devStore, prodStore := dev.storeID(t, "Storm alerts sent"), prod.storeID(t, "Storm alerts sent")
	for _, name := range promotedFlows {
		d, p := dev.flowByName(t, name), prod.flowByName(t, name)
		if strings.Contains(string(d.Definition), prodStore) || strings.Contains(string(p.Definition), devStore) {
			t.Errorf("flow %q names another tenant's data store", name)
		}
		if !reflect.DeepEqual(descriptorWithout(t, d, devStore), descriptorWithout(t, p, prodStore)) {
			t.Errorf("flow %q differs between dev and prod:\n%s\n%s", name, d.Definition, p.Definition)
		}
		if d.Running() || !p.Running() {
			t.Errorf("flow %q: want stopped on dev and running on prod, got %s and %s", name, d.Stage, p.Stage)
		}
		checkBindings(t, dev, d)
		checkBindings(t, prod, p)
	}

	checkIntegrationPromoted(t, dev, prod)

	// 2. Nothing changed: the nightly plan is quiet.
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")
	if f := prod.flowByName(t, promotedFlows[1]); !strings.Contains(string(f.Definition), `"storeId":"`+prodStore+`"`) {
		t.Errorf("prod's storm alerts flow does not write to prod's store %s: %s", prodStore, f.Definition)
	}

	// 3. Someone edits a prod flow in the UI: renamed, a property changed, stopped.
	forecast := prod.flowByName(t, promotedFlows[0])
	def := descriptor(t, forecast)
	transform := def["6f1c2a70-0002-4c1e-9a51-5d2f00000002"]["config"].(map[string]any)["transform"].(map[string]any)
	transform["in"].(map[string]any)["6f1c2a70-0001-4c1e-9a51-5d2f00000001"].(map[string]any)["out"].(map[string]any)["lambda"].(map[string]any)["city"] = "Brno"
	edited, err := json.Marshal(def)
	must(t, err)
	ctx := context.Background()
	must(t, prod.api.StopFlow(ctx, forecast.ID))
	must(t, prod.api.UpdateFlow(ctx, forecast.ID, appmixer.FlowInput{Name: "Daily forecast (edited)", Definition: edited,
		CustomFields: forecast.CustomFields}, false))
	res := mustTerraform(t, dir, nil, 2, "plan", "-detailed-exitcode", "-no-color")
	for _, want := range []string{`~ name\s+= "Daily forecast \(edited\)" -> "Daily forecast to Slack"`, `~ stage\s+= "stopped" -> "running"`,
		`~ definition\s+=`, `Brno`, `module.prod.appmixer_flow.this\["daily_forecast"\] will be updated in-place`, `Plan: 0 to add, 1 to change, 0 to destroy`} {
		if !regexp.MustCompile(want).MatchString(res.stdout) {
			t.Errorf("the drift plan lacks %q:\n%s", want, res.stdout)
		}
	}
	mustTerraform(t, dir, nil, 0, "apply", "-auto-approve")
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")
	if f := prod.flowByName(t, promotedFlows[0]); !f.Running() || strings.Contains(string(f.Definition), "Brno") {
		t.Errorf("apply did not restore the prod flow: %s %s", f.Stage, f.Definition)
	}

	// 4. The server upgrades a component on prod: not drift.
	must(t, prod.srv.UpgradeComponent("appmixer.utils.email.SendEmail", "9.0.0"))
	if f := prod.flowByName(t, promotedFlows[1]); !strings.Contains(string(f.Definition), `"9.0.0"`) {
		t.Fatalf("the upgrade did not reach the stored flow: %s", f.Definition)
	}
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")

	// 5. A prod flow is deleted by hand: the plan creates it again, and apply restores it.
	alerts := prod.flowByName(t, promotedFlows[1])
	must(t, prod.api.DeleteFlow(ctx, alerts.ID))
	res = mustTerraform(t, dir, nil, 2, "plan", "-detailed-exitcode", "-no-color")
	if !strings.Contains(res.stdout, `module.prod.appmixer_flow.this["storm_alerts"] will be created`) {
		t.Errorf("the plan does not re-create the deleted flow:\n%s", res.stdout)
	}
	mustTerraform(t, dir, nil, 0, "apply", "-auto-approve")
	checkBindings(t, prod, prod.flowByName(t, promotedFlows[1]))
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")

	exerciseIntegration(t, dir, dev, prod)

	// 6. Destroy leaves both tenants as they were.
	mustTerraform(t, dir, nil, 0, "destroy", "-auto-approve")
	for tn, was := range before {
		if now := tn.snapshot(t); !reflect.DeepEqual(now, was) {
			t.Errorf("%s after destroy:\n%+v\nbefore:\n%+v", tn.srv.URL, now, was)
		}
	}
}

// checkBindings asserts that every component of f that takes an account has the tenant's own account
// of its service.
func checkBindings(t *testing.T, tn *tenant, f *appmixer.Flow) {
	t.Helper()
	auth, err := tn.api.FlowAuth(context.Background(), f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(auth) == 0 {
		t.Fatalf("flow %q has no components that take an account", f.Name)
	}
	for id, a := range auth {
		if want := tn.accounts[a.Service]; a.AccountID != want {
			t.Errorf("flow %q on %s: component %s (%s) is bound to %q, want the tenant's own %q",
				f.Name, tn.srv.URL, id, a.Service, a.AccountID, want)
		}
	}
}

// promotionSecrets are each tenant's Slack client secret in the promotion example.
var promotionSecrets = map[string]string{"dev": "dev-slack-secret-6b1f", "prod": "prod-slack-secret-93ce"}

// checkTenantConfig asserts that the tenant's Slack OAuth client is its own, secret included.
func checkTenantConfig(t *testing.T, tn *tenant, name string) {
	t.Helper()
	sc, err := tn.api.GetServiceConfig(context.Background(), "appmixer:slack")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{"clientId":%q,"clientSecret":%q}`, name+"-client-id", promotionSecrets[name])
	if got, _ := json.Marshal(sc.Values); string(got) != want {
		t.Errorf("%s's service config of appmixer:slack is %s, want %s", name, got, want)
	}
}

func (tn *tenant) storeID(t *testing.T, name string) string {
	t.Helper()
	stores, err := tn.api.ListStores(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stores {
		if s.Name == name {
			return s.ID
		}
	}
	t.Fatalf("no data store named %q on %s", name, tn.srv.URL)
	return ""
}

// descriptorWithout is descriptor with the tenant's own store id replaced by a placeholder, which is
// all that may differ between the tenants' flows.
func descriptorWithout(t *testing.T, f *appmixer.Flow, storeID string) map[string]map[string]any {
	t.Helper()
	g := *f
	g.Definition = json.RawMessage(strings.ReplaceAll(string(f.Definition), storeID, "STORE"))
	return descriptor(t, &g)
}

// descriptor decodes a flow's descriptor without the server-owned versions.
func descriptor(t *testing.T, f *appmixer.Flow) map[string]map[string]any {
	t.Helper()
	var def map[string]map[string]any
	if err := json.Unmarshal(f.Definition, &def); err != nil {
		t.Fatal(err)
	}
	for _, c := range def {
		delete(c, "version")
	}
	return def
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestPromotionFromDevUI(t *testing.T) {
	requireTF(t)
	t.Parallel()
	dev, prod := startTenant(t), startTenant(t)
	ctx := context.Background()
	// Built in dev's designer: a trigger and a Slack message, bound to dev's Slack account.
	built := json.RawMessage(`{
	  "lr-start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}},
	  "lr-slack": {"type": "appmixer.slack.list.SendChannelMessage", "label": "Tell sales", "x": 300, "y": 100,
	    "source": {"in": {"lr-start": ["out"]}},
	    "config": {"transform": {"in": {"lr-start": {"out": {"type": "json2new", "lambda": {"channelId": "#sales", "text": "New lead"}}}}}}}
	}`)
	devID, err := dev.api.CreateFlow(ctx, appmixer.FlowInput{Name: "Lead router", Definition: built,
		CustomFields: map[string]any{"team": "sales"}})
	must(t, err)
	must(t, dev.api.BindAccount(ctx, "lr-slack", dev.accounts["appmixer:slack"]))

	work := t.TempDir()
	testfixture.CopyDir(t, "../../examples/promotion/from-dev-ui", work)
	writeJSON(t, filepath.Join(work, "terraform.tfvars.json"), map[string]any{
		"dev":  map[string]string{"base_url": dev.srv.URL, "username": dev.srv.AdminUsername(), "password": dev.srv.AdminPassword()},
		"prod": map[string]string{"base_url": prod.srv.URL, "username": prod.srv.AdminUsername(), "password": prod.srv.AdminPassword()},
	})
	mustTerraform(t, work, nil, 0, "apply", "-auto-approve")

	devFlow, err := dev.api.GetFlow(ctx, devID)
	must(t, err)
	promoted := prod.flowByName(t, "Lead router")
	if !reflect.DeepEqual(descriptor(t, devFlow), descriptor(t, promoted)) {
		t.Errorf("the promoted flow differs from dev's:\n%s\n%s", devFlow.Definition, promoted.Definition)
	}
	if !promoted.Running() || promoted.CustomFields["team"] != "sales" {
		t.Errorf("promoted flow: stage %s, custom fields %v", promoted.Stage, promoted.CustomFields)
	}
	checkBindings(t, prod, promoted)
	mustTerraform(t, work, nil, 0, "plan", "-detailed-exitcode")

	mustTerraform(t, work, nil, 0, "destroy", "-auto-approve")
	if s := prod.snapshot(t); len(s.flows) != 0 {
		t.Errorf("prod still has flows after destroy: %v", s.flows)
	}
	if _, err := dev.api.GetFlow(ctx, devID); err != nil {
		t.Errorf("dev's flow must be left alone: %v", err)
	}
}
