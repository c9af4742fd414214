// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestServiceConfig(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var logs strings.Builder
	h := newHarness(t, Options{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&logs, format+"\n", args...)
	}})
	tok := h.admin()
	const secret = "sc-secret-5d1e9a"
	created := h.must(200, "POST", "/service-config", tok, map[string]any{
		"serviceId": "appmixer:slack", "clientId": "cid", "clientSecret": secret, "sandbox": true, "retries": 3,
	}).obj()
	if created["serviceId"] != "appmixer:slack" || created["sandbox"] != true || created["retries"] != float64(3) {
		t.Fatalf("POST answers %v", created)
	}
	assertBoom(t, h.do("POST", "/service-config", tok, map[string]any{"serviceId": "appmixer:slack"}), 409, "Service configuration appmixer:slack already exists.")
	assertBoom(t, h.do("POST", "/service-config", tok, map[string]any{"serviceId": "slack"}), 400, `"serviceId" must look like vendor:service`)
	assertBoom(t, h.do("POST", "/service-config", tok, map[string]any{"clientId": "x"}), 400, `"serviceId" is required`)
	h.must(200, "POST", "/service-config", tok, map[string]any{"serviceId": "appmixer:google", "clientId": "g"})

	// Typed values come back typed.
	got := h.must(200, "GET", "/service-config/appmixer:slack", tok, nil).obj()
	if got["clientSecret"] != secret || got["sandbox"] != true {
		t.Fatalf("GET answers %v", got)
	}
	// PUT replaces the whole object: keys left out are gone.
	h.must(200, "PUT", "/service-config/appmixer:slack", tok, map[string]any{"clientId": "cid2"})
	got = h.must(200, "GET", "/service-config/appmixer:slack", tok, nil).obj()
	if strings.Join(sortedKeys(got), ",") != "clientId,serviceId" || got["clientId"] != "cid2" {
		t.Fatalf("after PUT: %v", got)
	}
	assertBoom(t, h.do("PUT", "/service-config/appmixer:slack", tok, map[string]any{"serviceId": "appmixer:google"}), 400, "")

	// A service without a configuration reads as {}, never 404, and is not listed (§8).
	if got := h.must(200, "GET", "/service-config/acme:none", tok, nil).obj(); len(got) != 0 {
		t.Fatalf("GET of a service without a configuration answers %v, want {}", got)
	}
	list := h.must(200, "GET", "/service-config?sort=serviceId:1", tok, nil).arr()
	if len(list) != 2 || list[0].(map[string]any)["serviceId"] != "appmixer:google" {
		t.Fatalf("list %v", list)
	}
	// PUT of a missing configuration creates it (upsert); then it is listed.
	h.must(200, "PUT", "/service-config/acme:new", tok, map[string]any{"region": "eu"})
	if got := h.must(200, "GET", "/service-config/acme:new", tok, nil).obj(); got["region"] != "eu" || got["serviceId"] != "acme:new" {
		t.Fatalf("after an upserting PUT: %v", got)
	}
	if list := h.must(200, "GET", "/service-config", tok, nil).arr(); len(list) != 3 {
		t.Fatalf("list after an upserting PUT: %v", list)
	}
	h.must(200, "DELETE", "/service-config/acme:new", tok, nil)
	if page := h.must(200, "GET", "/service-config?pattern=slack&limit=1&offset=0", tok, nil).arr(); len(page) != 1 {
		t.Fatalf("pattern page %v", page)
	}

	// Admin only.
	_, userTok := h.signUp("plain@example.com")
	for _, r := range []struct{ method, path string }{{"GET", "/service-config"}, {"GET", "/service-config/appmixer:slack"},
		{"POST", "/service-config"}, {"PUT", "/service-config/appmixer:slack"}, {"DELETE", "/service-config/appmixer:slack"}} {
		assertBoom(t, h.do(r.method, r.path, userTok, map[string]any{"serviceId": "appmixer:slack"}), 403, "Insufficient scope")
	}

	if got := h.must(200, "DELETE", "/service-config/appmixer:slack", tok, nil); string(got.raw) != "{}" {
		t.Fatalf("DELETE answers %s, want {}", got.raw)
	}
	if got := h.must(200, "GET", "/service-config/appmixer:slack", tok, nil).obj(); len(got) != 0 {
		t.Fatalf("GET after DELETE answers %v, want {}", got)
	}
	// Deleting what is not there is no error either (a guess: GET answers {} rather than 404).
	h.must(200, "DELETE", "/service-config/appmixer:slack", tok, nil)

	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "POST /service-config -> 200") || strings.Contains(logs.String(), secret) {
		t.Fatalf("the log must show the requests and never a secret:\n%s", logs.String())
	}
}

func TestStores(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	id := str(h.must(200, "POST", "/stores", tok, map[string]any{"name": "Orders"}).obj()["storeId"])
	other := str(h.must(200, "POST", "/stores", tok, map[string]any{"name": "Leads"}).obj()["storeId"])
	if id == "" || other == id {
		t.Fatalf("store ids %q %q", id, other)
	}
	assertBoom(t, h.do("POST", "/stores", tok, map[string]any{}), 400, `"name" is required`)
	list := h.must(200, "GET", "/stores", tok, nil).arr()
	if len(list) != 2 || list[0].(map[string]any)["name"] != "Orders" || list[0].(map[string]any)["storeId"] != id {
		t.Fatalf("stores %v", list)
	}
	renamed := h.must(200, "PUT", "/stores/"+id, tok, map[string]any{"name": "Orders 2"}).obj()
	if renamed["oldName"] != "Orders" || renamed["storeId"] != id {
		t.Fatalf("PUT answers %v", renamed)
	}
	if got := h.must(200, "GET", "/stores/"+id, tok, nil).obj(); got["name"] != "Orders 2" {
		t.Fatalf("GET answers %v", got)
	}

	// Records.
	h.must(200, "POST", "/store/"+id+"/a", tok, "alpha")
	h.must(200, "POST", "/store/"+id+"/b", tok, "beta")
	h.must(200, "POST", "/store/"+other+"/a", tok, "elsewhere")
	recs := h.must(200, "GET", "/store?storeId="+id+"&sort=key:-1", tok, nil).arr()
	if len(recs) != 2 || recs[0].(map[string]any)["key"] != "b" || recs[0].(map[string]any)["value"] != "beta" {
		t.Fatalf("records %v", recs)
	}
	if n := h.must(200, "GET", "/store/count?storeId="+id, tok, nil).obj()["count"]; n != float64(2) {
		t.Fatalf("count %v", n)
	}
	patched := h.must(200, "PATCH", "/store/"+id+"/a", tok, map[string]any{"key": "c", "value": "gamma"}).obj()
	if patched["key"] != "c" || patched["value"] != "gamma" {
		t.Fatalf("PATCH answers %v", patched)
	}
	assertBoom(t, h.do("PATCH", "/store/"+id+"/c", tok, map[string]any{"key": "b"}), 409, "")
	h.must(200, "DELETE", "/store/"+id+"/c", tok, nil)
	if n := h.must(200, "DELETE", "/store", tok, []any{map[string]any{"key": "b", "storeId": id}, map[string]any{"key": "zz", "storeId": id}}).obj()["deletedCount"]; n != float64(1) {
		t.Fatalf("deletedCount %v", n)
	}
	assertBoom(t, h.do("GET", "/store", tok, nil), 400, `"storeId" is required`)

	// Another user sees none of it.
	_, userTok := h.signUp("plain@example.com")
	if n := len(h.must(200, "GET", "/stores", userTok, nil).arr()); n != 0 {
		t.Fatalf("another user lists %d stores", n)
	}
	assertBoom(t, h.do("GET", "/stores/"+id, userTok, nil), 404, "Store not found.")
	assertBoom(t, h.do("DELETE", "/stores/"+id, userTok, nil), 404, "")

	// Deleting a store deletes its records.
	h.must(200, "DELETE", "/stores/"+other, tok, nil)
	assertBoom(t, h.do("GET", "/store?storeId="+other, tok, nil), 404, "")
	assertBoom(t, h.do("DELETE", "/stores/"+other, tok, nil), 404, "")
}

func TestAccountWrites(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	const token = "xoxb-acct-token-93ad"
	// Slack connects with OAuth: its client must be configured first (TestOAuthAccountNeedsClient).
	h.must(200, "PUT", "/service-config/appmixer:slack", tok, map[string]any{"clientId": "cid"})
	a := h.must(200, "POST", "/accounts?validateScope=false&requestProfileInfo=false", tok, map[string]any{
		"service": "appmixer:slack", "name": "ops", "displayName": "Ops", "token": map[string]any{"accessToken": token, "scope": []any{"chat:write"}},
	}).obj()
	id := str(a["accountId"])
	if id == "" || a["name"] != "ops" || a["displayName"] != "Ops" || a["revoked"] != false || a["userId"] == "" {
		t.Fatalf("POST /accounts answers %v", a)
	}
	// The service's auth module must be installed, and the token is never shown.
	assertBoom(t, h.do("POST", "/accounts", tok, map[string]any{"service": "acme:none", "token": map[string]any{}}), 400,
		"No installed connector has the auth module of service acme:none.")
	assertBoom(t, h.do("POST", "/accounts", tok, map[string]any{"service": "appmixer:slack"}), 400, `"token" is required`)
	listed := h.must(200, "GET", "/accounts", tok, nil)
	if strings.Contains(string(listed.raw), token) || len(listed.arr()) != 1 {
		t.Fatalf("GET /accounts: %s", listed.raw)
	}

	// PUT changes only displayName.
	h.must(200, "PUT", "/accounts/"+id, tok, map[string]any{"displayName": "Ops team"})
	assertBoom(t, h.do("PUT", "/accounts/"+id, tok, map[string]any{"name": "x"}), 400, `"name" is not allowed`)
	if dn := h.must(200, "GET", "/accounts", tok, nil).arr()[0].(map[string]any)["displayName"]; dn != "Ops team" {
		t.Fatalf("displayName %v", dn)
	}
	h.must(200, "PUT", "/accounts/"+id, tok, map[string]any{"displayName": nil})
	if dn := h.must(200, "GET", "/accounts", tok, nil).arr()[0].(map[string]any)["displayName"]; dn != nil {
		t.Fatalf("displayName after clearing %v", dn)
	}

	// Deleting an account stops the flows that use it, and only those.
	uses := h.createFlow(tok, "uses", map[string]any{"s": map[string]any{"type": "appmixer.slack.list.SendChannelMessage"}})
	idle := h.createFlow(tok, "idle", map[string]any{"t": map[string]any{"type": "appmixer.utils.controls.OnStart"}})
	h.must(200, "PUT", "/auth/component/s/"+id, tok, nil)
	for _, f := range []string{uses, idle} {
		h.must(200, "POST", "/flows/"+f+"/coordinator", tok, map[string]any{"command": "start"})
	}
	h.must(200, "DELETE", "/accounts/"+id, tok, nil)
	for f, want := range map[string]string{uses: "stopped", idle: "running"} {
		if got := h.must(200, "GET", "/flows/"+f, tok, nil).obj()["stage"]; got != want {
			t.Errorf("flow %s is %v after its account was deleted, want %s", f, got, want)
		}
	}
}

// POST /accounts of an OAuth service answers an opaque 500 until the service's configuration holds
// clientId (§8, §10); accounts a user connected in the UI (POST /_local/accounts) are exempt.
func TestOAuthAccountNeedsClient(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	oauth := map[string]any{"service": "appmixer:slack", "name": "ops", "token": map[string]any{"accessToken": "a", "scope": []any{"chat:write"}}}
	const q = "/accounts?validateScope=false&requestProfileInfo=false"
	assertBoom(t, h.do("POST", q, tok, oauth), 500, "An internal server error occurred")
	h.must(200, "PUT", "/service-config/appmixer:slack", tok, map[string]any{"sandbox": true})
	assertBoom(t, h.do("POST", q, tok, oauth), 500, "An internal server error occurred")
	if n := len(h.must(200, "GET", "/accounts", tok, nil).arr()); n != 0 {
		t.Fatalf("a refused POST /accounts left %d accounts", n)
	}
	// The UI's way in is exempt.
	h.must(200, "POST", "/_local/accounts", tok, oauth)

	h.must(200, "PUT", "/service-config/appmixer:slack", tok, map[string]any{"clientId": "cid"})
	h.must(200, "POST", q, tok, oauth)
	// OAuth 2 scopes are read from token.scope: without one the check fails, unless it is skipped.
	noScope := map[string]any{"service": "appmixer:slack", "name": "ops2", "token": map[string]any{"accessToken": "a"}}
	assertBoom(t, h.do("POST", "/accounts", tok, noScope), 400, "Scopes provided have missing required scopes")
	h.must(200, "POST", q, tok, noScope)

	// An apiKey service (its published auth.js says so) needs no configuration.
	publish(t, h, tok, makeZip(t, acmePackage("")))
	h.must(200, "POST", q, tok, map[string]any{"service": "acme:tools", "token": map[string]any{"apiKey": "k"}})
	// A published OAuth connector is held to the rule like a built-in.
	// Version 1.0.0 is frozen at its first publish (appmixer-api.md §1.6): the new auth.js needs a new version.
	pkg := acmePackage("1.0.1")
	pkg["acme/tools/auth.js"] = "module.exports = {\n  type: \"oauth2\",\n  definition: { scope: ['x'], auth: { a: { type: 'text' } } }\n};"
	publish(t, h, tok, makeZip(t, pkg))
	assertBoom(t, h.do("POST", q, tok, map[string]any{"service": "acme:tools", "token": map[string]any{"accessToken": "a"}}), 500, "")
}
