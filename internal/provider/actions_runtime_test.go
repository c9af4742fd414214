// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccAccountTest_action: appmixer_account_test passes for a good account, fails on account_id
// with the server's verdict for one whose token went bad, and passes again once it is repaired.
func TestAccAccountTest_action(t *testing.T) {
	srv, _, _, _ := runtimeServer(t)
	good := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "good"})
	bad := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "bad"})
	mustDo(t, srv.SetAccountTest(bad, false, "invalid_auth: token revoked"))
	actions := providerBlock(srv, "") + fmt.Sprintf(`
action "appmixer_account_test" "good" {
  config { account_id = %q }
}
action "appmixer_account_test" "bad" {
  config { account_id = %q }
}
`, good, bad)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   needsActions,
		Steps: []resource.TestStep{
			{Config: actions + triggered("v1", "action.appmixer_account_test.good")},
			{
				Config:      actions + triggered("v2", "action.appmixer_account_test.bad"),
				ExpectError: regexp.MustCompile(`(?s)Appmixer account ` + bad + ` failed its test.*invalid_auth: token\s+revoked`),
			},
			{
				PreConfig: func() { mustDo(t, srv.SetAccountTest(bad, true, "")) },
				Config:    actions + triggered("v3", "action.appmixer_account_test.bad"),
			},
			{
				Config: actions + triggered("v4", `action.appmixer_account_test.missing`) + `
action "appmixer_account_test" "missing" {
  config { account_id = "no-such-account" }
}
`,
				ExpectError: regexp.MustCompile(`(?s)Cannot test Appmixer account no-such-account.*404`),
			},
		},
	})
}

// TestAccUnprocessedMessagesRetry_action: the retry action empties the flow's queue in the server
// and leaves other flows' messages; with delete = true it drops them.
func TestAccUnprocessedMessagesRetry_action(t *testing.T) {
	srv, _, orders, billing := runtimeServer(t)
	add := func(flow string, n int) {
		for range n {
			_, err := srv.AddUnprocessedMessage(localserver.UnprocessedMessage{FlowID: flow, ComponentID: "mail", Err: "SMTP refused"})
			mustDo(t, err)
		}
	}
	add(orders, 3)
	add(billing, 2)
	waiting := func(flow string, want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := len(srv.UnprocessedMessageIDs(flow)); got != want {
				return fmt.Errorf("flow %s holds %d unprocessed messages, want %d", flow, got, want)
			}
			return nil
		}
	}
	actions := providerBlock(srv, "") + fmt.Sprintf(`
action "appmixer_unprocessed_messages_retry" "orders" {
  config { flow_id = %q }
}
action "appmixer_unprocessed_messages_retry" "drop_billing" {
  config {
    flow_id = %q
    delete  = true
  }
}
`, orders, billing)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   needsActions,
		Steps: []resource.TestStep{
			{
				Config: actions + triggered("v1", "action.appmixer_unprocessed_messages_retry.orders"),
				Check:  resource.ComposeAggregateTestCheckFunc(waiting(orders, 0), waiting(billing, 2)),
			},
			{
				Config: actions + triggered("v2", "action.appmixer_unprocessed_messages_retry.drop_billing"),
				Check:  waiting(billing, 0),
			},
		},
	})
}
