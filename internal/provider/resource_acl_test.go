// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
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

// documentedComponentsACL is Appmixer's documented default list for components (docs.appmixer.com/api/acl).
var documentedComponentsACL = []appmixer.ACLRule{
	{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"non-private"}},
	{Role: "user", Resource: "*", Action: []string{"*"}, Attributes: []string{"non-private"}},
	{Role: "tester", Resource: "*", Action: []string{"*"}, Attributes: []string{"non-private"}},
}

func serverACL(t *testing.T, api *appmixer.Client, aclType string) []appmixer.ACLRule {
	t.Helper()
	rules, err := api.ACL(context.Background(), aclType)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func expectServerACL(t *testing.T, api *appmixer.Client, aclType string, want []appmixer.ACLRule) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, _ := aclRulesSorted(serverACL(t, api, aclType))
		if w, _ := aclRulesSorted(want); !reflect.DeepEqual(got, w) {
			return fmt.Errorf("server %s ACL = %+v, want %+v", aclType, got, w)
		}
		return nil
	}
}

func aclRulesSorted(rules []appmixer.ACLRule) ([]string, error) {
	out := make([]string, 0, len(rules))
	for _, r := range rules {
		out = append(out, fmt.Sprint(r))
	}
	sort.Strings(out)
	return out, nil
}

func TestAccACL_lifecycleImportDriftAndRestore(t *testing.T) {
	requireLocal(t, "replacing ACL lists, which on a tenant would change who may use what")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	// What the tenant had before Terraform took over: a custom list. Destroy puts back Appmixer's
	// defaults, not this list, unless destroy_restores says "previous" (TestAccACL_destroyRestoresPrevious).
	before := []appmixer.ACLRule{
		{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
		{Role: "acme.com", Resource: "appmixer*", Action: []string{"use"}, Attributes: []string{"non-private"}},
	}
	mustDo(t, api.SetACL(context.Background(), "components", before))

	const addr = "appmixer_acl.components"
	config := func(rules string) string {
		return providerBlock(srv, "") + `
resource "appmixer_acl" "components" {
  type  = "components"
  rules = [` + rules + `]
}
`
	}
	admin := `{ role = "admin", resource = "*", action = ["*"], attributes = ["non-private"] }`
	gmail := `{ role = "sales.acme.com", resource = "appmixer.google.gmail*", action = ["use"], attributes = ["non-private", "private"] }`
	want := []appmixer.ACLRule{
		{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"non-private"}},
		{Role: "sales.acme.com", Resource: "appmixer.google.gmail*", Action: []string{"use"}, Attributes: []string{"non-private", "private"}},
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             expectServerACL(t, api, "components", documentedComponentsACL),
		Steps: []resource.TestStep{
			{
				Config: config(admin + ", " + gmail),
				Check:  expectServerACL(t, api, "components", want),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rules"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("destroy_restores"), knownvalue.StringExact("defaults")),
				},
			},
			{
				// Order does not matter in a set.
				Config:           config(gmail + ", " + admin),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "components"},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "components", GenerateConfig: true},
			{
				// Drift: a rule added by hand, e.g. in the Backoffice.
				PreConfig: func() {
					mustDo(t, api.SetACL(context.Background(), "components", append(serverACL(t, api, "components"),
						appmixer.ACLRule{Role: "user", Resource: "*", Action: []string{"*"}, Attributes: []string{"non-private"}})))
				},
				Config: config(gmail + ", " + admin),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectAttributeChange(addr, "rules"),
				}},
				Check: expectServerACL(t, api, "components", want),
			},
			{
				// Drift: a rule's attributes changed by hand.
				PreConfig: func() {
					changed := serverACL(t, api, "components")
					for i := range changed {
						changed[i].Attributes = []string{"*"}
					}
					mustDo(t, api.SetACL(context.Background(), "components", changed))
				},
				Config: config(gmail + ", " + admin),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectServerACL(t, api, "components", want),
			},
			{
				// Emptied by hand (everyone locked out): the next apply puts the rules back.
				PreConfig: func() { mustDo(t, api.SetACL(context.Background(), "components", nil)) },
				Config:    config(gmail + ", " + admin),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectServerACL(t, api, "components", want),
			},
		},
	})
}

// TestAccACL_destroyRestoresPrevious: with destroy_restores = "previous", destroy puts back the list
// Terraform took over; when that list was empty it puts back Appmixer's defaults rather than lock
// everyone out. An empty configured list is only a warning.
func TestAccACL_destroyRestoresPrevious(t *testing.T) {
	requireLocal(t, "replacing ACL lists, which on a tenant would change who may use what")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	mustDo(t, api.SetACL(context.Background(), "components", nil))
	routesBefore := []appmixer.ACLRule{
		{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
		{Role: "user", Resource: "flows", Action: []string{"read"}, Attributes: []string{"*"}},
	}
	mustDo(t, api.SetACL(context.Background(), "routes", routesBefore))
	config := func(restores string) string {
		return providerBlock(srv, "") + `
resource "appmixer_acl" "components" {
  type             = "components"
  rules            = []
  destroy_restores = "previous"
}

resource "appmixer_acl" "routes" {
  type             = "routes"
  rules            = [{ role = "admin", resource = "*", action = ["*"], attributes = ["*"] }]
  destroy_restores = "` + restores + `"
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(s *terraform.State) error {
			if err := expectServerACL(t, api, "components", documentedComponentsACL)(s); err != nil {
				return err
			}
			return expectServerACL(t, api, "routes", routesBefore)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: config("defaults"),
				Check:  expectServerACL(t, api, "components", nil),
			},
			{
				// Switching what destroy restores is an in-place change that sends nothing the server
				// would see differently: the list Terraform took over is still the one recorded at create.
				Config: config("previous"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_acl.routes", plancheck.ResourceActionUpdate),
				}},
				Check: expectServerACL(t, api, "routes", []appmixer.ACLRule{
					{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
				}),
			},
		},
	})
}

func TestAccACL_planTimeChecks(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	rules := func(aclType, rules string) string {
		return providerBlock(srv, "") + fmt.Sprintf("resource \"appmixer_acl\" \"x\" {\n  type = %q\n  rules = [%s]\n}\n", aclType, rules)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Appmixer says other types may be added: the tenant's own list decides.
				Config:      rules("flows", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown ACL type.*type is "flows", but this Appmixer tenant has the ACL types routes,\s+components`),
			},
			{
				Config:      rules("components rules", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute type must be an ACL type such as components or routes`),
			},
			{
				Config: providerBlock(srv, "") + `resource "appmixer_acl" "x" {
  type             = "components"
  rules            = []
  destroy_restores = "nothing"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute destroy_restores value must be one of`),
			},
			{
				Config:      rules("components", `{ role = "admin", resource = "*", action = ["*"] }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Inappropriate value for attribute "rules": element 0: attribute "attributes"\s+is required`),
			},
		},
	})
}
