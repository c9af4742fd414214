// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"net/http"
	"net/url"
	"testing"
)

// serviceConfigEvidence is §8's source for the service-config routes: the engine's code quoted in
// Appmixer staff notes.
var serviceConfigEvidence = evidence{section: "§8", source: "engine ServiceConfig (staff notes); docs /api/service-configuration", confidence: "med-high"}

// TestConformanceServiceConfig covers the /service-config routes appmixer_service_config relies on.
// Every case works on services named by uniqueName, never a real connector's configuration.
func TestConformanceServiceConfig(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	// newService is a service id no connector uses, whose configuration is removed after the case.
	newService := func(t *testing.T) string {
		id := uniqueName("svc") + ":conf"
		t.Cleanup(func() { admin.do(t, "DELETE", "/service-config/"+url.PathEscape(id), nil) })
		return id
	}
	path := func(id string) string { return "/service-config/" + url.PathEscape(id) }
	listed := func(c *caseT, id string) bool {
		for _, item := range admin.must(c, http.StatusOK, "GET", "/service-config?pattern="+url.QueryEscape(id), nil).array(c) {
			if m, _ := item.(map[string]any); m["serviceId"] == id {
				return true
			}
		}
		return false
	}

	t.Run("GET of a service without a configuration answers 200 {}", func(t *testing.T) {
		c := cite(t, serviceConfigEvidence)
		id := newService(t)
		r := admin.do(c, "GET", path(id), nil)
		if r.status != http.StatusOK {
			c.Fatalf("GET %s: got %d, want 200 {}: %s", path(id), r.status, r.raw)
		}
		if got := r.object(c); len(got) != 0 {
			c.Errorf("GET of a service without a configuration answered keys %v, want {}", keys(got))
		}
		if listed(c, id) {
			c.Errorf("GET /service-config lists %s, which has no configuration", id)
		}
	})

	t.Run("PUT creates a missing configuration and replaces the whole object", func(t *testing.T) {
		c := cite(t, serviceConfigEvidence)
		id := newService(t)
		admin.must(c, http.StatusOK, "PUT", path(id), map[string]any{"clientId": "c1", "sandbox": true})
		got := admin.must(c, http.StatusOK, "GET", path(id), nil).object(c)
		if got["clientId"] != "c1" || got["sandbox"] != true || got["serviceId"] != id {
			c.Fatalf("after an upserting PUT, GET answered %v", got)
		}
		if !listed(c, id) {
			c.Errorf("GET /service-config does not list %s after the PUT that created it", id)
		}
		admin.must(c, http.StatusOK, "PUT", path(id), map[string]any{"clientId": "c2"})
		got = admin.must(c, http.StatusOK, "GET", path(id), nil).object(c)
		if _, kept := got["sandbox"]; kept || got["clientId"] != "c2" {
			c.Errorf("PUT must replace the whole object; GET answered %v", got)
		}
	})

	t.Run("DELETE answers {} and the configuration is gone", func(t *testing.T) {
		c := cite(t, serviceConfigEvidence)
		id := newService(t)
		admin.must(c, http.StatusOK, "POST", "/service-config", map[string]any{"serviceId": id, "clientId": "c"})
		if got := admin.must(c, http.StatusOK, "DELETE", path(id), nil).object(c); len(got) != 0 {
			c.Errorf("DELETE answered keys %v, want {}", keys(got))
		}
		if got := admin.must(c, http.StatusOK, "GET", path(id), nil).object(c); len(got) != 0 {
			c.Errorf("GET after DELETE answered keys %v, want {}", keys(got))
		}
		if listed(c, id) {
			c.Errorf("GET /service-config still lists %s after DELETE", id)
		}
	})

	t.Run("DELETE of a service without a configuration answers 200 {}", func(t *testing.T) {
		c := cite(t, evidence{section: "§8", source: "not documented for a missing configuration", confidence: "low", guess: true})
		id := newService(t)
		if r := admin.do(c, "DELETE", path(id), nil); r.status != http.StatusOK {
			c.Errorf("DELETE of a service without a configuration: got %d, want 200 {}: %s", r.status, r.raw)
		}
	})

	t.Run("a second POST for a configured service answers 409", func(t *testing.T) {
		c := cite(t, evidence{section: "§8", source: "undocumented; the engine's route helper turns unknown errors into 400", confidence: "low", guess: true})
		id := newService(t)
		admin.must(c, http.StatusOK, "POST", "/service-config", map[string]any{"serviceId": id, "clientId": "c"})
		if r := admin.do(c, "POST", "/service-config", map[string]any{"serviceId": id, "clientId": "d"}); r.status != http.StatusConflict {
			c.Errorf("a second POST: got %d, want 409: %s", r.status, r.raw)
		}
	})
}
