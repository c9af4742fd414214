// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// manyFlows declares count flows named prefix-0 .. prefix-(count-1), each mailing its own address so that
// a definition mixed up between flows would show.
func manyFlows(prefix string, count int) string {
	return fmt.Sprintf(`
resource "appmixer_flow" "many" {
  count = %[2]d
  name  = "%[1]s-${count.index}"
  definition = jsonencode({
    start = { type = "appmixer.utils.controls.OnStart", x = 0, y = 0, source = {}, config = {} }
    mail = {
      type   = "appmixer.utils.email.SendEmail", x = 200, y = 0
      source = { in = { start = ["out"] } }
      config = { properties = { to = "team-${count.index}@example.com" } }
    }
  })
}
`, prefix, count)
}

// patientClient checks the server from outside Terraform while faults are still on, so it retries more
// and waits less than apiClient.
func patientClient(t *testing.T, srv *localserver.Running, dialect appmixer.Dialect) *appmixer.Client {
	t.Helper()
	c, err := appmixer.New(appmixer.Config{
		BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword(), Dialect: dialect,
		MaxRetries: 20, RetryWaitMin: time.Millisecond, RetryWaitMax: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// flowsMatchServer checks that the server holds exactly the state's appmixer_flow instances, once each,
// with the state's name and stage: nothing duplicated, lost or mixed up.
func flowsMatchServer(api *appmixer.Client, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
		if err != nil {
			return err
		}
		onServer := map[string]appmixer.Flow{}
		for _, f := range flows {
			onServer[f.ID] = f
		}
		if len(flows) != want || len(onServer) != want {
			return fmt.Errorf("%d flows on the server (%d distinct ids), want %d", len(flows), len(onServer), want)
		}
		inState := 0
		for addr, rs := range s.RootModule().Resources {
			if rs.Type != "appmixer_flow" {
				continue
			}
			inState++
			f, ok := onServer[rs.Primary.ID]
			switch {
			case !ok:
				return fmt.Errorf("%s (%s) is not on the server", addr, rs.Primary.ID)
			case f.Name != rs.Primary.Attributes["name"] || f.Stage != rs.Primary.Attributes["stage"]:
				return fmt.Errorf("%s is %q/%s on the server but %q/%s in the state", addr, f.Name, f.Stage,
					rs.Primary.Attributes["name"], rs.Primary.Attributes["stage"])
			}
			if err := sameDescriptor(f.Definition, rs.Primary.Attributes["definition"]); err != nil {
				return fmt.Errorf("%s: %w", addr, err)
			}
		}
		if inState != want {
			return fmt.Errorf("%d flows in the state, want %d", inState, want)
		}
		return nil
	}
}

// noFlowsLeft is a CheckDestroy: the server holds no flow at all.
func noFlowsLeft(api *appmixer.Client) resource.TestCheckFunc {
	return func(*terraform.State) error {
		flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
		if err != nil {
			return err
		}
		if len(flows) != 0 {
			return fmt.Errorf("%d flows left after destroy: %v", len(flows), sortedFlowNames(flows))
		}
		return nil
	}
}

// rateLimitBurst turns the server's rate limit on for the next n requests only: long enough for a burst
// of 429s with Retry-After: 1 to hit the apply, short enough that the test does not wait out second after
// second of them.
type rateLimitBurst struct {
	mu   sync.Mutex
	left int
}

func (b *rateLimitBurst) start(s *localserver.Server, perSecond, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.left = n
	s.SetRateLimit(perSecond)
}

func (b *rateLimitBurst) before(s *localserver.Server, _ *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.left > 0 {
		if b.left--; b.left == 0 {
			s.SetRateLimit(0)
		}
	}
}

func TestAccReliability_flowsConvergeDespiteFaults(t *testing.T) {
	requireLocal(t, "injected faults and request statistics")
	const n = 50
	burst := &rateLimitBurst{}
	var limited, faulted int
	var mu sync.Mutex
	srv := startInterceptedServer(t, localserver.Options{Seed: 20240501}, interceptor{
		before: burst.before,
		after: func(_ *http.Request, status int) {
			mu.Lock()
			defer mu.Unlock()
			switch status {
			case http.StatusTooManyRequests:
				limited++
			case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
				faulted++
			}
		},
	})
	api := patientClient(t, srv, appmixer.DialectAppmixer)
	// Enough retries that 0.2 faults cannot exhaust them (0.2^11 per request).
	config := tunedProvider(srv, "max_retries = 10") + manyFlows("fault", n)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             noFlowsLeft(api),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.SetFaultRate(0.2)
					burst.start(srv.Server, 5, 40)
				},
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					flowsMatchServer(api, n),
					func(*terraform.State) error {
						mu.Lock()
						defer mu.Unlock()
						if limited == 0 || faulted == 0 {
							return fmt.Errorf("the apply met %d 429s and %d 5xx: the faults were not live", limited, faulted)
						}
						t.Logf("converged through %d answers 429 and %d answers 502/503/504", limited, faulted)
						return nil
					},
				),
			},
			{
				// Refreshing 50 flows through the same faults finds nothing to change.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            flowsMatchServer(api, n),
			},
		},
	})
}

func TestAccReliability_lostResponses(t *testing.T) {
	requireLocal(t, "lost responses (DropResponses) and request statistics")
	srv := startServer(t, localserver.Options{})
	api := patientClient(t, srv, appmixer.DialectAppmixer)
	one := func(name string) string {
		return providerBlock(srv, "") + strings.Replace(manyFlows(name, 1), "-${count.index}", "", 1)
	}
	// expectRequests checks how often the server saw each route since the step began.
	expectRequests := func(want map[string]int) resource.TestCheckFunc {
		return func(*terraform.State) error { return routeCounts(srv, want) }
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             noFlowsLeft(api),
		Steps: []resource.TestStep{
			{
				// The create's PUT /flows/{id} is stored, then its answer is lost. The client sends the same PUT
				// again, to the id it chose, which the server reads as an update: one flow, not two.
				PreConfig: func() {
					srv.ResetStats()
					srv.DropResponses("PUT /flows/{id}", 1)
				},
				Config: one("lost-create"),
				Check:  resource.ComposeAggregateTestCheckFunc(flowsMatchServer(api, 1), expectRequests(map[string]int{"PUT /flows/{id}": 2})),
			},
			{
				PreConfig: func() {
					srv.ResetStats()
					srv.DropResponses("PUT /flows/{id}", 1)
				},
				Config: one("lost-update"),
				Check:  resource.ComposeAggregateTestCheckFunc(flowsMatchServer(api, 1), expectRequests(map[string]int{"PUT /flows/{id}": 2})),
			},
			{
				// A repeated DELETE finds the flow gone (404), which the provider counts as deleted.
				PreConfig: func() {
					srv.ResetStats()
					srv.DropResponses("DELETE /flows/{id}", 1)
				},
				Config: providerBlock(srv, ""),
				Check:  resource.ComposeAggregateTestCheckFunc(flowsMatchServer(api, 0), expectRequests(map[string]int{"DELETE /flows/{id}": 2})),
			},
		},
	})
}

// TestAccReliability_lostPostCreate covers servers that create flows only by POST (the contract): there the
// server picks the id, so a POST whose answer was lost is not sent again. The apply fails with the
// transport error and the server holds exactly one flow, which Terraform does not know about; the
// client-level proofs are TestCreatePostNotResentAfterDroppedConnection, TestCreatePostNotResentOn503
// and TestCreatePostNotResentAfterTimeout in internal/appmixer.
func TestAccReliability_lostPostCreate(t *testing.T) {
	srv := startServer(t, localserver.Options{Dialect: localserver.DialectContract})
	api := patientClient(t, srv, appmixer.DialectContract)
	config := providerBlock(srv, `api_dialect = "contract"`) + strings.Replace(manyFlows("posted", 1), "-${count.index}", "", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             noFlowsLeft(api),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.ResetStats()
					srv.DropResponses("POST /flows", 1)
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Cannot create Appmixer flow.*POST /flows: .*EOF`),
			},
			{
				PreConfig: func() {
					flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
					if err != nil || len(flows) != 1 || srv.Stats().Requests["POST /flows"] != 1 {
						t.Fatalf("after the lost POST: %d flows, %d POSTs, err %v; want exactly 1 of each",
							len(flows), srv.Stats().Requests["POST /flows"], err)
					}
					// What an operator does with the orphan: delete it (or import it) before applying again.
					mustDo(t, api.DeleteFlow(context.Background(), flows[0].ID))
				},
				Config: config,
				Check:  flowsMatchServer(api, 1),
			},
		},
	})
}

// sortedFlowNames is for failure messages.
func sortedFlowNames(flows []appmixer.Flow) []string {
	names := make([]string, 0, len(flows))
	for _, f := range flows {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// TestAccReliability_createUnconfirmed loses every answer to a create's PUT, so retries run out after the
// server stored the flow. The provider finds the flow under the id it chose and keeps it in state as
// tainted: the next apply replaces it, and at no point are there two flows.
func TestAccReliability_createUnconfirmed(t *testing.T) {
	requireLocal(t, "lost responses (DropResponses)")
	srv := startServer(t, localserver.Options{})
	api := patientClient(t, srv, appmixer.DialectAppmixer)
	cfg := providerBlock(srv, "") + strings.Replace(manyFlows("unconfirmed", 1), "-${count.index}", "", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             noFlowsLeft(api),
		Steps: []resource.TestStep{
			{
				// providerBlock allows 2 retries: 3 attempts, each answer lost.
				PreConfig:   func() { srv.DropResponses("PUT /flows/{id}", 3) },
				Config:      cfg,
				ExpectError: wrappedText("Appmixer flow created, but confirming its creation failed"),
			},
			{
				PreConfig: func() {
					flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
					if err != nil || len(flows) != 1 {
						t.Fatalf("after the unconfirmed create the server holds %d flows (%v), want 1", len(flows), err)
					}
				},
				Config: cfg,
				Check:  flowsMatchServer(api, 1),
			},
		},
	})
}
