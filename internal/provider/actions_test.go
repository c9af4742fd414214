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
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// triggered is a terraform_data whose creation and every change of input invoke the action.
func triggered(input, action string) string {
	return fmt.Sprintf(`
resource "terraform_data" "trigger" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [%s]
    }
  }
}
`, input, action)
}

// flowStageIs checks the flow's stage on the server.
func flowStageIs(api *appmixer.Client, id, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		f, err := api.GetFlow(context.Background(), id)
		if err != nil {
			return err
		}
		if got := flowStageFromAPI(f.Stage); got != want {
			return fmt.Errorf("flow %s is %s (%s), want %s", id, got, f.Stage, want)
		}
		return nil
	}
}

// TestAccFlowStartStop_action: appmixer_flow_start and appmixer_flow_stop, triggered by a resource's
// lifecycle, start and stop a flow the configuration does not manage; a flow that does not exist
// fails the action on flow_id.
func TestAccFlowStartStop_action(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	id, err := api.CreateFlow(context.Background(), appmixer.FlowInput{Name: accPrefix + "orders", Definition: json.RawMessage(flowV2)})
	mustDo(t, err)
	t.Cleanup(func() { _ = api.DeleteFlow(context.Background(), id) })
	actions := providerBlock(srv, "") + fmt.Sprintf(`
action "appmixer_flow_start" "orders" {
  config { flow_id = %[1]q }
}
action "appmixer_flow_stop" "orders" {
  config { flow_id = %[1]q }
}
action "appmixer_flow_start" "missing" {
  config { flow_id = "no-such-flow" }
}
`, id)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   needsActions,
		Steps: []resource.TestStep{
			{Config: actions + triggered("v1", "action.appmixer_flow_start.orders"), Check: flowStageIs(api, id, stageRunning)},
			// Started again: a running flow stays running.
			{Config: actions + triggered("v2", "action.appmixer_flow_start.orders"), Check: flowStageIs(api, id, stageRunning)},
			{Config: actions + triggered("v3", "action.appmixer_flow_stop.orders"), Check: flowStageIs(api, id, stageStopped)},
			{
				Config:      actions + triggered("v4", "action.appmixer_flow_start.missing"),
				ExpectError: regexp.MustCompile(`(?s)Cannot start Appmixer flow no-such-flow.*404`),
			},
		},
	})
}

// TestAccIntegrationRollout_action: an integration whose changes reach instances only by hand
// (instance_update = "none") is rolled out by appmixer_integration_rollout after each update, and a
// rollout the server fails fails the apply with the server's error.
func TestAccIntegrationRollout_action(t *testing.T) {
	requireLocal(t, "the rollout fault switch (FailNextRollout)")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	var users []endUser
	rolledOut := `
action "appmixer_integration_rollout" "now" {
  config {
    integration_id   = appmixer_integration.test.id
    in_progress_data = "delete"
  }
}
`
	extra := publishedToAll + `
  force_destroy = true
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.appmixer_integration_rollout.now]
    }
  }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   needsActions,
		Steps: []resource.TestStep{
			{
				Config: integrationConfig(srv, integrationV1, extra) + rolledOut,
				Check: func(s *terraform.State) error {
					users = addInstances(t, srv, stateAttr(s, integrationAddr, "template_id"), 2)
					return nil
				},
			},
			{
				// The update saves the template and leaves the instances; the action rolls it out.
				Config: integrationConfig(srv, integrationV2, extra) + rolledOut,
				Check:  checkInstancesCarry(t, api, &users, 2, "Welcome aboard"),
			},
			{
				PreConfig:   func() { srv.FailNextRollout("the customer's account was revoked") },
				Config:      integrationConfig(srv, integrationV1, extra) + rolledOut,
				ExpectError: regexp.MustCompile(`(?s)Rollout\s+of\s+integration\s+\S+\s+failed.*Appmixer\s+reports:.*the\s+customer's\s+account\s+was\s+revoked.*1\s+of\s+2\s+instances\s+were\s+updated`),
			},
		},
	})
}
