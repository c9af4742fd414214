// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// behindGateway puts a gateway in front of srv that answers 405 to the admin /users routes, as a WAF
// that does not expose them would. The returned server shares srv's users; only its URL differs.
func behindGateway(t *testing.T, srv *localserver.Running) *localserver.Running {
	t.Helper()
	requireLocal(t, "a gateway in front of the server")
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/users") {
			http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(gw.Close)
	return &localserver.Running{Server: srv.Server, URL: gw.URL}
}

// With api_dialect = "auto", a gateway's 405 on routes it does not expose used to switch the whole
// provider process to the contract dialect: a flow created afterwards lost its description.
func TestAccDialect_autoIgnoresGatewayRefusal(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	gw := behindGateway(t, srv)
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const addr = "appmixer_flow.test"
	provider := `api_dialect = "auto"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{
				// Importing by username needs GET /users, which the gateway refuses.
				Config: providerBlock(gw, provider) + `
import {
  to = appmixer_user.joe
  id = "username:joe@example.com"
}
resource "appmixer_user" "joe" {
  username    = "joe@example.com"
  password = "Secret-123"
}
`,
				ExpectError: regexp.MustCompile(`405`),
			},
			{
				Config: flowResourceConfig(gw, provider, `  name = "behind a gateway"
  description = "kept from configuration"
  definition = "{\"start\": {\"type\": \"appmixer.utils.controls.OnStart\", \"x\": 1, \"y\": 1}}"
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("kept from configuration")),
				},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					if f.Description == nil || *f.Description != "kept from configuration" {
						return fmt.Errorf("the server's flow has description %v, want the configured one", f.Description)
					}
					return nil
				}),
			},
		},
	})
}
