// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// driftDef is the managed flow of the drift test: start -> mail -> audit.
const driftDef = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}, "config": {}},
  "mail":  {"type": "appmixer.utils.email.SendEmail", "label": "Mail", "x": 300, "y": 100,
            "source": {"in": {"start": ["out"]}}, "config": {"properties": {"to": "ops@example.com"}}},
  "audit": {"type": "appmixer.utils.email.SendEmail", "label": "Audit", "x": 500, "y": 100,
            "source": {"in": {"mail": ["out"]}}, "config": {"properties": {"to": "audit@example.com"}}}
}`

// layoutDef is the second flow, managed with ignore_layout; component ids differ from driftDef's.
const layoutDef = `{
  "l-start": {"type": "appmixer.utils.controls.OnStart", "x": 10, "y": 10},
  "l-mail":  {"type": "appmixer.utils.email.SendEmail", "x": 200, "y": 10, "source": {"in": {"l-start": ["out"]}}}
}`

// TestAccFlowResource_drift changes a flow through the API the way the designer would, one kind of change
// per step, and expects each to show in the plan as a change of the right attribute (and of nothing else);
// server-owned changes (a version upgrade, moved boxes with ignore_layout) must plan empty. With two flows
// the refresh reads each flow singly (see appmixer.FlowReader); TestAccFlowResource_driftBatched repeats this on
// the batched path.
func TestAccFlowResource_drift(t *testing.T) {
	requireLocal(t, "request statistics and an upgraded built-in component")
	srv := startServer(t, localserver.Options{})
	testFlowDrift(t, srv, testAccProviders, expectReadPath(srv, false))
}

// testFlowDrift runs the drift test against srv with the given provider; readPath checks, after each plan
// that only refreshes, which requests the refresh made (stats are reset when the step's setup is done).
func testFlowDrift(t *testing.T, srv *localserver.Running, providers map[string]func() (tfprotov6.ProviderServer, error), readPath plancheck.PlanCheck) {
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	const addr, layoutAddr = "appmixer_flow.test", "appmixer_flow.layout"
	config := flowResourceConfig(srv, "", fmt.Sprintf(`
  name          = "drift"
  description   = "watched"
  custom_fields = { team = "ops" }
  stage         = "running"
  definition    = %q
  timeouts {
    create = "2m"
    update = "2m"
    delete = "2m"
  }
}

resource "appmixer_flow" "layout" {
  name          = "layout"
  ignore_layout = true
  definition    = %q`, driftDef, layoutDef))

	var id, layoutID string
	// reset puts the flow back as configured, so that each step shows exactly one change.
	reset := func() {
		mustDo(t, api.UpdateFlow(ctx, id, appmixer.FlowInput{
			Name: "drift", Description: ptr("watched"), Definition: json.RawMessage(driftDef),
			CustomFields: map[string]any{"team": "ops"},
		}, true))
		mustDo(t, api.StartFlow(ctx, id))
	}
	driftStep := func(change func(in *appmixer.FlowInput, def map[string]any), attrs ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				reset()
				editFlow(t, api, id, change)
				srv.ResetStats()
			},
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				expectAttributeChange(addr, attrs...),
				plancheck.ExpectResourceAction(layoutAddr, plancheck.ResourceActionNoop),
				readPath,
			}},
		}
	}
	component := func(def map[string]any, id string) map[string]any { return def[id].(map[string]any) }

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providers,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[addr].Primary.ID
					layoutID = s.RootModule().Resources[layoutAddr].Primary.ID
					return nil
				},
			},
			driftStep(func(in *appmixer.FlowInput, _ map[string]any) { in.Name = "renamed in the designer" }, "name"),
			driftStep(func(in *appmixer.FlowInput, _ map[string]any) {
				in.Description = ptr("edited")
				in.CustomFields = map[string]any{"team": "dev"}
			}, "description", "custom_fields"),
			driftStep(func(_ *appmixer.FlowInput, def map[string]any) { component(def, "mail")["label"] = "Mail ops" }, "definition"),
			driftStep(func(_ *appmixer.FlowInput, def map[string]any) {
				component(def, "mail")["config"] = map[string]any{"properties": map[string]any{"to": "dev@example.com"}}
			}, "definition"),
			driftStep(func(_ *appmixer.FlowInput, def map[string]any) {
				def["timer"] = map[string]any{"type": "appmixer.utils.timers.Timer", "x": 100, "y": 300}
			}, "definition"),
			driftStep(func(_ *appmixer.FlowInput, def map[string]any) {
				delete(def, "audit")
			}, "definition"),
			driftStep(func(_ *appmixer.FlowInput, def map[string]any) {
				component(def, "audit")["source"] = map[string]any{"in": map[string]any{"start": []any{"out"}}}
			}, "definition"),
			driftStep(func(_ *appmixer.FlowInput, def map[string]any) { component(def, "mail")["x"] = 320 }, "definition"),
			{
				PreConfig: func() {
					reset()
					mustDo(t, api.StopFlow(ctx, id))
					srv.ResetStats()
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectAttributeChange(addr, "stage"),
					readPath,
				}},
			},
			{
				// Server-owned changes: an upgraded component version everywhere, and moved boxes in the
				// flow with ignore_layout.
				PreConfig: func() {
					reset()
					mustDo(t, srv.UpgradeComponent("appmixer.utils.email.SendEmail", "1.9.0"))
					f, err := api.GetFlow(ctx, id)
					mustDo(t, err)
					if err := expectFlow(f, "drift", "running", `"version":"1.9.0"`); err != nil {
						t.Fatal(err)
					}
					editFlow(t, api, layoutID, func(_ *appmixer.FlowInput, def map[string]any) {
						component(def, "l-mail")["x"] = 480
						component(def, "l-start")["y"] = 90
					})
					srv.ResetStats()
				},
				Config:   config,
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					readPath,
				}},
			},
			{
				// Deleted by hand: planned as a create, and created again.
				PreConfig: func() { mustDo(t, api.DeleteFlow(ctx, id)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(layoutAddr, plancheck.ResourceActionNoop),
				}},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					if f.ID == id {
						return fmt.Errorf("flow id %s reused", id)
					}
					return expectFlow(f, "drift", "running")
				}),
			},
		},
	})
}

// TestAccFlowResource_accounts binds Slack accounts to components, re-binds them after definition
// updates, notices a binding changed by hand and rejects a component that takes no account.
func TestAccFlowResource_accounts(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	ops := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com"})
	dev := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "dev@example.com"})
	const addr = "appmixer_flow.test"

	slack := func(label string, withSecond bool) string {
		def := map[string]any{
			"acc-start":  map[string]any{"type": "appmixer.utils.controls.OnStart"},
			"acc-slack1": map[string]any{"type": "appmixer.slack.list.SendChannelMessage", "label": label, "source": map[string]any{"in": map[string]any{"acc-start": []any{"out"}}}},
		}
		if withSecond {
			def["acc-slack2"] = map[string]any{"type": "appmixer.slack.list.SendChannelMessage", "source": map[string]any{"in": map[string]any{"acc-slack1": []any{"out"}}}}
		}
		b, err := json.Marshal(def)
		mustDo(t, err)
		return string(b)
	}
	cfg := func(def, accounts string) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
data "appmixer_account" "ops" {
  service = "appmixer:slack"
  name    = "ops@example.com"
}
resource "appmixer_flow" "test" {
  name       = "slack"
  stage      = "running"
  definition = %q
  accounts   = %s
}
`, def, accounts)
	}
	// bound compares the server's bindings with want exactly: a component missing from the answer, or
	// an answer without bindings, fails as much as a wrong account does.
	bound := func(want map[string]string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			auth, err := api.FlowAuth(ctx, s.RootModule().Resources[addr].Primary.ID)
			if err != nil {
				return err
			}
			got := map[string]string{}
			for c, a := range auth {
				if a.AccountID != "" {
					got[c] = a.AccountID
				}
			}
			if !maps.Equal(got, want) {
				return fmt.Errorf("bound accounts %v, want %v (all: %+v)", got, want, auth)
			}
			return nil
		}
	}
	accountsValue := func(m map[string]string) knownvalue.Check {
		checks := map[string]knownvalue.Check{}
		for k, v := range m {
			checks[k] = knownvalue.StringExact(v)
		}
		return knownvalue.MapExact(checks)
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{
				// The flow is created but the binding fails: it is kept in state, tainted.
				Config:      cfg(slack("one", false), `{ acc-slack1 = "no-such-account" }`),
				ExpectError: regexp.MustCompile(`Appmixer flow created, but binding its accounts failed`),
			},
			{
				Config: cfg(slack("one", false), `{ acc-slack1 = data.appmixer_account.ops.account_id }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: bound(map[string]string{"acc-slack1": ops}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("accounts"), accountsValue(map[string]string{"acc-slack1": ops})),
				},
			},
			{
				// A definition update adds a component; both are bound afterwards.
				Config: cfg(slack("two", true), fmt.Sprintf(`{ acc-slack1 = %q, acc-slack2 = %q }`, ops, dev)),
				Check:  bound(map[string]string{"acc-slack1": ops, "acc-slack2": dev}),
			},
			{
				PreConfig:          func() { mustDo(t, api.BindAccount(ctx, "acc-slack2", ops)) },
				Config:             cfg(slack("two", true), fmt.Sprintf(`{ acc-slack1 = %q, acc-slack2 = %q }`, ops, dev)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					expectAttributeChange(addr, "accounts"),
				}},
			},
			{
				// Re-bound after a definition update; a component left out of accounts is unbound.
				Config: cfg(slack("three", true), fmt.Sprintf(`{ acc-slack1 = %q }`, dev)),
				Check:  bound(map[string]string{"acc-slack1": dev}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("accounts"), accountsValue(map[string]string{"acc-slack1": dev})),
				},
			},
			{
				Config:      cfg(slack("three", true), fmt.Sprintf(`{ acc-start = %q }`, dev)),
				ExpectError: regexp.MustCompile(`component "acc-start" takes no account`),
			},
		},
	})
}

func ptr[T any](v T) *T { return &v }
