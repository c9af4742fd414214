// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func TestAccBadInput_integrations(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	const def = `jsonencode({ start = { type = "appmixer.utils.controls.OnStart" }, mail = { type = "appmixer.utils.email.SendEmail", source = { in = { start = ["out"] } } } })`
	integration := func(body string) string {
		return providerBlock(srv, "") + "resource \"appmixer_integration\" \"bad\" {\n  name = \"i\"\n  definition = " + def + "\n" + body + "\n}\n"
	}
	data := func(kind, body string) string {
		return providerBlock(srv, "") + "data \"" + kind + "\" \"bad\" {\n" + body + "\n}\n"
	}
	wizard := func(source string) string {
		return fmt.Sprintf("wizard = jsonencode({ fields = [{ type = \"inspectorField\", label = \"To\", source = %q }] })", source)
	}
	runBadInputs(t, []badInput{
		{name: "shared_with entry of two kinds", config: integration(`shared_with = [{ scope = "user", email = "a@b.example" }]`),
			want: []string{"Invalid shared_with entry", "shared_with[0] must name exactly one of scope, domain, email or user_id", "it sets scope and email"}},
		{name: "shared_with entry of no kind", config: integration(`shared_with = [{ scope = "user" }, { permissions = ["read"] }]`),
			want: []string{"Invalid shared_with entry", "shared_with[1] must name exactly one of", "it sets none"}},
		{name: "unknown permission", config: integration(`shared_with = [{ domain = "acme.example", permissions = ["read", "write"] }]`),
			want: []string{"permissions", `value must be one of: ["read" "start" "stop"], got: "write"`}},
		{name: "no permissions", config: integration(`shared_with = [{ domain = "acme.example", permissions = [] }]`),
			want: []string{"permissions set must contain at least 1 elements"}},
		{name: "empty email", config: integration(`shared_with = [{ email = "" }]`),
			want: []string{"email string length must be at least 1"}},
		{name: "wizard names a missing component", config: integration(wizard("ghost.config.properties.to")),
			want: []string{"Wizard names a missing component", `Wizard field 0 ("To") has source "ghost.config.properties.to"`, `names component "ghost"`, "its components: mail, start"}},
		{name: "wizard names a missing upstream component", config: integration(wizard("mail.config.transform.in.nowhere.out.lambda.to")),
			want: []string{"Wizard names a missing component", `names component "nowhere"`}},
		{name: "wizard not an object", config: integration(`wizard = jsonencode([1])`),
			want: []string{"Invalid JSON", "wizard must be a JSON object, got an array"}},
		{name: "invalid in_progress_data", config: integration(`in_progress_data = "drop"`),
			want: []string{"in_progress_data value must be one of", `"keep"`, `"delete"`, `got: "drop"`}},
		{name: "invalid instance_update", config: integration(`instance_update = "always"`),
			want: []string{"instance_update value must be one of", `"none"`, `"on_change"`}},
		{name: "definition without a type", config: providerBlock(srv, "") + `resource "appmixer_integration" "bad" {
  name       = "i"
  definition = jsonencode({ a = { label = "A" } })
}`,
			want: []string{"Invalid flow definition", `Component "a" has no "type"`}},
		{name: "empty name", config: providerBlock(srv, "") + `resource "appmixer_integration" "bad" {
  name       = ""
  definition = jsonencode({ a = { type = "appmixer.utils.controls.OnStart" } })
}`,
			want: []string{"name string length must be at least 1"}},
		{name: "instances: neither id", config: data("appmixer_integration_instances", ``),
			want: []string{"Exactly one of these attributes must be configured: [integration_id,template_id]"}},
		{name: "instances: both ids", config: data("appmixer_integration_instances", `integration_id = "a"`+"\n"+`template_id = "b"`),
			want: []string{"Invalid Attribute Combination", "[integration_id,template_id]"}},
		{name: "flows data source: unknown type", config: data("appmixer_flows", `type = "template"`),
			want: []string{"type value must be one of", `"integration-template"`}},
		{name: "component type not installed", atApply: true, config: providerBlock(srv, "") + `resource "appmixer_integration" "bad" {
  name       = "i"
  definition = jsonencode({ a = { type = "acme.nothing.here.Widget" } })
}`,
			want: []string{"Component type not installed in the tenant", "acme.nothing.here.Widget"}},
	})
}

// TestAccIntegration_contractDialect: integrations and the data sources of the real API are refused at
// plan time in the contract dialect, before anything is sent.
func TestAccIntegration_contractDialect(t *testing.T) {
	srv := startContractServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, `api_dialect = "contract"`) + `
resource "appmixer_integration" "test" {
  name       = "i"
  definition = jsonencode({ a = { type = "appmixer.utils.controls.OnStart" } })
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`appmixer_integration is not available in the contract API dialect`),
			},
			{
				Config: providerBlock(srv, `api_dialect = "contract"`) + `
resource "appmixer_flow" "test" {
  name        = "f"
  definition  = jsonencode({ a = { type = "appmixer.utils.controls.OnStart" } })
  shared_with = [{ scope = "user" }]
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Sharing not supported[\s\S]*shared_with is not supported by the contract API\s+dialect`),
			},
		},
	})
}
