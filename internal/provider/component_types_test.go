// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// weatherFlowConfig is a flow that uses the Acme Weather connector; withConnector also publishes the
// connector from dir in the same configuration, which the flow depends on.
func weatherFlowConfig(srv *localserver.Running, dir string, withConnector bool, extraType string) string {
	cfg := providerBlock(srv, "")
	dependsOn := ""
	if withConnector {
		cfg += fmt.Sprintf(`
resource "appmixer_component" "weather" {
  name       = "acme.weather"
  source_dir = %q
}
`, dir)
		dependsOn = "depends_on = [appmixer_component.weather]"
	}
	extra := ""
	if extraType != "" {
		extra = fmt.Sprintf(`,
    "c3" = { type = %q, source = { in = { "c2" = ["out"] } } }`, extraType)
	}
	return cfg + fmt.Sprintf(`
resource "appmixer_flow" "forecast" {
  name       = "Forecast"
  definition = jsonencode({
    "c1" = { type = "appmixer.utils.controls.OnStart", source = {} },
    "c2" = { type = "acme.weather.forecast.GetForecast", source = { in = { "c1" = ["out"] } } }%s
  })
  %s
}
`, extra, dependsOn)
}

func TestAccFlowResource_componentTypeCheck(t *testing.T) {
	requireLocal(t, "the example connector acme.weather, whose names cannot carry the tfacc- prefix")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	dir := testfixture.ExampleConnector(t)
	flowCount := func(want int) func() {
		return func() {
			flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
			if err != nil || len(flows) != want {
				t.Fatalf("want %d flows on the server, got %d (%v)", want, len(flows), err)
			}
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// The tenant lacks the connector: nothing is created.
				Config: weatherFlowConfig(srv, dir, false, ""),
				ExpectError: regexp.MustCompile(`(?s)Component type not installed in the tenant.*` + regexp.QuoteMeta(srv.URL) +
					`.*acme\.weather\.forecast\.GetForecast\s+\(component\s+"c2"\)`),
			},
			{
				// Published by the same apply, before the flow that depends on it.
				PreConfig: flowCount(0),
				Config:    weatherFlowConfig(srv, dir, true, ""),
			},
			{
				// A definition change that brings in an unknown type changes nothing on the server.
				Config:      weatherFlowConfig(srv, dir, true, "acme.weather.forecast.NoSuchThing"),
				ExpectError: regexp.MustCompile(`(?s)acme\.weather\.forecast\.NoSuchThing\s+\(component\s+"c3"\)`),
			},
			{
				PreConfig: func() {
					flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
					if err != nil || len(flows) != 1 || strings.Contains(string(flows[0].Definition), "NoSuchThing") {
						t.Fatalf("the flow changed on the server after a refused update: %v %v", flows, err)
					}
				},
				Config: weatherFlowConfig(srv, dir, true, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
