// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

const categoryAddr = "appmixer_integration_category.crm"

func categoryConfig(srv *localserver.Running, name, description string) string {
	desc := ""
	if description != "" {
		desc = fmt.Sprintf("description = %q", description)
	}
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_integration_category" "crm" {
  name = %q
  %s
}
`, name, desc)
}

// categoryOnServer checks the server's category (the oracle) against the name and description wanted.
func categoryOnServer(api *appmixer.Client, name, description string) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		c, err := api.GetCategory(context.Background(), st.RootModule().Resources[categoryAddr].Primary.ID)
		if err != nil {
			return err
		}
		if c.Name != name || c.Description != description {
			return fmt.Errorf("server category %q (%q), want %q (%q)", c.Name, c.Description, name, description)
		}
		return nil
	}
}

func TestAccIntegrationCategory_lifecycle(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	keepID := func(st *terraform.State) error { id = st.RootModule().Resources[categoryAddr].Primary.ID; return nil }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetCategory(ctx, id); !appmixer.IsNotFound(err) {
				return fmt.Errorf("category %s after destroy: %v, want a 404", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:            categoryConfig(srv, "tfacc-CRM", ""),
				Check:             resource.ComposeTestCheckFunc(categoryOnServer(api, "tfacc-CRM", ""), keepID),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(categoryAddr, tfjsonpath.New("id"))},
			},
			{
				// Renamed and described in place.
				Config: categoryConfig(srv, "tfacc-Sales", "Sales tools"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(categoryAddr, plancheck.ResourceActionUpdate),
				}},
				Check:             categoryOnServer(api, "tfacc-Sales", "Sales tools"),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(categoryAddr, tfjsonpath.New("id"))},
			},
			{ResourceName: categoryAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: categoryAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: categoryAddr, ImportState: true, ImportStateId: "a b",
				ExpectError: regexp.MustCompile(`Invalid import ID[\s\S]*got "a b", expected an integration category id`)},
			{
				// Changed by hand: the plan puts name and description back.
				PreConfig:          func() { mustDo(t, api.UpdateCategory(ctx, id, "tfacc-Hand", "by hand")) },
				Config:             categoryConfig(srv, "tfacc-Sales", "Sales tools"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					expectAttributeChange(categoryAddr, "name", "description"),
				}},
			},
			{Config: categoryConfig(srv, "tfacc-Sales", "Sales tools"), Check: categoryOnServer(api, "tfacc-Sales", "Sales tools")},
			{
				// Deleted by hand: the plan creates it again.
				PreConfig:          func() { mustDo(t, api.DeleteCategory(ctx, id)) },
				Config:             categoryConfig(srv, "tfacc-Sales", "Sales tools"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(categoryAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				Config: categoryConfig(srv, "tfacc-Sales", "Sales tools") + `
data "appmixer_integration_category" "by_name" {
  name       = "tfacc-Sales"
  depends_on = [appmixer_integration_category.crm]
}
`,
				Check: resource.ComposeTestCheckFunc(categoryOnServer(api, "tfacc-Sales", "Sales tools"), keepID,
					resource.TestCheckResourceAttrPair("data.appmixer_integration_category.by_name", "id", categoryAddr, "id"),
					resource.TestCheckResourceAttr("data.appmixer_integration_category.by_name", "description", "Sales tools")),
			},
		},
	})
}

// TestAccIntegrationCategory_badInput: what the server would refuse is refused at plan time, before
// anything changes: a name that is empty, too long or another category's; a user who is no admin;
// the contract dialect; a data source name that matches nothing.
func TestAccIntegrationCategory_badInput(t *testing.T) {
	requireLocal(t, "the contract dialect")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	taken, err := api.CreateCategory(ctx, "tfacc-Taken", "")
	mustDo(t, err)
	_, err = api.CreateUser(ctx, appmixer.NewUser{Username: "plain@example.com", Password: "plain-pass"})
	mustDo(t, err)
	contract := startContractServer(t)
	plain := fmt.Sprintf("provider \"appmixer\" {\n  base_url = %q\n  username = \"plain@example.com\"\n  password = \"plain-pass\"\n}\n", srv.URL)
	block := "resource \"appmixer_integration_category\" \"crm\" {\n  name = \"tfacc-x\"\n}\n"
	runBadInputs(t, []badInput{
		{name: "empty", config: categoryConfig(srv, "", ""), want: []string{"Attribute name string length must be between 1 and 100"}},
		{name: "long", config: categoryConfig(srv, strings.Repeat("x", 101), ""), want: []string{"Attribute name string length must be between 1 and 100"}},
		{name: "taken", config: categoryConfig(srv, "tfacc-Taken", ""),
			want: []string{"Integration category name already taken", "The category " + taken + ` is already named "tfacc-Taken"`, "terraform import <address> " + taken}},
		{name: "non-admin", config: plain + block,
			want: []string{"Permission denied: appmixer_integration_category needs an admin", `"plain@example.com" has scope [user]`}},
		{name: "contract", config: providerBlock(contract, `api_dialect = "contract"`) + block,
			want: []string{"appmixer_integration_category is not available in the contract API dialect"}},
		{name: "no such name", config: providerBlock(srv, "") + "data \"appmixer_integration_category\" \"x\" {\n  name = \"tfacc-Nope\"\n}\n",
			want: []string{`No Appmixer integration category named "tfacc-Nope"`, `"tfacc-Taken" (id ` + taken + ")"}},
	})
	if all, err := api.ListCategories(ctx); err != nil || len(all) != 1 {
		t.Errorf("categories after the refused plans: %v, %v; want only tfacc-Taken", all, err)
	}
}

func TestAccIntegrationCategory_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, categoryConfig(srv, "tfacc-identified", "d"),
		identityOf{addr: categoryAddr, attr: "id", key: objectID})
}
