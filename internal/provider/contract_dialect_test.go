// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// startContractServer serves exactly appmixer-openapi.yml and fails the test if any request or
// response of the run strays from it.
func startContractServer(t *testing.T) *localserver.Running {
	t.Helper()
	srv := startServer(t, localserver.Options{Dialect: "contract", ValidateContract: true})
	t.Cleanup(func() {
		if v := srv.ContractViolations(); len(v) > 0 {
			t.Errorf("%d contract violations, first: %s", len(v), v[0])
		}
	})
	return srv
}

func TestAccContractDialect_dataSources(t *testing.T) {
	for _, dialect := range []string{"contract", "auto"} {
		t.Run(dialect, func(t *testing.T) {
			srv := startContractServer(t)
			slack := mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com"})
			flowID, err := apiClient(t, srv, appmixer.DialectContract).CreateFlow(context.Background(), appmixer.FlowInput{
				Name: "contract flow", Definition: json.RawMessage(`{"s":{"type":"appmixer.utils.controls.OnStart","source":{}}}`),
				CustomFields: map[string]any{"team": "ops"},
			})
			if err != nil {
				t.Fatal(err)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{
						Config: providerBlock(srv, `api_dialect = "`+dialect+`"`) + `
data "appmixer_apps" "slack" {
  name_prefix = "appmixer.slack"
}
data "appmixer_accounts" "slack" {
  service = "appmixer:slack"
}
data "appmixer_account" "ops" {
  service = "appmixer:slack"
  name    = "ops@example.com"
}
data "appmixer_flow" "by_name" {
  name = "contract flow"
}
data "appmixer_flows" "ops" {
  custom_fields = { team = "ops" }
}
`,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.appmixer_apps.slack", tfjsonpath.New("apps").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("appmixer.slack.list")),
							// The contract's App has no category.
							statecheck.ExpectKnownValue("data.appmixer_apps.slack", tfjsonpath.New("apps").AtSliceIndex(0).AtMapKey("category"), knownvalue.Null()),
							statecheck.ExpectKnownValue("data.appmixer_accounts.slack", tfjsonpath.New("accounts"), knownvalue.ListSizeExact(1)),
							statecheck.ExpectKnownValue("data.appmixer_account.ops", tfjsonpath.New("account_id"), knownvalue.StringExact(slack)),
							statecheck.ExpectKnownValue("data.appmixer_account.ops", tfjsonpath.New("display_name"), knownvalue.Null()),
							statecheck.ExpectKnownValue("data.appmixer_flow.by_name", tfjsonpath.New("id"), knownvalue.StringExact(flowID)),
							statecheck.ExpectKnownValue("data.appmixer_flow.by_name", tfjsonpath.New("stage"), knownvalue.StringExact("stopped")),
							// The contract has no bindings to read.
							statecheck.ExpectKnownValue("data.appmixer_flow.by_name", tfjsonpath.New("accounts"), knownvalue.Null()),
							statecheck.ExpectKnownValue("data.appmixer_flows.ops", tfjsonpath.New("flows"), knownvalue.ListExact([]knownvalue.Check{
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(flowID)}),
							})),
						},
					},
					{
						Config: providerBlock(srv, `api_dialect = "`+dialect+`"`) + `
data "appmixer_account" "missing" {
  service = "appmixer:google"
  name    = "ops@example.com"
}
`,
						ExpectError: wrappedText(`no account of service "appmixer:google"`),
					},
				},
			})
		})
	}
}
