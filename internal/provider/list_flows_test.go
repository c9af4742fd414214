// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// Gates of the tests of Terraform 1.14's list resources and actions; OpenTofu 1.12 has neither.
var (
	needsQuery   = needsTerraform("1.14.0", "list resources and terraform query", false)
	needsActions = needsTerraform("1.14.0", "actions", false)
)

// queryTest runs the list blocks of query (a .tfquery.hcl) against srv and checks the results.
// terraform query needs a configuration beside the query file: the first step's provider block.
// Every list block is answered from listings: the server must see no read of a single object.
func queryTest(t *testing.T, srv *localserver.Running, query string, checks ...querycheck.QueryResultCheck) {
	t.Helper()
	srv.ResetStats()
	defer func() {
		for route, n := range srv.Stats().Requests {
			if strings.HasPrefix(route, "GET ") && strings.Contains(route, "{") {
				t.Errorf("the query read single objects: %d× %s", n, route)
			}
		}
	}()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   needsQuery,
		Steps: []resource.TestStep{
			{Config: providerBlock(srv, "")},
			{Query: true, Config: query, QueryResultChecks: checks},
		},
	})
}

// byID selects the list result whose identity's id is id.
func byID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

// resultHas checks top-level attributes of the resource of the result filter selects.
func resultHas(addr string, filter queryfilter.QueryFilter, values map[string]knownvalue.Check) querycheck.QueryResultCheck {
	checks := make([]querycheck.KnownValueCheck, 0, len(values))
	for _, attr := range sortedKeys(values) {
		checks = append(checks, querycheck.KnownValueCheck{Path: tfjsonpath.New(attr), KnownValue: values[attr]})
	}
	return querycheck.ExpectResourceKnownValues(addr, filter, checks)
}

// identities expects exactly the results of addr to have these ids.
func identities(addr, attr string, ids ...string) []querycheck.QueryResultCheck {
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength(addr, len(ids))}
	for _, id := range ids {
		checks = append(checks, querycheck.ExpectIdentity(addr, map[string]knownvalue.Check{attr: knownvalue.StringExact(id)}))
	}
	return checks
}

// TestAccFlowList_query: the list shows the provider's user's plain flows only, never the drafts,
// templates and instances of an integration nor another user's flow shared with it, and its filters
// select by stage, custom field and name. Each result is the flow an import would produce.
func TestAccFlowList_query(t *testing.T) {
	requireLocal(t, "a tenant holding only what the test makes, whose list is checked whole")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	create := func(c *appmixer.Client, name string, fields map[string]any) string {
		id, err := c.CreateFlow(ctx, appmixer.FlowInput{Name: name, Definition: json.RawMessage(flowV2), CustomFields: fields})
		mustDo(t, err)
		return id
	}
	orders := create(api, "orders", map[string]any{"team": "sales"})
	mustDo(t, api.StartFlow(ctx, orders))
	nightly := create(api, "nightly report", map[string]any{"team": "ops"})
	archive := create(api, "orders archive", nil)
	// An integration with an end user's instance, and another user's flow shared with the admin.
	draft, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "orders integration", Type: appmixer.FlowTypeDraft, Definition: json.RawMessage(integrationV1)})
	mustDo(t, err)
	template, err := api.PublishIntegration(ctx, draft, []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})
	mustDo(t, err)
	users := addInstances(t, srv, template, 1)
	_, err = users[0].api.CreateFlow(ctx, appmixer.FlowInput{Name: "orders of a customer", Definition: json.RawMessage(flowV2),
		SharedWith: []appmixer.Share{{Email: srv.AdminUsername(), Permissions: []string{"read"}}}})
	mustDo(t, err)

	checks := identities("appmixer_flow.all", "id", orders, nightly, archive)
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_flow.all", byID(orders), knownvalue.StringExact("orders")),
		resultHas("appmixer_flow.all", byID(orders), map[string]knownvalue.Check{
			"name":          knownvalue.StringExact("orders"),
			"stage":         knownvalue.StringExact("running"),
			"custom_fields": knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("sales")}),
			// As after an import: bindings unmanaged, the provider-only setting at its default.
			"accounts":      knownvalue.Null(),
			"ignore_layout": knownvalue.Bool(false),
			"definition":    knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(`"to":"audit@example.com"`))),
		}),
	)
	checks = append(checks, identities("appmixer_flow.running", "id", orders)...)
	checks = append(checks, identities("appmixer_flow.stopped", "id", nightly, archive)...)
	checks = append(checks, identities("appmixer_flow.ops", "id", nightly)...)
	checks = append(checks, identities("appmixer_flow.named", "id", orders, archive)...)
	queryTest(t, srv, `
list "appmixer_flow" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_flow" "running" {
  provider = appmixer
  config { stage = "running" }
}
list "appmixer_flow" "stopped" {
  provider = appmixer
  config { stage = "stopped" }
}
list "appmixer_flow" "ops" {
  provider = appmixer
  config { custom_fields = { team = "ops" } }
}
list "appmixer_flow" "named" {
  provider = appmixer
  config { pattern = "orders" }
}
`, checks...)
}

// TestAccIntegrationList_query: one result per draft, with its template and the count of the
// instances end users made, never the template or the instances themselves.
func TestAccIntegrationList_query(t *testing.T) {
	requireLocal(t, "a tenant holding only what the test makes, whose list is checked whole")
	// The customers' instances are counted through the admin, which real Appmixer does not show it.
	srv := startServer(t, localserver.Options{AdminSeesAllFlows: true})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	draft, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Welcome mail", Type: appmixer.FlowTypeDraft,
		Definition: json.RawMessage(integrationV1), Wizard: json.RawMessage(integrationWizard)})
	mustDo(t, err)
	template, err := api.PublishIntegration(ctx, draft, []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})
	mustDo(t, err)
	addInstances(t, srv, template, 2)
	unpublished, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Draft only", Type: appmixer.FlowTypeDraft, Definition: json.RawMessage(integrationV1)})
	mustDo(t, err)

	checks := identities("appmixer_integration.all", "id", draft, unpublished)
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_integration.all", byID(draft), knownvalue.StringExact("Welcome mail")),
		resultHas("appmixer_integration.all", byID(draft), map[string]knownvalue.Check{
			"template_id":      knownvalue.StringExact(template),
			"instance_count":   knownvalue.Int64Exact(2),
			"shared_with":      knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{"scope": knownvalue.StringExact("user")})}),
			"instance_update":  knownvalue.StringExact("none"),
			"in_progress_data": knownvalue.StringExact("keep"),
			"force_destroy":    knownvalue.Bool(false),
		}),
		resultHas("appmixer_integration.all", byID(unpublished), map[string]knownvalue.Check{
			"template_id":    knownvalue.Null(),
			"instance_count": knownvalue.Int64Exact(0),
		}),
	)
	checks = append(checks, identities("appmixer_integration.welcome", "id", draft)...)
	queryTest(t, srv, `
list "appmixer_integration" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_integration" "welcome" {
  provider = appmixer
  config { pattern = "Welcome" }
}
`, checks...)
}
