// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// User is an Appmixer user.
type User struct {
	ID       string
	Username string
	Email    string
	Scope    []string
	Vendor   []string
	Plan     string
	IsActive *bool
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Username string
	Email    string // not sent to a contract server
	Password string
}

// UserUpdate lists the fields to change; nil means unchanged.
type UserUpdate struct {
	Username *string
	Email    *string
	Password *string
	Scope    []string
	Vendor   []string
}

// userWire accepts vendor as string or array and ids of any scalar type.
type userWire struct {
	ID       flexString  `json:"id"`
	Username flexString  `json:"username"`
	Email    flexString  `json:"email"`
	Scope    flexStrings `json:"scope"`
	Vendor   flexStrings `json:"vendor"`
	Plan     flexString  `json:"plan"`
	IsActive *bool       `json:"isActive"`
}

func (w *userWire) user() *User {
	return &User{
		ID: string(w.ID), Username: string(w.Username), Email: string(w.Email),
		Scope: w.Scope, Vendor: w.Vendor, Plan: string(w.Plan), IsActive: w.IsActive,
	}
}

// decodeUser reads a user from {"user":{...}} (login, some signups) or a
// bare user object.
func decodeUser(data []byte) (*User, error) {
	var env struct {
		User json.RawMessage `json:"user"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, err
	}
	var bare userWire
	if err := json.Unmarshal(data, &bare); err != nil {
		return nil, err
	}
	if jsonKind(env.User) == '{' {
		var nested userWire
		if err := json.Unmarshal(env.User, &nested); err != nil {
			return nil, err
		}
		if nested.ID != "" || bare.ID == "" {
			return nested.user(), nil
		}
	}
	return bare.user(), nil
}

// getUser sends cl and decodes a user from the answer.
func (c *Client) getUser(ctx context.Context, cl call) (*User, error) {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(resp.body))) == 0 {
		return &User{}, nil
	}
	u, err := decodeUser(resp.body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: decoding user: %w", cl.method, cl.path, err)
	}
	return u, nil
}

// CurrentUser returns the authenticated user (GET /user).
func (c *Client) CurrentUser(ctx context.Context) (*User, error) {
	return c.getUser(ctx, call{method: http.MethodGet, path: "/user"})
}

// CreateUser signs a user up (POST /user). The client's own token is sent
// too, since servers may restrict signup to admins. The result has at least
// the ID: Appmixer answers 201 {token} alone, whose JWT payload's id claim is
// the new user; failing that, the user is looked up by username. A user that
// was created but cannot be found is an *OrphanUserError.
func (c *Client) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	body := map[string]string{"username": in.Username, "password": in.Password}
	if in.Email != "" && !c.contractish() {
		body["email"] = in.Email
	}
	cl := call{method: http.MethodPost, path: "/user", body: body, class: retryCreate}
	resp, err := c.send(ctx, cl)
	if err != nil {
		if answered(err) {
			return nil, err
		}
		// The sign-up may have reached the server with its answer lost. Only the user this request
		// made can log in with the password it sent, so that login tells ours from someone else's.
		if u := c.recoverSignup(ctx, in); u != nil {
			return u, nil
		}
		return nil, &MaybeCreatedUserError{Username: in.Username, Cause: err}
	}
	u := &User{}
	if len(strings.TrimSpace(string(resp.body))) > 0 {
		if u, err = decodeUser(resp.body); err != nil {
			return nil, &OrphanUserError{Username: in.Username, Cause: fmt.Errorf("decoding the answer: %w", err)}
		}
	}
	if u.ID == "" {
		var w struct {
			Token flexString `json:"token"`
		}
		_ = json.Unmarshal(resp.body, &w) // a body that is no object has no token
		u.ID = tokenUserID(string(w.Token))
	}
	if u.ID == "" {
		found, err := c.FindUserByUsername(ctx, in.Username)
		if err != nil {
			return nil, &OrphanUserError{Username: in.Username, Cause: err}
		}
		u = found
	}
	if u.Username == "" {
		u.Username = in.Username
	}
	return u, nil
}

// answered reports whether err is the server's own answer (a 4xx), which means the request was
// refused and acted on nothing; a transport error or a 5xx may come after the server acted.
func answered(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode >= 400 && e.StatusCode < 500
}

// recoverSignup logs in as the user a sign-up without an answer may have made; it returns that
// user when the login succeeds, nil otherwise. The client's own session is left alone.
func (c *Client) recoverSignup(ctx context.Context, in NewUser) *User {
	var w struct {
		Token flexString      `json:"token"`
		User  json.RawMessage `json:"user"`
	}
	cl := call{method: http.MethodPost, path: "/user/auth", body: map[string]string{"username": in.Username, "password": in.Password},
		class: retrySafe, anonymous: true}
	if err := c.do(ctx, cl, &w); err != nil {
		return nil
	}
	u := &User{}
	if len(w.User) > 0 {
		if decoded, err := decodeUser(w.User); err == nil {
			u = decoded
		}
	}
	if u.ID == "" {
		u.ID = tokenUserID(string(w.Token))
	}
	if u.ID == "" {
		return nil
	}
	if u.Username == "" {
		u.Username = in.Username
	}
	tflog.SubsystemWarn(ctx, LogSubsystem, "POST /user lost its answer; the new user logs in with the password sent, so this request created it",
		map[string]any{"username": in.Username, "id": u.ID})
	return u
}

// MaybeCreatedUserError is a sign-up whose answer was lost and whose user cannot log in with the
// password sent: the server may or may not hold the user.
type MaybeCreatedUserError struct {
	Username string
	Cause    error
}

func (e *MaybeCreatedUserError) Error() string {
	return fmt.Sprintf("POST /user got no answer (%v), and no user %q logs in with the password sent, so the sign-up most "+
		"likely did not happen. If a user of that name exists on the server now, Terraform does not manage it: "+
		"import it (id \"username:%s\") or delete it as an admin", e.Cause, e.Username, e.Username)
}

func (e *MaybeCreatedUserError) Unwrap() error { return e.Cause }

// OrphanUserError is a user that POST /user created but whose id the provider cannot learn: the
// answer named none, and looking the username up failed. The user exists and nothing manages it.
type OrphanUserError struct {
	Username string
	Cause    error
}

func (e *OrphanUserError) Error() string {
	return fmt.Sprintf("Appmixer created the user %q, but its id is unknown: the answer to POST /user carried none "+
		"(neither a user object nor a token with an id claim), and looking it up failed: %v. The user EXISTS on the server "+
		"and Terraform does not manage it: import it (terraform import with the id \"username:%s\") or delete it as an admin",
		e.Username, e.Cause, e.Username)
}

func (e *OrphanUserError) Unwrap() error { return e.Cause }

// tokenUserID reads the id claim of a JWT's payload without verifying the token: the server that
// issued it answered the request that returned it.
func tokenUserID(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		ID flexString `json:"id"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return ""
	}
	return string(claims.ID)
}

// GetUser returns any user (admin only; GET /users/{id}).
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	const what = "reading users"
	if err := c.usersAdminGuard(what); err != nil {
		return nil, err
	}
	u, err := c.getUser(ctx, call{method: http.MethodGet, path: "/users/" + esc(id)})
	if err != nil {
		return nil, c.usersAdminErr(ctx, what, err)
	}
	if u.ID == "" {
		u.ID = id
	}
	return u, nil
}

// FindUserByUsername finds the user with exactly this username (admin only;
// GET /users?pattern=...). None found is a 404 *Error.
func (c *Client) FindUserByUsername(ctx context.Context, username string) (*User, error) {
	const what = "searching users"
	if err := c.usersAdminGuard(what); err != nil {
		return nil, err
	}
	u, err := c.findUser(ctx, url.Values{"pattern": {username}}, username)
	if err == nil && u == nil && strings.ContainsAny(username, `.+*?()[]{}|^$\`) {
		// The pattern may be a regular expression that the name does not
		// match literally (e.g. "a+b@x.io"); an exact filter catches it.
		u, err = c.findUser(ctx, url.Values{"filter": {"username:" + username}}, username)
	}
	if err != nil {
		return nil, c.usersAdminErr(ctx, what, err)
	}
	if u == nil {
		return nil, notFound("/users", fmt.Sprintf("User %q not found.", username))
	}
	return u, nil
}

// ListUsers lists every user the server's pattern search matches (admin
// only; GET /users?pattern=..., all pages). An empty pattern lists them all.
func (c *Client) ListUsers(ctx context.Context, pattern string) ([]*User, error) {
	const what = "listing users"
	if err := c.usersAdminGuard(what); err != nil {
		return nil, err
	}
	q := url.Values{}
	if pattern != "" {
		q.Set("pattern", pattern)
	}
	users, err := c.walkUsers(ctx, q, nil)
	if err != nil {
		return nil, c.usersAdminErr(ctx, what, err)
	}
	return users, nil
}

// walkUsers pages through GET /users with q, until stop says so when set.
func (c *Client) walkUsers(ctx context.Context, q url.Values, stop func(*User) bool) ([]*User, error) {
	return walkPages(ctx, pageWalk[*User]{
		fetch: func(ctx context.Context, limit, offset int) ([]*User, error) {
			q.Set("limit", strconv.Itoa(limit))
			q.Set("offset", strconv.Itoa(offset))
			var page []userWire
			if err := c.do(ctx, call{method: http.MethodGet, path: "/users", query: q}, &page); err != nil {
				return nil, err
			}
			users := make([]*User, 0, len(page))
			for i := range page {
				users = append(users, page[i].user())
			}
			return users, nil
		},
		key:  func(u *User) string { return u.ID },
		stop: stop,
	})
}

// findUser pages through GET /users with q and returns the exact match,
// else the only case-insensitive match, else nil.
func (c *Client) findUser(ctx context.Context, q url.Values, username string) (*User, error) {
	all, err := c.walkUsers(ctx, q, func(u *User) bool { return u.Username == username })
	if err != nil {
		return nil, err
	}
	var folded []*User
	for _, u := range all {
		switch {
		case u.Username == username:
			return u, nil
		case strings.EqualFold(u.Username, username):
			folded = append(folded, u)
		}
	}
	if len(folded) == 1 {
		return folded[0], nil
	}
	return nil, nil
}

// UpdateUser changes the set fields (admin). With Appmixer 6.x, PUT /users/{id}
// takes email, scope and vendor, and a password is set with POST
// /user/reset-password {email, password}, by the user's e-mail address (the
// new one when Email changes too); a username cannot change, since 6.x ignores
// it. The contract's PUT takes only username and password.
func (c *Client) UpdateUser(ctx context.Context, id string, in UserUpdate) error {
	if c.contractish() {
		return c.updateContractUser(ctx, id, in)
	}
	if in.Username != nil {
		return c.notSupported("renaming a user (Appmixer 6.x's PUT /users/{id} ignores username)", nil)
	}
	body := map[string]any{}
	if in.Email != nil {
		body["email"] = *in.Email
	}
	if in.Scope != nil {
		body["scope"] = in.Scope
	}
	if in.Vendor != nil {
		body["vendor"] = in.Vendor
	}
	if len(body) > 0 {
		if err := c.do(ctx, call{method: http.MethodPut, path: "/users/" + esc(id), body: body}, nil); err != nil {
			return err
		}
	}
	if in.Password == nil {
		return nil
	}
	email := ""
	if in.Email != nil {
		email = *in.Email
	} else {
		u, err := c.GetUser(ctx, id)
		if err != nil {
			return fmt.Errorf("reading the user's e-mail address to set its password: %w", err)
		}
		email = u.Email
	}
	if email == "" {
		return fmt.Errorf("user %s has no e-mail address, and Appmixer sets a password by e-mail address "+
			"(POST /user/reset-password {email, password}): give the user an email", id)
	}
	return c.ResetPassword(ctx, email, *in.Password)
}

// ResetPassword sets the password of the user with this e-mail address (admin;
// POST /user/reset-password), the route Appmixer 6.x documents for it.
func (c *Client) ResetPassword(ctx context.Context, email, password string) error {
	if err := c.realOnly("setting a password with POST /user/reset-password"); err != nil {
		return err
	}
	body := map[string]string{"email": email, "password": password}
	return c.do(ctx, call{method: http.MethodPost, path: "/user/reset-password", body: body}, nil)
}

// updateContractUser is the contract's PUT /users/{id}, which takes only username and password.
func (c *Client) updateContractUser(ctx context.Context, id string, in UserUpdate) error {
	if in.Email != nil || in.Scope != nil || in.Vendor != nil {
		return c.notSupported("updating a user's email, scope or vendor", nil)
	}
	body := map[string]any{}
	if in.Username != nil {
		body["username"] = *in.Username
	}
	if in.Password != nil {
		body["password"] = *in.Password
	}
	return c.do(ctx, call{method: http.MethodPut, path: "/users/" + esc(id), body: body}, nil)
}

// usersAdminGuard fails fast where the admin /users routes are known to be
// missing.
func (c *Client) usersAdminGuard(what string) error {
	if c.dialect == DialectContract || c.useContract(featureUsersAdmin) {
		return c.notSupported(what, nil)
	}
	return nil
}

// usersAdminErr distinguishes, in auto mode, "no such user" from "no /users
// routes": after a 404/405 it probes GET /users/count, and when that route
// is unknown too, remembers it and reports ErrNotSupported.
func (c *Client) usersAdminErr(ctx context.Context, what string, err error) error {
	if c.dialect != DialectAuto || !routeUnknown(err) {
		return err
	}
	perr := c.do(ctx, call{method: http.MethodGet, path: "/users/count"}, nil)
	if !routeUnknown(perr) {
		return err
	}
	c.rememberMissing(featureUsersAdmin)
	return c.notSupported(what, err)
}
