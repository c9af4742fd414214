// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// localApps is what GET /apps of the local server lists: one app per module, described by its
// module.json, or by its service.json where the module has none (appmixer.slack.list).
var localApps = []struct{ name, label, category, description string }{
	{"appmixer.google.gmail", "Gmail", "applications", "Gmail messages."},
	{"appmixer.slack.list", "Slack", "applications", "Team messaging."},
	{"appmixer.utils.controls", "Controls", "utilities", "Flow control."},
	{"appmixer.utils.email", "Email", "utilities", "Send email without an account."},
	{"appmixer.utils.storage", "Storage", "utilities", "Records of data stores."},
	{"appmixer.utils.timers", "Timers", "utilities", "Scheduled triggers."},
}

// appsExact is the list check of the local apps whose name passes keep, every attribute compared.
func appsExact(keep func(name, category string) bool) knownvalue.Check {
	var checks []knownvalue.Check
	for _, a := range localApps {
		if keep(a.name, a.category) {
			checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"name":        knownvalue.StringExact(a.name),
				"label":       knownvalue.StringExact(a.label),
				"category":    knownvalue.StringExact(a.category),
				"description": knownvalue.StringExact(a.description),
				"icon":        knownvalue.StringRegexp(wrappedText("data:image/svg+xml;base64,")),
			}))
		}
	}
	if checks == nil {
		return knownvalue.ListSizeExact(0)
	}
	return knownvalue.ListExact(checks)
}

func TestAccAppsDataSource(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.appmixer_apps.none", tfjsonpath.New("apps"), knownvalue.ListSizeExact(0)),
	}
	if accTenant == nil {
		// What the local server has installed, app by app; a tenant has its own.
		checks = append(checks,
			statecheck.ExpectKnownValue("data.appmixer_apps.all", tfjsonpath.New("apps"),
				appsExact(func(string, string) bool { return true })),
			statecheck.ExpectKnownValue("data.appmixer_apps.slack", tfjsonpath.New("apps"),
				appsExact(func(name, _ string) bool { return strings.HasPrefix(name, "appmixer.slack") })),
			statecheck.ExpectKnownValue("data.appmixer_apps.utilities", tfjsonpath.New("apps"),
				appsExact(func(_, category string) bool { return category == "utilities" })),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv, "") + `
data "appmixer_apps" "all" {}
data "appmixer_apps" "slack" {
  name_prefix = "appmixer.slack"
}
data "appmixer_apps" "utilities" {
  category = "utilities"
}
data "appmixer_apps" "none" {
  category = "no-such-category"
}
`,
				ConfigStateChecks: checks,
				// Laws that hold on any tenant: sorted by name, and each filter keeps exactly the apps of
				// the full list that match it.
				Check: resource.ComposeAggregateTestCheckFunc(
					appsFiltered("data.appmixer_apps.slack", func(name, _ string) bool { return strings.HasPrefix(name, "appmixer.slack") }),
					appsFiltered("data.appmixer_apps.utilities", func(_, category string) bool { return category == "utilities" }),
				),
			},
		},
	})
}

// appsFiltered checks that the data source at addr lists, in name order, exactly the apps of
// data.appmixer_apps.all that keep accepts.
func appsFiltered(addr string, keep func(name, category string) bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		all, err := appsInState(s, "data.appmixer_apps.all")
		if err != nil {
			return err
		}
		got, err := appsInState(s, addr)
		if err != nil {
			return err
		}
		var want []string
		for _, a := range all {
			if keep(a[0], a[1]) {
				want = append(want, a[0])
			}
		}
		var names []string
		for _, a := range got {
			names = append(names, a[0])
		}
		if !slices.IsSorted(names) || !slices.Equal(names, want) {
			return fmt.Errorf("%s lists %v, want %v (in name order)", addr, names, want)
		}
		return nil
	}
}

// appsInState returns the name and category of each app a data source holds.
func appsInState(s *terraform.State, addr string) ([][2]string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", addr)
	}
	n, err := strconv.Atoi(rs.Primary.Attributes["apps.#"])
	if err != nil {
		return nil, fmt.Errorf("%s: apps.# = %q", addr, rs.Primary.Attributes["apps.#"])
	}
	out := make([][2]string, n)
	for i := range n {
		out[i] = [2]string{rs.Primary.Attributes[fmt.Sprintf("apps.%d.name", i)], rs.Primary.Attributes[fmt.Sprintf("apps.%d.category", i)]}
	}
	return out, nil
}
