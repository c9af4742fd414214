// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// The server holds every ticket in progress (HoldJobs), so the wait for it outlasts the configured
// timeout whatever the machine's speed: the outcome does not depend on timing, only the wait does.

// TestAccComponent_createTimeout: the upload is accepted but never finishes within timeouts.create.
// The diagnostic names the ticket and the setting to raise, and the component stays in state
// (tainted), since the server already has the package: the next apply publishes it again.
func TestAccComponent_createTimeout(t *testing.T) {
	requireLocal(t, "held jobs (HoldJobs)")
	srv := startServer(t, localserver.Options{})
	dir := testfixture.ExampleConnector(t)
	config := func(timeout string) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_component" "weather" {
  name       = "acme.weather"
  source_dir = %q
  timeouts {
    create = %q
  }
}
`, dir, timeout)
	}
	const addr = "appmixer_component.weather"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             serverComponentsAre(t, srv, "acme.weather"),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { srv.HoldJobs(true) },
				Config:    config("1s"),
				ExpectError: regexp.MustCompile(`(?s)Cannot follow the upload of "acme.weather" \(ticket [0-9a-f-]+\).*` +
					wrappedText("gave up after 1s; raise timeouts.create if the server is slow").String()),
			},
			{
				PreConfig: func() { srv.HoldJobs(false) },
				Config:    config("1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				Check: serverComponentsAre(t, srv, "acme.weather", "acme.weather.forecast.GetForecast", "acme.weather.forecast.WeatherAlert"),
			},
		},
	})
}

// TestAccUser_deleteTimeout: the deletion's ticket never completes within timeouts.delete. The destroy
// fails naming the ticket and the setting. Released, the server finishes the deletion, and the next
// plan finds the user gone and creates it again.
func TestAccUser_deleteTimeout(t *testing.T) {
	requireLocal(t, "held jobs (HoldJobs)")
	srv := startServer(t, localserver.Options{})
	config := providerBlock(srv, "") + `
resource "appmixer_user" "test" {
  username = "tfacc-slow-delete@example.com"
  password = "slow-delete-pw"
  timeouts {
    delete = "1s"
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { srv.HoldJobs(true) },
				Config:    config,
				Destroy:   true,
				ExpectError: regexp.MustCompile(`(?s)Deleting Appmixer user "tfacc-slow-delete@example.com" did not complete \(ticket [0-9a-f-]+\).*` +
					wrappedText("gave up after 1s; raise timeouts.delete if the server is slow").String()),
			},
			{
				// Released, the deletion ends on the server's clock; the plan is made once it has (how soon
				// terraform gets to the refresh depends on the machine).
				PreConfig: func() {
					srv.HoldJobs(false)
					waitForUserGone(t, srv, "tfacc-slow-delete@example.com")
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_user.test", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// waitForUserGone waits until the server no longer lists username; the deadline only ends a test that
// would otherwise hang.
func waitForUserGone(t *testing.T, srv *localserver.Running, username string) {
	t.Helper()
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		users, err := api.ListUsers(context.Background(), username)
		mustDo(t, err)
		if !slices.ContainsFunc(users, func(u *appmixer.User) bool { return u.Username == username }) {
			return
		}
	}
	t.Fatalf("user %s was never deleted", username)
}
