// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

const (
	storeID  = "5f1e0c0ffee0c0ffee000001"
	flowA    = "aaaaaaaa-0000-4000-8000-000000000001"
	flowB    = "bbbbbbbb-0000-4000-8000-000000000002"
	userID   = "5f1e0c0ffee0c0ffee0000aa"
	fileID   = "5f1e0c0ffee0c0ffee0000ff"
	slackAcc = "5f1e0c0ffee0c0ffee0000cc"
)

func tenantFixture() *Tenant {
	me := &appmixer.User{ID: "me-user-id-1", Username: "admin@example.com"}
	return &Tenant{
		Me:             me,
		StoresExported: true,
		Accounts:       map[string]appmixer.Account{slackAcc: {ID: slackAcc, Service: "appmixer:slack", Name: "Sales Slack"}},
		Users:          map[string]*appmixer.User{me.ID: me, userID: {ID: userID, Username: "ann@shop.example"}},
		FileIDs:        map[string]string{fileID: "rates.csv"},
		Stores:         []appmixer.Store{{ID: storeID, Name: "Orders seen"}},
		Bindings:       map[string]map[string]string{flowA: {"slack": slackAcc, "gone": "5f1e0c0ffee0c0ffee00dead"}},
		ACL:            map[string][]appmixer.ACLRule{},
		Flows: []appmixer.Flow{
			{ID: flowA, Name: "Orders", Stage: "running", Definition: json.RawMessage(`{
				"slack": {"type": "appmixer.slack.list.SendChannelMessage", "version": "1.2.3",
				  "config": {"properties": {"text": "${order} %{x}", "storeId": "` + storeID + `", "next": "` + flowB + `", "file": "` + fileID + `"}}}}`)},
			{ID: flowB, Name: "Report", Definition: json.RawMessage(`{"r": {"type": "appmixer.utils.timers.Timer",
				"config": {"properties": {"back": "` + flowA + `", "self": "` + flowB + `", "who": "` + userID + `"}}}}`),
				SharedWith: []appmixer.Share{{UserID: userID, Permissions: []string{"start", "read"}}, {UserID: "5f1e0c0ffee0c0ffee0000bb"}}},
		},
		ServiceConfigs: []appmixer.ServiceConfig{{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{
			"clientId": json.RawMessage(`"id"`), "clientSecret": json.RawMessage(`"s3cret-value"`),
			"signingMaterial": json.RawMessage(`"a8F3kQ9zL2mN7pR4tV6w"`), "apiKeys": json.RawMessage(`{"a": 1}`)}}},
	}
}

func build(t *testing.T, tn *Tenant, opts Options) *Module {
	t.Helper()
	mod, err := Build(tn, opts)
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

// TestBuild_noTenantBoundIDs: no id of the tenant read survives outside imports.tf and the listed
// exceptions; each becomes the reference or look-up that finds the same object elsewhere.
func TestBuild_noTenantBoundIDs(t *testing.T) {
	mod := build(t, tenantFixture(), Options{})
	flows := string(mod.Files["flows.tf"])
	orders := string(mod.Files["flows/orders.json.tftpl"])
	report := string(mod.Files["flows/report.json.tftpl"])
	for _, want := range []string{
		`slack = data.appmixer_account.appmixer_slack_sales_slack.account_id`,
		`store_orders_seen = appmixer_data_store.orders_seen.id`,
		`flow_report = appmixer_flow.report.id`,
		`user_id = data.appmixer_user.ann_shop_example.id, permissions = ["read", "start"]`,
		`stage = "running"`,
	} {
		if !contains(flows, want) {
			t.Errorf("flows.tf lacks %q:\n%s", want, flows)
		}
	}
	if !contains(orders, `"storeId": "${store_orders_seen}"`) || !contains(orders, `"next": "${flow_report}"`) {
		t.Errorf("the template does not reference the store and the flow:\n%s", orders)
	}
	// Terraform's template sequences in the designer's text are escaped, so they render as written.
	if !contains(orders, `"text": "$${order} %%{x}"`) {
		t.Errorf("template sequences are not escaped:\n%s", orders)
	}
	if contains(orders, "version") {
		t.Errorf("the server's component version is kept:\n%s", orders)
	}
	lookups := string(mod.Files["lookups.tf"])
	if !contains(lookups, `service = "appmixer:slack"`) || !contains(lookups, `name = "Sales Slack"`) ||
		!contains(lookups, `username = "ann@shop.example"`) {
		t.Errorf("lookups.tf:\n%s", lookups)
	}
	// Report names Orders, which names Report: one of the two references must stay literal.
	if !contains(report, flowA) || !contains(report, flowB) {
		t.Errorf("the references that would make a cycle are not kept literal:\n%s", report)
	}
	for _, want := range []string{"names flow \"Orders\"", "names flow \"Report\"", "file \"rates.csv\"", "account 5f1e0c0ffee0c0ffee00dead",
		"user 5f1e0c0ffee0c0ffee0000bb"} {
		if !problemSays(mod.Problems, want) {
			t.Errorf("no problem says %q: %v", want, mod.Problems)
		}
	}
	if _, ok := mod.Files["imports.tf"]; ok {
		t.Error("imports.tf written without -import")
	}
	readme := string(mod.Files["README.md"])
	for _, want := range []string{"| `appmixer:slack` | `Sales Slack` |", "- `ann@shop.example`", "file \"rates.csv\""} {
		if !strings.Contains(readme, want) {
			t.Errorf("the README lacks %q:\n%s", want, readme)
		}
	}
}

func problemSays(ps []Problem, s string) bool {
	for _, p := range ps {
		if strings.Contains(p.Object+": "+p.Why, s) {
			return true
		}
	}
	return false
}

// TestBuild_secrets: secret-looking keys become variables (JSON-decoded when not strings), the value
// never appears, and a random-looking value under a plain name is listed as unsure.
func TestBuild_secrets(t *testing.T) {
	mod := build(t, tenantFixture(), Options{})
	all := ""
	for _, c := range mod.Files {
		all += string(c)
	}
	if strings.Contains(all, "s3cret-value") {
		t.Error("the module holds the secret value")
	}
	sc := string(mod.Files["service_configs.tf"])
	for _, want := range []string{"clientSecret = var.appmixer_slack_client_secret", "apiKeys = jsondecode(var.appmixer_slack_api_keys)",
		`"clientId" = "id"`, "secret_values_wo_version = 1"} {
		if !contains(sc, want) {
			t.Errorf("service_configs.tf lacks %q:\n%s", want, sc)
		}
	}
	if vars := string(mod.Files["variables.tf"]); strings.Count(vars, "sensitive   = true") != 2 {
		t.Errorf("want two sensitive variables:\n%s", vars)
	}
	if len(mod.Unsure) != 1 || !strings.Contains(mod.Unsure[0], "signingMaterial") {
		t.Errorf("unsure keys = %q, want signingMaterial", mod.Unsure)
	}
	if v := string(mod.Files["versions.tf"]); !strings.Contains(v, `">= 1.11"`) {
		t.Errorf("write-only arguments need Terraform 1.11:\n%s", v)
	}
}

// TestBuild_importAndManaged: -import writes a block per resource by its import id; what a state
// manages is left out, and a store left out is looked up by name where a flow names it.
func TestBuild_importAndManaged(t *testing.T) {
	mod := build(t, tenantFixture(), Options{Import: true})
	imports := string(mod.Files["imports.tf"])
	if n := strings.Count(imports, "import {"); n != len(mod.Resources) {
		t.Errorf("%d import blocks for %d resources", n, len(mod.Resources))
	}
	if !contains(imports, "to = appmixer_flow.orders\n  id = \""+flowA+"\"") {
		t.Errorf("imports.tf:\n%s", imports)
	}
	mod = build(t, tenantFixture(), Options{Import: true, Identity: true})
	if imports := string(mod.Files["imports.tf"]); !contains(imports, "to = appmixer_service_config.appmixer_slack\n  identity = {\n    service_id = \"appmixer:slack\"\n  }") ||
		strings.Contains(imports, "\n  id = ") {
		t.Errorf("imports.tf by identity:\n%s", imports)
	}
	managed := Managed{"appmixer_data_store": {storeID: true}, "appmixer_flow": {flowB: true}}
	mod = build(t, tenantFixture(), Options{Managed: managed})
	var got []string
	for _, r := range mod.Resources {
		got = append(got, r.Type+"."+r.Name)
	}
	if strings.Join(got, " ") != "appmixer_service_config.appmixer_slack appmixer_flow.orders" {
		t.Errorf("unmanaged resources = %q", got)
	}
	flows := string(mod.Files["flows.tf"])
	if !contains(flows, "store_orders_seen = data.appmixer_data_store.orders_seen.id") ||
		!contains(flows, "flow_report = data.appmixer_flow.report.id") {
		t.Errorf("objects left out are not looked up by name:\n%s", flows)
	}
}

func TestNames(t *testing.T) {
	n := namer{}
	for _, c := range []struct{ in, want string }{
		{"flowsPerUser", "flows_per_user"}, {"Orders to Slack!", "orders_to_slack"}, {"Orders to Slack", "orders_to_slack_2"},
		{"42 things", "x_42_things"}, {"Žluťoučký kůň", "lu_ou_k_k"}, {"", "x"},
	} {
		if got := n.name("k", c.in); got != c.want {
			t.Errorf("name(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// contains compares with runs of spaces collapsed: the files are laid out as terraform fmt does.
func contains(text, want string) bool {
	space := regexp.MustCompile(`[ \t]+`)
	return strings.Contains(space.ReplaceAllString(text, " "), space.ReplaceAllString(want, " "))
}

func TestHCLJSON(t *testing.T) {
	got, err := hclJSON(json.RawMessage(`{"b": [1.50, {"x": null}, []], "a": {"${t}": true}, "c": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	// Key order and number text as the server wrote them; template sequences escaped.
	want := "{\n  \"b\" = [\n    1.50,\n    {\n      \"x\" = null\n    },\n    [],\n  ]\n  \"a\" = {\n    \"$${t}\" = true\n  }\n  \"c\" = {}\n}"
	if got != want {
		t.Errorf("hclJSON:\n%s\nwant:\n%s", got, want)
	}
}
