// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccIntegrationCategoryList_query: `terraform query` adopts the categories built by hand, and an
// integration listed with include_resource carries its categories and notes, as its import would.
func TestAccIntegrationCategoryList_query(t *testing.T) {
	requireLocal(t, "a tenant holding only what the test makes, whose lists are checked whole")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	sales, err := api.CreateCategory(ctx, "Sales", "Closing deals")
	mustDo(t, err)
	crm, err := api.CreateCategory(ctx, "CRM", "")
	mustDo(t, err)
	draft, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Lead sync", Type: appmixer.FlowTypeDraft,
		Definition: json.RawMessage(`{"s": {"type": "appmixer.utils.controls.OnStart", "source": {}}}`),
		Notes:      json.RawMessage(`{"n1": {"x": 1, "y": 2, "content": "hand-made"}}`), Categories: []string{crm, sales}})
	mustDo(t, err)

	checks := identities("appmixer_integration_category.all", "id", crm, sales)
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_integration_category.all", byID(sales), knownvalue.StringExact("Sales")),
		resultHas("appmixer_integration_category.all", byID(sales), map[string]knownvalue.Check{
			"name": knownvalue.StringExact("Sales"), "description": knownvalue.StringExact("Closing deals"),
		}),
		resultHas("appmixer_integration_category.all", byID(crm), map[string]knownvalue.Check{
			"name": knownvalue.StringExact("CRM"), "description": knownvalue.StringExact(""),
		}),
		resultHas("appmixer_integration.all", byID(draft), map[string]knownvalue.Check{
			"categories": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(crm), knownvalue.StringExact(sales)}),
			"notes":      knownvalue.StringExact(`{"n1":{"content":"hand-made","x":1,"y":2}}`),
		}),
	)
	queryTest(t, srv, `
list "appmixer_integration_category" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_integration" "all" {
  provider         = appmixer
  include_resource = true
}
`, checks...)
}
