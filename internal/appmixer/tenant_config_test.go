// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func bodyOf(t *testing.T, r recorded) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s %s body %q: %v", r.Method, r.Path, r.Body, err)
	}
	return m
}

func TestServiceConfigCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/service-config" && r.URL.Query().Get("offset") == "0":
			replyRaw(w, 200, `[{"serviceId":"appmixer:slack","clientId":"c","sandbox":true},{"serviceId":"acme:x"}]`)
		case r.Method == http.MethodGet && r.URL.Path == "/service-config":
			replyRaw(w, 200, `[]`)
		case r.Method == http.MethodGet && r.URL.Path == "/service-config/acme:none":
			replyRaw(w, 200, `{}`) // Appmixer's answer for a service without a configuration
		case r.Method == http.MethodGet && r.URL.Path == "/service-config/acme:x":
			replyRaw(w, 200, `{"serviceId":"acme:x"}`)
		case r.Method == http.MethodGet:
			replyRaw(w, 200, `{"serviceId":"appmixer:slack","clientId":"c","retries":3}`)
		default:
			replyRaw(w, 200, `{}`)
		}
	})
	c := newTestClient(t, f.URL)
	ctx := ctxT(t)
	list, err := c.ListServiceConfigs(ctx)
	// acme:x holds nothing but its id: no configuration, so not listed.
	if err != nil || len(list) != 1 || list[0].ServiceID != "appmixer:slack" || string(list[0].Values["sandbox"]) != "true" {
		t.Fatalf("list %+v %v", list, err)
	}
	if _, ok := list[0].Values["serviceId"]; ok {
		t.Fatal("serviceId must not be among the values")
	}
	sc, err := c.GetServiceConfig(ctx, "appmixer:slack")
	if err != nil || string(sc.Values["retries"]) != "3" {
		t.Fatalf("get %+v %v", sc, err)
	}
	// 200 {} and an object with only its id mean no configuration: a 404 to callers.
	for _, id := range []string{"acme:none", "acme:x"} {
		if sc, err := c.GetServiceConfig(ctx, id); !IsNotFound(err) {
			t.Errorf("get %s = %+v, %v; want a not-found error", id, sc, err)
		}
	}
	in := ServiceConfig{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{"clientId": json.RawMessage(`"c"`), "sandbox": json.RawMessage(`true`)}}
	mustNil(t, c.CreateServiceConfig(ctx, in))
	mustNil(t, c.ReplaceServiceConfig(ctx, in))
	mustNil(t, c.DeleteServiceConfig(ctx, "appmixer:slack"))

	reqs := f.requests()
	assertReq(t, reqs[0], "GET", "/service-config", "limit=100&offset=0&sort=serviceId:1")
	assertReq(t, reqs[1], "GET", "/service-config", "limit=100&offset=2&sort=serviceId:1")
	assertReq(t, reqs[2], "GET", "/service-config/appmixer:slack", "")
	reqs = reqs[2:] // the two GETs of missing configurations
	assertReq(t, reqs[3], "POST", "/service-config", "")
	assertReq(t, reqs[4], "PUT", "/service-config/appmixer:slack", "")
	assertReq(t, reqs[5], "DELETE", "/service-config/appmixer:slack", "")
	want := map[string]any{"serviceId": "appmixer:slack", "clientId": "c", "sandbox": true}
	for _, r := range reqs[3:5] {
		if got := bodyOf(t, r); !reflect.DeepEqual(got, want) {
			t.Errorf("%s body %v, want %v", r.Method, got, want)
		}
	}
}

func TestStoreCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Method + " " + r.URL.Path {
		case "GET /stores":
			replyRaw(w, 200, `[{"name":"Orders","storeId":"s1"}]`)
		case "GET /stores/s1":
			replyRaw(w, 200, `{"name":"Orders","storeId":"s1"}`)
		case "POST /stores":
			replyRaw(w, 200, `{"storeId":"s2"}`)
		case "PUT /stores/s1":
			replyRaw(w, 200, `{"oldName":"Orders","storeId":"s1"}`)
		default:
			replyRaw(w, 200, `{}`)
		}
	})
	c := newTestClient(t, f.URL)
	ctx := ctxT(t)
	list, err := c.ListStores(ctx)
	if err != nil || !reflect.DeepEqual(list, []Store{{ID: "s1", Name: "Orders"}}) {
		t.Fatalf("list %+v %v", list, err)
	}
	if s, err := c.GetStore(ctx, "s1"); err != nil || s.Name != "Orders" {
		t.Fatalf("get %+v %v", s, err)
	}
	if id, err := c.CreateStore(ctx, "Leads"); err != nil || id != "s2" {
		t.Fatalf("create %q %v", id, err)
	}
	mustNil(t, c.RenameStore(ctx, "s1", "Orders 2"))
	mustNil(t, c.DeleteStore(ctx, "s1"))
	reqs := f.requests()
	for i, want := range []string{"GET /stores", "GET /stores/s1", "POST /stores", "PUT /stores/s1", "DELETE /stores/s1"} {
		if got := reqs[i].Method + " " + reqs[i].Path; got != want {
			t.Errorf("request %d = %s, want %s", i, got, want)
		}
	}
	if b := bodyOf(t, reqs[2]); b["name"] != "Leads" {
		t.Errorf("POST body %v", b)
	}
	if b := bodyOf(t, reqs[3]); b["name"] != "Orders 2" {
		t.Errorf("PUT body %v", b)
	}
}

func TestAccountWriteCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == http.MethodPost {
			replyRaw(w, 200, `{"accountId":"a1","name":"bot","displayName":"Bot","service":"appmixer:slack","userId":"u1","revoked":false}`)
			return
		}
		replyRaw(w, 200, `{}`)
	})
	c := newTestClient(t, f.URL)
	ctx := ctxT(t)
	a, err := c.CreateAccount(ctx, NewAccount{Service: "appmixer:slack", Name: "bot", DisplayName: "Bot", Token: json.RawMessage(`{"accessToken":"x"}`)})
	if err != nil || a.ID != "a1" || a.Revoked == nil || *a.Revoked || a.UserID != "u1" {
		t.Fatalf("create %+v %v", a, err)
	}
	mustNil(t, c.SetAccountDisplayName(ctx, "a1", "Ops"))
	mustNil(t, c.SetAccountDisplayName(ctx, "a1", ""))
	reqs := f.requests()
	assertReq(t, reqs[0], "POST", "/accounts", "validateScope=false&requestProfileInfo=false")
	want := map[string]any{"service": "appmixer:slack", "name": "bot", "displayName": "Bot", "token": map[string]any{"accessToken": "x"}}
	if got := bodyOf(t, reqs[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("POST body %v", got)
	}
	assertReq(t, reqs[1], "PUT", "/accounts/a1", "")
	if got := bodyOf(t, reqs[1]); !reflect.DeepEqual(got, map[string]any{"displayName": "Ops"}) {
		t.Errorf("PUT body %v", got)
	}
	if got := bodyOf(t, reqs[2]); !reflect.DeepEqual(got, map[string]any{"displayName": nil}) {
		t.Errorf("clearing PUT body %v", got)
	}
}

// TestSecretCallsLogKeysOnly: a service config's values and an account's token can hold secrets under
// any key, so their bodies are logged with every value masked, both ways.
func TestSecretCallsLogKeysOnly(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == http.MethodPost && r.URL.Path == "/accounts" {
			replyRaw(w, 200, `{"accountId":"a1"}`)
			return
		}
		replyRaw(w, 200, `{"serviceId":"acme:x","signingSalt":"srv-salt-77"}`)
	})
	c := newTestClient(t, f.URL)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	mustNil(t, c.ReplaceServiceConfig(ctx, ServiceConfig{ServiceID: "acme:x", Values: map[string]json.RawMessage{"webhookSeed": json.RawMessage(`"cfg-seed-42"`)}}))
	if _, err := c.GetServiceConfig(ctx, "acme:x"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccount(ctx, NewAccount{Service: "acme:x", Name: "n", Token: json.RawMessage(`{"subdomainKeyish":"tok-val-13"}`)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"cfg-seed-42", "srv-salt-77", "tok-val-13"} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q:\n%s", secret, out)
		}
	}
	for _, key := range []string{"webhookSeed", "signingSalt"} {
		if !strings.Contains(out, key) {
			t.Errorf("log lacks the key %q, which it may show:\n%s", key, out)
		}
	}
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
