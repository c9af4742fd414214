// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

const integrationNotes = `{"n1": {"x": 40, "y": 40, "width": 240, "height": 120, "content": "# Welcome mail\nSends one mail."}}`

// categorizedIntegration is two categories and the test integration, published, with notes and in
// the categories the expression names (e.g. "[appmixer_integration_category.crm.id]").
func categorizedIntegration(srv *localserver.Running, categories string) string {
	return integrationConfig(srv, integrationV1, fmt.Sprintf("%s\n  force_destroy = true\n  notes = %q\n  categories = %s\n", publishedToAll, integrationNotes, categories)) + `
resource "appmixer_integration_category" "crm" {
  name = "tfacc-CRM"
}

resource "appmixer_integration_category" "other" {
  name        = "tfacc-Other"
  description = "Everything else"
}
`
}

// onDraftAndTemplate checks, on the server, the categories (by resource address) and notes of both
// flows and the template's revision.
func onDraftAndTemplate(api *appmixer.Client, revision int, categoryAddrs ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		want := []string{}
		for _, a := range categoryAddrs {
			want = append(want, stateAttr(s, a, "id"))
		}
		slices.Sort(want)
		for _, attr := range []string{"id", "template_id"} {
			f, err := api.GetFlow(context.Background(), stateAttr(s, integrationAddr, attr))
			if err != nil {
				return err
			}
			got := slices.Sorted(slices.Values(f.Categories))
			if got == nil {
				got = []string{}
			}
			var notes, wantNotes any
			_ = json.Unmarshal(f.Notes, &notes)
			_ = json.Unmarshal([]byte(integrationNotes), &wantNotes)
			if !slices.Equal(got, want) || !reflect.DeepEqual(notes, wantNotes) {
				return fmt.Errorf("%s %s: categories %v and notes %s, want %v and %s", f.Type, f.ID, got, f.Notes, want, integrationNotes)
			}
			if f.Type == appmixer.FlowTypeTemplate && f.Revision != revision {
				return fmt.Errorf("template revision %d, want %d", f.Revision, revision)
			}
		}
		return nil
	}
}

// TestAccIntegration_categoriesAndNotes: an integration in a category, with notes, publishes them to
// the template (categories by a PUT after the clone), round-trips through import, moves between
// categories without a new revision, and shows drift when either is changed by hand on the draft or
// the template, or when its category is deleted.
func TestAccIntegration_categoriesAndNotes(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	inCRM := categorizedIntegration(srv, "[appmixer_integration_category.crm.id]")
	inOther := categorizedIntegration(srv, "[appmixer_integration_category.other.id]")
	var draftID, templateID, otherID string
	remember := func(s *terraform.State) error {
		draftID, templateID = stateAttr(s, integrationAddr, "id"), stateAttr(s, integrationAddr, "template_id")
		otherID = stateAttr(s, "appmixer_integration_category.other", "id")
		return nil
	}
	byHand := func(id *string, in appmixer.FlowInput) func() { // id is read when the step runs
		return func() {
			f, err := api.GetFlow(ctx, *id)
			mustDo(t, err)
			in.Name = f.Name
			mustDo(t, api.UpdateFlow(ctx, *id, in, false))
		}
	}
	drift := func(pre func(), config string, attrs ...string) resource.TestStep {
		return resource.TestStep{PreConfig: pre, Config: config, PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
				expectAttributeChange(integrationAddr, attrs...),
			}}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: inCRM, Check: resource.ComposeTestCheckFunc(remember, onDraftAndTemplate(api, 1, "appmixer_integration_category.crm"))},
			{ResourceName: integrationAddr, ImportState: true, ImportStateVerify: true,
				// The JSON text is the server's normalised spelling; the generated configuration below plans no change.
				ImportStateVerifyIgnore: []string{"definition", "wizard", "notes", "force_destroy"}},
			{ResourceName: integrationAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{
				// Another category: draft and template move, the revision stays and nothing else changes.
				Config: inOther,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectAttributeChange(integrationAddr, "categories"),
				}},
				Check: onDraftAndTemplate(api, 1, "appmixer_integration_category.other"),
			},
			drift(byHand(&draftID, appmixer.FlowInput{Categories: []string{}}), inOther, "categories"),
			{Config: inOther, Check: onDraftAndTemplate(api, 1, "appmixer_integration_category.other")},
			drift(byHand(&templateID, appmixer.FlowInput{Categories: []string{}}), inOther, "categories"),
			{Config: inOther, Check: onDraftAndTemplate(api, 1, "appmixer_integration_category.other")},
			drift(byHand(&draftID, appmixer.FlowInput{Notes: json.RawMessage(`{}`)}), inOther, "notes"),
			// Notes are content: putting them back raises the revision.
			{Config: inOther, Check: onDraftAndTemplate(api, 2, "appmixer_integration_category.other")},
			drift(byHand(&templateID, appmixer.FlowInput{Notes: json.RawMessage(`{"n1": {"x": 0, "y": 0, "content": "edited"}}`)}), inOther, "notes"),
			{Config: inOther, Check: onDraftAndTemplate(api, 3, "appmixer_integration_category.other")},
			{
				// The category deleted by hand: it leaves draft and template, and the plan puts both back.
				PreConfig:          func() { mustDo(t, api.DeleteCategory(ctx, otherID)) },
				Config:             inOther,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_integration_category.other", plancheck.ResourceActionCreate),
					expectAttributeChange(integrationAddr, "categories"),
				}},
			},
			{Config: inOther, Check: onDraftAndTemplate(api, 3, "appmixer_integration_category.other")},
			{Config: inOther, PlanOnly: true},
			{Config: integrationConfig(srv, integrationV1, publishedToAll+"\n  force_destroy = true\n"), Check: func(s *terraform.State) error {
				for _, id := range []string{draftID, templateID} {
					f, err := api.GetFlow(ctx, id)
					if err != nil {
						return err
					}
					if len(f.Categories) != 0 || !wizardEmpty(f.Notes) {
						return fmt.Errorf("%s: categories %v, notes %s after they were left out, want none", id, f.Categories, f.Notes)
					}
				}
				return nil
			}},
		},
	})
}
