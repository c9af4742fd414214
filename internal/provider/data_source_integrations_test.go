// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccIntegrationDataSources reads what a promotion needs of a tenant: its integrations with their
// templates and instance counts, the Appmixer version and the connector bundles, and flows by type.
func TestAccIntegrationDataSources(t *testing.T) {
	// The customers' instances are listed through the local-only switch that shows the admin every flow.
	srv := startServer(t, localserver.Options{Version: "6.2.2", AdminSeesAllFlows: true})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	_, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "plain", Definition: json.RawMessage(`{"s": {"type": "appmixer.utils.controls.OnStart"}}`)})
	mustDo(t, err)
	resources := providerBlock(srv, "") + `
resource "appmixer_integration" "published" {
  name          = "Orders to mail"
  definition    = jsonencode({ s = { type = "appmixer.utils.controls.OnStart" } })
  shared_with   = [{ domain = "shop.example", permissions = ["read", "start"] }]
  force_destroy = true
}
resource "appmixer_integration" "draft" {
  name       = "Orders draft"
  definition = jsonencode({ s = { type = "appmixer.utils.controls.OnStart" } })
}
`
	reads := resources + `
data "appmixer_integrations" "orders" {
  pattern = "Orders"
}
data "appmixer_system" "this" {}
data "appmixer_bundles" "this" {}
data "appmixer_flows" "drafts" {
  type = "integration-draft"
}
data "appmixer_flows" "plain" {
  type = "automation"
}
data "appmixer_integration_instances" "by_template" {
  template_id = appmixer_integration.published.template_id
}
`
	list := tfjsonpath.New("integrations")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: resources,
				Check: func(s *terraform.State) error {
					addInstances(t, srv, stateAttr(s, "appmixer_integration.published", "template_id"), 2)
					return nil
				},
			},
			{
				Config: reads,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.appmixer_integrations.orders", list, knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.NotNull(), "name": knownvalue.StringExact("Orders draft"), "template_id": knownvalue.Null(),
							"published": knownvalue.Bool(false), "instance_count": knownvalue.Int64Exact(0),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.NotNull(), "name": knownvalue.StringExact("Orders to mail"), "template_id": knownvalue.NotNull(),
							"published": knownvalue.Bool(true), "instance_count": knownvalue.Int64Exact(2),
						}),
					})),
					statecheck.CompareValuePairs("data.appmixer_integrations.orders", list.AtSliceIndex(1).AtMapKey("template_id"),
						"appmixer_integration.published", tfjsonpath.New("template_id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.appmixer_system.this", tfjsonpath.New("version"), knownvalue.StringExact("6.2.2")),
					statecheck.ExpectKnownValue("data.appmixer_bundles.this", tfjsonpath.New("versions"), knownvalue.MapPartial(map[string]knownvalue.Check{
						"appmixer.utils.controls": knownvalue.StringExact("1.1.0"), "appmixer.slack.list": knownvalue.StringExact("1.2.3"),
					})),
					statecheck.ExpectKnownValue("data.appmixer_bundles.this", tfjsonpath.New("bundles").AtSliceIndex(0),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact("appmixer.google.gmail"), "version": knownvalue.StringExact("1.0.1")})),
					statecheck.ExpectKnownValue("data.appmixer_flows.drafts", tfjsonpath.New("flows"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.appmixer_flows.drafts", tfjsonpath.New("flows").AtSliceIndex(0).AtMapKey("type"), knownvalue.StringExact("integration-draft")),
					statecheck.ExpectKnownValue("data.appmixer_flows.plain", tfjsonpath.New("flows"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("plain"), "type": knownvalue.StringExact("automation")}),
					})),
					statecheck.ExpectKnownValue("data.appmixer_integration_instances.by_template", tfjsonpath.New("instance_count"), knownvalue.Int64Exact(2)),
					statecheck.CompareValuePairs("data.appmixer_integration_instances.by_template", tfjsonpath.New("integration_id"),
						"appmixer_integration.published", tfjsonpath.New("id"), compare.ValuesSame()),
				},
			},
		},
	})
}

// TestAccFlowResource_refusesIntegrations: appmixer_flow will not adopt a draft, and says what will.
func TestAccFlowResource_refusesIntegrations(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	mustDo(t, api.UpdateFlow(context.Background(), "a-draft", appmixer.FlowInput{Name: "d", Type: appmixer.FlowTypeDraft,
		Definition: json.RawMessage(`{"s": {"type": "appmixer.utils.controls.OnStart"}}`)}, false))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv, "") + `
import {
  to = appmixer_flow.adopted
  id = "a-draft"
}
resource "appmixer_flow" "adopted" {
  name       = "d"
  definition = jsonencode({ s = { type = "appmixer.utils.controls.OnStart" } })
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`flow a-draft is an integration-draft: appmixer_flow manages plain flows[\s\S]*appmixer_integration`),
		}},
	})
}
