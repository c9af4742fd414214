// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var paramPattern = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryRouteEnforcesAccess walks the served route table rather than a hand-kept list, so a route
// added later with the wrong access level fails here: no token and a foreign token get 401 on every
// route that is not open, and a user without the admin scope gets 403 on every admin route.
func TestEveryRouteEnforcesAccess(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		expired := h.admin()
		h.s.ExpireTokens()
		_, joe := h.signUp("joe")
		checked := 0
		for _, rt := range h.s.routes {
			path := paramPattern.ReplaceAllString(rt.pattern, "x1")
			var body any
			if rt.method == http.MethodPost || rt.method == http.MethodPut {
				body = map[string]any{}
			}
			name := rt.name()
			switch rt.access {
			case accessOpen:
				for _, tok := range []string{"", "forged.token.value"} {
					if r := h.do(rt.method, path, tok, body); r.status == 401 || r.status == 403 {
						t.Errorf("open route %s answered %d: %s", name, r.status, r.raw)
					}
				}
				continue
			case accessOptionalToken:
				// Open, but a token that is sent must be valid.
			case accessUser, accessAdmin:
				assertStatus(t, name+" without a token", h.do(rt.method, path, "", body), 401)
			}
			assertStatus(t, name+" with a forged token", h.do(rt.method, path, "forged.token.value", body), 401)
			assertStatus(t, name+" with an expired token", h.do(rt.method, path, expired, body), 401)
			if rt.access == accessAdmin {
				assertStatus(t, name+" as a non-admin", h.do(rt.method, path, joe, body), 403)
			}
			checked++
		}
		if checked < 15 {
			t.Fatalf("only %d protected routes checked", checked)
		}
	})
}

func assertStatus(t *testing.T, what string, r resp, want int) {
	t.Helper()
	if r.status != want || r.obj()["statusCode"] != float64(want) || r.obj()["error"] != http.StatusText(want) {
		t.Errorf("%s: got %d %s, want a Boom %d", what, r.status, r.raw, want)
	}
}

// TestOversizedBodiesRejected checks the limit for bodies whose length is announced and for chunked
// ones, which only reading can measure, and that the limit holds before authentication, so an
// anonymous client cannot make the server buffer an unbounded body either.
func TestOversizedBodiesRejected(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{MaxBodyBytes: 1024})
	tok := h.admin()
	big := `{"name":"` + strings.Repeat("x", 4096) + `"}`
	for _, tc := range []struct {
		name, token string
		chunked     bool
	}{
		{"announced", tok, false},
		{"chunked", tok, true},
		{"anonymous chunked", "", true},
	} {
		var rd io.Reader = strings.NewReader(big)
		if tc.chunked {
			rd = io.MultiReader(rd) // hides the length, so net/http sends it chunked
		}
		req := newRequest(t, context.Background(), "POST", h.url+"/flows", rd)
		req.Header.Set("Content-Type", "application/json")
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		_ = res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || (tc.chunked && req.ContentLength != 0) {
			t.Errorf("%s: status %d, want 413", tc.name, res.StatusCode)
		}
	}
	if n := len(h.must(200, "GET", "/flows", tok, nil).arr()); n != 0 {
		t.Fatalf("%d flows stored from rejected bodies", n)
	}
}
