// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccUserDataSource finds a user by username, with the id the server gave it; an unknown username
// is an error naming the attribute's value.
func TestAccUserDataSource(t *testing.T) {
	requireLocal(t, "users made by the test")
	srv := startServer(t, localserver.Options{})
	u, err := apiClient(t, srv, appmixer.DialectAppmixer).CreateUser(context.Background(),
		appmixer.NewUser{Username: "ann@shop.example", Email: "ann@shop.example", Password: "ann-password-1"})
	mustDo(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, "") + `data "appmixer_user" "ann" { username = "ann@shop.example" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.appmixer_user.ann", tfjsonpath.New("id"), knownvalue.StringExact(u.ID)),
					statecheck.ExpectKnownValue("data.appmixer_user.ann", tfjsonpath.New("email"), knownvalue.StringExact("ann@shop.example")),
				},
			},
			{
				Config:      providerBlock(srv, "") + `data "appmixer_user" "bob" { username = "bob@shop.example" }`,
				ExpectError: wrappedText(`The tenant has no user with the username "bob@shop.example"`),
			},
		},
	})
}
