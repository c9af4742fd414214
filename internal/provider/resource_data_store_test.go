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
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func dataStoreConfig(srv *localserver.Running, name string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_data_store" "orders" {
  name = %q
}
`, name)
}

// storeNamed is the server's store with that name, read through the API: the test's oracle.
func storeNamed(t *testing.T, api *appmixer.Client, name string) *appmixer.Store {
	t.Helper()
	stores, err := api.ListStores(context.Background())
	mustDo(t, err)
	for i := range stores {
		if stores[i].Name == name {
			return &stores[i]
		}
	}
	return nil
}

// mustCreateStore makes a store outside Terraform and deletes it when the test ends, so that nothing
// is left on a real tenant either.
func mustCreateStore(t *testing.T, api *appmixer.Client, name string) string {
	t.Helper()
	id, err := api.CreateStore(context.Background(), name)
	mustDo(t, err)
	t.Cleanup(func() {
		if err := api.DeleteStore(context.Background(), id); err != nil && !appmixer.IsNotFound(err) {
			t.Errorf("deleting store %s: %v", name, err)
		}
	})
	return id
}

func TestAccDataStore_lifecycle(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const addr = "appmixer_data_store.orders"
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			stores, err := api.ListStores(context.Background())
			// Only this test's stores: on a real tenant, other tests' come and go meanwhile.
			for _, st := range stores {
				if strings.HasPrefix(st.Name, "tfacc-Orders") && err == nil {
					err = fmt.Errorf("stores left after destroy: %v", stores)
				}
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				Config: dataStoreConfig(srv, "tfacc-Orders") + `
data "appmixer_data_store" "orders" {
  name = appmixer_data_store.orders.name
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					sameID.AddStateValue("data."+addr, tfjsonpath.New("id")),
				},
				Check: func(*terraform.State) error {
					if storeNamed(t, api, "tfacc-Orders") == nil {
						return fmt.Errorf("no store tfacc-Orders on the server")
					}
					return nil
				},
			},
			{
				// A rename keeps the id (and so the records).
				Config: dataStoreConfig(srv, "tfacc-Orders 2026"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(addr, tfjsonpath.New("id"))},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "not an id", ExpectError: regexp.MustCompile(`Invalid import ID[\s\S]*got "not an id", expected a data store id`)},
			{
				// Renamed by hand: the plan names it back.
				PreConfig: func() {
					mustDo(t, api.RenameStore(context.Background(), storeNamed(t, api, "tfacc-Orders 2026").ID, "tfacc-Orders renamed by hand"))
				},
				Config:             dataStoreConfig(srv, "tfacc-Orders 2026"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					expectAttributeChange(addr, "name"),
				}},
			},
			{Config: dataStoreConfig(srv, "tfacc-Orders 2026")},
			{
				// Deleted by hand: the plan creates it again.
				PreConfig: func() {
					mustDo(t, api.DeleteStore(context.Background(), storeNamed(t, api, "tfacc-Orders 2026").ID))
				},
				Config:             dataStoreConfig(srv, "tfacc-Orders 2026"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
			{Config: dataStoreConfig(srv, "tfacc-Orders 2026")},
		},
	})
}

func TestAccDataStore_lookupAndBadInput(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	id := mustCreateStore(t, api, "tfacc-Leads")
	for range 2 {
		mustCreateStore(t, api, "tfacc-Twice")
	}
	lookup := func(name string) string {
		return providerBlock(srv, "") + fmt.Sprintf("data \"appmixer_data_store\" \"x\" {\n  name = %q\n}\n", name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv, "") + "resource \"appmixer_data_store\" \"x\" {\n  name = \"\"\n}\n",
				PlanOnly:    true,
				ExpectError: wrappedText(`Attribute name string length must be at least 1`),
			},
			{
				Config: lookup("tfacc-Leads"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.appmixer_data_store.x", tfjsonpath.New("id"), knownvalue.StringExact(id)),
				},
			},
			{Config: lookup("tfacc-leads"), ExpectError: wrappedText(`No Appmixer data store named "tfacc-leads" with data.appmixer_data_store.x,`)},
			{Config: lookup("tfacc-Twice"), ExpectError: regexp.MustCompile(`2 Appmixer data stores are named "tfacc-Twice"[\s\S]*"tfacc-Leads" \(id ` + id + `\)`)},
		},
	})
}

func TestAccDataStore_contractDialect(t *testing.T) {
	srv := startContractServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv, `api_dialect = "contract"`) + "resource \"appmixer_data_store\" \"x\" {\n  name = \"Leads\"\n}\n",
				PlanOnly:    true,
				ExpectError: wrappedText(`appmixer_data_store is not available in the contract API dialect`),
			},
			{
				Config:      providerBlock(srv, `api_dialect = "contract"`) + "data \"appmixer_data_store\" \"x\" {\n  name = \"Leads\"\n}\n",
				ExpectError: wrappedText(`appmixer_data_store is not available in the contract API dialect`),
			},
		},
	})
}
