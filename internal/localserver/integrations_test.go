// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable server clock; a frozen one leaves tickets to progress by polls alone.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func frozenHarness(t *testing.T) (*harness, *clock) {
	t.Helper()
	clk := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	return newHarness(t, Options{Now: clk.Now}), clk
}

// draftBody is an integration draft: start -> mail, a transform with a $-variable, and a wizard field
// that points into mail's transform of start's output.
func draftBody() map[string]any {
	return map[string]any{
		"name": "Welcome mail", "type": typeDraft, "customFields": map[string]any{"team": "growth"},
		"flow": map[string]any{
			"start": map[string]any{"type": "appmixer.utils.controls.OnStart", "source": map[string]any{}},
			"mail": map[string]any{"type": "appmixer.utils.email.SendEmail",
				"source": map[string]any{"in": map[string]any{"start": []any{"out"}}},
				"config": map[string]any{"transform": map[string]any{"in": map[string]any{"start": map[string]any{"out": map[string]any{
					"type": "json2new", "modifiers": map[string]any{"text": map[string]any{"m1": map[string]any{"variable": "$.start.out.started"}}},
					"lambda": map[string]any{"text": "{{{m1}}}", "to": "someone@example.com"}}}}}}},
		},
		"wizard": map[string]any{"fields": []any{map[string]any{"type": "inspectorField", "label": "To",
			"source": "mail.config.transform.in.start.out.lambda.to"}}},
	}
}

var everyone = []any{map[string]any{"scope": "user", "permissions": []any{"read"}}}

// publishIntegration creates the draft and its template as the official CLI would; it returns the template's id.
func publishIntegration(h *harness, tok string) string {
	h.t.Helper()
	h.must(200, "PUT", "/flows/draft-1", tok, draftBody())
	r := h.must(200, "POST", "/flows/draft-1/clone", tok, map[string]any{
		"projection": "-sharedWith", "setOriginFlowId": true,
		"additional": map[string]any{"type": typeTemplate, "sharedWith": everyone},
	})
	if len(r.obj()) != 1 || str(r.obj()["cloneId"]) == "" {
		h.t.Fatalf("clone answers %s, want only {cloneId}", r.raw)
	}
	return str(r.obj()["cloneId"])
}

// instantiate is what the Integrations widget does for an end user.
func instantiate(h *harness, tok, templateID string) string {
	h.t.Helper()
	return str(h.must(200, "POST", "/flows/"+templateID+"/clone", tok, map[string]any{
		"projection": "-sharedWith", "isTemplateInstance": true, "connectAccounts": false, "setOriginFlowId": true,
		"additional": map[string]any{"type": typeInstance},
	}).obj()["cloneId"])
}

// renamed checks that clone is orig with every component id renamed through the clone's componentIdMap.
func renamed(t *testing.T, orig, clone map[string]any) map[string]string {
	t.Helper()
	ids := stringMapOf(clone["componentIdMap"])
	if len(ids) != 2 || ids["start"] == "" || ids["mail"] == "" || ids["start"] == "start" || ids["start"] == ids["mail"] {
		t.Fatalf("componentIdMap = %v", clone["componentIdMap"])
	}
	flow := clone["flow"].(map[string]any)
	mail := flow[ids["mail"]].(map[string]any)
	if _, ok := flow[ids["start"]]; !ok || len(flow) != 2 {
		t.Fatalf("clone components %v, want %v", sortedKeys(flow), ids)
	}
	if got := mustJSON(mail["source"]); got != `{"in":{"`+ids["start"]+`":["out"]}}` {
		t.Fatalf("clone link %s", got)
	}
	tr := mail["config"].(map[string]any)["transform"].(map[string]any)["in"].(map[string]any)
	out, ok := tr[ids["start"]].(map[string]any)
	if !ok || !strings.Contains(mustJSON(out), `"$.`+ids["start"]+`.out.started"`) {
		t.Fatalf("clone transform %s", mustJSON(tr))
	}
	field := clone["wizard"].(map[string]any)["fields"].([]any)[0].(map[string]any)
	if want := ids["mail"] + ".config.transform.in." + ids["start"] + ".out.lambda.to"; field["source"] != want {
		t.Fatalf("wizard source %v, want %s", field["source"], want)
	}
	if o := orig["flow"].(map[string]any); o["start"] == nil {
		t.Fatal("the original was changed")
	}
	return ids
}

func TestClonePublishesATemplate(t *testing.T) {
	t.Parallel()
	h, _ := frozenHarness(t)
	tok := h.admin()
	tplID := publishIntegration(h, tok)
	draft := h.must(200, "GET", "/flows/draft-1", tok, nil).obj()
	tpl := h.must(200, "GET", "/flows/"+tplID, tok, nil).obj()
	renamed(t, draft, tpl)
	if tpl["type"] != typeTemplate || tpl["originFlowId"] != "draft-1" || tpl["name"] != "Welcome mail" ||
		tpl["stage"] != "stopped" || tpl["userId"] != draft["userId"] || mustJSON(tpl["sharedWith"]) != mustJSON(everyone) ||
		mustJSON(tpl["customFields"]) != `{"team":"growth"}` {
		t.Fatalf("template %s", mustJSON(tpl))
	}
	// The CLI's lookup: repeated filter[] ANDed, an inclusive projection, any spelling of the array.
	for _, q := range []string{
		"filter[]=originFlowId:draft-1&filter[]=type:integration-template",
		"filter[0]=originFlowId:draft-1&filter[1]=type:integration-template",
		"filter=originFlowId:draft-1&filter=type:integration-template",
	} {
		got := h.must(200, "GET", "/flows?limit=1&projection=flowId,sharedWith,componentIdMap&"+url.PathEscape(q), tok, nil).arr()
		if len(got) != 1 || strings.Join(sortedKeys(got[0].(map[string]any)), ",") != "componentIdMap,flowId,sharedWith" ||
			got[0].(map[string]any)["flowId"] != tplID {
			t.Fatalf("%s: %v", q, got)
		}
	}
	if got := h.must(200, "GET", "/flows?filter[]=originFlowId:draft-1&filter[]=type:integration-instance", tok, nil).arr(); len(got) != 0 {
		t.Fatalf("no instances yet, got %v", got)
	}
	// Options are checked.
	assertBoom(t, h.do("POST", "/flows/draft-1/clone", tok, map[string]any{"isTemplateInstance": "yes"}), 400, `"isTemplateInstance" must be a boolean`)
	assertBoom(t, h.do("POST", "/flows/draft-1/clone", tok, map[string]any{"projection": "name"}), 400, "")
	assertBoom(t, h.do("POST", "/flows/draft-1/clone", tok, map[string]any{"bogus": true}), 400, `"bogus" is not allowed`)
	assertBoom(t, h.do("POST", "/flows/nope/clone", tok, map[string]any{}), 404, "Flow not found.")
	// Without setComponentIdMap the clone has no map; without setOriginFlowId no origin.
	plain := str(h.must(200, "POST", "/flows/draft-1/clone", tok, map[string]any{"setComponentIdMap": false, "prefix": "Copy of "}).obj()["cloneId"])
	p := h.must(200, "GET", "/flows/"+plain, tok, nil).obj()
	if _, has := p["componentIdMap"]; has || p["originFlowId"] != nil || p["name"] != "Copy of Welcome mail" || p["type"] != typeDraft {
		t.Fatalf("plain clone %s", mustJSON(p))
	}
}

func TestInstancesAsTheWidgetMakesThem(t *testing.T) {
	t.Parallel()
	h, _ := frozenHarness(t)
	admin := h.admin()
	tplID := publishIntegration(h, admin)
	aliceID, alice := h.signUp("alice@customer.example")
	_, bob := h.signUp("bob@customer.example")

	// End users see the shared template, with only the sharedWith entries that name them.
	seen := h.must(200, "GET", "/flows?filter=type:integration-template", alice, nil).arr()
	if len(seen) != 1 || mustJSON(seen[0].(map[string]any)["sharedWith"]) != mustJSON(everyone) {
		t.Fatalf("alice sees %v", seen)
	}
	inst := instantiate(h, alice, tplID)
	instantiate(h, bob, tplID)
	got := h.must(200, "GET", "/flows/"+inst, alice, nil).obj()
	tpl := h.must(200, "GET", "/flows/"+tplID, admin, nil).obj()
	if got["userId"] != aliceID || got["originFlowId"] != tplID || got["type"] != typeInstance || mustJSON(got["sharedWith"]) != "[]" {
		t.Fatalf("instance %s", mustJSON(got))
	}
	// The instance's map goes from the template's ids to its own.
	tplIDs := stringMapOf(tpl["componentIdMap"])
	instIDs := stringMapOf(got["componentIdMap"])
	for _, draftID := range []string{"start", "mail"} {
		if _, ok := instIDs[tplIDs[draftID]]; !ok {
			t.Fatalf("instance map %v lacks template id %s", instIDs, tplIDs[draftID])
		}
	}
	// Each user lists their own instances; the admin lists none of them (appmixer-api.md §7).
	q := "/flows/count?filter[]=originFlowId:" + tplID + "&filter[]=type:integration-instance"
	if n := h.must(200, "GET", q, admin, nil).obj()["count"]; n != float64(0) {
		t.Fatalf("admin counts %v instances", n)
	}
	if n := h.must(200, "GET", q, alice, nil).obj()["count"]; n != float64(1) {
		t.Fatalf("alice counts %v instances", n)
	}
	// Alice cannot see Bob's instance, nor clone the draft, nor a template not shared with her.
	assertBoom(t, h.do("POST", "/flows/draft-1/clone", alice, map[string]any{"isTemplateInstance": true}), 404, "Flow not found.")
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"sharedWith": []any{map[string]any{"domain": "other.example", "permissions": []any{"read"}}}})
	assertBoom(t, h.do("POST", "/flows/"+tplID+"/clone", alice, map[string]any{"isTemplateInstance": true}), 404, "Flow not found.")
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"sharedWith": []any{map[string]any{"domain": "customer.example", "permissions": []any{"read"}}}})
	instantiate(h, alice, tplID)
	// Nor clone another user's flow that is not a template, even when it is shared with her.
	h.must(200, "PUT", "/flows/plain", admin, map[string]any{"name": "Plain", "sharedWith": everyone})
	assertBoom(t, h.do("POST", "/flows/plain/clone", alice, map[string]any{}), 403, "")
	// A user may not change or delete a template shared with them.
	assertBoom(t, h.do("PUT", "/flows/"+tplID, alice, map[string]any{"name": "mine"}), 404, "Flow not found.")
	assertBoom(t, h.do("DELETE", "/flows/"+tplID, alice, nil), 404, "Flow not found.")
}

// pollUntil polls a ticket until it leaves in-progress and returns every answer.
func pollUntil(h *harness, tok, ticket string) []map[string]any {
	h.t.Helper()
	var seen []map[string]any
	for range 20 {
		r := h.must(200, "GET", "/integrations/status/"+ticket, tok, nil).obj()
		seen = append(seen, r)
		if r["status"] != "in-progress" {
			return seen
		}
	}
	h.t.Fatalf("ticket %s never finished: %v", ticket, seen)
	return nil
}

func TestRolloutStepByStep(t *testing.T) {
	t.Parallel()
	h, clk := frozenHarness(t)
	admin := h.admin()
	tplID := publishIntegration(h, admin)
	var users, instances []string
	for _, name := range []string{"u1@customer.example", "u2@customer.example", "u3@customer.example"} {
		_, tok := h.signUp(name)
		users = append(users, tok)
		instances = append(instances, instantiate(h, tok, tplID))
	}
	before := h.must(200, "GET", "/flows/"+instances[0], users[0], nil).obj()
	oldIDs := stringMapOf(before["componentIdMap"])

	// The template gains a component and a label, in its own ids, as the provider writes it.
	tpl := h.must(200, "GET", "/flows/"+tplID, admin, nil).obj()
	flow := tpl["flow"].(map[string]any)
	flow["audit"] = map[string]any{"type": "appmixer.utils.email.SendEmail", "label": "Audit",
		"source": map[string]any{"in": map[string]any{stringMapOf(tpl["componentIdMap"])["mail"]: []any{"out"}}}}
	flow[stringMapOf(tpl["componentIdMap"])["mail"]].(map[string]any)["label"] = "Mail v2"
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"flow": flow, "revision": 2})

	assertBoom(t, h.do("POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{"inProgressData": "drop"}), 400, `"inProgressData" must be one of [keep, delete]`)
	assertBoom(t, h.do("POST", "/integrations/draft-1/update-integration-instances", admin, map[string]any{}), 400, "Flow draft-1 is not an integration template.")
	assertBoom(t, h.do("POST", "/integrations/"+tplID+"/update-integration-instances", users[0], map[string]any{}), 404, "Flow not found.")
	ticket := str(h.must(200, "POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{"inProgressData": "keep"}).obj()["ticket"])
	assertBoom(t, h.do("GET", "/integrations/status/"+ticket, users[0], nil), 404, "Ticket not found.")

	// With the clock frozen, each status request finishes one instance.
	seen := pollUntil(h, admin, ticket)
	var steps []float64
	for _, s := range seen {
		steps = append(steps, s["stepsCompleted"].(float64))
		if s["stepsTotal"] != float64(3) {
			t.Fatalf("stepsTotal %v", s)
		}
	}
	if !reflect.DeepEqual(steps, []float64{1, 2, 3}) || seen[2]["status"] != "completed" {
		t.Fatalf("progress %v", seen)
	}
	for i, id := range instances {
		inst := h.must(200, "GET", "/flows/"+id, users[i], nil).obj()
		ids := stringMapOf(inst["componentIdMap"])
		comps := inst["flow"].(map[string]any)
		// The changed label arrives, the new component does not (appmixer-api.md §7), the revision follows.
		mail, _ := comps[ids[stringMapOf(tpl["componentIdMap"])["mail"]]].(map[string]any)
		if len(comps) != 2 || mail["label"] != "Mail v2" || inst["revision"] != float64(2) {
			t.Fatalf("instance %d: %s", i, mustJSON(inst))
		}
		if i == 0 {
			for tplComp, instComp := range oldIDs {
				if ids[tplComp] != instComp {
					t.Fatalf("instance kept components must keep their ids: %v -> %v", oldIDs, ids)
				}
			}
		}
	}

	// A rollout nobody polls still ends, one instance per asyncDelay.
	ticket = str(h.must(200, "POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{}).obj()["ticket"])
	clk.advance(3 * asyncDelay)
	h.must(200, "GET", "/user", admin, nil)
	if r := h.must(200, "GET", "/integrations/status/"+ticket, admin, nil).obj(); r["status"] != "completed" {
		t.Fatalf("after the delay: %v", r)
	}
}

func findKey(flow map[string]any, label string) string {
	for id, c := range flow {
		if m, _ := c.(map[string]any); m["label"] == label {
			return id
		}
	}
	return ""
}

func TestRolloutFaultAndHold(t *testing.T) {
	t.Parallel()
	h, clk := frozenHarness(t)
	admin := h.admin()
	tplID := publishIntegration(h, admin)
	var instances []string
	for _, name := range []string{"a@x.example", "b@x.example"} {
		_, tok := h.signUp(name)
		instances = append(instances, instantiate(h, tok, tplID))
	}
	tpl := h.must(200, "GET", "/flows/"+tplID, admin, nil).obj()
	start := stringMapOf(tpl["componentIdMap"])["start"]
	h.must(200, "PUT", "/flows/"+tplID, admin, map[string]any{"name": "Welcome mail v2", "flow": map[string]any{
		start: map[string]any{"type": "appmixer.utils.controls.OnStart"}}})

	h.s.FailNextRollout("quota exceeded")
	ticket := str(h.must(200, "POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{}).obj()["ticket"])
	seen := pollUntil(h, admin, ticket)
	last := seen[len(seen)-1]
	if last["status"] != "failed" || last["stepsCompleted"] != float64(1) ||
		last["error"] != "Updating integration instance "+instances[1]+" failed: quota exceeded" {
		t.Fatalf("failed rollout: %v", seen)
	}
	h.locked(func(s *Server) {
		if len(s.flows[instances[0]].components()) != 1 || len(s.flows[instances[1]].components()) != 2 {
			t.Fatal("the first instance must be updated and the failed one left alone")
		}
	})
	// The fault is spent: a retry succeeds.
	ticket = str(h.must(200, "POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{}).obj()["ticket"])
	if seen := pollUntil(h, admin, ticket); seen[len(seen)-1]["status"] != "completed" {
		t.Fatalf("retry: %v", seen)
	}

	// Held, a job makes no progress, however long and often it is polled.
	h.s.HoldJobs(true)
	ticket = str(h.must(200, "POST", "/integrations/"+tplID+"/update-integration-instances", admin, map[string]any{}).obj()["ticket"])
	clk.advance(time.Hour)
	for range 3 {
		if r := h.must(200, "GET", "/integrations/status/"+ticket, admin, nil).obj(); r["status"] != "in-progress" || r["stepsCompleted"] != float64(0) {
			t.Fatalf("held job moved: %v", r)
		}
	}
	h.s.HoldJobs(false)
	if seen := pollUntil(h, admin, ticket); seen[len(seen)-1]["status"] != "completed" {
		t.Fatalf("released: %v", seen)
	}
}

func TestDeleteIntegration(t *testing.T) {
	t.Parallel()
	h, _ := frozenHarness(t)
	admin := h.admin()
	tplID := publishIntegration(h, admin)
	_, alice := h.signUp("alice@x.example")
	inst := instantiate(h, alice, tplID)
	h.createFlow(admin, "bystander", map[string]any{})

	assertBoom(t, h.do("DELETE", "/integrations/"+inst, alice, nil), 400, "Flow "+inst+" is not an integration draft or template.")
	ticket := str(h.must(200, "DELETE", "/integrations/draft-1", admin, nil).obj()["ticket"])
	seen := pollUntil(h, admin, ticket)
	if last := seen[len(seen)-1]; last["status"] != "completed" || last["stepsTotal"] != float64(3) {
		t.Fatalf("deletion: %v", seen)
	}
	h.locked(func(s *Server) {
		var left []string
		for _, f := range s.flows {
			left = append(left, str(f.doc["name"]))
		}
		if !slices.Equal(left, []string{"bystander"}) {
			t.Fatalf("left after the deletion: %v", left)
		}
	})
}

func TestBundlesAndVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Version: "6.2.2"})
	tok := h.admin()
	if v := h.must(200, "GET", "/", "", nil).obj()["version"]; v != "6.2.2" {
		t.Fatalf("GET / version %v", v)
	}
	want := `[{"name":"appmixer.google.gmail","version":"1.0.1"},{"name":"appmixer.slack.list","version":"1.2.3"},` +
		`{"name":"appmixer.utils.controls","version":"1.1.0"},{"name":"appmixer.utils.email","version":"1.1.0"},` +
		`{"name":"appmixer.utils.storage","version":"1.0.0"},{"name":"appmixer.utils.timers","version":"1.0.0"}]`
	if got := string(h.must(200, "GET", "/bundles", tok, nil).raw); got != want {
		t.Fatalf("built-in bundles %s", got)
	}
	// A published package adds its bundle.json; an upgrade raises a module's version.
	h.must(200, "POST", "/components", tok, makeZip(t, acmePackage("2.3.4")))
	if err := h.s.UpgradeComponent("appmixer.utils.timers.Timer", "1.5.0"); err != nil {
		t.Fatal(err)
	}
	got := string(h.must(200, "GET", "/bundles", tok, nil).raw)
	for _, frag := range []string{`{"name":"acme.tools","version":"2.3.4"}`, `{"name":"appmixer.utils.timers","version":"1.5.0"}`} {
		if !strings.Contains(got, frag) {
			t.Fatalf("bundles %s lack %s", got, frag)
		}
	}
	h.must(200, "DELETE", "/components/acme.tools", tok, nil)
	if got := string(h.must(200, "GET", "/bundles", tok, nil).raw); strings.Contains(got, "acme") {
		t.Fatalf("a removed package's bundle is still listed: %s", got)
	}
}

func TestIntegrationFaultsRoute(t *testing.T) {
	t.Parallel()
	h, _ := frozenHarness(t)
	admin := h.admin()
	if r := h.must(200, "POST", "/_local/integrations/faults", admin, map[string]any{"failNextRollout": "boom", "hold": true}).obj(); r["failNextRollout"] != true || r["hold"] != true {
		t.Fatalf("faults %v", r)
	}
	h.locked(func(s *Server) {
		if !s.jobsHeld || s.rolloutFault.message != "boom" {
			t.Fatal("the switches are not set")
		}
	})
	h.must(200, "POST", "/_local/integrations/faults", admin, map[string]any{"hold": false})
	assertBoom(t, h.do("POST", "/_local/integrations/faults", admin, map[string]any{"hold": "yes"}), 400, `"hold" must be a boolean`)
	_, user := h.signUp("u@x.example")
	assertBoom(t, h.do("POST", "/_local/integrations/faults", user, map[string]any{}), 403, "")
}
