// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// apiVersion is what GET / reports unless Options.Version says otherwise; the contract was written against 6.1.0.
const apiVersion = "6.1.0"

// token is an issued access token. Tokens are looked up rather than verified so that
// ExpireTokens and user deletion can revoke them.
type token struct {
	userID  string
	expires time.Time
}

func (s *Server) getInfo(*call) (any, error) {
	if s.contract {
		return map[string]any{"version": s.opts.Version, "status": "ok"}, nil
	}
	return map[string]any{"version": s.opts.Version}, nil
}

var _ = guess("auth", "a failed login says \"Invalid username or password.\" (in a Boom 403)",
	"appmixer-api.md §1.2 settles the status, 403, but not the message")

// login is POST /user/auth. Appmixer accepts username or email (its CLI sends email); the contract
// requires username, which may hold either.
func (s *Server) login(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	login, _, err := optString(body, "username")
	if err != nil {
		return nil, err
	}
	if login == "" && !s.contract {
		if login, _, err = optString(body, "email"); err != nil {
			return nil, err
		}
	}
	if login == "" {
		return nil, badRequest(`"username" is required`)
	}
	password, err := requiredString(body, "password")
	if err != nil {
		return nil, err
	}
	u := s.userByLogin(login)
	if u == nil || u.deleting || !u.checkPassword(password) {
		// Appmixer answers bad credentials with 403 (appmixer-api.md §1.2); the contract documents 401.
		status := http.StatusForbidden
		if s.contract {
			status = http.StatusUnauthorized
		}
		return nil, errorf(status, "Invalid username or password.")
	}
	tok := s.issueToken(u, c.now)
	if s.contract {
		return map[string]any{"token": tok, "user": contractUser(u)}, nil
	}
	return map[string]any{"user": s.loginUser(u), "token": tok}, nil
}

// issueToken makes a JWT-shaped token with Appmixer's payload {id, scope, iat, exp}, so clients
// that decode exp keep working; the server itself only looks tokens up.
func (s *Server) issueToken(u *user, now time.Time) string {
	exp := now.Add(s.opts.TokenTTL)
	header := b64(`{"alg":"HS256","typ":"JWT"}`)
	payload, _ := json.Marshal(map[string]any{
		"id": u.id, "scope": u.scope, "iat": now.Unix(), "exp": exp.Unix(), "jti": objectID(),
	})
	signed := header + "." + b64(string(payload))
	mac := hmac.New(sha256.New, s.jwtKey)
	mac.Write([]byte(signed))
	tok := signed + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	s.tokens[tok] = &token{userID: u.id, expires: exp}
	return tok
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// authenticate resolves the Bearer token of a request to its user.
func (s *Server) authenticate(r *http.Request, now time.Time) (*user, error) {
	h := r.Header.Get("Authorization")
	if !hasPrefixFold(h, "Bearer ") {
		return nil, errorf(http.StatusUnauthorized, "Missing authentication")
	}
	t := s.tokens[strings.TrimSpace(h[len("Bearer "):])]
	if t == nil {
		// The message Appmixer gives for a token signed by another instance.
		return nil, errorf(http.StatusUnauthorized, "Invalid JWT: key or signature is invalid")
	}
	if !now.Before(t.expires) {
		return nil, errorf(http.StatusUnauthorized, "Token expired")
	}
	u := s.users[t.userID]
	if u == nil || u.deleting {
		return nil, errorf(http.StatusUnauthorized, "Invalid JWT: user not found")
	}
	return u, nil
}

// ExpireTokens makes every token issued so far answer 401, as if they had all reached their exp.
func (s *Server) ExpireTokens() {
	if s.localOnly("expiring every token (ExpireTokens)") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for _, t := range s.tokens {
		t.expires = now
	}
}

// revokeTokens forgets a deleted user's tokens.
func (s *Server) revokeTokens(userID string) {
	for k, t := range s.tokens {
		if t.userID == userID {
			delete(s.tokens, k)
		}
	}
}
