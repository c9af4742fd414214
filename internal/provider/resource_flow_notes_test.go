// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccFlowResource_notes manages a flow's notes: set, changed by hand (drift), compared
// semantically, carried by import, left alone when the attribute is left out, removed with {}; the
// contract dialect refuses them at plan time.
func TestAccFlowResource_notes(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	contract := startContractServer(t)
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	const addr = "appmixer_flow.test"
	def := fmt.Sprintf("%q", `{"s": {"type": "appmixer.utils.controls.OnStart"}}`)
	config := func(notes string) string {
		return flowResourceConfig(srv, "", "  name = \"noted\"\n  definition = "+def+"\n"+notes)
	}
	noted := "  notes = jsonencode({ n1 = { x = 10, y = 20, content = \"**Hi**\" } })\n"
	serverNotes := func(want string) resource.TestCheckFunc {
		return checkServerFlow(api, addr, func(f *appmixer.Flow) error {
			var got, exp any
			_ = json.Unmarshal(f.Notes, &got)
			_ = json.Unmarshal([]byte(want), &exp)
			if fmt.Sprint(got) != fmt.Sprint(exp) {
				return fmt.Errorf("notes %s, want %s", f.Notes, want)
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
				Config: providerBlock(contract, `api_dialect = "contract"`) +
					"resource \"appmixer_flow\" \"x\" {\n  name = \"x\"\n  definition = " + def + "\n" + noted + "}\n",
				PlanOnly:    true,
				ExpectError: wrappedText(`notes is not supported by the contract API dialect`),
			},
			{
				Config: config(noted),
				Check: resource.ComposeTestCheckFunc(serverNotes(`{"n1": {"x": 10, "y": 20, "content": "**Hi**"}}`),
					func(s *terraform.State) error { id = stateAttr(s, addr, "id"); return nil }),
			},
			// The same notes spelt otherwise: the apply writes them, the refresh after it shows no drift.
			{Config: config("  notes = \"{\\\"n1\\\": {\\\"content\\\": \\\"**Hi**\\\", \\\"y\\\": 20.0, \\\"x\\\": 10}}\"\n")},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{
				// Changed in the Designer: the plan shows it and the apply puts it back.
				PreConfig: func() {
					mustDo(t, api.UpdateFlow(ctx, id, appmixer.FlowInput{Name: "noted", Notes: json.RawMessage(`{"n1": {"content": "edited"}}`)}, false))
				},
				Config: config(noted),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectAttributeChange(addr, "notes"),
				}},
				Check: serverNotes(`{"n1": {"x": 10, "y": 20, "content": "**Hi**"}}`),
			},
			{
				// Left out: no longer managed (state forgets them), and the server's notes stay.
				Config: config(""),
				Check:  serverNotes(`{"n1": {"x": 10, "y": 20, "content": "**Hi**"}}`),
			},
			{Config: config("  notes = jsonencode({})\n"), Check: serverNotes(`{}`)},
		},
	})
}
