// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"net/http"
	"strings"
	"testing"
)

// customer signs an end user up (POST /user, open unless the tenant restricts it) and logs them in.
// Their e-mail domain is the one the cases' templates are shared with, never the admin's.
func (tn *tenant) customer(t *testing.T) *session {
	t.Helper()
	email := uniqueName("customer") + "@customer.example"
	if r := send(t, "POST", tn.baseURL+"/user", "", map[string]any{"username": email, "email": email, "password": "Customer-pw-1"}); r.status/100 != 2 {
		t.Fatalf("POST /user: %d %s", r.status, r.raw)
	}
	t.Cleanup(func() { deleteUserNamed(t, tn.admin(t), email) })
	r := tn.login(t, email, "Customer-pw-1")
	tok, _ := r.object(t)["token"].(string)
	if tok == "" {
		t.Fatalf("logging the customer in: %d %s", r.status, r.raw)
	}
	return &session{tn: tn, token: tok}
}

// publishedTemplate saves a draft and publishes it to the users of customer.example; it returns the
// draft's and the template's ids and deletes both (and what remains linked) at the end.
func publishedTemplate(t *testing.T, admin *session) (string, string) {
	t.Helper()
	draft := uniqueName("draft")
	admin.must(t, http.StatusOK, "PUT", "/flows/"+draft, map[string]any{"name": draft, "type": "integration-draft",
		"flow": map[string]any{"s": map[string]any{"type": "appmixer.utils.controls.OnStart", "label": "Start", "source": map[string]any{}}}})
	t.Cleanup(func() { admin.do(t, "DELETE", "/integrations/"+draft, nil) })
	tpl, _ := admin.must(t, http.StatusOK, "POST", "/flows/"+draft+"/clone", map[string]any{
		"projection": "-sharedWith", "setOriginFlowId": true,
		"additional": map[string]any{"type": "integration-template", "sharedWith": []any{
			map[string]any{"domain": "customer.example", "permissions": []any{"read"}}}},
	}).object(t)["cloneId"].(string)
	if tpl == "" {
		t.Fatal("the publishing clone answered no cloneId")
	}
	return draft, tpl
}

func countOf(t testing.TB, s *session, query string) float64 {
	n, _ := s.must(t, http.StatusOK, "GET", "/flows/count?"+query, nil).object(t)["count"].(float64)
	return n
}

// TestConformanceIntegrationInstances covers how real clients make, link and find instances
// (appmixer-api.md §7).
func TestConformanceIntegrationInstances(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	_, tpl := publishedTemplate(t, admin)
	alice := tn.customer(t)

	t.Run("an end user's SDK clone of a shared template, linked by a PUT of templateId, is listed by templateId", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "official Todo demo; Appmixer ops code (filter=templateId)", confidence: "med-high"})
		id, _ := alice.must(c, http.StatusOK, "POST", "/flows/"+tpl+"/clone", map[string]any{"connectAccounts": false}).object(c)["cloneId"].(string)
		alice.must(c, http.StatusOK, "PUT", "/flows/"+id, map[string]any{"templateId": tpl})
		if n := countOf(c, alice, "filter=templateId:"+tpl); n != 1 {
			c.Errorf("alice counts %v flows with templateId %s, want her 1", n, tpl)
		}
	})
	t.Run("the staff recipe's clone carries originFlowId and, after its PUT, templateId", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "Appmixer staff notes", confidence: "med-high"})
		id, _ := alice.must(c, http.StatusOK, "POST", "/flows/"+tpl+"/clone", map[string]any{
			"setOriginFlowId": true, "additional": map[string]any{"type": "integration-instance"}}).object(c)["cloneId"].(string)
		alice.must(c, http.StatusOK, "PUT", "/flows/"+id, map[string]any{"templateId": tpl})
		f := alice.must(c, http.StatusOK, "GET", "/flows/"+id, nil).object(c)
		if f["originFlowId"] != tpl || f["templateId"] != tpl || f["type"] != "integration-instance" {
			c.Errorf("instance: originFlowId %v, templateId %v, type %v", f["originFlowId"], f["templateId"], f["type"])
		}
	})
	t.Run("the CLI's e2e clone is linked by originFlowId", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "CLI test-transfer-e2e.js", confidence: "high"})
		alice.must(c, http.StatusOK, "POST", "/flows/"+tpl+"/clone", map[string]any{"projection": "-sharedWith",
			"isTemplateInstance": true, "connectAccounts": false, "setOriginFlowId": true,
			"additional": map[string]any{"type": "integration-instance"}})
		if n := countOf(c, alice, "filter=type:integration-instance&filter=originFlowId:"+tpl); n != 2 {
			c.Errorf("alice counts %v instances by originFlowId, want 2 (staff recipe, CLI)", n)
		}
	})
	t.Run("an admin's GET /flows shows its own and shared flows, not a customer's instances", func(t *testing.T) {
		c := cite(t, evidence{section: "§7, §1.3", source: "docs GET /flows 'all flows of a user'; staff notes", confidence: "med"})
		if n := countOf(c, admin, "filter=originFlowId:"+tpl); n != 0 {
			c.Errorf("the admin counts %v of the customer's instances, want 0", n)
		}
	})
	t.Run("a rollout reaches the instances of both links", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "CLI update-integration-instances; ops code", confidence: "med"})
		ticket, _ := admin.must(c, http.StatusOK, "POST", "/integrations/"+tpl+"/update-integration-instances", map[string]any{"inProgressData": "keep"}).object(c)["ticket"].(string)
		if !tn.isLocal() {
			return // the step count of a real rollout is not documented
		}
		for range 20 {
			st := admin.must(c, http.StatusOK, "GET", "/integrations/status/"+ticket, nil).object(c)
			if st["status"] != "in-progress" {
				if st["status"] != "completed" || st["stepsTotal"] != float64(3) {
					c.Errorf("rollout %v, want 3 instances updated", st)
				}
				return
			}
		}
		c.Errorf("the rollout did not finish")
	})
}

// TestConformanceIntegrationTemplates covers what a publisher sends (appmixer-api.md §7).
func TestConformanceIntegrationTemplates(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	draft, tpl := publishedTemplate(t, admin)

	t.Run("the revision sent with a template is stored", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "staff notes, publish-integration.js", confidence: "med"})
		before, _ := admin.must(c, http.StatusOK, "GET", "/flows/"+tpl, nil).object(c)["revision"].(float64)
		admin.must(c, http.StatusOK, "PUT", "/flows/"+tpl, map[string]any{"revision": before + 1})
		if got := admin.must(c, http.StatusOK, "GET", "/flows/"+tpl, nil).object(c)["revision"]; got != before+1 {
			c.Errorf("revision %v after sending %v", got, before+1)
		}
	})
	t.Run("a clone's additional refuses keys other than type, sharedWith, wizard and name", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "publish-integration.js (categories refused)", confidence: "med-high"})
		r := admin.do(c, "POST", "/flows/"+draft+"/clone", map[string]any{"projection": "-sharedWith",
			"additional": map[string]any{"type": "integration-template", "categories": []any{"x"}}})
		if r.status != http.StatusBadRequest {
			c.Errorf("additional.categories: %d %s, want 400", r.status, r.raw)
			if id, _ := r.object(c)["cloneId"].(string); id != "" {
				admin.do(c, "DELETE", "/flows/"+id, nil)
			}
		}
	})
	t.Run("a rollout does not add a component new in the template", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "Appmixer ops code comment; CLI 2.2.0 disabled test", confidence: "med"})
		alice := tn.customer(t)
		inst, _ := alice.must(c, http.StatusOK, "POST", "/flows/"+tpl+"/clone", map[string]any{"connectAccounts": false}).object(c)["cloneId"].(string)
		alice.must(c, http.StatusOK, "PUT", "/flows/"+inst, map[string]any{"templateId": tpl})
		flow, _ := admin.must(c, http.StatusOK, "GET", "/flows/"+tpl, nil).object(c)["flow"].(map[string]any)
		flow["tfconf-new"] = map[string]any{"type": "appmixer.utils.controls.OnStart", "label": "New", "source": map[string]any{}}
		admin.must(c, http.StatusOK, "PUT", "/flows/"+tpl, map[string]any{"flow": flow})
		ticket, _ := admin.must(c, http.StatusOK, "POST", "/integrations/"+tpl+"/update-integration-instances", map[string]any{}).object(c)["ticket"].(string)
		for range 20 {
			if st := admin.must(c, http.StatusOK, "GET", "/integrations/status/"+ticket, nil).object(c); st["status"] != "in-progress" {
				break
			}
		}
		got := alice.must(c, http.StatusOK, "GET", "/flows/"+inst, nil).raw
		if strings.Contains(string(got), `"label":"New"`) {
			c.Errorf("the instance got the new component: %s", got)
		}
	})
}
