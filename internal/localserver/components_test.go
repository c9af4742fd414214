// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestApps(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		r := h.must(200, "GET", "/apps", h.admin(), nil)
		if h.s.contract {
			apps := r.arr()
			if len(apps) != 6 {
				t.Fatalf("contract apps: %s", r.raw)
			}
			first, _ := apps[0].(map[string]any)
			if first["name"] != "appmixer.google.gmail" || strings.Join(sortedKeys(first), ",") != "description,icon,label,name" {
				t.Fatalf("contract app %v", first)
			}
			return
		}
		apps := r.obj()
		want := []string{"appmixer.google.gmail", "appmixer.slack.list", "appmixer.utils.controls", "appmixer.utils.email", "appmixer.utils.storage", "appmixer.utils.timers"}
		if strings.Join(sortedKeys(apps), ",") != strings.Join(want, ",") {
			t.Fatalf("apps %v, want %v", sortedKeys(apps), want)
		}
		slack, _ := apps["appmixer.slack.list"].(map[string]any)
		if slack["name"] != "appmixer.slack.list" || slack["category"] != "applications" || slack["label"] != "Slack" {
			t.Fatalf("slack app %v", slack)
		}
	})
}

func TestListComponents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	names := h.must(200, "GET", "/components?selector=appmixer.slack", tok, nil).arr()
	if fmt.Sprint(names) != "[appmixer.slack.list.NewChannelMessage appmixer.slack.list.SendChannelMessage]" {
		t.Fatalf("names %v", names)
	}
	manifests := h.must(200, "GET", "/components?selector=appmixer.slack.list.Send&manifest=yes", tok, nil).arr()
	m, _ := manifests[0].(map[string]any)
	auth, _ := m["auth"].(map[string]any)
	if len(manifests) != 1 || m["version"] != "1.2.3" || auth["service"] != "appmixer:slack" {
		t.Fatalf("manifests %v", manifests)
	}
	if n := len(h.must(200, "GET", "/components", tok, nil).arr()); n != 7 {
		t.Fatalf("%d built-in components, want 7", n)
	}
	assertBoom(t, h.do("GET", "/components?manifest=maybe", tok, nil), 400, `"manifest" must be one of [yes, no]`)

	c := newHarness(t, Options{Dialect: DialectContract})
	list := c.must(200, "GET", "/components?selector=ignored", c.admin(), nil).arr()
	first, _ := list[0].(map[string]any)
	if len(list) != 7 || first["name"] != "appmixer.google.gmail.SendEmail" || first["type"] != "action" || strings.Join(sortedKeys(first), ",") != "label,name,type" {
		t.Fatalf("contract components %v", list)
	}
}

// publish uploads a package in the appmixer dialect and returns the final uploader status, after
// the ticket went through its phases (appmixer-api.md §1.6): 404 until stored, {started}, finished.
func publish(t *testing.T, h *harness, tok string, archive []byte) map[string]any {
	t.Helper()
	ticket := str(h.must(200, "POST", "/components", tok, archive).obj()["ticket"])
	status := h.storedTicket(tok, ticket)
	if first := h.must(200, "GET", status, tok, nil).obj(); first["finished"] != nil || str(first["started"]) == "" {
		t.Fatalf("first poll: %v", first)
	}
	final := h.must(200, "GET", status, tok, nil).obj()
	if str(final["finished"]) == "" {
		t.Fatalf("second poll: %v", final)
	}
	return final
}

func TestPublishAndDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	if final := publish(t, h, tok, makeZip(t, acmePackage("2.0.0"))); final["err"] != nil {
		t.Fatalf("valid package rejected: %v", final)
	}
	if got := fmt.Sprint(h.must(200, "GET", "/components?selector=acme", tok, nil).arr()); got != "[acme.tools.core.OnTick acme.tools.core.Ping]" {
		t.Fatalf("after publish: %s", got)
	}
	if _, ok := h.must(200, "GET", "/apps", tok, nil).obj()["acme.tools.core"]; !ok {
		t.Fatal("published module is not an app")
	}
	flow := h.createFlow(tok, "uses Ping", map[string]any{"p": map[string]any{"type": "acme.tools.core.Ping"}})
	if v := component(t, h.must(200, "GET", "/flows/"+flow, tok, nil).obj(), "p")["version"]; v != "2.0.0" {
		t.Fatalf("published component version %v, want the bundle's 2.0.0", v)
	}
	// Tickets are private to their uploader.
	_, joe := h.signUp("joe")
	ticket := str(h.must(200, "POST", "/components", tok, makeZip(t, acmePackage(""))).obj()["ticket"])
	assertBoom(t, h.do("GET", "/components/uploader/"+ticket, joe, nil), 404, "Ticket not found.")

	// Re-publishing a new version is an upsert: what the package carries is replaced, what it lacks
	// stays installed; without bundle.json the version is 1.0.0, added beside 2.0.0, which stays the
	// newest and so the one listed.
	files := acmePackage("")
	delete(files, "acme/tools/core/OnTick/component.json")
	if final := publish(t, h, tok, makeZip(t, files)); final["err"] != nil {
		t.Fatalf("re-publish: %v", final)
	}
	if got := fmt.Sprint(h.must(200, "GET", "/components?selector=acme", tok, nil).arr()); got != "[acme.tools.core.OnTick acme.tools.core.Ping]" {
		t.Fatalf("after re-publish: %s", got)
	}
	m, _ := h.must(200, "GET", "/components?selector=acme&manifest=yes", tok, nil).arr()[0].(map[string]any)
	if m["version"] != "2.0.0" {
		t.Fatalf("version listed after adding 1.0.0 to 2.0.0: %v", m["version"])
	}
	h.locked(func(s *Server) {
		if v := s.adminCopies().components["acme.tools.core.Ping"].versions; fmt.Sprint(v) != "[1.0.0 2.0.0]" {
			t.Errorf("versions %v, want [1.0.0 2.0.0]", v)
		}
	})
	// A module package may publish into an installed service without its service.json.
	if final := publish(t, h, tok, makeZip(t, map[string]string{
		"acme/tools/extra/Echo/component.json": `{"name":"acme.tools.extra.Echo"}`,
	})); final["err"] != nil {
		t.Fatalf("module publish: %v", final)
	}

	assertBoom(t, h.do("DELETE", "/components/acme", tok, nil), 400, `Invalid selector "acme": expected vendor.service, vendor.service.module or vendor.service.module.Component.`)
	h.must(200, "DELETE", "/components/acme.tools.extra.Echo", tok, nil)
	assertBoom(t, h.do("DELETE", "/components/acme.tools.extra.Echo", tok, nil), 404, "Component not found.")
	h.must(200, "DELETE", "/components/appmixer.utils.email", tok, nil)
	h.must(200, "DELETE", "/components/acme.tools", tok, nil)
	got := fmt.Sprint(h.must(200, "GET", "/components", tok, nil).arr())
	if strings.Contains(got, "acme.") || strings.Contains(got, "appmixer.utils.email") || !strings.Contains(got, "appmixer.utils.controls.OnStart") {
		t.Fatalf("after deletes: %s", got)
	}
	if _, ok := h.must(200, "GET", "/apps", tok, nil).obj()["appmixer.utils.email"]; ok {
		t.Fatal("deleted module still listed as an app")
	}
}

func problemsOf(v any) []problem {
	list, _ := v.([]any)
	out := make([]problem, 0, len(list))
	for _, item := range list {
		m, _ := item.(map[string]any)
		out = append(out, problem{DataPath: str(m["dataPath"]), Message: str(m["message"])})
	}
	return out
}

func TestPublishContract(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Dialect: DialectContract})
	tok := h.admin()
	archive := base64.StdEncoding.EncodeToString(makeZip(t, acmePackage("1.5.0")))
	if r := h.must(200, "POST", "/components", tok, map[string]any{"name": "acme.tools", "archive": archive}); len(r.obj()) != 0 {
		t.Fatalf("contract publish answers %s", r.raw)
	}
	if !strings.Contains(string(h.must(200, "GET", "/components", tok, nil).raw), `"name":"acme.tools.core.OnTick","type":"trigger"`) {
		t.Fatal("published trigger missing")
	}
	r := h.do("POST", "/components", tok, map[string]any{"name": "acme.other", "archive": archive})
	assertBoom(t, r, 400, "Validation failed: name: component acme.tools.core.OnTick is not under acme.other.; name: component acme.tools.core.Ping is not under acme.other.")
	assertBoom(t, h.do("POST", "/components", tok, map[string]any{"name": "acme.tools", "archive": "%%%"}), 400, `"archive" must be a base64 encoded zip archive`)
	assertBoom(t, h.do("POST", "/components", tok, map[string]any{"archive": archive}), 400, `"name" is required`)
	assertBoom(t, h.do("POST", "/components", tok, []byte("PK")), 415, "")
	h.must(200, "DELETE", "/components/acme.tools.core.Ping", tok, nil)
	assertBoom(t, h.do("DELETE", "/components/acme.tools.core.Ping", tok, nil), 404, "Component not found.")

	a := newHarness(t, Options{})
	assertBoom(t, a.do("POST", "/components", a.admin(), map[string]any{"name": "acme.tools", "archive": archive}), 415, "")
}

// storedTicket checks that a new upload ticket is 404 until the uploader has stored it, moves the
// clock past that and returns the ticket's status path.
func (h *harness) storedTicket(tok, ticket string) string {
	h.t.Helper()
	status := "/components/uploader/" + ticket
	assertBoom(h.t, h.do("GET", status, tok, nil), 404, "Ticket not found.")
	h.clock.Advance(uploadStoreDelay)
	return status
}
