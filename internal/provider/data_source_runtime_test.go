// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// runtimeServer is a local server on a clock that stands still, with two flows of the admin.
func runtimeServer(t *testing.T) (*localserver.Running, *localserver.ManualClock, string, string) {
	t.Helper()
	requireLocal(t, "log entries, unprocessed messages and people tasks added behind the API")
	clock := localserver.NewManualClock(time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC))
	srv := startServer(t, localserver.Options{Now: clock.Now})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	var ids []string
	for _, name := range []string{"orders", "billing"} {
		id, err := api.CreateFlow(context.Background(), appmixer.FlowInput{Name: accPrefix + name, Definition: json.RawMessage(flowV2)})
		mustDo(t, err)
		ids = append(ids, id)
	}
	return srv, clock, ids[0], ids[1]
}

// checkAttr compares a data source's attribute with what an oracle computes from the server's store.
func checkAttr(addr, attr string, want func() string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in the state", addr)
		}
		if got, w := rs.Primary.Attributes[attr], want(); got != w {
			return fmt.Errorf("%s.%s = %q, the server holds %q", addr, attr, got, w)
		}
		return nil
	}
}

// TestAccFlowLogsDataSource: counts per severity in the window and the newest errors, for one flow
// or several, against the entries the server stores.
func TestAccFlowLogsDataSource(t *testing.T) {
	srv, clock, orders, billing := runtimeServer(t)
	now := clock.Now()
	for _, e := range []localserver.LogEntry{
		{FlowID: orders, ComponentID: "mail", Severity: "error", Message: "send failed", Err: "SMTP refused", Time: now.Add(-20 * time.Minute)},
		{FlowID: orders, ComponentID: "audit", Severity: "error", Message: "send failed", Err: "SMTP timeout", Time: now.Add(-10 * time.Minute)},
		{FlowID: orders, ComponentID: "mail", Severity: "info", Message: "sent", Time: now.Add(-5 * time.Minute)},
		{FlowID: orders, ComponentID: "mail", Severity: "error", Message: "ancient", Time: now.Add(-3 * time.Hour)},
		{FlowID: billing, ComponentID: "mail", Severity: "info", Message: "sent", Time: now.Add(-time.Minute)},
	} {
		mustDo(t, srv.AddLogEntry(e))
	}
	// The oracle: the server's own entries, counted here by severity and window.
	count := func(flows []string, severity string, window time.Duration) func() string {
		return func() string {
			n := 0
			for _, f := range flows {
				for _, e := range srv.LogEntries(f) {
					if e.Severity == severity && e.Time.After(now.Add(-window)) {
						n++
					}
				}
			}
			return strconv.Itoa(n)
		}
	}
	const orders1h = "data.appmixer_flow_logs.orders"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv, "") + fmt.Sprintf(`
data "appmixer_flow_logs" "orders" {
  flow_ids            = [%[1]q]
  severities          = ["error", "info"]
  latest_errors_limit = 1
}
data "appmixer_flow_logs" "both_day" {
  flow_ids = [%[1]q, %[2]q]
  since    = "1d"
}
data "appmixer_flow_logs" "billing" {
  flow_ids = [%[2]q]
}
`, orders, billing),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAttr(orders1h, "error_count", count([]string{orders}, "error", time.Hour)),
				checkAttr(orders1h, "counts.error", count([]string{orders}, "error", time.Hour)),
				checkAttr(orders1h, "counts.info", count([]string{orders}, "info", time.Hour)),
				checkAttr("data.appmixer_flow_logs.both_day", "error_count", count([]string{orders, billing}, "error", 24*time.Hour)),
				checkAttr("data.appmixer_flow_logs.billing", "error_count", count([]string{billing}, "error", time.Hour)),
				// Literal expectations besides the oracle: 2 errors in the hour, the newest first, limited to 1.
				resource.TestCheckResourceAttr(orders1h, "error_count", "2"),
				resource.TestCheckResourceAttr(orders1h, "latest_errors.#", "1"),
				resource.TestCheckResourceAttr(orders1h, "latest_errors.0.component_id", "audit"),
				resource.TestCheckResourceAttr(orders1h, "latest_errors.0.component_type", "appmixer.utils.email.SendEmail"),
				resource.TestCheckResourceAttr(orders1h, "latest_errors.0.error", "SMTP timeout"),
				resource.TestCheckResourceAttr(orders1h, "latest_errors.0.time", "2026-03-04T11:50:00.000Z"),
				resource.TestCheckResourceAttr("data.appmixer_flow_logs.both_day", "since", "1d"),
				resource.TestCheckResourceAttr("data.appmixer_flow_logs.both_day", "latest_errors.#", "3"),
				resource.TestCheckResourceAttr("data.appmixer_flow_logs.billing", "error_count", "0"),
				resource.TestCheckResourceAttr("data.appmixer_flow_logs.billing", "counts.%", "1"),
			),
		}},
	})
}

// TestAccUnprocessedMessagesDataSource: per-flow counts (0 for a requested flow with none) and the
// newest messages, against the messages the server stores.
func TestAccUnprocessedMessagesDataSource(t *testing.T) {
	srv, clock, orders, billing := runtimeServer(t)
	now := clock.Now()
	for i := range 3 {
		_, err := srv.AddUnprocessedMessage(localserver.UnprocessedMessage{
			FlowID: orders, ComponentID: "mail", Err: fmt.Sprintf("failure %d", i), Created: now.Add(time.Duration(i) * time.Minute),
		})
		mustDo(t, err)
	}
	stored := func(flow string) func() string {
		return func() string { return strconv.Itoa(len(srv.UnprocessedMessageIDs(flow))) }
	}
	const both = "data.appmixer_unprocessed_messages.both"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv, "") + fmt.Sprintf(`
data "appmixer_unprocessed_messages" "both" {
  flow_ids     = [%[1]q, %[2]q]
  newest_limit = 2
}
data "appmixer_unprocessed_messages" "all" {}
`, orders, billing),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAttr(both, "counts."+orders, stored(orders)),
				checkAttr(both, "counts."+billing, stored(billing)),
				checkAttr(both, "total", stored(orders)),
				resource.TestCheckResourceAttr(both, "counts."+orders, "3"),
				resource.TestCheckResourceAttr(both, "counts."+billing, "0"),
				resource.TestCheckResourceAttr(both, "newest.#", "2"),
				resource.TestCheckResourceAttr(both, "newest.0.error", "failure 2"),
				resource.TestCheckResourceAttr(both, "newest.1.error", "failure 1"),
				resource.TestCheckResourceAttr("data.appmixer_unprocessed_messages.all", "total", "3"),
				resource.TestCheckResourceAttr("data.appmixer_unprocessed_messages.all", "counts.%", "1"),
			),
		}},
	})
}

// TestAccPeopleTasksDataSource: pending tasks the provider's user must approve, or asked for.
func TestAccPeopleTasksDataSource(t *testing.T) {
	srv, _, _, _ := runtimeServer(t)
	me := srv.AdminUsername()
	for _, task := range []localserver.PeopleTask{
		{Title: "Approve refund", Requester: "joe@example.com", Approver: me},
		{Title: "Approve invoice", Requester: "joe@example.com", Approver: me, Status: "approved"},
		{Title: "Budget", Requester: me, Approver: "boss@example.com", Description: "Q3"},
		{Title: "Somebody else's", Requester: "joe@example.com", Approver: "boss@example.com"},
	} {
		_, err := srv.AddPeopleTask(task)
		mustDo(t, err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv, "") + `
data "appmixer_people_tasks" "to_approve" {
  role = "approver"
}
data "appmixer_people_tasks" "approved" {
  role   = "approver"
  status = "approved"
}
data "appmixer_people_tasks" "asked" {
  role = "requester"
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.to_approve", "task_count", "1"),
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.to_approve", "status", "pending"),
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.to_approve", "tasks.0.title", "Approve refund"),
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.to_approve", "tasks.0.requester", "joe@example.com"),
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.approved", "tasks.0.title", "Approve invoice"),
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.asked", "task_count", "1"),
				resource.TestCheckResourceAttr("data.appmixer_people_tasks.asked", "tasks.0.description", "Q3"),
			),
		}},
	})
}

// TestAccRuntimeDataSources_badInput: plan-time refusals name the attribute; the contract dialect
// has none of these routes.
func TestAccRuntimeDataSources_badInput(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	contract := startServer(t, localserver.Options{Dialect: localserver.DialectContract})
	steps := []resource.TestStep{}
	for _, tc := range []struct{ config, want string }{
		{`data "appmixer_flow_logs" "x" { since = "1 hour" }`, `(?s)since.*must be a number and a unit`},
		{`data "appmixer_flow_logs" "x" { severities = ["error", "error"] }`, `(?s)Duplicate List Value.*severities = \["error", "error"\]`},
		{`data "appmixer_flow_logs" "x" { latest_errors_limit = 1000 }`, `(?s)latest_errors_limit.*between 0 and 100`},
		{`data "appmixer_unprocessed_messages" "x" { flow_ids = [] }`, `(?s)flow_ids.*at least 1`},
		{`data "appmixer_people_tasks" "x" { role = "boss" }`, `(?s)role.*"approver".*"requester"`},
	} {
		steps = append(steps, resource.TestStep{Config: providerBlock(srv, "") + tc.config, ExpectError: regexp.MustCompile(tc.want)})
	}
	steps = append(steps, resource.TestStep{
		Config:      providerBlock(contract, `api_dialect = "contract"`) + `data "appmixer_flow_logs" "x" {}`,
		ExpectError: wrappedText("data.appmixer_flow_logs is not available in the contract API dialect"),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}
