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

	// OnStart -> SendEmail, both built into every tenant; SendEmail's only in-port is "in".
	mailFlow := func(inPort string, pinned bool) map[string]any {
		mail := map[string]any{"type": "appmixer.utils.email.SendEmail", "source": map[string]any{"in": map[string]any{"start": []any{"out"}}},
			"config": map[string]any{"transform": map[string]any{inPort: map[string]any{"start": map[string]any{"out": map[string]any{
				"type": "json2new", "lambda": map[string]any{"to": "ops@example.com", "subject": "x", "text": "x"}}}}}}}
		start := map[string]any{"type": "appmixer.utils.controls.OnStart", "source": map[string]any{}, "config": map[string]any{}}
		if pinned {
			start["version"] = "1.0.0"
		}
		return map[string]any{"name": uniqueName("flow"), "flow": map[string]any{"start": start, "mail": mail}}
	}
	create := func(c *caseT, body map[string]any) string {
		id, _ := admin.must(c, http.StatusOK, "POST", "/flows", body).object(c)["flowId"].(string)
		t.Cleanup(func() { admin.do(t, "DELETE", "/flows/"+id, nil) })
		return id
	}

	t.Run("a start answers 400 when a transform does not fit the in-ports, and the flow stays stopped", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.3, §10", source: "runbooks 13-e2e-run.md; CLI appmixer-flow-start.js", confidence: "med-high"})
		id := create(c, mailFlow("message", false))
		r := admin.do(c, "POST", "/flows/"+id+"/coordinator", map[string]any{"command": "start"})
		if r.status != http.StatusBadRequest {
			c.Fatalf("start with a transform on no in-port: %d %s, want 400", r.status, r.raw)
		}
		if msg, _ := r.object(c)["message"].(string); msg != "Component transformation validation error" && msg != "Malformed transformation" {
			c.Errorf("start refused with %q, want one of the engine's transformation messages", msg)
		}
		if got := admin.must(c, http.StatusOK, "GET", "/flows/"+id, nil).object(c)["stage"]; got != "stopped" {
			c.Errorf("a refused start left the flow %v", got)
		}
		ok := create(c, mailFlow("in", false))
		admin.must(c, http.StatusOK, "POST", "/flows/"+ok+"/coordinator", map[string]any{"command": "start"})
		admin.must(c, http.StatusOK, "POST", "/flows/"+ok+"/coordinator", map[string]any{"command": "stop"})
	})

	t.Run("a sent component version is kept, a missing one is stamped", func(t *testing.T) {
		c := cite(t, evidence{section: "§3, §10", source: "runbooks, staff notes", confidence: "med"})
		id := create(c, mailFlow("in", true))
		flow, _ := admin.must(c, http.StatusOK, "GET", "/flows/"+id, nil).object(c)["flow"].(map[string]any)
		start, _ := flow["start"].(map[string]any)
		mail, _ := flow["mail"].(map[string]any)
		if start["version"] != "1.0.0" {
			c.Errorf("pinned version read back as %v, want 1.0.0", start["version"])
		}
		if v, _ := mail["version"].(string); v == "" {
			c.Errorf("a node saved without a version has none on read-back")
		}
	})

	t.Run("PUT /flows/{id} answers {flowId, result: updated}", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "docs flows", confidence: "high"})
		body := mailFlow("in", false)
		id := create(c, body)
		body["name"] = uniqueName("renamed")
		got := admin.must(c, http.StatusOK, "PUT", "/flows/"+id, body).object(c)
		if got["flowId"] != id || got["result"] != "updated" {
			c.Errorf("PUT answered %v, want {flowId, result: updated}", got)
		}
	})
}
