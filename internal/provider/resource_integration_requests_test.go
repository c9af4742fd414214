// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// integrationsAtScale is how many integrations the request-count test plans.
const integrationsAtScale = 50

// TestAccIntegration_planRequests counts what a plan of 50 unchanged, published integrations with two
// instances each costs: at most 2 requests per integration plus a constant is the target; the drafts
// and templates come from the batched flow listing and the instance counts from one listing of the
// instances, so the plan costs a constant number of requests.
func TestAccIntegration_planRequests(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	config := providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_integration" "many" {
  count       = %d
  name        = "Integration ${count.index}"
  definition  = %q
  wizard      = %q
  shared_with = [{ scope = "user" }]
  force_destroy = true
}
`, integrationsAtScale, integrationV1, integrationWizard)
	var stats localserver.Stats
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					addInstancesToAll(t, srv, s, 2)
					return nil
				},
			},
			{
				PreConfig: srv.ResetStats,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					statsCheck{srv: srv, out: &stats},
				}},
			},
		},
	})
	routes := make([]string, 0, len(stats.Requests))
	for r, n := range stats.Requests {
		routes = append(routes, fmt.Sprintf("%s: %d", r, n))
	}
	sort.Strings(routes)
	t.Logf("no-change plan of %d integrations: %d requests (%s)", integrationsAtScale, stats.Total, strings.Join(routes, ", "))
	if limit := 2*integrationsAtScale + 10; stats.Total > limit {
		t.Errorf("a no-change plan of %d integrations took %d requests, more than %d", integrationsAtScale, stats.Total, limit)
	}
	if perIntegration := stats.Requests["GET /flows/{id}"] + stats.Requests["GET /flows/count"]; perIntegration > 10 {
		t.Errorf("the refresh was not batched: %v", stats.Requests)
	}
}

// addInstancesToAll gives every integration in s n instances, each of a different end user.
func addInstancesToAll(t *testing.T, srv *localserver.Running, s *terraform.State, n int) {
	t.Helper()
	ctx := context.Background()
	admin := apiClient(t, srv, appmixer.DialectAppmixer)
	for i := range n {
		name := fmt.Sprintf("buyer-%d@shop.example", i)
		_, err := admin.CreateUser(ctx, appmixer.NewUser{Username: name, Email: name, Password: "buyer-pw"})
		mustDo(t, err)
		c, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: name, Password: "buyer-pw", Dialect: appmixer.DialectAppmixer})
		mustDo(t, err)
		for _, rs := range s.RootModule().Resources {
			if rs.Type == "appmixer_integration" {
				_, err := c.CreateIntegrationInstance(ctx, rs.Primary.Attributes["template_id"])
				mustDo(t, err)
			}
		}
	}
}

// statsCheck copies the server's request counts when the plan is checked.
type statsCheck struct {
	srv *localserver.Running
	out *localserver.Stats
}

func (c statsCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, _ *plancheck.CheckPlanResponse) {
	*c.out = c.srv.Stats()
}
