// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestActionsInvoke_action invokes the actions the way their docs say, with terraform apply -invoke: a flow
// is started and stopped, and an integration's template reaches its instances, the rollout's
// progress shown while it runs; a rollout the server fails fails the command with the server's error.
func TestActionsInvoke_action(t *testing.T) {
	requireTF(t)
	needsCLI(t, "1.14.0", "actions")
	t.Parallel()
	ctx := context.Background()
	tn := startTenant(t)
	flow, err := tn.api.CreateFlow(ctx, appmixer.FlowInput{Name: "Orders", Definition: json.RawMessage(
		`{"s": {"type": "appmixer.utils.controls.OnStart", "source": {}}}`)})
	must(t, err)
	draft, err := tn.api.CreateFlow(ctx, appmixer.FlowInput{Name: "Welcome", Type: appmixer.FlowTypeDraft, Definition: json.RawMessage(
		`{"w-start": {"type": "appmixer.utils.controls.OnStart", "source": {}},
		  "w-mail": {"type": "appmixer.utils.email.SendEmail", "label": "Mail", "source": {"in": {"w-start": ["out"]}}}}`)})
	must(t, err)
	template, err := tn.api.PublishIntegration(ctx, draft, []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})
	must(t, err)
	var customers []*appmixer.Client
	var instances []string
	for _, email := range []string{"ann@shop.example", "bob@shop.example"} {
		c := newCustomer(t, tn, email)
		id, err := c.CreateIntegrationInstance(ctx, template)
		must(t, err)
		customers, instances = append(customers, c), append(instances, id)
	}
	// The template changes (as a publish from Studio would) without reaching the instances.
	relabelTemplate(t, tn.api, template, "Mail v2")

	dir := t.TempDir()
	testfixture.WriteFile(t, filepath.Join(dir, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    appmixer = { source = "appmixer/appmixer" }
  }
}
provider "appmixer" {}

action "appmixer_flow_start" "orders" {
  config { flow_id = %[1]q }
}
action "appmixer_flow_stop" "orders" {
  config { flow_id = %[1]q }
}
action "appmixer_integration_rollout" "welcome" {
  config { integration_id = %[2]q }
}
`, flow, draft))
	env := []string{"APPMIXER_BASE_URL=" + tn.srv.URL, "APPMIXER_USERNAME=" + tn.srv.AdminUsername(), "APPMIXER_PASSWORD=" + tn.srv.AdminPassword()}
	invoke := func(want int, action string) string {
		t.Helper()
		res := mustTerraform(t, dir, env, want, "apply", "-no-color", "-auto-approve", "-invoke=action."+action)
		return strings.Join(strings.Fields(res.stdout+res.stderr), " ")
	}
	stage := func() string {
		f, err := tn.api.GetFlow(ctx, flow)
		must(t, err)
		return f.Stage
	}

	if out := invoke(0, "appmixer_flow_start.orders"); !strings.Contains(out, fmt.Sprintf(`Flow "Orders" (%s) is running.`, flow)) {
		t.Errorf("start: no progress message in:\n%s", out)
	}
	if got := stage(); got != "running" {
		t.Errorf("after appmixer_flow_start the flow is %s", got)
	}
	invoke(0, "appmixer_flow_stop.orders")
	if got := stage(); got != "stopped" {
		t.Errorf("after appmixer_flow_stop the flow is %s", got)
	}

	out := invoke(0, "appmixer_integration_rollout.welcome")
	for _, want := range []string{"Rolling out template " + template, "1 of 2 instances updated (in-progress).", "Rollout completed: 2 of 2 instances updated."} {
		if !strings.Contains(out, want) {
			t.Errorf("rollout: want %q in:\n%s", want, out)
		}
	}
	for i, c := range customers {
		inst, err := c.GetFlow(ctx, instances[i])
		must(t, err)
		if !strings.Contains(string(inst.Definition), `"Mail v2"`) {
			t.Errorf("instance %s does not carry the template: %s", instances[i], inst.Definition)
		}
	}

	tn.srv.FailNextRollout("the customer's account was revoked")
	if out := invoke(1, "appmixer_integration_rollout.welcome"); !strings.Contains(out, "Appmixer reports: Updating integration instance "+instances[1]+
		" failed: the customer's account was revoked") {
		t.Errorf("a failed rollout must fail with the server's error:\n%s", out)
	}
}

// relabelTemplate gives every component of the template the label, in the template's own ids.
func relabelTemplate(t *testing.T, api *appmixer.Client, id, label string) {
	t.Helper()
	ctx := context.Background()
	tpl, err := api.GetFlow(ctx, id)
	must(t, err)
	var def map[string]map[string]any
	must(t, json.Unmarshal(tpl.Definition, &def))
	for _, c := range def {
		c["label"] = label
	}
	raw, err := json.Marshal(def)
	must(t, err)
	must(t, api.UpdateFlow(ctx, id, appmixer.FlowInput{Name: tpl.Name, Definition: raw}, false))
}
