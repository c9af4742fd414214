// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// authState holds the bearer token and the login in flight, if any.
type authState struct {
	mu     sync.Mutex
	token  string
	flight *loginFlight
	// waiting, when set (by tests), is called each time a caller starts waiting for another's login,
	// so that a test can hold a login until every caller it expects has joined it.
	waiting func()
}

// loginFlight lets concurrent callers share one POST /user/auth.
type loginFlight struct {
	done  chan struct{}
	token string
	err   error
}

// Login ensures the client holds a token, logging in if needed. With only a
// Token configured it does nothing. A failed login is not remembered: the
// next call tries again.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.currentToken(logContext(ctx))
	return err
}

// currentToken returns the token, logging in once for all concurrent callers
// when there is none.
func (c *Client) currentToken(ctx context.Context) (string, error) {
	for {
		c.auth.mu.Lock()
		if c.auth.token != "" {
			t := c.auth.token
			c.auth.mu.Unlock()
			return t, nil
		}
		if c.cfg.Password == "" {
			c.auth.mu.Unlock()
			// Unreachable with a validated Config; kept as a guard.
			return "", errors.New("appmixer: no token and no password to log in with")
		}
		f := c.auth.flight
		leader := f == nil
		if leader {
			f = &loginFlight{done: make(chan struct{})}
			c.auth.flight = f
		}
		waiting := c.auth.waiting
		c.auth.mu.Unlock()
		if !leader && waiting != nil {
			waiting()
		}

		if leader {
			f.token, f.err = c.login(ctx)
			c.auth.mu.Lock()
			c.auth.flight = nil
			if f.err == nil {
				c.auth.token = f.token
			}
			c.auth.mu.Unlock()
			close(f.done)
			return f.token, f.err
		}

		select {
		case <-f.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if f.err == nil {
			return f.token, nil
		}
		// The leader's context ending says nothing about ours: try again.
		if ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
			continue
		}
		return "", f.err
	}
}

// invalidateToken drops used unless another caller already replaced it, so
// a burst of 401s leads to a single new login.
func (c *Client) invalidateToken(used string) {
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	if c.auth.token == used {
		c.auth.token = ""
	}
}

// login performs POST /user/auth. The real API also accepts `email`, but
// `username` is what both dialects document.
func (c *Client) login(ctx context.Context) (string, error) {
	body := map[string]string{"username": c.cfg.Username, "password": c.cfg.Password}
	var w struct {
		Token flexString      `json:"token"`
		User  json.RawMessage `json:"user"`
	}
	cl := call{method: http.MethodPost, path: "/user/auth", body: body, class: retrySafe, anonymous: true}
	if err := c.do(ctx, cl, &w); err != nil {
		var e *Error
		if errors.As(err, &e) && (e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusUnauthorized) {
			return "", &LoginError{Username: c.cfg.Username, Answer: e}
		}
		return "", fmt.Errorf("appmixer: login as %q failed: %w", c.cfg.Username, err)
	}
	token := string(w.Token)
	if token == "" && len(w.User) > 0 {
		// The contract's User schema carries the token too.
		var u struct {
			Token flexString `json:"token"`
		}
		if json.Unmarshal(w.User, &u) == nil {
			token = string(u.Token)
		}
	}
	if token == "" {
		return "", fmt.Errorf("appmixer: login as %q failed: the response carried no token", c.cfg.Username)
	}
	return token, nil
}

// tokenRejected explains a 401 when there is no password to log in again.
func tokenRejected(err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	msg := "the API token was rejected or has expired; configure a fresh token or a username and password"
	if e.Message != "" {
		msg += " (server said: " + e.Message + ")"
	}
	e.Message = msg
	return e
}

// ErrBadCredentials matches (errors.Is) a login the server refused: a wrong username or password.
var ErrBadCredentials = errors.New("appmixer: the username or password was refused")

// LoginError is a refused POST /user/auth: Appmixer answers 403 to bad credentials (and to accounts that
// may only sign in through SSO), the contract 401. It deliberately does not unwrap to the *Error, so
// that no caller reads a refused login as "forbidden: the user lacks a scope" or as an expired token.
type LoginError struct {
	Username string
	Answer   *Error // the server's answer
}

func (e *LoginError) Error() string {
	answer := fmt.Sprintf("%d %s", e.Answer.StatusCode, http.StatusText(e.Answer.StatusCode))
	if e.Answer.Message != "" {
		answer += ": " + e.Answer.Message
	}
	return fmt.Sprintf("appmixer: login as %q failed: the username or password is wrong, or the account may only sign in "+
		"through SSO (POST /user/auth answered %s)", e.Username, answer)
}

// Is makes errors.Is(err, ErrBadCredentials) true.
func (e *LoginError) Is(target error) bool { return target == ErrBadCredentials }
