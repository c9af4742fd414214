// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccAccount_serverOwnedAttributes: an account configured without display_name keeps the name
// someone gave it in the Appmixer UI (no plan to clear it), and since Appmixer may revoke an account at
// any time, an update never promises that revoked stays what the last refresh saw.
func TestAccAccount_serverOwnedAttributes(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	config := func(displayName string) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_service_config" "slack" {
  service_id = "appmixer:slack"
  values     = jsonencode({ clientId = "cid" })
}

resource "appmixer_account" "bot" {
  service          = appmixer_service_config.slack.service_id
  name             = "bot"
  token_wo         = jsonencode({ accessToken = "tok", scope = ["chat:write"] })
  token_wo_version = 1
  %s
}
`, displayName)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config("")},
			{
				// Named in the UI: the configuration does not say otherwise, so there is nothing to change.
				PreConfig: func() {
					mustDo(t, api.SetAccountDisplayName(context.Background(), onlyAccount(t, api).ID, "Named in the UI"))
				},
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Named in the UI")),
				},
			},
			{
				Config: config(`display_name = "Ops bot"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(accountAddr, tfjsonpath.New("revoked")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Ops bot")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("revoked"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
