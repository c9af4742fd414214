// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"strings"
	"testing"
	"time"
)

// twoComponents is a small descriptor with stale versions the server must rewrite.
func twoComponents() map[string]any {
	return map[string]any{
		"c1": map[string]any{"type": "appmixer.utils.controls.OnStart", "version": "1.0.0", "x": 100, "y": 200, "source": map[string]any{}, "config": map[string]any{}},
		"c2": map[string]any{"type": "appmixer.utils.email.SendEmail", "source": map[string]any{"in": map[string]any{"c1": []string{"out"}}}},
		"c3": map[string]any{"type": "acme.unknown.thing.Widget", "version": "9.9.9"},
	}
}

func component(t *testing.T, flow map[string]any, id string) map[string]any {
	t.Helper()
	descriptor, _ := flow["flow"].(map[string]any)
	c, ok := descriptor[id].(map[string]any)
	if !ok {
		t.Fatalf("component %s missing from %v", id, flow)
	}
	return c
}

func TestFlowCRUD(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		tok := h.admin()
		created := h.must(200, "POST", "/flows", tok, map[string]any{"name": "Demo", "flow": twoComponents(), "customFields": map[string]any{"team": "ops"}})
		var id string
		if h.s.contract {
			id = str(created.obj()["id"])
			if created.obj()["stage"] != "stopped" {
				t.Fatalf("contract POST /flows answers %s", created.raw)
			}
		} else {
			id = str(created.obj()["flowId"])
			if len(created.obj()) != 1 {
				t.Fatalf("appmixer POST /flows answers only {flowId}, got %s", created.raw)
			}
		}
		got := h.must(200, "GET", "/flows/"+id, tok, nil).obj()
		if got["name"] != "Demo" || got["stage"] != "stopped" || got["btime"] == "" || got["btime"] != got["mtime"] {
			t.Fatalf("GET /flows/{id} = %v", got)
		}
		wantKeys := "btime,customFields,flow,id,mtime,name,stage"
		if !h.s.contract {
			wantKeys = "btime,customFields,flow,flowId,mtime,name,revision,sharedWith,stage,type,userId"
		}
		if keys := strings.Join(sortedKeys(got), ","); keys != wantKeys {
			t.Fatalf("flow keys %s, want %s", keys, wantKeys)
		}
		// On save a component sent without a version gets the newest installed one; a version that is
		// sent is kept (appmixer-api.md §10), for unknown types too.
		if v := component(t, got, "c1")["version"]; v != "1.0.0" {
			t.Fatalf("OnStart version %v, want the pinned 1.0.0", v)
		}
		if v := component(t, got, "c2")["version"]; v != "1.1.0" {
			t.Fatalf("SendEmail version %v, want 1.1.0", v)
		}
		if v := component(t, got, "c3")["version"]; v != "9.9.9" {
			t.Fatalf("unknown type version %v, want it untouched", v)
		}
		if x := component(t, got, "c1")["x"]; x != float64(100) {
			t.Fatalf("x = %v", x)
		}

		h.clock.Advance(time.Second)
		updated := h.must(200, "PUT", "/flows/"+id, tok, map[string]any{"name": "Renamed", "flowId": "ignored", "stage": "running"}).obj()
		if !h.s.contract {
			updated = h.must(200, "GET", "/flows/"+id, tok, nil).obj()
		}
		if updated["name"] != "Renamed" || updated["stage"] != "stopped" || updated["mtime"] == got["mtime"] || updated["btime"] != got["btime"] {
			t.Fatalf("PUT merged wrongly: %v", updated)
		}
		if cf, _ := updated["customFields"].(map[string]any); cf["team"] != "ops" {
			t.Fatalf("top-level merge lost customFields: %v", updated)
		}
		if len(updated["flow"].(map[string]any)) != 3 {
			t.Fatalf("top-level merge lost the descriptor: %v", updated)
		}
		if n := len(h.must(200, "GET", "/flows", tok, nil).arr()); n != 1 {
			t.Fatalf("GET /flows lists %d flows", n)
		}
		deleted := h.must(200, "DELETE", "/flows/"+id, tok, nil).obj()
		if (h.s.contract && len(deleted) != 0) || (!h.s.contract && deleted["flowId"] != id) {
			t.Fatalf("DELETE answers %v", deleted)
		}
		assertBoom(t, h.do("GET", "/flows/"+id, tok, nil), 404, "Flow not found.")
		assertBoom(t, h.do("DELETE", "/flows/"+id, tok, nil), 404, "Flow not found.")
	})
}

func TestFlowUpsert(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		tok := h.admin()
		r := h.do("PUT", "/flows/6f1c1a55-7a35-4c33-9bd5-3f1e0c1c0001", tok, map[string]any{"name": "Chosen id", "flow": twoComponents()})
		if h.s.contract {
			assertBoom(t, r, 404, "Flow not found.") // the contract's PUT only updates
			return
		}
		// Appmixer answers a PUT with {"flowId", "result": "updated"}, not the flow (appmixer-api.md §10).
		if r.status != 200 || r.obj()["flowId"] != "6f1c1a55-7a35-4c33-9bd5-3f1e0c1c0001" || r.obj()["result"] != "updated" || len(r.obj()) != 2 {
			t.Fatalf("upsert: %s", r.raw)
		}
		got := h.must(200, "GET", "/flows/6f1c1a55-7a35-4c33-9bd5-3f1e0c1c0001", tok, nil).obj()
		if got["stage"] != "stopped" || component(t, got, "c2")["version"] != "1.1.0" || component(t, got, "c1")["version"] != "1.0.0" {
			t.Fatalf("upserted flow: %v", got)
		}
		assertBoom(t, h.do("PUT", "/flows/another", tok, map[string]any{"flow": map[string]any{}}), 400, `"name" is required`)
	})
}

func TestFlowValidation(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		tok := h.admin()
		cases := []struct {
			body map[string]any
			msg  string
		}{
			{map[string]any{"flow": map[string]any{}}, `"name" is required`},
			{map[string]any{"name": 5}, `"name" must be a string`},
			{map[string]any{"name": "x", "flow": []string{}}, `"flow" must be an object`},
			{map[string]any{"name": "x", "customFields": "x"}, `"customFields" must be an object`},
			{map[string]any{"name": "x", "flow": map[string]any{"c1": "x"}}, `Invalid flow: component "c1" must be an object.`},
			{map[string]any{"name": "x", "flow": map[string]any{"c1": map[string]any{"label": "no type"}}}, `Invalid flow: component "c1" is missing "type".`},
			{map[string]any{"name": "x", "flow": map[string]any{"c1": map[string]any{"type": "appmixer.OnStart"}}}, `Invalid flow: component "c1" has invalid type "appmixer.OnStart"; expected vendor.service.module.Component or vendor.service.Component.`},
		}
		for _, tc := range cases {
			assertBoom(t, h.do("POST", "/flows", tok, tc.body), 400, tc.msg)
		}
		if !h.s.contract {
			assertBoom(t, h.do("POST", "/flows", tok, map[string]any{"name": "x", "description": 1}), 400, `"description" must be a string`)
		}
	})
}

func TestRunningFlows(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		tok := h.admin()
		id := h.createFlow(tok, "Runner", twoComponents())
		start := func() {
			if h.s.contract {
				h.must(200, "PUT", "/flows/"+id+"/start", tok, nil)
				return
			}
			if r := h.must(200, "POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "start"}); r.obj()["flowId"] != id {
				t.Fatalf("coordinator answers %s", r.raw)
			}
		}
		start()
		start() // starting a running flow is a no-op
		if s := h.must(200, "GET", "/flows/"+id, tok, nil).obj()["stage"]; s != "running" {
			t.Fatalf("stage %v after start", s)
		}
		assertBoom(t, h.do("PUT", "/flows/"+id, tok, map[string]any{"name": "x"}), 400, "Flow is running. Use forceUpdate=true to update a running flow.")
		h.must(200, "PUT", "/flows/"+id+"?forceUpdate=true", tok, map[string]any{"name": "Forced"})
		if forced := h.must(200, "GET", "/flows/"+id, tok, nil).obj(); forced["name"] != "Forced" || forced["stage"] != "running" {
			t.Fatalf("forced update: %v", forced)
		}
		if h.s.contract {
			h.must(200, "PUT", "/flows/"+id+"/stop", tok, nil)
			h.must(200, "PUT", "/flows/"+id+"/stop", tok, nil)
		} else {
			assertBoom(t, h.do("POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "pause"}), 400, `"command" must be one of [start, stop]`)
			h.must(200, "POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "stop"})
			h.must(200, "POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "stop"})
		}
		if s := h.must(200, "GET", "/flows/"+id, tok, nil).obj()["stage"]; s != "stopped" {
			t.Fatalf("stage %v after stop", s)
		}
		start()
		h.must(200, "DELETE", "/flows/"+id, tok, nil) // a running flow is stopped, then deleted
	})
}

func TestUpgradeRewritesStoredFlows(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	id := h.createFlow(tok, "f", twoComponents())
	before := h.must(200, "GET", "/flows/"+id, tok, nil).obj()
	if err := h.s.UpgradeComponent("appmixer.utils.email.SendEmail", "1.2.0"); err != nil {
		t.Fatal(err)
	}
	after := h.must(200, "GET", "/flows/"+id, tok, nil).obj()
	if component(t, after, "c2")["version"] != "1.2.0" || component(t, after, "c1")["version"] != "1.0.0" {
		t.Fatalf("after upgrade: %v", after["flow"])
	}
	if after["mtime"] != before["mtime"] {
		t.Fatal("an upgrade must not touch mtime")
	}
	// An older version installed later does not win.
	if err := h.s.UpgradeComponent("appmixer.utils.email.SendEmail", "1.1.5"); err != nil {
		t.Fatal(err)
	}
	if v := component(t, h.must(200, "GET", "/flows/"+id, tok, nil).obj(), "c2")["version"]; v != "1.2.0" {
		t.Fatalf("version %v after installing an older one", v)
	}
	if err := h.s.UpgradeComponent("appmixer.nope.x.Y", "2.0.0"); err == nil {
		t.Fatal("upgrading an unknown type succeeded")
	}
}
