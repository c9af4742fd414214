package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func TestAccAppsDataSource(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, "") + `
data "appmixer_apps" "all" {}
data "appmixer_apps" "slack" {
  name_prefix = "appmixer.slack"
}
data "appmixer_apps" "utilities" {
  category = "utilities"
}
data "appmixer_apps" "none" {
  category = "no-such-category"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.appmixer_apps.slack", tfjsonpath.New("apps"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"name":     knownvalue.StringExact("appmixer.slack.list"),
							"category": knownvalue.StringExact("applications"),
							"label":    knownvalue.NotNull(),
						}),
					})),
					statecheck.ExpectKnownValue("data.appmixer_apps.utilities", tfjsonpath.New("apps"), knownvalue.ListPartial(map[int]knownvalue.Check{
						0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"category": knownvalue.StringExact("utilities")}),
					})),
					statecheck.ExpectKnownValue("data.appmixer_apps.none", tfjsonpath.New("apps"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
