// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"net/http"
	"testing"
)

// TestConformanceAccounts covers the POST /accounts rule appmixer_account's diagnostics rely on.
func TestConformanceAccounts(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)

	t.Run("POST /accounts of an OAuth service without a configured client answers 500", func(t *testing.T) {
		c := cite(t, evidence{section: "§8, §10", source: "docs /api/accounts; Appmixer-ai runbooks", confidence: "med-high"})
		// Slack connects with OAuth 2. A tenant's own configuration of it is never touched: where one
		// exists there is nothing this case may check.
		if got := admin.must(c, http.StatusOK, "GET", "/service-config/appmixer:slack", nil).object(c); len(got) != 0 {
			t.Skip("the tenant has a configuration of appmixer:slack, which this case must not remove")
		}
		r := admin.do(c, "POST", "/accounts?validateScope=false&requestProfileInfo=false", map[string]any{
			"service": "appmixer:slack", "name": uniqueName("account"),
			"token": map[string]any{"accessToken": "conformance-not-a-token", "scope": []any{"chat:write"}},
		})
		if r.status == http.StatusOK {
			if id, _ := r.object(c)["accountId"].(string); id != "" {
				admin.do(t, "DELETE", "/accounts/"+id, nil)
			}
		}
		if r.status != http.StatusInternalServerError {
			c.Fatalf("got %d, want 500: %s", r.status, r.raw)
		}
		if boom := r.object(c); boom["statusCode"] != float64(http.StatusInternalServerError) || boom["error"] != "Internal Server Error" {
			c.Errorf("the 500 is not Boom JSON: %s", r.raw)
		}
	})
}
