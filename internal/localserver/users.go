// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
	"time"
)

// validScopes are the engine's user scopes.
var validScopes = []string{"user", "admin", "developer", "private"}

type user struct {
	id, username, email string
	password            [32]byte // sha256; plain text never needs to be kept
	scope               []string
	vendor              []string // nil encodes as null, like a user nobody gave a vendor
	plan                string
	metadata            map[string]any
	created             time.Time
	deleting            bool // an async delete is under way: hidden, cannot log in
}

func newUser(username, email, password string, now time.Time) *user {
	if email == "" && strings.Contains(username, "@") {
		email = username
	}
	return &user{
		id: objectID(), username: username, email: email, password: sha256.Sum256([]byte(password)),
		scope: []string{"user"}, plan: "free", metadata: map[string]any{}, created: now,
	}
}

func (u *user) checkPassword(p string) bool {
	sum := sha256.Sum256([]byte(p))
	return subtle.ConstantTimeCompare(sum[:], u.password[:]) == 1
}

func (u *user) isAdmin() bool { return slices.Contains(u.scope, "admin") }

// userView is the appmixer-dialect user object.
func (s *Server) userView(u *user) map[string]any {
	return map[string]any{
		"id": u.id, "username": u.username, "email": u.email, "isActive": true, "scope": u.scope,
		"plan": u.plan, "vendor": u.vendor, "metadata": u.metadata, "created": isoTime(u.created),
	}
}

// viewUser is GET /user: the user object without the admin's "created" (appmixer-api.md §1.2).
func (s *Server) viewUser(u *user) map[string]any {
	if s.contract {
		return contractUser(u)
	}
	view := s.userView(u)
	delete(view, "created")
	return view
}

// loginUser is the user of a login response: as GET /user, but without the scope, which only
// GET /user adds (appmixer-api.md §1.2 and §2.3).
func (s *Server) loginUser(u *user) map[string]any {
	view := s.viewUser(u)
	delete(view, "scope")
	return view
}

// userByLogin finds a user by username or email, ignoring case as the engine does.
func (s *Server) userByLogin(login string) *user {
	for _, u := range s.users {
		if strings.EqualFold(u.username, login) || (u.email != "" && strings.EqualFold(u.email, login)) {
			return u
		}
	}
	return nil
}

func (s *Server) usernameTaken(username, exceptID string) bool {
	for _, u := range s.users {
		if u.id != exceptID && strings.EqualFold(u.username, username) {
			return true
		}
	}
	return false
}

// visibleUser is a user that exists and is not being deleted.
func (s *Server) visibleUser(id string) (*user, error) {
	u := s.users[id]
	if u == nil || u.deleting {
		return nil, notFound("User")
	}
	return u, nil
}

func (s *Server) getCurrentUser(c *call) (any, error) { return s.viewUser(c.user), nil }

// createUser is the open sign-up, POST /user.
func (s *Server) createUser(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "username", "email", "password", "metadata"); err != nil {
		return nil, err
	}
	username, err := requiredString(body, "username")
	if err != nil {
		return nil, err
	}
	email, _, err := optString(body, "email")
	if err != nil {
		return nil, err
	}
	password, err := requiredString(body, "password")
	if err != nil {
		return nil, err
	}
	metadata, _, err := optObject(body, "metadata")
	if err != nil {
		return nil, err
	}
	if err := checkUserFields(username, email, password); err != nil {
		return nil, err
	}
	if s.usernameTaken(username, "") {
		return nil, badRequest("Username already exists.")
	}
	u := newUser(username, email, password, c.now)
	if metadata != nil {
		u.metadata = metadata
	}
	s.users[u.id] = u
	if s.contract {
		return contractUser(u), nil
	}
	// Appmixer answers 201 with the new user's token alone; the user's id is the token's id claim
	// (appmixer-api.md §1.2, docs /api/user 6.x and 5.1).
	return jsonReply(http.StatusCreated, map[string]any{"token": s.issueToken(u, c.now)}), nil
}

func checkUserFields(username, email, password string) error {
	if strings.TrimSpace(username) == "" {
		return badRequest(`"username" is not allowed to be empty`)
	}
	if email != "" && !strings.Contains(email, "@") {
		return badRequest(`"email" must be a valid email`)
	}
	if password != "" && len(password) < 5 {
		return badRequest(`"password" length must be at least 5 characters long`)
	}
	return nil
}

// userDocs lists visible users as documents the list query can filter, sort and page.
func (s *Server) userDocs() []map[string]any {
	var docs []map[string]any
	for _, u := range s.users {
		if !u.deleting {
			docs = append(docs, s.userView(u))
		}
	}
	// Creation order is the natural order; ids break ties between users made in the same millisecond.
	slices.SortFunc(docs, func(a, b map[string]any) int {
		return strings.Compare(str(a["created"])+str(a["id"]), str(b["created"])+str(b["id"]))
	})
	return docs
}

func (s *Server) listUsers(c *call) (any, error) {
	q, err := s.listQuery(c, "id", "username", "email")
	if err != nil {
		return nil, err
	}
	return q.apply(s.userDocs()), nil
}

func (s *Server) countUsers(c *call) (any, error) {
	q, err := s.listQuery(c, "id", "username", "email")
	if err != nil {
		return nil, err
	}
	return map[string]any{"count": q.count(s.userDocs())}, nil
}

func (s *Server) getUser(c *call) (any, error) {
	u, err := s.visibleUser(c.param("id"))
	if err != nil {
		return nil, err
	}
	return s.userView(u), nil
}

// putUserKeys are the keys the 6.x docs list for PUT /users/{id} (appmixer-api.md §1.2).
var putUserKeys = []string{"email", "scope", "vendor", "metadata"}

// ignoredPutUserKeys were listed up to 5.1 and are dropped by 6.x without a word (§1.2, med): a password
// is set with POST /user/reset-password, and nothing renames a user.
var ignoredPutUserKeys = []string{"username", "password"}

var _ = guess("users", "PUT /users/{id} answers 400 `\"<key>\" is not allowed` for a key that is neither one the 6.x docs list "+
	"(scope, vendor, metadata, email) nor one that 5.1 listed and 6.x ignores (username, password)",
	"appmixer-api.md §1.2 lists the accepted keys and says password may be ignored; what other keys do is not documented, "+
		"and Appmixer's Joi validation rejects unknown keys elsewhere")

// updateUser is the admin PUT /users/{id}; the contract only knows username and password.
func (s *Server) updateUser(c *call) (any, error) {
	u, err := s.visibleUser(c.param("id"))
	if err != nil {
		return nil, err
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if s.contract {
		return s.updateContractUser(u, body)
	}
	if err := onlyKeys(body, slices.Concat(putUserKeys, ignoredPutUserKeys)...); err != nil {
		return nil, err
	}
	next := *u
	if v, ok, err := optString(body, "email"); err != nil {
		return nil, err
	} else if ok {
		next.email = v
	}
	if err := checkUserFields(next.username, next.email, ""); err != nil {
		return nil, err
	}
	if next.scope, err = scopeField(body, u.scope); err != nil {
		return nil, err
	}
	if next.vendor, err = vendorField(body, u.vendor); err != nil {
		return nil, err
	}
	if metadata, ok, err := optObject(body, "metadata"); err != nil {
		return nil, err
	} else if ok {
		next.metadata = metadata
	}
	*u = next
	return s.userView(u), nil
}

// updateContractUser is the contract's PUT /users/{id}: username and password, answered with {}.
func (s *Server) updateContractUser(u *user, body map[string]any) (any, error) {
	if err := onlyKeys(body, "username", "password"); err != nil {
		return nil, err
	}
	next := *u
	if v, ok, err := optString(body, "username"); err != nil {
		return nil, err
	} else if ok {
		next.username = v
	}
	password, hasPassword, err := optString(body, "password")
	if err != nil {
		return nil, err
	}
	if hasPassword && password == "" {
		return nil, badRequest(`"password" is not allowed to be empty`)
	}
	if err := checkUserFields(next.username, next.email, password); err != nil {
		return nil, err
	}
	if password != "" {
		next.password = sha256.Sum256([]byte(password))
	}
	if s.usernameTaken(next.username, u.id) {
		return nil, badRequest("Username already exists.")
	}
	*u = next
	return map[string]any{}, nil
}

var _ = guess("users", "POST /user/reset-password answers 200 {} and leaves the user's tokens valid; an unknown e-mail answers 404 "+
	"\"User not found.\"; the new password follows sign-up's rule (at least 5 characters)",
	"appmixer-api.md §1.2 documents the route and its body {email, password} (admin) but not its answer or errors; §10 says "+
		"tokens cannot be revoked")

// resetPassword is the admin POST /user/reset-password {email, password}, the documented way to set a
// user's password in 6.x (appmixer-api.md §1.2).
func (s *Server) resetPassword(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "email", "password"); err != nil {
		return nil, err
	}
	email, err := requiredString(body, "email")
	if err != nil {
		return nil, err
	}
	password, err := requiredString(body, "password")
	if err != nil {
		return nil, err
	}
	if err := checkUserFields("-", email, password); err != nil {
		return nil, err
	}
	var target *user
	for _, u := range s.users {
		if !u.deleting && u.email != "" && strings.EqualFold(u.email, email) {
			target = u
		}
	}
	if target == nil {
		return nil, notFound("User")
	}
	target.password = sha256.Sum256([]byte(password))
	return map[string]any{}, nil
}

func scopeField(body map[string]any, current []string) ([]string, error) {
	scope, ok, err := optStrings(body, "scope")
	if err != nil || !ok {
		return current, err
	}
	for i, sc := range scope {
		if !slices.Contains(validScopes, sc) {
			return nil, badRequest("\"scope[%d]\" must be one of [%s]", i, strings.Join(validScopes, ", "))
		}
	}
	return scope, nil
}

// vendorField accepts an array or, like the engine, a single string.
func vendorField(body map[string]any, current []string) ([]string, error) {
	if v, ok := body["vendor"].(string); ok {
		return []string{v}, nil
	}
	vendor, ok, err := optStrings(body, "vendor")
	if err != nil || !ok {
		return current, err
	}
	return vendor, nil
}
