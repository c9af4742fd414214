// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// loginBarrier holds the first login at the server until want callers wait for it in the client, or
// until a second login arrives (the bug the tests look for), whichever comes first. No sleeping:
// the arrivals are counted.
type loginBarrier struct {
	joined   chan struct{} // closed when want callers wait for the login
	second   chan struct{} // closed when a second login reaches the server
	mu       sync.Mutex
	waiters  int
	want     int
	once     sync.Once
	released sync.Once
}

func newLoginBarrier(c *Client, want int) *loginBarrier {
	b := &loginBarrier{joined: make(chan struct{}), second: make(chan struct{}), want: want}
	c.auth.mu.Lock()
	c.auth.waiting = b.arrive
	c.auth.mu.Unlock()
	return b
}

func (b *loginBarrier) arrive() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.waiters++; b.waiters == b.want {
		b.released.Do(func() { close(b.joined) })
	}
}

// hold is called by the server's login handler with the login's number.
func (b *loginBarrier) hold(n int64) {
	if n > 1 {
		b.once.Do(func() { close(b.second) })
		return
	}
	select {
	case <-b.joined:
	case <-b.second:
	}
}

func TestLoginOnceUnderConcurrency(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			boom(w, 401, "Invalid token")
			return
		}
		replyRaw(w, 200, `[]`)
	})
	loginBody := make(chan []byte, 100)
	var barrier *loginBarrier
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, body []byte) {
		loginBody <- body
		n := f.logins.Add(1)
		barrier.hold(n) // the other 49 callers join this login before it answers
		reply(w, 200, map[string]any{"token": fmt.Sprintf("tok-%d", n), "user": map[string]any{"id": "u1"}})
	})
	c := newTestClient(t, f.URL)
	barrier = newLoginBarrier(c, 49)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListFlows(ctxT(t), ListFlowsOptions{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.logins.Load(); n != 1 {
		t.Fatalf("logged in %d times, want 1", n)
	}
	assertJSON(t, <-loginBody, `{"username":"admin@example.com","password":"secret"}`)
	if got := f.count("GET", "/flows"); got != 50 {
		t.Fatalf("GET /flows = %d", got)
	}
}

func TestLoginExplicitAndTokenInUser(t *testing.T) {
	f := newFake(t, nil)
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		f.logins.Add(1)
		replyRaw(w, 200, `{"user":{"id":"u1","token":"contract-tok"}}`)
	})
	c := newTestClient(t, f.URL)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if f.logins.Load() != 1 {
		t.Fatalf("logins = %d", f.logins.Load())
	}
	if _, err := c.CurrentUser(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if a := only(t, f).Auth; a != "Bearer contract-tok" {
		t.Fatalf("auth = %q", a)
	}
}

func TestFailedLoginIsNotCached(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `[]`) })
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		f.logins.Add(1)
		if fail.Load() {
			boom(w, 401, "Invalid username or password.")
			return
		}
		replyRaw(w, 200, `{"token":"good"}`)
	})
	c := newTestClient(t, f.URL)
	err := c.Login(ctxT(t))
	// A refused login is ErrBadCredentials, never an *Error a caller could read as "token expired" or
	// "lacks a scope".
	if !errors.Is(err, ErrBadCredentials) || IsUnauthorized(err) || IsForbidden(err) ||
		!strings.Contains(err.Error(), `login as "admin@example.com" failed: the username or password is wrong`) ||
		!strings.Contains(err.Error(), "Invalid username or password.") {
		t.Fatalf("err = %v", err)
	}
	// A 401 from the login itself is final: no retries, no second login.
	if f.logins.Load() != 1 {
		t.Fatalf("logins = %d", f.logins.Load())
	}
	fail.Store(false)
	if _, err := c.ListFlows(ctxT(t), ListFlowsOptions{}); err != nil {
		t.Fatalf("the next call must log in again: %v", err)
	}
	if f.logins.Load() != 2 || only(t, f).Auth != "Bearer good" {
		t.Fatalf("logins = %d", f.logins.Load())
	}
}

func TestLoginWithoutToken(t *testing.T) {
	f := newFake(t, nil)
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{"user":{"id":"u"}}`) })
	c := newTestClient(t, f.URL)
	if err := c.Login(ctxT(t)); err == nil || !strings.Contains(err.Error(), "no token") {
		t.Fatalf("err = %v", err)
	}
}

func TestReloginOnceOn401(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		// tok-1 has expired; tok-2 (from the second login) works.
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			boom(w, 401, "Invalid JWT: jwt expired")
			return
		}
		replyRaw(w, 200, `{"flowId":"f1"}`)
	})
	c := newTestClient(t, f.URL)
	if _, err := c.GetFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if f.logins.Load() != 2 || f.count("GET", "/flows/f1") != 2 {
		t.Fatalf("logins=%d gets=%d", f.logins.Load(), f.count("GET", "/flows/f1"))
	}
	// The new token is kept.
	if _, err := c.GetFlow(ctxT(t), "f1"); err != nil || f.logins.Load() != 2 {
		t.Fatalf("err=%v logins=%d", err, f.logins.Load())
	}
}

func TestReloginGivesUpAfterOneTry(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { boom(w, 401, "Invalid JWT") })
	c := newTestClient(t, f.URL)
	_, err := c.GetFlow(ctxT(t), "f1")
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v", err)
	}
	if f.logins.Load() != 2 || f.count("GET", "/flows/f1") != 2 {
		t.Fatalf("logins=%d gets=%d", f.logins.Load(), f.count("GET", "/flows/f1"))
	}
}

func TestReloginSharedByConcurrent401s(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			boom(w, 401, "expired")
			return
		}
		replyRaw(w, 200, `[]`)
	})
	c := newTestClient(t, f.URL)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ListFlows(ctxT(t), ListFlowsOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := f.logins.Load(); n != 2 {
		t.Fatalf("logins = %d, want 2 (initial + one shared re-login)", n)
	}
}

func TestTokenOnly401(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		boom(w, 401, "Invalid JWT: key or signature is invalid")
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", "static-token" })
	_, err := c.ListFlows(ctxT(t), ListFlowsOptions{})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 401 {
		t.Fatalf("err = %#v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "token was rejected or has expired") || !strings.Contains(msg, "key or signature is invalid") {
		t.Fatalf("message = %q", msg)
	}
	r := only(t, f)
	if r.Auth != "Bearer static-token" || f.logins.Load() != 0 {
		t.Fatalf("auth=%q logins=%d", r.Auth, f.logins.Load())
	}
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatalf("Login with a token must be a no-op: %v", err)
	}
}

func TestTokenWithPasswordLogsInOn401(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Header.Get("Authorization") == "Bearer stale" {
			boom(w, 401, "expired")
			return
		}
		replyRaw(w, 200, `[]`)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "stale" })
	if _, err := c.ListFlows(ctxT(t), ListFlowsOptions{}); err != nil {
		t.Fatal(err)
	}
	if f.logins.Load() != 1 {
		t.Fatalf("logins = %d", f.logins.Load())
	}
}

func TestWaiterSurvivesLeaderCancellation(t *testing.T) {
	release := make(chan struct{})
	firstLogin := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `[]`) })
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if f.logins.Add(1) == 1 {
			close(firstLogin)
			<-release // the first login hangs until its caller gives up
		}
		replyRaw(w, 200, `{"token":"t"}`)
	})
	c := newTestClient(t, f.URL)
	waiting := make(chan struct{}, 1)
	c.auth.waiting = func() { waiting <- struct{}{} }
	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderDone := make(chan error, 1)
	go func() { leaderDone <- c.Login(leaderCtx) }()
	<-firstLogin
	waiterDone := make(chan error, 1)
	go func() { waiterDone <- c.Login(ctxT(t)) }()
	<-waiting // the second caller waits for the first's login
	cancel()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader err = %v", err)
	}
	close(release)
	if err := <-waiterDone; err != nil {
		t.Fatalf("waiter err = %v", err)
	}
}

// Appmixer answers bad credentials with 403 (appmixer-api.md §1.2). When the re-login after an expired
// token meets it, say so: not "forbidden", which reads as a missing scope.
func TestReloginRefusedWith403IsBadCredentials(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			boom(w, 401, "Invalid JWT: jwt expired")
			return
		}
		replyRaw(w, 200, `[]`)
	})
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if f.logins.Add(1) == 1 {
			replyRaw(w, 200, `{"token":"tok-1"}`)
			return
		}
		boom(w, 403, "Invalid username or password.") // the password changed meanwhile
	})
	c := newTestClient(t, f.URL)
	_, err := c.ListFlows(ctxT(t), ListFlowsOptions{})
	if !errors.Is(err, ErrBadCredentials) || IsForbidden(err) ||
		!strings.Contains(err.Error(), "the username or password is wrong") || !strings.Contains(err.Error(), "403 Forbidden") {
		t.Fatalf("err = %v", err)
	}
	if f.logins.Load() != 2 {
		t.Fatalf("logins = %d, want the first and one re-login", f.logins.Load())
	}
}
