// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccFlowResource_sharingOrder: the order of sharedWith means nothing to Appmixer; a server that
// returns the configured entries in another order (someone re-saved the sharing in the UI) is no drift.
func TestAccFlowResource_sharingOrder(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const addr = "appmixer_flow.test"
	def := fmt.Sprintf("%q", `{"s": {"type": "appmixer.utils.controls.OnStart"}}`)
	config := flowResourceConfig(srv, "", "  name = \"shared\"\n  definition = "+def+"\n"+
		`  shared_with = [{ domain = "partner.example", permissions = ["start", "read"] }, { email = "ops@shop.example" }]`)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { id = stateAttr(s, addr, "id"); return nil }},
			{
				PreConfig: func() {
					mustDo(t, api.UpdateFlow(context.Background(), id, appmixer.FlowInput{Name: "shared", SharedWith: []appmixer.Share{
						{Email: "ops@shop.example", Permissions: []string{"read"}},
						{Domain: "partner.example", Permissions: []string{"start", "read"}},
					}}, false))
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
