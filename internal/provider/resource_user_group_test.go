// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
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

// mustCreateUser signs a user up outside Terraform and deletes it when the test ends.
func groupMemberUser(t *testing.T, api *appmixer.Client, name string) string {
	t.Helper()
	u, err := api.CreateUser(context.Background(), appmixer.NewUser{Username: name, Email: name, Password: "tfacc-Password-1"})
	mustDo(t, err)
	t.Cleanup(func() { _, _ = api.DeleteUser(context.Background(), u.ID) })
	return u.ID
}

func userGroupConfig(srv *localserver.Running, name, members string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_user_group" "support" {
  name = %q
  %s
}
`, name, members)
}

// groupOnServer checks the server's group (the oracle) against the name and members wanted.
func groupOnServer(api *appmixer.Client, name string, members ...string) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		g, err := api.GetUserGroup(context.Background(), st.RootModule().Resources["appmixer_user_group.support"].Primary.ID)
		if err != nil {
			return err
		}
		got := slices.Sorted(slices.Values(g.Members))
		if g.Name != name || !slices.Equal(got, slices.Sorted(slices.Values(members))) {
			return fmt.Errorf("server group %q with members %v, want %q with %v", g.Name, got, name, members)
		}
		return nil
	}
}

func TestAccUserGroup_lifecycle(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	ann := groupMemberUser(t, api, "tfacc-ann@example.com")
	bob := groupMemberUser(t, api, "tfacc-bob@example.com")
	const addr = "appmixer_user_group.support"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	members := func(ids ...string) string {
		return `members = ["` + strings.Join(ids, `", "`) + `"]`
	}
	var groupID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetUserGroup(ctx, groupID); !appmixer.IsNotFound(err) {
				return fmt.Errorf("group %s after destroy: %v, want a 404", groupID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: userGroupConfig(srv, "tfacc-Support", members(ann)),
				Check: resource.ComposeTestCheckFunc(groupOnServer(api, "tfacc-Support", ann), func(st *terraform.State) error {
					groupID = st.RootModule().Resources[addr].Primary.ID
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(addr, tfjsonpath.New("id"))},
			},
			{
				// Adding a member (POST .../members) and renaming stay in place.
				Config: userGroupConfig(srv, "tfacc-Support 2", members(ann, bob)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check:             groupOnServer(api, "tfacc-Support 2", ann, bob),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(addr, tfjsonpath.New("id"))},
			},
			{
				// Removing one (the guessed PUT with the whole list).
				Config: userGroupConfig(srv, "tfacc-Support 2", members(bob)),
				Check:  groupOnServer(api, "tfacc-Support 2", bob),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "a b", ExpectError: regexp.MustCompile(`Invalid import ID[\s\S]*got "a b", expected a user group id`)},
			{
				// A member added by hand: the plan takes it out again.
				PreConfig:          func() { mustDo(t, api.AddUserGroupMembers(ctx, groupID, []string{ann})) },
				Config:             userGroupConfig(srv, "tfacc-Support 2", members(bob)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					expectAttributeChange(addr, "members"),
				}},
			},
			{Config: userGroupConfig(srv, "tfacc-Support 2", members(bob)), Check: groupOnServer(api, "tfacc-Support 2", bob)},
			{
				// Without members in the configuration, they are the server's and not changed.
				Config: userGroupConfig(srv, "tfacc-Support 2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				// Deleted by hand: the plan creates it again.
				PreConfig:          func() { mustDo(t, api.DeleteUserGroup(ctx, groupID)) },
				Config:             userGroupConfig(srv, "tfacc-Support 2", members(bob)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
			{
				Config: userGroupConfig(srv, "tfacc-Support 2", members(bob)),
				Check: resource.ComposeTestCheckFunc(groupOnServer(api, "tfacc-Support 2", bob), func(st *terraform.State) error {
					groupID = st.RootModule().Resources[addr].Primary.ID
					return nil
				}),
			},
		},
	})
}

func TestAccUserGroup_badInput(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	contract := startContractServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      userGroupConfig(srv, "", ""),
				PlanOnly:    true,
				ExpectError: wrappedText(`Attribute name string length must be at least 1`),
			},
			{
				Config:      userGroupConfig(srv, "x", `members = ["ann example"]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid user id[\s\S]*members holds "ann example", which cannot be a user id`),
			},
			{
				Config: providerBlock(contract, `api_dialect = "contract"`) +
					"resource \"appmixer_user_group\" \"x\" {\n  name = \"x\"\n}\n",
				PlanOnly:    true,
				ExpectError: wrappedText(`appmixer_user_group is not available in the contract API dialect`),
			},
		},
	})
}

func TestAccUserGroup_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, userGroupConfig(srv, "tfacc-identified", ""),
		identityOf{addr: "appmixer_user_group.support", attr: "id", key: objectID})
}
