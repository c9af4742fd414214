// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestInfo(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		got := h.must(200, "GET", "/", "", nil).obj()
		want := map[string]any{"version": "6.1.0"}
		if h.s.contract {
			want["status"] = "ok"
		}
		if len(got) != len(want) || got["version"] != want["version"] || got["status"] != want["status"] {
			t.Fatalf("GET / = %v, want %v", got, want)
		}
	})
}

func TestLogin(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{AdminUsername: "root@example.com", AdminPassword: "s3cret"}, func(t *testing.T, h *harness) {
		r := h.must(200, "POST", "/user/auth", "", map[string]any{"username": "ROOT@example.com", "password": "s3cret"})
		user, _ := r.obj()["user"].(map[string]any)
		if str(r.obj()["token"]) == "" || user["username"] != "root@example.com" || user["id"] == "" {
			t.Fatalf("login response %s", r.raw)
		}
		// Only GET /user adds the scope (appmixer-api.md §2.3); the login's user has none in either dialect.
		if _, hasScope := user["scope"]; hasScope {
			t.Fatalf("scope in the login response of the %s dialect: %s", h.s.opts.Dialect, r.raw)
		}
		// The JWT-shaped token decodes like Appmixer's: three base64url parts.
		if parts := strings.Split(str(r.obj()["token"]), "."); len(parts) != 3 {
			t.Fatalf("token %q is not JWT-shaped", r.obj()["token"])
		}
		byEmail := h.do("POST", "/user/auth", "", map[string]any{"email": "root@example.com", "password": "s3cret"})
		if h.s.contract {
			assertBoom(t, byEmail, 400, `"username" is required`)
		} else if byEmail.status != 200 {
			t.Fatalf("login by email: %s", byEmail.raw)
		}
		// Appmixer answers bad credentials with 403 (appmixer-api.md §1.2); the contract documents 401.
		badLogin := 403
		if h.s.contract {
			badLogin = 401
		}
		assertBoom(t, h.do("POST", "/user/auth", "", map[string]any{"username": "root@example.com", "password": "nope"}), badLogin, "Invalid username or password.")
		assertBoom(t, h.do("POST", "/user/auth", "", map[string]any{"username": "ghost", "password": "s3cret"}), badLogin, "Invalid username or password.")
		assertBoom(t, h.do("POST", "/user/auth", "", map[string]any{"username": "root@example.com"}), 400, `"password" is required`)
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{TokenTTL: time.Hour}, func(t *testing.T, h *harness) {
		missing := h.do("GET", "/user", "", nil)
		assertBoom(t, missing, 401, "Missing authentication")
		if missing.header.Get("WWW-Authenticate") != "Bearer" {
			t.Fatalf("401 without WWW-Authenticate: %v", missing.header)
		}
		assertBoom(t, h.do("GET", "/user", "forged.token.value", nil), 401, "Invalid JWT: key or signature is invalid")
		tok := h.admin()
		h.clock.Advance(time.Hour - time.Second)
		h.must(200, "GET", "/user", tok, nil) // valid until the last second of its hour
		h.clock.Advance(time.Second)
		assertBoom(t, h.do("GET", "/user", tok, nil), 401, "Token expired")

		fresh := h.admin()
		h.must(200, "GET", "/flows", fresh, nil)
		h.s.ExpireTokens()
		assertBoom(t, h.do("GET", "/flows", fresh, nil), 401, "Token expired")
		h.must(200, "GET", "/flows", h.admin(), nil) // logging in again is the way back
	})
}

func TestCurrentUserShapes(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		got := h.must(200, "GET", "/user", h.admin(), nil).obj()
		keys := sortedKeys(got)
		want := []string{"email", "id", "plan", "username"}
		if !h.s.contract {
			want = []string{"email", "id", "isActive", "metadata", "plan", "scope", "username", "vendor"}
		}
		if strings.Join(keys, ",") != strings.Join(want, ",") {
			t.Fatalf("GET /user keys %v, want %v", keys, want)
		}
	})
}

func TestSignUp(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		joe := map[string]any{"username": "joe@example.com", "password": "joe-pw"}
		if h.s.contract {
			// The contract answers 200 with the user and no token.
			r := h.must(200, "POST", "/user", "", joe)
			if r.obj()["id"] == "" || r.obj()["email"] != "joe@example.com" {
				t.Fatalf("sign-up response %s", r.raw)
			}
			if _, hasToken := r.obj()["token"]; hasToken {
				t.Fatalf("token in the contract's sign-up: %s", r.raw)
			}
		} else {
			// Appmixer answers 201 with {token} alone; its id claim is the new user (appmixer-api.md §1.2).
			r := h.must(201, "POST", "/user", "", joe)
			if got := sortedKeys(r.obj()); len(got) != 1 || got[0] != "token" {
				t.Fatalf("sign-up answered keys %v, want only token: %s", got, r.raw)
			}
			id := jwtClaim(t, str(r.obj()["token"]), "id")
			me := h.must(200, "GET", "/user", h.login("joe@example.com", "joe-pw"), nil).obj()
			if id == "" || me["id"] != id {
				t.Fatalf("the sign-up token's id claim is %q, the user's id %v", id, me["id"])
			}
			if me["email"] != "joe@example.com" {
				t.Fatalf("e-mail not defaulted from the username: %v", me)
			}
		}
		h.login("joe@example.com", "joe-pw")
		assertBoom(t, h.do("POST", "/user", "", map[string]any{"username": "JOE@example.com", "password": "other-pw"}), 400, "Username already exists.")
		assertBoom(t, h.do("POST", "/user", "", map[string]any{"username": "ann", "password": "1234"}), 400, `"password" length must be at least 5 characters long`)
		assertBoom(t, h.do("POST", "/user", "", map[string]any{"password": "12345"}), 400, `"username" is required`)
		// Open, but a token that is sent must be valid.
		assertBoom(t, h.do("POST", "/user", "bad-token", map[string]any{"username": "ann", "password": "12345"}), 401, "")
	})
}

func TestScopesAndIsolation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	joeID, joe := h.signUp("joe")
	_, ann := h.signUp("ann")
	for _, path := range []string{"/users", "/users/count", "/users/" + joeID} {
		assertBoom(t, h.do("GET", path, joe, nil), 403, "Insufficient scope")
	}
	assertBoom(t, h.do("PUT", "/users/"+joeID, joe, map[string]any{"username": "x"}), 403, "")
	assertBoom(t, h.do("POST", "/_local/accounts", joe, map[string]any{"service": "appmixer:slack", "token": map[string]any{}}), 403, "")
	h.must(200, "GET", "/users/"+joeID, admin, nil)

	flowID := h.createFlow(joe, "joe's flow", map[string]any{})
	for _, tok := range []string{ann, admin} {
		assertBoom(t, h.do("GET", "/flows/"+flowID, tok, nil), 404, "Flow not found.")
		assertBoom(t, h.do("PUT", "/flows/"+flowID, tok, map[string]any{"name": "stolen"}), 404, "Flow not found.")
		assertBoom(t, h.do("DELETE", "/flows/"+flowID, tok, nil), 404, "Flow not found.")
		assertBoom(t, h.do("POST", "/flows/"+flowID+"/coordinator", tok, map[string]any{"command": "start"}), 404, "")
		if n := len(h.must(200, "GET", "/flows", tok, nil).arr()); n != 0 {
			t.Fatalf("another user lists %d flows", n)
		}
	}
	accountID, err := h.s.AddAccount("joe", AccountSeed{Service: "appmixer:slack", Name: "joe"})
	if err != nil {
		t.Fatal(err)
	}
	assertBoom(t, h.do("DELETE", "/accounts/"+accountID, ann, nil), 404, "Account not found.")
	if n := len(h.must(200, "GET", "/accounts", ann, nil).arr()); n != 0 {
		t.Fatalf("another user lists %d accounts", n)
	}
}

func TestRoutingErrors(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{MaxBodyBytes: 1024}, func(t *testing.T, h *harness) {
		tok := h.admin()
		assertBoom(t, h.do("GET", "/no/such/route", tok, nil), 404, "Not Found")
		assertBoom(t, h.do("GET", "/data-stores", tok, nil), 404, "") // in the contract file, not in the served table
		r := h.do("PATCH", "/flows", tok, nil)
		assertBoom(t, r, 405, "Method Not Allowed")
		if r.header.Get("Allow") != "GET, POST" {
			t.Fatalf("Allow = %q", r.header.Get("Allow"))
		}
		assertBoom(t, h.do("POST", "/flows", tok, `{"name": "x",`), 400, "Invalid request payload JSON format")
		assertBoom(t, h.do("POST", "/flows", tok, `[1]`), 400, `"value" must be an object`)
		assertBoom(t, h.do("POST", "/flows", tok, map[string]any{"name": strings.Repeat("x", 2000)}), 413, "Payload content length greater than maximum allowed: 1024")

		// The dialect decides which routes exist.
		coordinator := h.do("POST", "/flows/x/coordinator", tok, map[string]any{"command": "start"})
		start := h.do("PUT", "/flows/x/start", tok, nil)
		users := h.do("GET", "/users", tok, nil)
		if h.s.contract {
			assertBoom(t, coordinator, 404, "Not Found")
			assertBoom(t, start, 404, "Flow not found.")
			assertBoom(t, users, 404, "Not Found")
			assertBoom(t, h.do("GET", "/users/x", tok, nil), 405, "")
		} else {
			assertBoom(t, coordinator, 404, "Flow not found.")
			assertBoom(t, start, 404, "Not Found")
			if users.status != http.StatusOK {
				t.Fatalf("GET /users: %s", users.raw)
			}
		}
	})
}
