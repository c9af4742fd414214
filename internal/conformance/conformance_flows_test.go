// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"net/http"
	"testing"
)

// TestConformanceFlows covers the flow routes the provider's appmixer_flow relies on.
func TestConformanceFlows(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)

	t.Run("POST /flows answers only the new flowId", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.3", source: "CLI appmixer-flow-import.js; docs", confidence: "high"})
		r := admin.must(c, http.StatusOK, "POST", "/flows", map[string]any{"name": uniqueName("flow"), "flow": map[string]any{}})
		body := r.object(c)
		id, _ := body["flowId"].(string)
		if id == "" || len(body) != 1 {
			c.Errorf("POST /flows answered keys %v, want only flowId", keys(body))
		}
		if id != "" {
			t.Cleanup(func() { admin.do(t, "DELETE", "/flows/"+id, nil) })
			got := admin.must(c, http.StatusOK, "GET", "/flows/"+id, nil).object(c)
			if got["stage"] != "stopped" {
				c.Errorf("a new flow is in stage %v, want stopped", got["stage"])
			}
			if _, has := got["id"]; has {
				c.Errorf("the flow object has an id key; Appmixer's key is flowId")
			}
		}
	})

	t.Run("a missing flow is a Boom 404", func(t *testing.T) {
		c := cite(t, evidence{section: "§0, §1.3", source: "docs /api/flows; CLI src/utils.js", confidence: "high"})
		r := admin.do(c, "GET", "/flows/00000000-0000-4000-8000-000000000000", nil)
		if r.status != http.StatusNotFound {
			c.Fatalf("GET of a missing flow: got %d, want 404: %s", r.status, r.raw)
		}
		boom := r.object(c)
		if boom["statusCode"] != float64(http.StatusNotFound) || boom["error"] != "Not Found" || boom["message"] == nil {
			c.Errorf("the 404 is not Boom JSON {statusCode, error, message}: %s", r.raw)
		}
	})
}
