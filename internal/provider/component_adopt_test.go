// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestAccComponent_adopted: a connector published by hand and adopted with an import block is not
// published again while the configured source holds what the server serves back; the first edit of
// the source publishes it. An import sets source_dir to connectors/<vendor>/<service>, where the
// configuration -generate-config-out writes expects the source.
func TestAccComponent_adopted(t *testing.T) {
	requireLocal(t, "the example connector acme.weather, whose names cannot carry the tfacc- prefix, and request counts")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	dir := testfixture.ExampleConnector(t)
	pkg, _, err := connector.PackDir(dir, "acme.weather")
	mustDo(t, err)
	publishByHand(t, api, "acme.weather", pkg.Zip)
	const addr = "appmixer_component.weather"
	config := componentConfig(srv, "", "acme.weather", "source_dir", dir) + `
import {
  to = appmixer_component.weather
  id = "acme.weather"
}
`
	published := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := srv.Stats().Requests["POST /components"]; got != want {
				return fmt.Errorf("POST /components sent %d times, want %d", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetStats,
				Config:    config,
				// The import's source_dir differs from the configured one: an update in place that publishes nothing.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("components"), weatherComponents),
				},
				Check: published(0),
			},
			{
				// Edited, with a new version (the published one is frozen): published from the source, which is
				// then recorded.
				PreConfig: func() {
					testfixture.WriteFile(t, filepath.Join(dir, "forecast/GetForecast/component.js"), "module.exports = { receive() {} };\n")
					testfixture.WriteFile(t, filepath.Join(dir, "bundle.json"), `{"name":"acme.weather","version":"1.0.1"}`)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("manifest_hash")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.NotNull()),
				},
				Check: published(1),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateId: "acme.weather",
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if got := states[0].Attributes["source_dir"]; got != "connectors/acme/weather" {
						return fmt.Errorf("an import sets source_dir %q, want connectors/acme/weather", got)
					}
					return nil
				},
			},
		},
	})
}
