// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// How appmixer_flow copes with what a real tenant does with flows (appmixer-api.md §1.3, §3, §10):
// refused starts, pinned component versions and accounts the Designer writes into the descriptor.

// mailFlow is a flow whose SendEmail node has a transform on inPort (its only in-port is "in") and, when
// version is not empty, a pinned version.
func mailFlow(srv *localserver.Running, name, stage, inPort, version string) string {
	mail := map[string]any{"type": "appmixer.utils.email.SendEmail", "source": map[string]any{"in": map[string]any{"start": []any{"out"}}},
		"config": map[string]any{"transform": map[string]any{inPort: map[string]any{"start": map[string]any{"out": map[string]any{
			"type": "json2new", "lambda": map[string]any{"to": "ops@example.com"}}}}}}}
	if version != "" {
		mail["version"] = version
	}
	def, _ := json.Marshal(map[string]any{"start": map[string]any{"type": "appmixer.utils.controls.OnStart", "source": map[string]any{}}, "mail": mail})
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_flow" "test" {
  name       = %q
  stage      = %q
  definition = %q
}
`, name, stage, def)
}

// serverFlow checks the only flow named name on the server.
func serverFlow(api *appmixer.Client, name string, check func(appmixer.Flow) error) func() error {
	return func() error {
		flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
		if err != nil {
			return err
		}
		var found []appmixer.Flow
		for _, f := range flows {
			if f.Name == name {
				found = append(found, f)
			}
		}
		if len(found) != 1 {
			return fmt.Errorf("%d flows named %q on the server, want 1", len(found), name)
		}
		full, err := api.GetFlow(context.Background(), found[0].ID)
		if err != nil {
			return err
		}
		return check(*full)
	}
}

func stopped(f appmixer.Flow) error {
	if f.Running() {
		return fmt.Errorf("flow %s is %s, want stopped", f.ID, f.Stage)
	}
	return nil
}

// must runs a server check before a step, failing the test when it fails.
func must(t *testing.T, check func() error) func() {
	return func() {
		t.Helper()
		if err := check(); err != nil {
			t.Fatal(err)
		}
	}
}

var refusedStart = regexp.MustCompile(`(?s)Component transformation validation error.*component "mail"\s+\(appmixer\.utils\.email\.SendEmail\): config\.transform has "message", which\s+is\s+not\s+an\s+in-port`)

// A start refused with 400 on update: the error quotes the server and names the component, and the flow
// stays in state (not tainted) as saved and stopped, so the next plan tries again.
func TestAccFlow_startRefusedOnUpdate(t *testing.T) {
	requireLocal(t, "the local server's start check of transforms")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const name = "tfacc-refused-update"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: mailFlow(srv, name+"-draft", "stopped", "message", "")}, // saving is accepted; only a start checks
			// Renamed and started in one apply: the rename is saved, the start refused.
			{Config: mailFlow(srv, name, "running", "message", ""), ExpectError: refusedStart},
			{
				// State holds the saved flow, stopped: with the configuration asking for that, nothing is left to do.
				PreConfig: must(t, serverFlow(api, name, stopped)),
				Config:    mailFlow(srv, name, "stopped", "message", ""),
				PlanOnly:  true,
			},
			{
				// Fixed: an update in place (the flow was never tainted) that starts it.
				Config: mailFlow(srv, name, "running", "in", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_flow.test", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					return serverFlow(api, name, func(f appmixer.Flow) error {
						if !f.Running() {
							return fmt.Errorf("flow is %s after the fix, want running", f.Stage)
						}
						return nil
					})()
				},
			},
		},
	})
}

// A start refused on create: the flow is kept in state (tainted, as every failed create) and stopped on
// the server, with the same error.
func TestAccFlow_startRefusedOnCreate(t *testing.T) {
	requireLocal(t, "the local server's start check of transforms")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const name = "tfacc-refused-create"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{Config: mailFlow(srv, name, "running", "message", ""), ExpectError: refusedStart},
			{
				PreConfig: must(t, serverFlow(api, name, stopped)),
				Config:    mailFlow(srv, name, "running", "in", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_flow.test", plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

// A pinned version is kept by the server and is the configuration's: changing it is an update; a node
// without one leaves it to the server.
func TestAccFlow_pinnedVersion(t *testing.T) {
	requireLocal(t, "the built-in SendEmail component's versions 1.0.0 and 1.1.0")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const name = "tfacc-pinned"
	version := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			return serverFlow(api, name, func(f appmixer.Flow) error {
				var def map[string]map[string]any
				if err := json.Unmarshal(f.Definition, &def); err != nil {
					return err
				}
				if got := def["mail"]["version"]; got != want {
					return fmt.Errorf("server holds SendEmail version %v, want %s", got, want)
				}
				return nil
			})()
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: mailFlow(srv, name, "stopped", "in", "1.0.0"), Check: version("1.0.0")},
			{
				Config: mailFlow(srv, name, "stopped", "in", "1.1.0"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_flow.test", plancheck.ResourceActionUpdate),
				}},
				Check: version("1.1.0"),
			},
			{
				// Upgraded on the server behind Terraform's back: the pin is drift, put back by the apply.
				PreConfig: func() { mustDo(t, srv.UpgradeComponent("appmixer.utils.email.SendEmail", "1.2.0")) },
				Config:    mailFlow(srv, name, "stopped", "in", "1.1.0"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_flow.test", plancheck.ResourceActionUpdate),
				}},
				Check: version("1.1.0"),
			},
			{
				// The pin removed: saved without one, the node gets the newest version, which is then the
				// server's to change (the plan after the apply is empty).
				Config: mailFlow(srv, name, "stopped", "in", ""),
				Check:  version("1.2.0"),
			},
			{
				// Upgraded again on the server: no drift for a node without a pin.
				PreConfig: func() { mustDo(t, srv.UpgradeComponent("appmixer.utils.email.SendEmail", "1.3.0")) },
				Config:    mailFlow(srv, name, "stopped", "in", ""),
				PlanOnly:  true,
			},
		},
	})
}

// An account the Designer writes into config.properties.account is not drift while bindings are managed
// through accounts, which wins; without accounts the definition is authoritative and it is.
func TestAccFlow_accountPropertyWithManagedBindings(t *testing.T) {
	requireLocal(t, "a connected account added behind the API")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ops := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com"})
	def := `{"start":{"type":"appmixer.utils.controls.OnStart"},"post":{"type":"appmixer.slack.list.SendChannelMessage","source":{"in":{"start":["out"]}}}}`
	cfg := func(name, accounts string) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_flow" "test" {
  name       = %q
  definition = %q
  %s
}
`, name, def, accounts)
	}
	designerBinds := func(name string) func() {
		return must(t, serverFlow(api, name, func(f appmixer.Flow) error {
			var d map[string]map[string]any
			if err := json.Unmarshal(f.Definition, &d); err != nil {
				return err
			}
			d["post"]["config"] = map[string]any{"properties": map[string]any{"account": ops}}
			b, _ := json.Marshal(d)
			return api.UpdateFlow(context.Background(), f.ID, appmixer.FlowInput{Name: f.Name, Definition: b}, false)
		}))
	}
	for _, tc := range []struct {
		name, accounts string
		drift          bool
	}{
		{"tfacc-account-managed", fmt.Sprintf("accounts = { post = %q }", ops), false},
		{"tfacc-account-unmanaged", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: cfg(tc.name, tc.accounts)},
					{PreConfig: designerBinds(tc.name), Config: cfg(tc.name, tc.accounts), PlanOnly: true, ExpectNonEmptyPlan: tc.drift},
				},
			})
		})
	}
}
