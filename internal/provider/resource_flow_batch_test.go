// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// batchedProviders serve a provider that lists flows from the first Read on, in pages of one flow, so
// that the acceptance tests' few flows take the batched path, paging included.
var batchedProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"appmixer": providerserver.NewProtocol6WithError(&appmixerProvider{version: "test", batch: &appmixer.BatchPolicy{
		SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 1, Concurrency: 2, MaxAge: time.Hour,
	}}),
}

// TestAccFlowResource_driftBatched detects every kind of drift of the drift test from the listing.
func TestAccFlowResource_driftBatched(t *testing.T) {
	requireLocal(t, "request statistics and an upgraded built-in component")
	srv := startServer(t, localserver.Options{})
	testFlowDrift(t, srv, batchedProviders, expectReadPath(srv, true))
}

// expectReadPath checks which requests refreshed the flows since srv's stats were last reset: the
// listing without a single GET /flows/{id}, or single reads without a count or listing.
func expectReadPath(srv *localserver.Running, batched bool) plancheck.PlanCheck {
	return readPathCheck{srv: srv, batched: batched}
}

type readPathCheck struct {
	srv     *localserver.Running
	batched bool
}

func (c readPathCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	r := c.srv.Stats().Requests
	list, count, single := r["GET /flows"], r["GET /flows/count"], r["GET /flows/{id}"]
	if c.batched && (list == 0 || count == 0 || single != 0) || !c.batched && (list != 0 || count != 0 || single == 0) {
		resp.Error = fmt.Errorf("refresh took the wrong path (batched = %v): requests %v", c.batched, r)
	}
}

// TestAccFlowResource_batchRefreshOff plans three flows, enough for the default policy to count and
// list them, once with batched refresh on and once with batch_refresh = false, which reads them singly.
func TestAccFlowResource_batchRefreshOff(t *testing.T) {
	requireLocal(t, "request statistics (Stats)")
	srv := startServer(t, localserver.Options{})
	config := func(extra string) string {
		return providerBlock(srv, extra) + `
resource "appmixer_flow" "test" {
  count      = 3
  name       = "tfacc-batch-${count.index}"
  definition = jsonencode({ start = { type = "appmixer.utils.controls.OnStart" } })
}
`
	}
	planStep := func(extra string, want map[string]int) resource.TestStep {
		return resource.TestStep{
			PreConfig: srv.ResetStats,
			Config:    config(extra),
			PlanOnly:  true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(), expectRequests(srv, want),
			}},
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(apiClient(t, srv, appmixer.DialectAppmixer)),
		Steps: []resource.TestStep{
			{Config: config("")},
			// Two single reads, then the count and one page (DefaultBatchPolicy).
			planStep("", map[string]int{"GET /flows/{id}": 2, "GET /flows/count": 1, "GET /flows": 1}),
			planStep("batch_refresh = false", map[string]int{"GET /flows/{id}": 3, "GET /flows/count": 0, "GET /flows": 0}),
		},
	})
}

// expectRequests checks how many requests of each named route srv served since its stats were reset.
func expectRequests(srv *localserver.Running, want map[string]int) plancheck.PlanCheck {
	return requestsCheck{srv: srv, want: want}
}

type requestsCheck struct {
	srv  *localserver.Running
	want map[string]int
}

func (c requestsCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = routeCounts(c.srv, c.want)
}

// routeCounts compares srv's request counts of the routes in want with want.
func routeCounts(srv *localserver.Running, want map[string]int) error {
	got := srv.Stats().Requests
	for _, route := range sortedKeys(want) {
		if got[route] != want[route] {
			return fmt.Errorf("%s was received %d times, want %d (all: %v)", route, got[route], want[route], got)
		}
	}
	return nil
}
