// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccUser_forbiddenNamesAttribute: a provider user without the admin scope whose scope cannot be
// read first (GET /user loses every answer) signs the new user up, and then the server's 403 on
// PUT /users/{id} comes back as an error on the attribute that needed the admin, scope. The user is
// kept in state, tainted, and an admin provider replaces it.
func TestAccUser_forbiddenNamesAttribute(t *testing.T) {
	requireLocal(t, "lost responses (DropResponses)")
	srv := startServer(t, localserver.Options{})
	mustCreateUser(t, srv, "tfacc-nonadmin@example.com", "nonadmin-pass")
	config := func(provider string) string {
		return provider + `
resource "appmixer_user" "dev" {
  username = "tfacc-dev@example.com"
  password = "dev-pass-1"
  scope    = ["user", "developer"]
}
`
	}
	plain := fmt.Sprintf(`
provider "appmixer" {
  base_url    = %q
  username    = "tfacc-nonadmin@example.com"
  password    = "nonadmin-pass"
  max_retries = 0
}
`, srv.URL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { srv.DropResponses("GET /user", 1000) },
				Config:    config(plain),
				ExpectError: regexp.MustCompile(`(?s)Created Appmixer user "tfacc-dev@example.com" but cannot set its scope and vendor` +
					`.*with appmixer_user.dev,.*scope\s+= \["user", "developer"\]` +
					`.*` + wrappedText("The provider's user lacks the admin scope.").String() + `.*403`),
			},
			{
				PreConfig: func() { srv.DropResponses("GET /user", 0) },
				Config:    config(providerBlock(srv, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_user.dev", plancheck.ResourceActionReplace),
				}},
			},
		},
	})
}
