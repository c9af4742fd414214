// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestLocalAccountsRoute(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		admin := h.admin()
		joeID, joe := h.signUp("joe")
		r := h.must(200, "POST", "/_local/accounts", admin, map[string]any{
			"service": "appmixer:slack", "name": "joe-slack", "displayName": "Joe", "token": map[string]any{"accessToken": "x"}, "userId": joeID,
		}).obj()
		if r["userId"] != joeID || r["name"] != "joe-slack" || str(r["accountId"]) == "" {
			t.Fatalf("POST /_local/accounts = %v", r)
		}
		if n := len(h.must(200, "GET", "/accounts", joe, nil).arr()); n != 1 {
			t.Fatalf("joe sees %d accounts", n)
		}
		if n := len(h.must(200, "GET", "/accounts", admin, nil).arr()); n != 0 {
			t.Fatalf("admin sees %d accounts", n)
		}
		for _, tc := range []struct {
			body   map[string]any
			status int
			msg    string
		}{
			{map[string]any{"service": "appmixer:slack"}, 400, `"token" is required`},
			{map[string]any{"service": "slack", "token": map[string]any{}}, 400, `"service" must look like vendor:service`},
			{map[string]any{"service": "appmixer:slack", "token": map[string]any{}, "userId": "nope"}, 404, "User not found."},
			{map[string]any{"service": "appmixer:slack", "token": map[string]any{}, "secret": 1}, 400, `"secret" is not allowed`},
		} {
			assertBoom(t, h.do("POST", "/_local/accounts", admin, tc.body), tc.status, tc.msg)
		}
		assertBoom(t, h.do("POST", "/_local/accounts", "", map[string]any{}), 401, "")
	})
}

func TestUpgradeRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	id := h.createFlow(admin, "f", twoComponents())
	r := h.must(200, "POST", "/_local/components/upgrade", admin, map[string]any{"type": "appmixer.utils.email.SendEmail", "version": "1.2.0"}).obj()
	if r["version"] != "1.2.0" {
		t.Fatalf("upgrade answers %v", r)
	}
	if v := component(t, h.must(200, "GET", "/flows/"+id, admin, nil).obj(), "c2")["version"]; v != "1.2.0" {
		t.Fatalf("stored flow has %v", v)
	}
	assertBoom(t, h.do("POST", "/_local/components/upgrade", admin, map[string]any{"type": "a.b.c.D", "version": "1.0.0"}), 404, "Component not found.")
	assertBoom(t, h.do("POST", "/_local/components/upgrade", admin, map[string]any{"type": "appmixer.utils.email.SendEmail", "version": "new"}), 400, `"version" must be a semantic version such as "1.2.0"`)
	_, joe := h.signUp("joe")
	assertBoom(t, h.do("POST", "/_local/components/upgrade", joe, map[string]any{"type": "appmixer.utils.email.SendEmail", "version": "1.3.0"}), 403, "")
}

func TestStartAndLog(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []string
	run, err := Start("127.0.0.1:0", Options{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(run.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %q", run.URL)
	}
	req := newRequest(t, context.Background(), "GET", run.URL+"/", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := run.Close(); err != nil {
		t.Fatal(err)
	}
	if err := run.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "GET / -> 200") {
		t.Fatalf("log %q", lines)
	}
	if _, err := Start("127.0.0.1:0", Options{Dialect: "soap"}); err == nil {
		t.Fatal("unknown dialect accepted")
	}
}
