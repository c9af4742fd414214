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
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

const (
	configSecret1 = "jwt-Secret-one-4c1d"
	configSecret2 = "jwt-Secret-two-9e7b"
)

// serverConfig is the server's value of key as compact JSON, "" when the key is absent.
func serverConfig(t *testing.T, api *appmixer.Client, key string) string {
	t.Helper()
	list, err := api.ListConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.Key == key {
			v, _ := decodeJSON(string(e.Value))
			s, _ := encodeJSON(v)
			return s
		}
	}
	return ""
}

func expectServerConfig(t *testing.T, api *appmixer.Client, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for key, v := range want {
			if got := serverConfig(t, api, key); got != v {
				return fmt.Errorf("server config %s = %s, want %s", key, got, v)
			}
		}
		return nil
	}
}

func TestAccConfig_lifecycleImportAndDrift(t *testing.T) {
	requireLocal(t, "setting JWTSecret, which on a tenant would end every session")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	jwtBlock := func(secret string, version int) string {
		return fmt.Sprintf(`
resource "appmixer_config" "jwt" {
  key              = "JWTSecret"
  value_wo         = jsonencode(%q)
  value_wo_version = %d
}
`, secret, version)
	}
	config := func(limits, secret string, version int) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_config" "limits" {
  key   = "limits"
  value = jsonencode(%s)
}
`, limits) + jwtBlock(secret, version)
	}
	const (
		limits = "appmixer_config.limits"
		jwt    = "appmixer_config.jwt"
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if list, err := api.ListConfig(context.Background()); err != nil || len(list) != 0 {
				return fmt.Errorf("after destroy the server holds %v (%w)", list, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(`{ flows = 10, on = true, ratio = 1.5 }`, configSecret1, 1),
				Check: expectServerConfig(t, api, map[string]string{
					"limits": `{"flows":10,"on":true,"ratio":1.5}`, "JWTSecret": `"` + configSecret1 + `"`,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(jwt, tfjsonpath.New("value"), knownvalue.Null()),
					statecheck.ExpectKnownValue(jwt, tfjsonpath.New("value_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(limits, tfjsonpath.New("id"), knownvalue.StringExact("limits")),
				},
			},
			{
				// In place: a new value, and a rotated secret.
				Config: config(`{ flows = 20, on = false }`, configSecret2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(limits, plancheck.ResourceActionUpdate),
					expectAttributeChange(limits, "value"),
					plancheck.ExpectResourceAction(jwt, plancheck.ResourceActionUpdate),
					expectAttributeChange(jwt, "value_wo_version"),
				}},
				Check: expectServerConfig(t, api, map[string]string{
					"limits": `{"flows":20,"on":false}`, "JWTSecret": `"` + configSecret2 + `"`,
				}),
			},
			{ResourceName: limits, ImportState: true, ImportStateVerify: true, ImportStateId: "limits"},
			{
				// A secret imports without its value; the configured version comes back with the next apply.
				ResourceName: jwt, ImportState: true, ImportStateVerify: true, ImportStateId: "value_wo:JWTSecret",
				ImportStateVerifyIgnore: []string{"value_wo_version"},
			},
			{ResourceName: limits, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "limits", GenerateConfig: true},
			{
				// The configuration written for a secret cannot hold it, and the plan says which lines to add.
				ResourceName: jwt, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: "value_wo:JWTSecret", GenerateConfig: true,
				ExpectError: wrappedText("the two lines value_wo = jsonencode(var.secret) and value_wo_version = 1"),
			},
			{
				// Drift: the value changed by hand.
				PreConfig: func() { mustSetConfig(t, api, "limits", `{"flows":99}`) },
				Config:    config(`{ flows = 20, on = false }`, configSecret2, 2),
				PlanOnly:  true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(limits, plancheck.ResourceActionUpdate),
					expectAttributeChange(limits, "value"),
					plancheck.ExpectResourceAction(jwt, plancheck.ResourceActionNoop),
				}},
			},
			{
				// Drift of a secret: the plan cannot show the value, so it shows the version coming back.
				PreConfig: func() { mustSetConfig(t, api, "JWTSecret", `"set-by-hand"`) },
				Config:    config(`{ flows = 99 }`, configSecret2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(jwt, plancheck.ResourceActionUpdate),
					expectAttributeChange(jwt, "value_wo_version"),
					plancheck.ExpectResourceAction(limits, plancheck.ResourceActionNoop),
				}},
				Check: expectServerConfig(t, api, map[string]string{"JWTSecret": `"` + configSecret2 + `"`}),
			},
			{
				// Deleted by hand: created again.
				PreConfig: func() { mustDo(t, api.DeleteConfig(context.Background(), "limits")) },
				Config:    config(`{ flows = 99 }`, configSecret2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(limits, plancheck.ResourceActionCreate),
				}},
				Check: expectServerConfig(t, api, map[string]string{"limits": `{"flows":99}`}),
			},
			{
				// A key the tenant already has is never taken over silently.
				PreConfig: func() { mustSetConfig(t, api, "API_USER_CREATE_SCOPE", `"admin"`) },
				Config: config(`{ flows = 99 }`, configSecret2, 2) + `
resource "appmixer_config" "scope" {
  key   = "API_USER_CREATE_SCOPE"
  value = jsonencode("user")
}
`,
				ExpectError: wrappedText(`Appmixer already holds config key "API_USER_CREATE_SCOPE". Import it`),
			},
			{
				PreConfig: func() { mustDo(t, api.DeleteConfig(context.Background(), "API_USER_CREATE_SCOPE")) },
				Config:    config(`{ flows = 99 }`, configSecret2, 2),
			},
			{
				// A setting becomes a secret in place: its value leaves the state.
				Config: providerBlock(srv, "") + `
resource "appmixer_config" "limits" {
  key              = "limits"
  value_wo         = jsonencode({ flows = 7 })
  value_wo_version = 1
}
` + jwtBlock(configSecret2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(limits, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(limits, tfjsonpath.New("value"), knownvalue.Null())},
				Check:             expectServerConfig(t, api, map[string]string{"limits": `{"flows":7}`}),
			},
			{
				// And back: the value is read into the state again, and plans empty afterwards.
				Config:            config(`{ flows = 8 }`, configSecret2, 2),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(limits, tfjsonpath.New("value"), knownvalue.StringExact(`{"flows":8}`))},
				Check:             expectServerConfig(t, api, map[string]string{"limits": `{"flows":8}`}),
			},
		},
	})
}

func mustSetConfig(t *testing.T, api *appmixer.Client, key, value string) {
	t.Helper()
	if _, err := api.SetConfig(context.Background(), key, json.RawMessage(value)); err != nil {
		t.Fatal(err)
	}
}

func TestAccConfig_planTimeChecks(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	cfg := func(body string) string {
		return providerBlock(srv, "") + "resource \"appmixer_config\" \"x\" {\n  key = \"k\"\n" + body + "\n}\n"
	}
	cases := map[string]string{
		`value = jsonencode(1)
  value_wo = jsonencode("s")
  value_wo_version = 1`: `Conflicting values[\s\S]*Set value for a setting or value_wo for a secret, not both`,
		`value = "{not json"`: `Invalid JSON[\s\S]*value is not valid JSON`,
		"value_wo = \"not-json-secret\"\n  value_wo_version = 1": `Invalid JSON in value_wo[\s\S]*value_wo of k is not valid JSON text; write it as\s+jsonencode\(var.secret\)`,
		`value_wo = jsonencode("s")`:                             `Missing value_wo_version`,
		`value_wo_version = 1`:                                   `Attribute "value_wo" must be specified when "value_wo_version" is\s+specified`,
		``:                                                       `Missing value`,
	}
	var steps []resource.TestStep
	for body, want := range cases {
		steps = append(steps, resource.TestStep{Config: cfg(body), PlanOnly: true, ExpectError: regexp.MustCompile(want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}
