// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// manyTenantObjects is n service configs, n data stores and n accounts.
func manyTenantObjects(srv *localserver.Running, n int) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_service_config" "many" {
  count      = %[1]d
  service_id = "acme:svc${count.index}"
  values     = jsonencode({ clientId = "c${count.index}" })
}

resource "appmixer_data_store" "many" {
  count = %[1]d
  name  = "store ${count.index}"
}

resource "appmixer_account" "many" {
  count            = %[1]d
  service          = "appmixer:slack"
  name             = "bot ${count.index}"
  token_wo         = jsonencode({ accessToken = "t${count.index}" })
  token_wo_version = 1
}
`, n)
}

// TestAccTenantConfig_refreshListsOnce proves that a no-change plan of 100 service configs, 100 data
// stores and 100 accounts reads one listing of each per provider process, not one request per object.
func TestAccTenantConfig_refreshListsOnce(t *testing.T) {
	requireLocal(t, "request statistics (Stats)")
	srv := startServer(t, localserver.Options{})
	configureSlackClient(t, srv)
	const n = 100
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: manyTenantObjects(srv, n)},
			{
				PreConfig: func() { srv.ResetStats() },
				Config:    manyTenantObjects(srv, n),
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(), listedOnce{srv: srv, t: t},
				}},
			},
		},
	})
}

type listedOnce struct {
	srv *localserver.Running
	t   *testing.T
}

func (c listedOnce) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	st := c.srv.Stats()
	r := st.Requests
	// Each terraform command configures the provider once, and so logs in once; the plan that does not
	// refresh reads nothing.
	processes, refreshes := r["POST /user/auth"], r["GET /stores"]
	c.t.Logf("no-change plan of 100+100+100: %d provider processes, %d requests: %v", processes, st.Total, r)
	if refreshes < 1 || refreshes > processes {
		resp.Error = fmt.Errorf("%d listings of /stores over %d processes: %v", refreshes, processes, r)
	}
	for route, n := range map[string]int{
		"GET /service-config": 2 * refreshes, // a full page, then the empty page that ends the list
		"GET /accounts":       refreshes,
		"GET /user":           processes, // the admin check of appmixer_service_config, once per process
	} {
		if r[route] != n {
			resp.Error = fmt.Errorf("%s: %d requests, want %d; all: %v", route, r[route], n, r)
		}
	}
	for route, n := range r {
		if strings.Contains(route, "{") && n > 0 {
			resp.Error = fmt.Errorf("the refresh read objects one by one (%s: %d): %v", route, n, r)
		}
	}
}

// TestAccTenantConfig_deleteGoneIsSuccess deletes each object by hand just before Terraform's DELETE
// reaches the server: the 404 that answers it is success.
func TestAccTenantConfig_deleteGoneIsSuccess(t *testing.T) {
	var mu sync.Mutex
	armed, notFound := false, map[string]int{}
	srv := startInterceptedServer(t, localserver.Options{}, interceptor{
		before: func(s *localserver.Server, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if armed && r.Method == http.MethodDelete {
				// The same request, sent first: the object is gone when Terraform's arrives.
				early := httptest.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), nil)
				early.Header = r.Header.Clone()
				s.ServeHTTP(httptest.NewRecorder(), early)
			}
		},
		after: func(r *http.Request, status int) {
			mu.Lock()
			defer mu.Unlock()
			if armed && r.Method == http.MethodDelete && status == http.StatusNotFound {
				notFound[strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]]++
			}
		},
	})
	configureSlackClient(t, srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			mu.Lock()
			defer mu.Unlock()
			// Appmixer's DELETE of a service without a configuration is not a 404 but {} (as its GET): that
			// DELETE succeeds like the others.
			for kind, want := range map[string]int{"service-config": 0, "stores": 1, "accounts": 1} {
				if notFound[kind] != want {
					return fmt.Errorf("DELETEs answered 404 by kind: %v; want one for stores and accounts, none for service-config", notFound)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: manyTenantObjects(srv, 1)},
			{
				PreConfig: func() {
					mu.Lock()
					defer mu.Unlock()
					armed = true
				},
				Config:  manyTenantObjects(srv, 1),
				Destroy: true,
			},
		},
	})
}
