// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"fmt"
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

	// 6.x takes scope, vendor, metadata and email, and ignores username and password (appmixer-api.md §1.2).
	r := h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{
		"username": "joseph@example.com", "email": "joseph@example.com", "password": "new-password",
		"scope": []string{"user", "developer"}, "vendor": []string{"acme"}, "metadata": map[string]any{"team": "ops"},
	})
	u := r.obj()
	if u["username"] != "joe@example.com" || u["email"] != "joseph@example.com" || len(u["scope"].([]any)) != 2 ||
		u["vendor"].([]any)[0] != "acme" || u["metadata"].(map[string]any)["team"] != "ops" {
		t.Fatalf("PUT /users: %s", r.raw)
	}
	h.login("joe@example.com", "secret-pw") // the old password still works
	assertBoom(t, h.do("POST", "/user/auth", "", map[string]any{"username": "joe@example.com", "password": "new-password"}), 403, "")
	if v := h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{"vendor": "solo"}).obj()["vendor"].([]any); v[0] != "solo" {
		t.Fatalf("vendor string not accepted: %v", v)
	}
	for _, tc := range []struct {
		body map[string]any
		msg  string
	}{
		{map[string]any{"scope": []string{"root"}}, `"scope[0]" must be one of [user, admin, developer, private]`},
		{map[string]any{"allowedPrivateComponents": []string{}}, `"allowedPrivateComponents" is not allowed`},
		{map[string]any{"email": "not-an-email"}, `"email" must be a valid email`},
		{map[string]any{"metadata": "x"}, `"metadata" must be an object`},
	} {
		assertBoom(t, h.do("PUT", "/users/"+joeID, admin, tc.body), 400, tc.msg)
	}
}

// POST /user/reset-password {email, password} is how an admin sets a password (appmixer-api.md §1.2).
func TestResetPassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	_, joe := h.signUp("joe@example.com")
	h.must(200, "POST", "/user/reset-password", admin, map[string]any{"email": "JOE@example.com", "password": "rotated-pw"})
	h.login("joe@example.com", "rotated-pw")
	assertBoom(t, h.do("POST", "/user/auth", "", map[string]any{"username": "joe@example.com", "password": "secret-pw"}), 403, "")
	h.must(200, "GET", "/user", joe, nil) // tokens issued before stay valid

	assertBoom(t, h.do("POST", "/user/reset-password", joe, map[string]any{"email": "joe@example.com", "password": "mine-pw"}), 403, "Insufficient scope")
	assertBoom(t, h.do("POST", "/user/reset-password", admin, map[string]any{"email": "ghost@example.com", "password": "12345"}), 404, "User not found.")
	assertBoom(t, h.do("POST", "/user/reset-password", admin, map[string]any{"email": "joe@example.com", "password": "123"}), 400,
		`"password" length must be at least 5 characters long`)
	assertBoom(t, h.do("POST", "/user/reset-password", admin, map[string]any{"password": "12345"}), 400, `"email" is required`)
	h.login("joe@example.com", "rotated-pw") // the refused calls changed nothing
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
	// One step per flow, one for the accounts, one for the user; each poll finishes one.
	status := "/users/" + joeID + "/delete-status/" + ticket
	for i, want := range []string{"in-progress 1/3", "in-progress 2/3", "completed 3/3", "completed 3/3"} {
		st := h.must(200, "GET", status, admin, nil).obj()
		if got := fmt.Sprintf("%v %v/%v", st["status"], st["stepsDone"], st["stepsTotal"]); got != want || len(st) != 3 {
			t.Fatalf("poll %d: %v, want %s and no other keys", i+1, st, want)
		}
	}
	assertBoom(t, h.do("GET", "/users/"+joeID, admin, nil), 404, "User not found.")
	assertBoom(t, h.do("GET", "/users/"+joeID+"/delete-status/other", admin, nil), 404, "Ticket not found.")
	h.locked(func(s *Server) {
		if len(s.flows) != 0 || len(s.accounts) != 0 {
			t.Fatalf("left %d flows and %d accounts", len(s.flows), len(s.accounts))
		}
	})
	h.signUp("joe") // the username is free again

	// Nobody polls: the deletion finishes by itself, a step per asyncDelay (ann has two).
	annID, _ := h.signUp("ann")
	h.must(200, "DELETE", "/users/"+annID, admin, nil)
	h.clock.Advance(asyncDelay - time.Millisecond)
	assertBoom(t, h.do("GET", "/users/"+annID, admin, nil), 404, "") // hidden while being deleted
	h.locked(func(s *Server) {
		if s.users[annID] == nil {
			t.Fatal("ann removed before the job's time was up")
		}
	})
	h.clock.Advance(asyncDelay + time.Millisecond)
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
