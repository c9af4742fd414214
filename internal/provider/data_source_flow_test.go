// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccFlowDataSources reads flows made through the API: one by id and by name (and promotes it into an
// appmixer_flow resource that then plans empty), lists with each filter and across several pages, and
// reports zero or several flows of a name.
func TestAccFlowDataSources(t *testing.T) {
	requireLocal(t, "connected accounts added behind the API (AddAccount)") // before any flow is made
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	def := `{"ds-start": {"type": "appmixer.utils.controls.OnStart", "x": 1, "y": 2},
	         "ds-slack": {"type": "appmixer.slack.list.SendChannelMessage", "source": {"in": {"ds-start": ["out"]}}}}`
	create := func(name string, fields map[string]any, description *string) string {
		id, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: name, Definition: json.RawMessage(def), CustomFields: fields, Description: description})
		mustDo(t, err)
		return id
	}
	alpha := create("alpha", map[string]any{"team": "ops", "tier": "gold"}, ptr("the first"))
	mustDo(t, api.StartFlow(ctx, alpha))
	slack := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com"})
	mustDo(t, api.BindAccount(ctx, "ds-slack", slack))
	create("beta", map[string]any{"team": "dev"}, nil)
	create("twin", nil, nil)
	create("twin", nil, nil)
	// More than one page of the server's default size of 100.
	for i := range 101 {
		create(fmt.Sprintf("bulk-%03d", i), map[string]any{"batch": "b1"}, nil)
	}
	const ds = "data.appmixer_flow.by_id"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// The failing look-ups come first: the last step's configuration is the one destroyed.
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, "") + `
data "appmixer_flow" "missing" {
  name = "gamma"
}
`,
				ExpectError: regexp.MustCompile(`(?s)No matching Appmixer flow.*"gamma".*"alpha"`),
			},
			{
				Config: providerBlock(srv, "") + `
data "appmixer_flow" "twins" {
  name = "twin"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Several matching Appmixer flows.*2 flows are named "twin"`),
			},
			{
				Config: providerBlock(srv, "") + `
data "appmixer_flow" "both" {
  id   = "x"
  name = "twin"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{
				Config: providerBlock(srv, "") + fmt.Sprintf(`
data "appmixer_flow" "by_id" {
  id = %q
}
data "appmixer_flow" "by_name" {
  name = "beta"
}
data "appmixer_flows" "bulk" {
  pattern = "bulk-"
}
data "appmixer_flows" "running" {
  stage = "running"
}
data "appmixer_flows" "ops" {
  custom_fields = { team = "ops" }
}
data "appmixer_flows" "none" {
  custom_fields = { team = "ops", tier = "silver" }
}
# Promotion: another tenant would use another provider configuration.
resource "appmixer_flow" "copy" {
  name       = "alpha copy"
  definition = data.appmixer_flow.by_id.definition
}
`, alpha),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("name"), knownvalue.StringExact("alpha")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("description"), knownvalue.StringExact("the first")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("stage"), knownvalue.StringExact("running")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("user_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("updated_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("custom_fields"), knownvalue.MapExact(map[string]knownvalue.Check{
						"team": knownvalue.StringExact("ops"), "tier": knownvalue.StringExact("gold"),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts"), knownvalue.MapExact(map[string]knownvalue.Check{
						"ds-slack": knownvalue.StringExact(slack),
					})),
					// OnStart takes no account, so only the Slack component is listed.
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("account_services"), knownvalue.MapExact(map[string]knownvalue.Check{
						"ds-slack": knownvalue.StringExact("appmixer:slack"),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("definition"), knownvalue.StringRegexp(
						regexp.MustCompile(`^\{"ds-slack":\{"source":\{"in":\{"ds-start":\["out"\]\}\},"type":"appmixer.slack.list.SendChannelMessage","version":"1.2.3"\},"ds-start":\{.*\}\}$`))),
					statecheck.ExpectKnownValue("data.appmixer_flow.by_name", tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.appmixer_flow.by_name", tfjsonpath.New("stage"), knownvalue.StringExact("stopped")),
					statecheck.ExpectKnownValue("data.appmixer_flows.bulk", tfjsonpath.New("flows"), knownvalue.ListSizeExact(101)),
					statecheck.ExpectKnownValue("data.appmixer_flows.bulk", tfjsonpath.New("flows").AtSliceIndex(100).AtMapKey("name"), knownvalue.StringExact("bulk-100")),
					statecheck.ExpectKnownValue("data.appmixer_flows.running", tfjsonpath.New("flows"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(alpha), "stage": knownvalue.StringExact("running")}),
					})),
					statecheck.ExpectKnownValue("data.appmixer_flows.ops", tfjsonpath.New("flows"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("alpha"), "updated_at": knownvalue.NotNull()}),
					})),
					statecheck.ExpectKnownValue("data.appmixer_flows.none", tfjsonpath.New("flows"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("appmixer_flow.copy", tfjsonpath.New("stage"), knownvalue.StringExact("stopped")),
				},
			},
		},
	})
}
