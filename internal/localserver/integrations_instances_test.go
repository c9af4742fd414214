// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"strings"
	"testing"
)

// The three ways real clients give an end user an instance (appmixer-api.md §7).
var instanceWays = map[string]func(h *harness, tok, templateID string) string{
	// The official Todo demo: SDK cloneFlow(template, {connectAccounts: false}), then updateFlow(id, {templateId}).
	"sdk": func(h *harness, tok, templateID string) string {
		id := str(h.must(200, "POST", "/flows/"+templateID+"/clone", tok, map[string]any{"connectAccounts": false}).obj()["cloneId"])
		h.must(200, "PUT", "/flows/"+id, tok, map[string]any{"templateId": templateID})
		return id
	},
	// Appmixer's staff recipe without the UI.
	"staff": func(h *harness, tok, templateID string) string {
		id := str(h.must(200, "POST", "/flows/"+templateID+"/clone", tok, map[string]any{
			"setOriginFlowId": true, "additional": map[string]any{"type": typeInstance}}).obj()["cloneId"])
		h.must(200, "PUT", "/flows/"+id, tok, map[string]any{"templateId": templateID})
		return id
	},
	// The official CLI's e2e test.
	"cli": instantiate,
}

// publishToDomain publishes the test draft to the users of customer.example only, so that the admin
// (admin@example.com) is not among them.
func publishToDomain(h *harness, tok string) string {
	h.t.Helper()
	h.must(200, "PUT", "/flows/draft-1", tok, draftBody())
	return str(h.must(200, "POST", "/flows/draft-1/clone", tok, map[string]any{
		"projection": "-sharedWith", "setOriginFlowId": true,
		"additional": map[string]any{"type": typeTemplate, "sharedWith": []any{
			map[string]any{"domain": "customer.example", "permissions": []any{"read"}}}},
	}).obj()["cloneId"])
}

func TestInstancesMadeTheThreeRealWays(t *testing.T) {
	t.Parallel()
	for _, way := range []string{"sdk", "staff", "cli"} {
		t.Run(way, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, Options{})
			admin := h.admin()
			tplID := publishToDomain(h, admin)
			_, alice := h.signUp("alice@customer.example")
			id := instanceWays[way](h, alice, tplID)

			// Listed and counted by its owner through templateId, the link Appmixer's own code lists by.
			inst := h.must(200, "GET", "/flows/"+id, alice, nil).obj()
			if inst["type"] != typeInstance || inst["userId"] == nil {
				t.Fatalf("instance %s", mustJSON(inst))
			}
			byLink := "filter=type:integration-instance&filter=templateId:" + tplID
			if way == "cli" {
				byLink = "filter=type:integration-instance&filter=originFlowId:" + tplID // the CLI sets no templateId
			}
			if got := h.must(200, "GET", "/flows?"+byLink, alice, nil).arr(); len(got) != 1 {
				t.Fatalf("alice lists %v", got)
			}
			// The admin sees only its own and shared flows: none of them is hers.
			if got := h.must(200, "GET", "/flows/count?"+byLink, admin, nil).obj()["count"]; got != float64(0) {
				t.Fatalf("the admin counts %v of alice's instances", got)
			}
			assertBoom(t, h.do("GET", "/flows/"+id, admin, nil), 404, "Flow not found.")

			// A rollout reaches it, however it is linked.
			tpl := h.must(200, "GET", "/flows/"+tplID, admin, nil).obj()
			flow := tpl["flow"].(map[string]any)
			flow[stringMapOf(tpl["componentIdMap"])["mail"]].(map[string]any)["label"] = "Mail v2"
			h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"flow": flow, "revision": 2})
			ticket := str(h.must(200, "POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{}).obj()["ticket"])
			if seen := pollUntil(h, admin, ticket); seen[len(seen)-1]["stepsTotal"] != float64(1) || seen[len(seen)-1]["status"] != "completed" {
				t.Fatalf("rollout %v", seen)
			}
			inst = h.must(200, "GET", "/flows/"+id, alice, nil).obj()
			if got := mustJSON(inst["flow"]); !strings.Contains(got, `"label":"Mail v2"`) || inst["revision"] != float64(2) {
				t.Fatalf("after the rollout: %s", mustJSON(inst))
			}
			// Deleting the integration takes it too.
			ticket = str(h.must(200, "DELETE", "/integrations/draft-1", admin, nil).obj()["ticket"])
			pollUntil(h, admin, ticket)
			assertBoom(t, h.do("GET", "/flows/"+id, alice, nil), 404, "Flow not found.")
		})
	}
}

func TestAdminSeesAllFlowsRestoresTheOldView(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{AdminSeesAllFlows: true})
	admin := h.admin()
	tplID := publishToDomain(h, admin)
	_, alice := h.signUp("alice@customer.example")
	id := instanceWays["sdk"](h, alice, tplID)
	got := h.must(200, "GET", "/flows?filter=templateId:"+tplID, admin, nil).arr()
	if len(got) != 1 || got[0].(map[string]any)["flowId"] != id {
		t.Fatalf("with AdminSeesAllFlows the admin lists %v", got)
	}
}

func TestRevisionIsThePublishers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	tplID := publishToDomain(h, admin)
	rev := func(tok, id string) any { return h.must(200, "GET", "/flows/"+id, tok, nil).obj()["revision"] }
	if r := rev(admin, tplID); r != float64(1) {
		t.Fatalf("a new template has revision %v", r)
	}
	// Saves do not count; the revision sent is kept, as Appmixer's publish script expects.
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"name": "Renamed"})
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"description": "again"})
	if r := rev(admin, tplID); r != float64(1) {
		t.Fatalf("after two saves without a revision: %v", r)
	}
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"revision": 7})
	// An instance keeps the revision it was made from, so a later publish makes it lag.
	_, alice := h.signUp("alice@customer.example")
	inst := instanceWays["sdk"](h, alice, tplID)
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"revision": 8})
	if r, tr := rev(alice, inst), rev(admin, tplID); r != float64(7) || tr != float64(8) {
		t.Fatalf("instance revision %v, template %v", r, tr)
	}
}

func TestCloneAdditionalTakesOnlyWhatAppmixerTakes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	h.must(200, "PUT", "/flows/draft-1", admin, draftBody())
	for _, key := range []string{"categories", "description", "customFields", "templateId"} {
		assertBoom(t, h.do("POST", "/flows/draft-1/clone", admin, map[string]any{
			"additional": map[string]any{"type": typeTemplate, key: []any{"x"}}}), 400, `"additional.`+key+`" is not allowed`)
	}
	id := str(h.must(200, "POST", "/flows/draft-1/clone", admin, map[string]any{"additional": map[string]any{
		"type": typeTemplate, "name": "Hub card", "sharedWith": everyone,
		"wizard": map[string]any{"fields": []any{}}}}).obj()["cloneId"])
	got := h.must(200, "GET", "/flows/"+id, admin, nil).obj()
	if got["name"] != "Hub card" || got["type"] != typeTemplate || mustJSON(got["wizard"]) != `{"fields":[]}` {
		t.Fatalf("clone %s", mustJSON(got))
	}
}
