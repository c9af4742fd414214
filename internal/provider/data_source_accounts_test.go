// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func TestAccAccountDataSources(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	slackOps := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com", DisplayName: "Ops Slack"})
	mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "dev@example.com"})
	mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:google", Name: "ops@example.com"})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, "") + `
data "appmixer_accounts" "all" {}
data "appmixer_accounts" "slack" {
  service = "appmixer:slack"
}
data "appmixer_account" "by_name" {
  service = "appmixer:slack"
  name    = "ops@example.com"
}
data "appmixer_account" "by_display_name" {
  service      = "appmixer:slack"
  display_name = "Ops Slack"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.appmixer_accounts.all", tfjsonpath.New("accounts"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.appmixer_accounts.slack", tfjsonpath.New("accounts"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.appmixer_accounts.slack", tfjsonpath.New("accounts").AtSliceIndex(0).AtMapKey("service"), knownvalue.StringExact("appmixer:slack")),
					statecheck.ExpectKnownValue("data.appmixer_account.by_name", tfjsonpath.New("account_id"), knownvalue.StringExact(slackOps)),
					statecheck.ExpectKnownValue("data.appmixer_account.by_name", tfjsonpath.New("display_name"), knownvalue.StringExact("Ops Slack")),
					statecheck.ExpectKnownValue("data.appmixer_account.by_name", tfjsonpath.New("user_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.appmixer_account.by_display_name", tfjsonpath.New("account_id"), knownvalue.StringExact(slackOps)),
					statecheck.ExpectKnownValue("data.appmixer_account.by_display_name", tfjsonpath.New("name"), knownvalue.StringExact("ops@example.com")),
				},
			},
		},
	})
}

func TestAccAccountDataSource_noOrSeveralMatches(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "twin@example.com"})
	mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "twin@example.com"})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, "") + `
data "appmixer_account" "missing" {
  service = "appmixer:slack"
  name    = "nobody@example.com"
}
`,
				ExpectError: regexp.MustCompile(`(?s)No matching Appmixer account.*"appmixer:slack".*"nobody@example.com".*found\s+0.*twin@example.com`),
			},
			{
				Config: providerBlock(srv, "") + `
data "appmixer_account" "twins" {
  service = "appmixer:slack"
  name    = "twin@example.com"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Several matching Appmixer accounts.*found\s+2`),
			},
			{
				Config: providerBlock(srv, "") + `
data "appmixer_account" "empty_service" {
  service = "appmixer:asana"
  name    = "x"
}
`,
				ExpectError: wrappedText(`no account of service "appmixer:asana"`),
			},
			{
				Config: providerBlock(srv, "") + `
data "appmixer_account" "both" {
  service      = "appmixer:slack"
  name         = "twin@example.com"
  display_name = "Twin"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*name.*display_name`),
			},
			{
				Config: providerBlock(srv, "") + `
data "appmixer_accounts" "bad" {
  service = "slack"
}
`,
				ExpectError: wrappedText(`service must be vendor:service`),
			},
		},
	})
}
