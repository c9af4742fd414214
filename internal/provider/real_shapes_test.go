// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// testdata/real-shapes holds connectors and flow exports written to have the shapes Appmixer's own
// connectors and test flows have (appmixer-api.md §9); see each file for which.

// realShapeComponents are the connectors of the fixtures, published by selector: a whole service with
// components directly under it, a module whose components sit in other folders, and modules with
// their own bundle.json.
var realShapeComponents = []struct {
	resource, name, dir, version string
	components                   []string
}{
	{"contacts", "acme.contacts", "contacts", "1.1.0", []string{"acme.contacts.CreateContact", "acme.contacts.FindContacts",
		"acme.contacts.core.GetNumberOfContacts", "acme.contacts.core.MakeApiCall"}},
	{"sms", "acme.sms.sms", "sms", "0.3.0", []string{"acme.sms.sms.ListFromNumbers", "acme.sms.sms.SendSMS"}},
	{"ftp", "acme.tools.ftp", "tools", "1.3.0", []string{"acme.tools.ftp.CreateDirectory"}},
	{"tasks", "acme.tools.tasks", "tools", "2.0.0", []string{"acme.tools.tasks.RequestApproval"}},
	{"controls", "acme.tools.controls", "tools", "1.4.2", []string{"acme.tools.controls.Condition",
		"acme.tools.controls.ListTimeZones", "acme.tools.controls.SetVariable"}},
	{"test", "acme.tools.test", "tools", "1.0.1", []string{"acme.tools.test.AfterAll", "acme.tools.test.Assert",
		"acme.tools.test.ProcessE2EResults"}},
}

// realShapeFlows are the flow exports, each deployed from its "flow" key.
var realShapeFlows = []struct{ resource, file string }{
	{"insights", "contacts-insights.json"},
	{"ftp", "tools-ftp.json"},
	{"sms", "sms-manual.json"},
}

func realShapesDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "real-shapes"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// realShapesConfig publishes every fixture connector and deploys every fixture flow in one configuration.
func realShapesConfig(srv *localserver.Running, dir string) string {
	var b strings.Builder
	b.WriteString(providerBlock(srv, ""))
	var deps []string
	for _, c := range realShapeComponents {
		fmt.Fprintf(&b, "\nresource \"appmixer_component\" %q {\n  name       = %q\n  source_dir = %q\n}\n",
			c.resource, c.name, filepath.Join(dir, "connectors", "acme", c.dir))
		deps = append(deps, "appmixer_component."+c.resource)
	}
	for _, f := range realShapeFlows {
		fmt.Fprintf(&b, `
locals {
  %[1]s_export = jsondecode(file(%[2]q))
}

resource "appmixer_flow" %[1]q {
  name       = local.%[1]s_export.name
  definition = jsonencode(local.%[1]s_export.flow)
  depends_on = [%[3]s]
}
`, f.resource, filepath.Join(dir, "flows", f.file), strings.Join(deps, ", "))
	}
	return b.String()
}

// TestAccRealShapes publishes connectors and deploys flows of every shape Appmixer's own connectors
// and test flows have, in one configuration: the apply succeeds and the next plan is empty. Then a
// hand edit of each of those shapes in a deployed flow is drift, and the apply puts it back.
func TestAccRealShapes(t *testing.T) {
	requireLocal(t, "the real-shape connectors, whose names cannot carry the tfacc- prefix")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	dir := realShapesDir(t)
	config := realShapesConfig(srv, dir)
	ids := map[string]string{}

	var checks []statecheck.StateCheck
	for _, c := range realShapeComponents {
		addr := "appmixer_component." + c.resource
		names := make([]knownvalue.Check, len(c.components))
		for i, n := range c.components {
			names[i] = knownvalue.StringExact(n)
		}
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("components"), knownvalue.ListExact(names)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact(c.version)))
	}
	// editStep edits one deployed flow by hand: the plan shows an update of that flow only, and the
	// apply restores it (the framework then checks that the plan is empty).
	editStep := func(flow string, change func(def map[string]any)) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				editFlow(t, api, ids[flow], func(_ *appmixer.FlowInput, def map[string]any) { change(def) })
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("appmixer_flow."+flow, plancheck.ResourceActionUpdate),
				expectAttributeChange("appmixer_flow."+flow, "definition"),
				plancheck.ExpectResourceAction("appmixer_component.contacts", plancheck.ResourceActionNoop),
			}},
		}
	}
	node := func(def map[string]any, id string) map[string]any { return def[id].(map[string]any) }
	// transform reaches config.transform.<port>.<upstream>.<out> of a node.
	transform := func(def map[string]any, id, port, up, out string) map[string]any {
		return node(def, id)["config"].(map[string]any)["transform"].(map[string]any)[port].(map[string]any)[up].(map[string]any)[out].(map[string]any)
	}
	const (
		insightsStart = "aa110000-0000-0000-0000-000000000001"
		insightsVars  = "aa110000-0000-0000-0000-000000000002"
		insightsCount = "aa110000-0000-0000-0000-000000000003"
		insightsCheck = "aa110000-0000-0000-0000-000000000004"
		ftpStart      = "5f0c5a0e-3c1b-4f7e-9a43-1d2e3f405161"
		ftpDir        = "b7d5e2a4-8c1f-4e3a-b0d9-2a3b4c5d6e7f"
		ftpCondition  = "0d4c8a1e-6b2f-4d9c-8e7a-3f4a5b6c7d8e"
		smsList       = "cc330000-0000-0000-0000-000000000002"
		smsSend       = "cc330000-0000-0000-0000-000000000003"
	)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: resource.ComposeTestCheckFunc(checkFlowsGone(api),
			serverComponentsAre(t, srv, "acme.contacts"), serverComponentsAre(t, srv, "acme.sms"), serverComponentsAre(t, srv, "acme.tools")),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: checks,
				Check: func(s *terraform.State) error {
					for _, f := range realShapeFlows {
						ids[f.resource] = s.RootModule().Resources["appmixer_flow."+f.resource].Primary.ID
					}
					return serverKeepsManifestKeys(api)
				},
			},
			editStep("insights", func(def map[string]any) {
				node(def, insightsCount)["errorHandling"] = map[string]any{"autoRetry": true, "maxRetries": 5, "onError": "errorPort"}
			}),
			editStep("insights", func(def map[string]any) { node(def, insightsStart)["config"] = map[string]any{} }),
			editStep("insights", func(def map[string]any) {
				transform(def, insightsVars, "in", insightsStart, "out")["lambda"] = map[string]any{
					"variables": map[string]any{"ADD": []any{map[string]any{"type": "text", "name": "date", "text": "20270101"}}}}
			}),
			editStep("insights", func(def map[string]any) {
				tr := transform(def, insightsCheck, "in", insightsCount, "out")
				mods := tr["modifiers"].(map[string]any)["expression"].(map[string]any)
				mods["w0"] = mods["v0"]
				delete(mods, "v0")
			}),
			editStep("ftp", func(def map[string]any) { transform(def, ftpDir, "in", ftpStart, "out")["type"] = "json2new" }),
			editStep("ftp", func(def map[string]any) {
				transform(def, ftpCondition, "in", ftpDir, "out")["lambda"].(map[string]any)["strict"] = false
			}),
			editStep("sms", func(def map[string]any) {
				transform(def, smsSend, "message", smsList, "numbers")["lambda"].(map[string]any)["retries"] = 4
			}),
			editStep("sms", func(def map[string]any) { delete(node(def, smsList), "errorHandling") }),
		},
	})
}

// serverKeepsManifestKeys checks that GET /components?manifest=yes returns a key the CLI's schema does
// not list, and a string config, as they were published.
func serverKeepsManifestKeys(api *appmixer.Client) error {
	list, err := api.ListComponents(context.Background(), "acme.tools", true)
	if err != nil {
		return err
	}
	found := 0
	for _, m := range list {
		var doc map[string]any
		if err := json.Unmarshal(m.Raw, &doc); err != nil {
			return err
		}
		switch m.Name {
		case "acme.tools.controls.Condition":
			if got, _ := json.Marshal(doc["x-acme-owner"]); string(got) != `{"since":2023,"team":"flows"}` {
				return fmt.Errorf("Condition lists x-acme-owner %s", got)
			}
			found++
		case "acme.tools.tasks.RequestApproval":
			if doc["config"] != "acme:tools:tasks" {
				return fmt.Errorf("RequestApproval lists config %v", doc["config"])
			}
			found++
		}
	}
	if found != 2 {
		return fmt.Errorf("listed %d of the 2 checked manifests", found)
	}
	return nil
}

// TestAccRealShapes_flowExport refuses a definition that is a whole `appmixer flow export` file at
// plan time, showing the fix.
func TestAccRealShapes_flowExport(t *testing.T) {
	requireLocal(t, "the real-shape connectors, whose names cannot carry the tfacc- prefix")
	srv := startServer(t, localserver.Options{})
	file := filepath.Join(realShapesDir(t), "flows", "sms-manual.json")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: flowResourceConfig(srv, "", fmt.Sprintf(`
  name       = "exported"
  definition = file(%q)`, file)),
			ExpectError: wrappedText(`a whole ` + "`appmixer flow export`" + ` file (an object with "name" and "flow"); the descriptor is its "flow". ` +
				`Use, for example: definition = jsonencode(jsondecode(file("x.json")).flow)`),
		}},
	})
}

// TestComponentPackageDiagnostics_realShapes: the fixtures plan with warnings that name the file and
// the key, and no error; at apply time the warnings are not repeated.
func TestComponentPackageDiagnostics_realShapes(t *testing.T) {
	dir := realShapesDir(t)
	want := map[string][]string{
		"contacts": {`contacts/CreateContact/component.json: key "name": "acme.contacts.CreateContact" sits directly under the service folder`,
			`contacts/core/GetNumberofContacts/component.json: key "name": "acme.contacts.core.GetNumberOfContacts" does not match its folders (acme.contacts.core.GetNumberofContacts)`},
		"sms":      {`sms/numbers/ListFromNumbers/component.json: key "name": "acme.sms.sms.ListFromNumbers" does not match its folders (acme.sms.numbers.ListFromNumbers)`},
		"controls": {`tools/controls/Condition/component.json: key "x-acme-owner": is not in the official CLI's component schema`},
	}
	for _, c := range realShapeComponents {
		t.Run(c.resource, func(t *testing.T) {
			m := componentModel{Name: types.StringValue(c.name), SourceDir: types.StringValue(filepath.Join(dir, "connectors", "acme", c.dir)), SourceZip: types.StringNull()}
			pkg, diags := loadComponentPackage(m, true)
			if pkg == nil || diags.HasError() {
				t.Fatalf("refused: %v", diags)
			}
			var details []string
			for _, d := range diags {
				if d.Severity() != diag.SeverityWarning || d.Summary() != "Unusual connector package" {
					t.Errorf("unexpected diagnostic %s: %s", d.Summary(), d.Detail())
				}
				details = append(details, filepath.ToSlash(d.Detail()))
			}
			for _, w := range want[c.resource] {
				if !slices.ContainsFunc(details, func(d string) bool { return strings.Contains(d, w) }) {
					t.Errorf("no warning %q among %q", w, details)
				}
			}
			if _, again := loadComponentPackage(m, false); len(again) != 0 {
				t.Errorf("apply-time diagnostics: %v", again)
			}
		})
	}
}
