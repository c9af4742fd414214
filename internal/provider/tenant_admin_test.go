// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// What the four tenant settings share: refused in the contract dialect and for a non-admin provider
// at plan time, and refreshed from one listing per process where a list route exists.

// tenantAdminConfigs is one small configuration of each tenant setting.
func tenantAdminConfigs(t *testing.T) map[string]string {
	source := filepath.Join(t.TempDir(), "logo.svg")
	mustDo(t, os.WriteFile(source, []byte("<svg/>"), 0o600))
	return map[string]string{
		"appmixer_acl": `resource "appmixer_acl" "x" {
  type  = "routes"
  rules = [{ role = "admin", resource = "*", action = ["*"], attributes = ["*"] }]
}`,
		"appmixer_config":      "resource \"appmixer_config\" \"x\" {\n  key = \"k\"\n  value = jsonencode(1)\n}",
		"appmixer_modifiers":   "resource \"appmixer_modifiers\" \"x\" {\n  document = " + fmt.Sprintf("%q", customModifiers) + "\n}",
		"appmixer_public_file": fmt.Sprintf("resource \"appmixer_public_file\" \"x\" {\n  filename = \"logo.svg\"\n  source = %q\n}", source),
	}
}

func TestAccTenantAdmin_refusedInTheContractDialect(t *testing.T) {
	srv := startContractServer(t)
	var steps []resource.TestStep
	for typeName, body := range tenantAdminConfigs(t) {
		steps = append(steps, resource.TestStep{
			Config:      providerBlock(srv, `api_dialect = "contract"`) + body,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(typeName + ` is not available in the contract API dialect`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}

func TestAccTenantAdmin_refusedForANonAdmin(t *testing.T) {
	requireLocal(t, "request statistics (Stats)")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	if _, err := api.CreateUser(context.Background(), appmixer.NewUser{Username: "plain@example.com", Password: "plain-pass"}); err != nil {
		t.Fatal(err)
	}
	plain := fmt.Sprintf("provider \"appmixer\" {\n  base_url = %q\n  username = \"plain@example.com\"\n  password = \"plain-pass\"\n}\n", srv.URL)
	var steps []resource.TestStep
	for typeName, body := range tenantAdminConfigs(t) {
		steps = append(steps, resource.TestStep{
			Config:      plain + body,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Permission denied: ` + typeName + ` needs an admin.*"plain@example.com"\s+has\s+scope\s+\[user\]`),
		})
	}
	srv.ResetStats()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			for route := range srv.Stats().Requests {
				if !strings.HasPrefix(route, "GET ") && route != "POST /user/auth" {
					return fmt.Errorf("a refused plan sent %s", route)
				}
			}
			return nil
		},
	})
}

// TestAccTenantAdmin_oneListingPerProcess: a refresh of many config keys and public files costs one
// GET /config and one GET /public-files per terraform command, like the single modifiers document's
// one GET /modifiers, not one request per resource.
func TestAccTenantAdmin_oneListingPerProcess(t *testing.T) {
	requireLocal(t, "request statistics (Stats)")
	srv := startServer(t, localserver.Options{})
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(providerBlock(srv, ""))
	b.WriteString("resource \"appmixer_modifiers\" \"m\" {\n  document = " + fmt.Sprintf("%q", customModifiers) + "\n}\n")
	const n = 12
	for i := range n {
		src := filepath.Join(dir, fmt.Sprintf("f%d.txt", i))
		mustDo(t, os.WriteFile(src, []byte(fmt.Sprint(i)), 0o600))
		fmt.Fprintf(&b, "resource \"appmixer_config\" \"c%d\" {\n  key = \"key-%d\"\n  value = jsonencode(%d)\n}\n", i, i, i)
		fmt.Fprintf(&b, "resource \"appmixer_public_file\" \"f%d\" {\n  filename = \"f%d.txt\"\n  source = %q\n}\n", i, i, src)
	}
	config := b.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: srv.ResetStats,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					got := srv.Stats().Requests
					t.Logf("no-change plan of %d config keys, %d public files and the modifiers: %v", n, n, got)
					if got["GET /modifiers"] == 0 || got["GET /config"] != got["GET /modifiers"] || got["GET /public-files"] != got["GET /modifiers"] {
						t.Errorf("a no-change plan of %d keys and %d files made %d GET /config and %d GET /public-files "+
							"for %d GET /modifiers (one per terraform command); all requests: %v",
							n, n, got["GET /config"], got["GET /public-files"], got["GET /modifiers"], got)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
