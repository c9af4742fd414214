// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestAccUserList_query: every user, the admin too, and pattern selects by username.
func TestAccUserList_query(t *testing.T) {
	requireLocal(t, "a tenant holding only what the test makes, whose list is checked whole")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	me, err := api.CurrentUser(ctx)
	mustDo(t, err)
	var ids []string
	for _, name := range []string{"ann@shop.example", "bob@shop.example", "carol@ops.example"} {
		u, err := api.CreateUser(ctx, appmixer.NewUser{Username: name, Email: name, Password: "user-password"})
		mustDo(t, err)
		ids = append(ids, u.ID)
	}
	mustDo(t, api.UpdateUser(ctx, ids[2], appmixer.UserUpdate{Scope: []string{"user", "developer"}, Vendor: []string{"acme"}}))

	checks := identities("appmixer_user.all", "id", me.ID, ids[0], ids[1], ids[2])
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_user.all", byID(ids[2]), knownvalue.StringExact("carol@ops.example")),
		resultHas("appmixer_user.all", byID(ids[2]), map[string]knownvalue.Check{
			"username": knownvalue.StringExact("carol@ops.example"),
			"vendor":   knownvalue.StringExact("acme"),
			"scope": knownvalue.SetExact([]knownvalue.Check{
				knownvalue.StringExact("user"), knownvalue.StringExact("developer")}),
			// Appmixer never shows a password.
			"password": knownvalue.Null(),
		}),
	)
	checks = append(checks, identities("appmixer_user.shop", "id", ids[0], ids[1])...)
	queryTest(t, srv, `
list "appmixer_user" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_user" "shop" {
  provider = appmixer
  config { pattern = "shop.example" }
}
`, checks...)
}

// TestAccComponentList_query: one result per custom connector service; Appmixer's own connectors only
// when their vendor is asked for.
func TestAccComponentList_query(t *testing.T) {
	requireLocal(t, "the example connector acme.weather, whose names cannot carry the tfacc- prefix")
	srv := startServer(t, localserver.Options{})
	pkg, _, err := connector.PackDir(testfixture.ExampleConnector(t), "acme.weather")
	mustDo(t, err)
	publishByHand(t, apiClient(t, srv, appmixer.DialectAppmixer), "acme.weather", pkg.Zip)

	byName := func(name string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"name": knownvalue.StringExact(name)})
	}
	checks := identities("appmixer_component.custom", "name", "acme.weather")
	checks = append(checks,
		resultHas("appmixer_component.custom", byName("acme.weather"), map[string]knownvalue.Check{
			"components": weatherComponents,
			"version":    knownvalue.StringExact("1.0.0"),
			// Where an adopted connector's source is expected; the source itself is not on the server.
			"source_dir":  knownvalue.StringExact("connectors/acme/weather"),
			"source_hash": knownvalue.Null(),
		}),
	)
	checks = append(checks, identities("appmixer_component.appmixers", "name", "appmixer.google", "appmixer.slack", "appmixer.utils")...)
	checks = append(checks, querycheck.ExpectLength("appmixer_component.none", 0))
	queryTest(t, srv, `
list "appmixer_component" "custom" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_component" "appmixers" {
  provider = appmixer
  config { vendor = "appmixer" }
}
list "appmixer_component" "none" {
  provider = appmixer
  config { vendor = "globex" }
}
`, checks...)
}

// TestAccTenantConfigList_query: data stores, service configurations (their secret-looking values
// never in a result) and accounts, filtered by service.
func TestAccTenantConfigList_query(t *testing.T) {
	requireLocal(t, "AddAccount and a tenant holding only what the test makes")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	orders, err := api.CreateStore(ctx, "orders")
	mustDo(t, err)
	leads, err := api.CreateStore(ctx, "leads")
	mustDo(t, err)
	mustDo(t, api.CreateServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{
		"clientId": json.RawMessage(`"client-1"`), "clientSecret": json.RawMessage(`"never-shown"`), "sandbox": json.RawMessage(`true`)}}))
	slack := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com", DisplayName: "Ops Slack"})
	google := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:google", Name: "ops@gmail.example"})

	checks := identities("appmixer_data_store.all", "id", orders, leads)
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_data_store.all", byID(leads), knownvalue.StringExact("leads")),
		resultHas("appmixer_data_store.all", byID(orders), map[string]knownvalue.Check{
			"name": knownvalue.StringExact("orders"),
		}),
	)
	checks = append(checks, identities("appmixer_service_config.all", "service_id", "appmixer:slack")...)
	checks = append(checks, resultHas("appmixer_service_config.all",
		queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"service_id": knownvalue.StringExact("appmixer:slack")}),
		map[string]knownvalue.Check{
			"values":                   knownvalue.StringExact(`{"clientId":"client-1","sandbox":true}`),
			"secret_values_wo_version": knownvalue.Null(),
		}))
	checks = append(checks, identities("appmixer_account.all", "id", slack, google)...)
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_account.all", byID(slack), knownvalue.StringExact("Ops Slack (appmixer:slack)")),
		resultHas("appmixer_account.all", byID(slack), map[string]knownvalue.Check{
			"service":          knownvalue.StringExact("appmixer:slack"),
			"name":             knownvalue.StringExact("ops@example.com"),
			"display_name":     knownvalue.StringExact("Ops Slack"),
			"token_wo_version": knownvalue.Null(),
		}),
	)
	checks = append(checks, identities("appmixer_account.google", "id", google)...)
	queryTest(t, srv, `
list "appmixer_data_store" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_service_config" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_account" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_account" "google" {
  provider = appmixer
  config { service = "appmixer:google" }
}
`, checks...)
}

// TestAccListRefused_query: the list resources speak the real API only, and the users' list needs an
// admin; otherwise the query fails with the reason before any listing.
func TestAccListRefused_query(t *testing.T) {
	requireLocal(t, "the contract dialect")
	srv := startServer(t, localserver.Options{})
	_, err := apiClient(t, srv, appmixer.DialectAppmixer).CreateUser(context.Background(),
		appmixer.NewUser{Username: "plain@example.com", Password: "plain-pass"})
	mustDo(t, err)
	plain := fmt.Sprintf("provider \"appmixer\" {\n  base_url = %q\n  username = \"plain@example.com\"\n  password = \"plain-pass\"\n}\n", srv.URL)
	contract := startServer(t, localserver.Options{Dialect: localserver.DialectContract})
	queryRefused(t, plain, `list "appmixer_user" "all" { provider = appmixer }`,
		`Permission denied: appmixer_user (list resource) needs an admin`)
	queryRefused(t, providerBlock(contract, `api_dialect = "contract"`), `list "appmixer_flow" "all" { provider = appmixer }`,
		`appmixer_flow (list resource) is not available in the contract API dialect`)
}

// queryRefused expects the query to fail with the message.
func queryRefused(t *testing.T, provider, query, message string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   needsQuery,
		Steps: []resource.TestStep{
			{Config: provider},
			{Query: true, Config: query, ExpectError: wrappedText(message)},
		},
	})
}
