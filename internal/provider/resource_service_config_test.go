// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

const slackConfigAddr = "appmixer_service_config.slack"

// slackConfig is an appmixer_service_config of appmixer:slack; secret "" leaves the secrets out.
func slackConfig(srv *localserver.Running, values, secret string, version int) string {
	body := fmt.Sprintf("  service_id = \"appmixer:slack\"\n  values = jsonencode(%s)\n", values)
	if secret != "" {
		body += fmt.Sprintf("  secret_values_wo = jsonencode({ clientSecret = %q })\n  secret_values_wo_version = %d\n", secret, version)
	}
	return providerBlock(srv, "") + "resource \"appmixer_service_config\" \"slack\" {\n" + body + "}\n"
}

// serverHolds checks the server's object, read through the API, against want (serviceId aside).
func serverHolds(t *testing.T, api *appmixer.Client, serviceID string, want map[string]any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sc, err := api.GetServiceConfig(context.Background(), serviceID)
		if err != nil {
			return err
		}
		got := map[string]any{}
		for k, v := range sc.Values {
			var x any
			mustDo(t, json.Unmarshal(v, &x))
			got[k] = x
		}
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("server holds %v, want %v", got, want)
		}
		return nil
	}
}

// replaceByHand rewrites the server's object, as an admin in the Backoffice would.
func replaceByHand(t *testing.T, api *appmixer.Client, serviceID string, values map[string]any) {
	t.Helper()
	raw := map[string]json.RawMessage{}
	for k, v := range values {
		b, err := json.Marshal(v)
		mustDo(t, err)
		raw[k] = b
	}
	mustDo(t, api.ReplaceServiceConfig(context.Background(), appmixer.ServiceConfig{ServiceID: serviceID, Values: raw}))
}

func TestAccServiceConfig_lifecycle(t *testing.T) {
	requireLocal(t, "a service config of appmixer:slack, which on a tenant would replace the real one")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	v1 := `{ clientId = "cid-1", sandbox = true, retries = 3 }`
	v2 := `{ clientId = "cid-2", sandbox = true, retries = 3 }`
	const addr = slackConfigAddr
	drift := func(change func(m map[string]any)) func() {
		return func() {
			m := map[string]any{"clientId": "cid-2", "sandbox": true, "retries": 3, "clientSecret": "sec-2"}
			change(m)
			replaceByHand(t, api, "appmixer:slack", m)
		}
	}
	expectDrift := func(change func(m map[string]any), attr string) resource.TestStep {
		return resource.TestStep{
			PreConfig: drift(change), Config: slackConfig(srv, v2, "sec-2", 2), PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), expectAttributeChange(addr, attr),
			}},
		}
	}
	restored := resource.TestStep{
		Config: slackConfig(srv, v2, "sec-2", 2),
		Check:  serverHolds(t, api, "appmixer:slack", map[string]any{"clientId": "cid-2", "sandbox": true, "retries": 3.0, "clientSecret": "sec-2"}),
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			_, err := api.GetServiceConfig(context.Background(), "appmixer:slack")
			if err == nil {
				return errors.New("the service config is still there after destroy")
			}
			if appmixer.IsNotFound(err) {
				return nil
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				Config: slackConfig(srv, v1, "sec-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("appmixer:slack")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_values_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact(`{"clientId":"cid-1","retries":3,"sandbox":true}`)),
				},
				// Typed values stay typed on the server; the secret arrives merged.
				Check: serverHolds(t, api, "appmixer:slack", map[string]any{"clientId": "cid-1", "sandbox": true, "retries": 3.0, "clientSecret": "sec-1"}),
			},
			{
				// A change of values alone still carries the secret: PUT replaces the whole object.
				Config: slackConfig(srv, v2, "sec-1", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), expectAttributeChange(addr, "values"),
				}},
				Check: serverHolds(t, api, "appmixer:slack", map[string]any{"clientId": "cid-2", "sandbox": true, "retries": 3.0, "clientSecret": "sec-1"}),
			},
			{
				// Rotating the secret: a new version sends it.
				Config: slackConfig(srv, v2, "sec-2", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: restored.Check,
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"secret_values_wo_version"}},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "slack", ExpectError: regexp.MustCompile(`Invalid import ID[\s\S]*got "slack", expected a service id vendor:service`)},
			expectDrift(func(m map[string]any) { m["sandbox"] = false }, "values"),
			restored,
			expectDrift(func(m map[string]any) { m["addedByHand"] = "x" }, "values"),
			restored,
			// A secret changed or removed by hand shows through the hash in private state.
			expectDrift(func(m map[string]any) { m["clientSecret"] = "changed-by-hand" }, "secret_values_wo_version"),
			restored,
			expectDrift(func(m map[string]any) { delete(m, "clientSecret") }, "secret_values_wo_version"),
			restored,
			{
				PreConfig: func() { mustDo(t, api.DeleteServiceConfig(context.Background(), "appmixer:slack")) },
				Config:    slackConfig(srv, v2, "sec-2", 2), PlanOnly: true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
			restored,
		},
	})
}

// TestAccServiceConfig_import takes over a configuration made by hand: without secrets in the
// configuration an update keeps the server's; adding them sends them once.
func TestAccServiceConfig_import(t *testing.T) {
	requireLocal(t, "a service config of appmixer:slack, which on a tenant would replace the real one")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	mustDo(t, api.CreateServiceConfig(context.Background(), appmixer.ServiceConfig{ServiceID: "appmixer:slack",
		Values: map[string]json.RawMessage{"clientId": json.RawMessage(`"old"`), "clientSecret": json.RawMessage(`"by-hand"`)}}))
	importBlock := "import {\n  to = " + slackConfigAddr + "\n  id = \"appmixer:slack\"\n}\n"
	const addr = slackConfigAddr

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// A service without a configuration (GET answers {}) cannot be imported.
				Config:      "import {\n  to = appmixer_service_config.none\n  id = \"acme:none\"\n}\nresource \"appmixer_service_config\" \"none\" {\n  service_id = \"acme:none\"\n  values = jsonencode({ a = 1 })\n}\n" + slackConfig(srv, `{ clientId = "old" }`, "", 0),
				ExpectError: wrappedText(`No service configuration to import The tenant has no configuration of acme:none`),
			},
			{
				// Creating what exists is refused: taking it over is an import.
				Config:      slackConfig(srv, `{ clientId = "new" }`, "", 0),
				ExpectError: wrappedText(`Service configuration already exists`),
			},
			{
				Config: importBlock + slackConfig(srv, `{ clientId = "new" }`, "", 0),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), expectAttributeChange(addr, "values"),
				}},
				// The secret-looking key stayed out of state, and the update kept it on the server.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact(`{"clientId":"new"}`)),
				},
				Check: serverHolds(t, api, "appmixer:slack", map[string]any{"clientId": "new", "clientSecret": "by-hand"}),
			},
			{
				Config: slackConfig(srv, `{ clientId = "new" }`, "from-terraform", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), expectAttributeChange(addr, "secret_values_wo_version"),
				}},
				Check: serverHolds(t, api, "appmixer:slack", map[string]any{"clientId": "new", "clientSecret": "from-terraform"}),
			},
		},
	})
}

func TestAccServiceConfig_refused(t *testing.T) {
	requireLocal(t, "the contract dialect")
	srv := startServer(t, localserver.Options{})
	mustDo(t, func() error {
		_, err := apiClient(t, srv, appmixer.DialectAppmixer).CreateUser(context.Background(),
			appmixer.NewUser{Username: "plain@example.com", Password: "plain-pass"})
		return err
	}())
	contract := startContractServer(t)
	resourceBlock := func(lines string) string {
		return "resource \"appmixer_service_config\" \"x\" {\n" + lines + "\n}\n"
	}
	ok := "service_id = \"appmixer:slack\"\nvalues = jsonencode({ clientId = \"c\" })"
	plain := fmt.Sprintf("provider \"appmixer\" {\n  base_url = %q\n  username = \"plain@example.com\"\n  password = \"plain-pass\"\n}\n", srv.URL)
	runBadInputs(t, []badInput{
		{name: "non-admin", config: plain + resourceBlock(ok),
			want: []string{"Permission denied: appmixer_service_config needs an admin", `"plain@example.com" has scope [user]`, "/service-config are admin-only"}},
		{name: "contract", config: providerBlock(contract, `api_dialect = "contract"`) + resourceBlock(ok),
			want: []string{"appmixer_service_config is not available in the contract API dialect"}},
		{name: "service id", config: providerBlock(srv, "") + resourceBlock(`service_id = "slack"`),
			want: []string{"Invalid service", "service_id must be vendor:service", `got "slack"`}},
		{name: "values not an object", config: providerBlock(srv, "") + resourceBlock(`service_id = "appmixer:slack"`+"\nvalues = jsonencode([1])"),
			want: []string{"Invalid JSON", "values must be a JSON object, got an array"}},
		{name: "secrets not JSON", config: providerBlock(srv, "") + resourceBlock(ok+"\nsecret_values_wo = \"{\"\nsecret_values_wo_version = 1"),
			want: []string{"Invalid secret_values_wo", "secret_values_wo is not valid JSON", "Its value is not shown"}},
		{name: "key twice", config: providerBlock(srv, "") + resourceBlock(ok+"\nsecret_values_wo = jsonencode({ clientId = \"s\" })\nsecret_values_wo_version = 1"),
			want: []string{"Key in both values and secret_values_wo", `both have "clientId"`}},
		{name: "serviceId key", config: providerBlock(srv, "") + resourceBlock(`service_id = "appmixer:slack"`+"\nvalues = jsonencode({ serviceId = \"x\" })"),
			want: []string{"serviceId is set by service_id", `values has the key "serviceId"`}},
		// Appmixer cannot tell an empty configuration from none.
		{name: "empty", config: providerBlock(srv, "") + resourceBlock(`service_id = "appmixer:slack"`+"\nvalues = jsonencode({})"),
			want: []string{"Empty service configuration", "sets no key in values or secret_values_wo"}},
		{name: "secret without version", config: providerBlock(srv, "") + resourceBlock(ok+"\nsecret_values_wo = jsonencode({ s = \"s\" })"),
			want: []string{"Missing secret_values_wo_version", "secret_values_wo needs secret_values_wo_version"}},
	})
}

// TestAccServiceConfig_importedSecretLookingValues: after an import the provider guesses from key
// names which keys are secrets, but a key the configuration sets in values is not one: the configured
// value is sent (never the server's old one) and the plan after the apply is empty.
func TestAccServiceConfig_importedSecretLookingValues(t *testing.T) {
	requireLocal(t, "a service config of appmixer:slack, which on a tenant would replace the real one")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	replaceByHand(t, api, "appmixer:slack", map[string]any{"clientId": "old", "tokenUrl": "https://old.example/token",
		"publicKey": "old-pk", "keyId": "k1", "clientSecret": "by-hand"})
	importBlock := "import {\n  to = " + slackConfigAddr + "\n  id = \"appmixer:slack\"\n}\n"
	values := `{ clientId = "new", tokenUrl = "https://new.example/token", publicKey = "new-pk", keyId = "k2" }`

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: importBlock + slackConfig(srv, values, "", 0),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(slackConfigAddr, tfjsonpath.New("values"), knownvalue.StringExact(
					`{"clientId":"new","keyId":"k2","publicKey":"new-pk","tokenUrl":"https://new.example/token"}`)),
			},
			// The configured values won; the secret nobody configured stayed.
			Check: serverHolds(t, api, "appmixer:slack", map[string]any{"clientId": "new", "tokenUrl": "https://new.example/token",
				"publicKey": "new-pk", "keyId": "k2", "clientSecret": "by-hand"}),
		}, {
			Config:   slackConfig(srv, values, "", 0),
			PlanOnly: true,
		}},
	})
}
