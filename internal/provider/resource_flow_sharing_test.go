// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccFlowResource_sharing manages a flow's sharedWith: set, changed by hand (drift), unshared with
// [], left unmanaged when the attribute is left out, and carried by import.
func TestAccFlowResource_sharing(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	const addr = "appmixer_flow.test"
	def := fmt.Sprintf("%q", `{"s": {"type": "appmixer.utils.controls.OnStart"}}`)
	config := func(sharing string) string {
		return flowResourceConfig(srv, "", "  name = \"shared\"\n  definition = "+def+"\n"+sharing)
	}
	partners := `  shared_with = [{ domain = "partner.example", permissions = ["start", "read"] }, { email = "ops@shop.example" }]`
	serverShares := func(want []appmixer.Share) resource.TestCheckFunc {
		return checkServerFlow(api, addr, func(f *appmixer.Flow) error {
			if !reflect.DeepEqual(f.SharedWith, want) {
				return fmt.Errorf("sharedWith %+v, want %+v", f.SharedWith, want)
			}
			return nil
		})
	}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{
				Config: config(partners),
				Check: resource.ComposeTestCheckFunc(serverShares([]appmixer.Share{
					{Domain: "partner.example", Permissions: []string{"read", "start"}}, {Email: "ops@shop.example", Permissions: []string{"read"}},
				}), func(s *terraform.State) error { id = stateAttr(s, addr, "id"); return nil }),
			},
			{
				// Changed in Appmixer: the plan shows it and the apply puts it back.
				PreConfig: func() {
					mustDo(t, api.UpdateFlow(ctx, id, appmixer.FlowInput{Name: "shared", SharedWith: []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}}}, false))
				},
				Config: config(partners),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectAttributeChange(addr, "shared_with"),
				}},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				Config: config("  shared_with = []"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("shared_with"), knownvalue.ListSizeExact(0)),
				},
				Check: serverShares([]appmixer.Share{}),
			},
			{
				// Left out: not managed, whatever the server holds.
				PreConfig: func() {
					mustDo(t, api.UpdateFlow(ctx, id, appmixer.FlowInput{Name: "shared", SharedWith: []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}}}, false))
				},
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("shared_with"), knownvalue.Null()),
				},
				Check: serverShares([]appmixer.Share{{Scope: "user", Permissions: []string{"read"}}}),
			},
			{Config: config(""), PlanOnly: true},
		},
	})
}
