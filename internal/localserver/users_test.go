// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"testing"
	"time"
)

func TestUserAdminRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	joeID, _ := h.signUp("joe@example.com")
	h.signUp("ann@example.com")
	h.signUp("bob")

	if n := len(h.must(200, "GET", "/users", admin, nil).arr()); n != 4 {
		t.Fatalf("GET /users lists %d users, want 4", n)
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"?pattern=example.com&sort=username:1", []string{"admin@example.com", "ann@example.com", "joe@example.com"}},
		{"?filter=scope:admin", []string{"admin@example.com"}},
		{"?filter=scope:!admin&sort=username:-1&limit=2", []string{"joe@example.com", "bob"}},
		{"?sort=username:1&offset=1&limit=1", []string{"ann@example.com"}},
	}
	for _, tc := range cases {
		var got []string
		for _, u := range h.must(200, "GET", "/users"+tc.query, admin, nil).arr() {
			m, _ := u.(map[string]any)
			got = append(got, str(m["username"]))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("GET /users%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	if n := h.must(200, "GET", "/users/count?pattern=example.com", admin, nil).obj()["count"]; n != float64(3) {
		t.Fatalf("count = %v", n)
	}
	assertBoom(t, h.do("GET", "/users/nope", admin, nil), 404, "User not found.")

	r := h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{
		"username": "joseph@example.com", "email": "joseph@example.com", "password": "new-password",
		"scope": []string{"user", "developer"}, "vendor": []string{"acme"},
	})
	if u := r.obj(); u["username"] != "joseph@example.com" || len(u["scope"].([]any)) != 2 || u["vendor"].([]any)[0] != "acme" {
		t.Fatalf("PUT /users: %s", r.raw)
	}
	h.login("joseph@example.com", "new-password")
	if v := h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{"vendor": "solo"}).obj()["vendor"].([]any); v[0] != "solo" {
		t.Fatalf("vendor string not accepted: %v", v)
	}
	for _, tc := range []struct {
		body map[string]any
		msg  string
	}{
		{map[string]any{"username": "ann@example.com"}, "Username already exists."},
		{map[string]any{"scope": []string{"root"}}, `"scope[0]" must be one of [user, admin, developer, private]`},
		{map[string]any{"allowedPrivateComponents": []string{}}, `"allowedPrivateComponents" is not allowed`},
		{map[string]any{"password": "123"}, `"password" length must be at least 5 characters long`},
		{map[string]any{"email": "not-an-email"}, `"email" must be a valid email`},
	} {
		assertBoom(t, h.do("PUT", "/users/"+joeID, admin, tc.body), 400, tc.msg)
	}
}

func TestUserDeleteAsync(t *testing.T) {
	t.Parallel()
	// The harness's clock stands still unless advanced, so the first poll always finds the job in progress.
	h := newHarness(t, Options{})
	admin := h.admin()
	adminID := str(h.must(200, "GET", "/user", admin, nil).obj()["id"])
	assertBoom(t, h.do("DELETE", "/users/"+adminID, admin, nil), 400, "You cannot delete your own user.")

	joeID, joe := h.signUp("joe")
	flowID := h.createFlow(joe, "f", map[string]any{})
	h.must(200, "POST", "/flows/"+flowID+"/coordinator", joe, map[string]any{"command": "start"})
	if _, err := h.s.AddAccount("joe", AccountSeed{Service: "appmixer:slack"}); err != nil {
		t.Fatal(err)
	}

	ticket := str(h.must(200, "DELETE", "/users/"+joeID, admin, nil).obj()["ticket"])
	if ticket == "" {
		t.Fatal("no ticket")
	}
	assertBoom(t, h.do("GET", "/user", joe, nil), 401, "") // tokens die with the deletion
	status := "/users/" + joeID + "/delete-status/" + ticket
	if s := h.must(200, "GET", status, admin, nil).obj()["status"]; s != "in-progress" {
		t.Fatalf("first poll status %v", s)
	}
	if s := h.must(200, "GET", status, admin, nil).obj()["status"]; s != "completed" {
		t.Fatalf("second poll status %v", s)
	}
	assertBoom(t, h.do("GET", "/users/"+joeID, admin, nil), 404, "User not found.")
	assertBoom(t, h.do("GET", "/users/"+joeID+"/delete-status/other", admin, nil), 404, "Ticket not found.")
	h.locked(func(s *Server) {
		if len(s.flows) != 0 || len(s.accounts) != 0 {
			t.Fatalf("left %d flows and %d accounts", len(s.flows), len(s.accounts))
		}
	})
	h.signUp("joe") // the username is free again

	// Nobody polls: the deletion finishes by itself.
	annID, _ := h.signUp("ann")
	h.must(200, "DELETE", "/users/"+annID, admin, nil)
	h.clock.Advance(asyncDelay - time.Millisecond)
	assertBoom(t, h.do("GET", "/users/"+annID, admin, nil), 404, "") // hidden while being deleted
	h.locked(func(s *Server) {
		if s.users[annID] == nil {
			t.Fatal("ann removed before the job's time was up")
		}
	})
	h.clock.Advance(time.Millisecond)
	assertBoom(t, h.do("GET", "/users/"+annID, admin, nil), 404, "")
	h.locked(func(s *Server) {
		if s.users[annID] != nil {
			t.Fatal("ann still stored")
		}
	})
}

func TestUserContractDialect(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Dialect: DialectContract})
	admin := h.admin()
	joeID, joe := h.signUp("joe")
	h.createFlow(joe, "f", map[string]any{})
	if r := h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{"username": "joseph", "password": "new-pw"}); len(r.obj()) != 0 {
		t.Fatalf("contract PUT /users answers %s", r.raw)
	}
	h.login("joseph", "new-pw")
	assertBoom(t, h.do("PUT", "/users/"+joeID, admin, map[string]any{"email": "j@example.com"}), 400, `"email" is not allowed`)
	if r := h.must(200, "DELETE", "/users/"+joeID, admin, nil); len(r.obj()) != 0 {
		t.Fatalf("contract DELETE /users answers %s", r.raw)
	}
	h.locked(func(s *Server) {
		if len(s.users) != 1 || len(s.flows) != 0 {
			t.Fatalf("synchronous delete left %d users, %d flows", len(s.users), len(s.flows))
		}
	})
}
