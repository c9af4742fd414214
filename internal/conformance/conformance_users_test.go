// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConformanceUsers covers the user and login routes appmixer_user and the provider's login rely on.
func TestConformanceUsers(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)

	t.Run("POST /user answers 201 with only a token whose id claim is the new user", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "docs /api/user 6.x and 5.1", confidence: "high"})
		name, password := uniqueName("signup")+"@example.com", "signup-pass-1"
		r := admin.do(c, "POST", "/user", map[string]any{"username": name, "email": name, "password": password})
		if r.status == http.StatusOK || r.status == http.StatusCreated {
			// Whatever the answer, the user exists now: remove it.
			t.Cleanup(func() { deleteUserNamed(t, admin, name) })
		}
		if r.status != http.StatusCreated {
			c.Fatalf("POST /user: got %d, want 201: %s", r.status, r.raw)
		}
		body := r.object(c)
		token, _ := body["token"].(string)
		if token == "" || len(body) != 1 {
			c.Errorf("POST /user answered keys %v, want only token", keys(body))
		}
		id := jwtClaim(c, token, "id")
		me := tn.userSession(c, name, password).must(c, http.StatusOK, "GET", "/user", nil).object(c)
		if id == "" || me["id"] != id {
			c.Errorf("the token's id claim is %q, the new user's id (GET /user) %v", id, me["id"])
		}
	})

	t.Run("a bad login answers 403", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "clientIO/appmixer-demo-todo-express-vanilla automation.js", confidence: "high"})
		r := tn.login(c, tn.adminUsername, tn.adminPassword+"-wrong")
		if r.status != http.StatusForbidden {
			c.Fatalf("login with a wrong password: got %d, want 403: %s", r.status, r.raw)
		}
	})

	t.Run("PUT /users/{id} ignores password", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "docs /api/user 6.x vs 5.1", confidence: "med"})
		name, id := tn.newUser(c, admin, "put-pass")
		admin.must(c, http.StatusOK, "PUT", "/users/"+id, map[string]any{"password": "put-pass-new"})
		if r := tn.login(c, name, "put-pass-1"); r.status != http.StatusOK {
			c.Errorf("after PUT {password}, the old password: got %d, want 200 (ignored): %s", r.status, r.raw)
		}
		if r := tn.login(c, name, "put-pass-new"); r.status == http.StatusOK {
			c.Errorf("after PUT {password}, the new password logs in: PUT did set it")
		}
	})

	t.Run("PUT /users/{id} refuses a key the 6.x docs do not list", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "appmixer-local's choice (Joi)", confidence: "low", guess: true})
		_, id := tn.newUser(c, admin, "put-key")
		if r := admin.do(c, "PUT", "/users/"+id, map[string]any{"nickname": "x"}); r.status != http.StatusBadRequest {
			c.Errorf("PUT with an unknown key: got %d, want 400: %s", r.status, r.raw)
		}
	})

	t.Run("POST /user/reset-password sets the password", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "docs /api/user", confidence: "med"})
		name, _ := tn.newUser(c, admin, "reset")
		r := admin.do(c, "POST", "/user/reset-password", map[string]any{"email": name, "password": "reset-pass-new"})
		if r.status/100 != 2 {
			c.Fatalf("POST /user/reset-password: got %d, want 2xx: %s", r.status, r.raw)
		}
		if r := tn.login(c, name, "reset-pass-new"); r.status != http.StatusOK {
			c.Errorf("the new password: got %d, want 200: %s", r.status, r.raw)
		}
		if r := tn.login(c, name, "reset-pass-1"); r.status != http.StatusForbidden {
			c.Errorf("the old password: got %d, want 403: %s", r.status, r.raw)
		}
	})

	t.Run("POST /user/reset-password answers 200 {} and 404 for an unknown e-mail", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "appmixer-local's choice", confidence: "low", guess: true})
		name, _ := tn.newUser(c, admin, "reset-shape")
		if r := admin.do(c, "POST", "/user/reset-password", map[string]any{"email": name, "password": "reset-pass-2"}); r.status != http.StatusOK || len(r.object(c)) != 0 {
			c.Errorf("answer %d %s, want 200 {}", r.status, r.raw)
		}
		if r := admin.do(c, "POST", "/user/reset-password", map[string]any{"email": uniqueName("ghost") + "@example.com", "password": "12345"}); r.status != http.StatusNotFound {
			c.Errorf("an unknown e-mail: got %d, want 404: %s", r.status, r.raw)
		}
	})

	t.Run("DELETE /users/{id} answers a ticket whose status has steps", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.2", source: "docs /api/user; CLI routes user.delete/deleteStatus", confidence: "high"})
		_, id := tn.newUser(c, admin, "delete")
		ticket, _ := admin.must(c, http.StatusOK, "DELETE", "/users/"+id, nil).object(c)["ticket"].(string)
		if ticket == "" {
			c.Fatalf("DELETE /users/{id} answered no ticket")
		}
		statuses := []string{"in-progress", "completed", "failed", "cancelled"}
		deadline := time.Now().Add(2 * time.Minute)
		for {
			st := admin.must(c, http.StatusOK, "GET", "/users/"+id+"/delete-status/"+ticket, nil).object(c)
			status, _ := st["status"].(string)
			_, done := st["stepsDone"].(float64)
			_, total := st["stepsTotal"].(float64)
			if !slices.Contains(statuses, status) || !done || !total {
				c.Fatalf("delete status %v, want {status: %s, stepsDone, stepsTotal}", st, strings.Join(statuses, "|"))
			}
			if status == "completed" {
				break
			}
			if status != "in-progress" || time.Now().After(deadline) {
				c.Fatalf("the deletion of a fresh user ended %v", st)
			}
			if !tn.isLocal() {
				time.Sleep(time.Second) // a real tenant works at its own pace; the local one steps per poll
			}
		}
		if r := admin.do(c, "GET", "/users/"+id, nil); r.status != http.StatusNotFound {
			c.Errorf("the deleted user: got %d, want 404", r.status)
		}
	})
}

// newUser signs a user up (as the admin, in case sign-up needs it) with the password "<what>-1" and
// removes it when the case ends; it returns the username (an e-mail address) and the id.
func (tn *tenant) newUser(c *caseT, admin *session, what string) (string, string) {
	c.Helper()
	name := uniqueName(what) + "@example.com"
	r := admin.do(c, "POST", "/user", map[string]any{"username": name, "email": name, "password": what + "-1"})
	if r.status/100 != 2 {
		c.Fatalf("signing %s up: %d %s", name, r.status, r.raw)
	}
	c.Cleanup(func() { deleteUserNamed(c.T, admin, name) })
	me := tn.userSession(c, name, what+"-1").must(c, http.StatusOK, "GET", "/user", nil).object(c)
	id, _ := me["id"].(string)
	if id == "" {
		c.Fatalf("GET /user of %s has no id", name)
	}
	return name, id
}

// userSession logs in as a user.
func (tn *tenant) userSession(c *caseT, username, password string) *session {
	c.Helper()
	r := tn.login(c, username, password)
	if r.status != http.StatusOK {
		c.Fatalf("login as %s: %d %s", username, r.status, r.raw)
	}
	token, _ := r.object(c)["token"].(string)
	return &session{tn: tn, token: token}
}

// deleteUserNamed removes a user a case created, if it is still there; the deletion runs on by itself.
func deleteUserNamed(t *testing.T, admin *session, username string) {
	r := admin.do(t, "GET", "/users?pattern="+username, nil)
	if r.status != http.StatusOK {
		return
	}
	for _, u := range r.array(t) {
		if m, _ := u.(map[string]any); m["username"] == username {
			id, _ := m["id"].(string)
			admin.do(t, "DELETE", "/users/"+id, nil)
		}
	}
}

// jwtClaim decodes a token's payload and returns one string claim.
func jwtClaim(c *caseT, token, claim string) string {
	c.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		c.Fatalf("token %q is not a JWT", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		c.Fatalf("token payload: %v", err)
	}
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		c.Fatalf("token payload: %v", err)
	}
	s, _ := payload[claim].(string)
	return s
}
