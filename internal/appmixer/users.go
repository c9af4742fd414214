// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// DeleteStatus is the progress of an asynchronous user deletion.
type DeleteStatus struct {
	Done bool
	Err  string // set when the deletion failed
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
// the ID.
func (c *Client) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	body := map[string]string{"username": in.Username, "password": in.Password}
	if in.Email != "" && !c.contractish() {
		body["email"] = in.Email
	}
	u, err := c.getUser(ctx, call{method: http.MethodPost, path: "/user", body: body, class: retryCreate})
	if err != nil {
		return nil, err
	}
	if u.ID == "" {
		return nil, errors.New("POST /user: the response carried no user id")
	}
	if u.Username == "" {
		u.Username = in.Username
	}
	return u, nil
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

// UpdateUser changes the set fields (admin; PUT /users/{id}). The contract
// allows only username and password.
func (c *Client) UpdateUser(ctx context.Context, id string, in UserUpdate) error {
	body := map[string]any{}
	if in.Username != nil {
		body["username"] = *in.Username
	}
	if in.Password != nil {
		body["password"] = *in.Password
	}
	extra := in.Email != nil || in.Scope != nil || in.Vendor != nil
	if extra && c.contractish() {
		return c.notSupported("updating a user's email, scope or vendor", nil)
	}
	if in.Email != nil {
		body["email"] = *in.Email
	}
	if in.Scope != nil {
		body["scope"] = in.Scope
	}
	if in.Vendor != nil {
		body["vendor"] = in.Vendor
	}
	return c.do(ctx, call{method: http.MethodPut, path: "/users/" + esc(id), body: body}, nil)
}

// DeleteUser deletes a user and returns the ticket of the asynchronous
// deletion, or "" when the server deleted synchronously.
func (c *Client) DeleteUser(ctx context.Context, id string) (string, error) {
	var w struct {
		Ticket flexString `json:"ticket"`
	}
	if err := c.do(ctx, call{method: http.MethodDelete, path: "/users/" + esc(id)}, &w); err != nil {
		return "", err
	}
	return string(w.Ticket), nil
}

// UserDeleteStatus polls an asynchronous user deletion. An empty ticket
// (synchronous deletion) is done at once.
func (c *Client) UserDeleteStatus(ctx context.Context, id, ticket string) (*DeleteStatus, error) {
	if ticket == "" {
		return &DeleteStatus{Done: true}, nil
	}
	if c.dialect == DialectContract {
		return nil, c.notSupported("polling user deletion", nil)
	}
	var w struct {
		Status flexString `json:"status"`
		Error  flexString `json:"error"`
	}
	path := "/users/" + esc(id) + "/delete-status/" + esc(ticket)
	if err := c.do(ctx, call{method: http.MethodGet, path: path}, &w); err != nil {
		return nil, err
	}
	switch strings.ToLower(string(w.Status)) {
	case "completed", "complete", "done", "finished", "success", "succeeded":
		return &DeleteStatus{Done: true, Err: string(w.Error)}, nil
	case "failed", "error":
		msg := string(w.Error)
		if msg == "" {
			msg = "user deletion failed"
		}
		return &DeleteStatus{Done: true, Err: msg}, nil
	case "":
		if w.Error != "" {
			return &DeleteStatus{Done: true, Err: string(w.Error)}, nil
		}
	}
	return &DeleteStatus{}, nil
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
