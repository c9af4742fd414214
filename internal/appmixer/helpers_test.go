// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorded is one request seen by a fake server.
type recorded struct {
	Method, Path, RawQuery, Auth, ContentType, UserAgent string
	Body                                                 []byte
}

func (r recorded) Query() url.Values {
	q, _ := url.ParseQuery(r.RawQuery)
	return q
}

// fakeServer records requests, answers POST /user/auth with "tok-N" (N
// counting logins) unless login is set, and passes the rest to handle.
type fakeServer struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []recorded
	logins atomic.Int64
	login  func(w http.ResponseWriter, r *http.Request, body []byte)
	handle func(w http.ResponseWriter, r *http.Request, body []byte)
}

func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeServer {
	t.Helper()
	f := &fakeServer{handle: handle}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{
			Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
			ContentType: r.Header.Get("Content-Type"), UserAgent: r.Header.Get("User-Agent"), Body: body,
		})
		login := f.login
		f.mu.Unlock()
		if r.Method == http.MethodPost && r.URL.Path == "/user/auth" {
			if login != nil {
				login(w, r, body)
				return
			}
			n := f.logins.Add(1)
			reply(w, http.StatusOK, map[string]any{
				"user":  map[string]any{"id": "u1", "username": "admin@example.com"},
				"token": fmt.Sprintf("tok-%d", n),
			})
			return
		}
		if f.handle == nil {
			reply(w, http.StatusOK, map[string]any{})
			return
		}
		f.handle(w, r, body)
	}))
	t.Cleanup(f.Close)
	return f
}

// requests returns what the server saw, without logins.
func (f *fakeServer) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
		if r.Path != "/user/auth" {
			out = append(out, r)
		}
	}
	return out
}

// count counts requests with this method and path.
func (f *fakeServer) count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.reqs {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func replyRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func boom(w http.ResponseWriter, status int, msg string) {
	reply(w, status, map[string]any{"statusCode": status, "error": http.StatusText(status), "message": msg})
}

// hangUp closes the connection without any response.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// newTestClient returns a password client with millisecond backoff. It
// resets the dialect cache, since httptest may reuse a closed server's port.
func newTestClient(t *testing.T, baseURL string, mods ...func(*Config)) *Client {
	t.Helper()
	resetDialectCache()
	cfg := Config{
		BaseURL: baseURL, Username: "admin@example.com", Password: "secret",
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RequestTimeout: 5 * time.Second,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// mustNew is New for a configuration the test expects to be valid.
func mustNew(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func withDialect(d Dialect) func(*Config) { return func(c *Config) { c.Dialect = d } }

// resetDialectCache forgets everything auto mode has learnt.
func resetDialectCache() {
	dialectCache.Lock()
	defer dialectCache.Unlock()
	dialectCache.contract = map[string]bool{}
	dialectCache.missing = map[string]bool{}
}

// assertJSON compares a JSON body with want semantically ("" = no body).
func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Fatalf("body = %s, want none", got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("body = %s\nwant   %s", got, want)
	}
}

// only returns the single non-login request the server saw.
func only(t *testing.T, f *fakeServer) recorded {
	t.Helper()
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

func assertReq(t *testing.T, r recorded, method, path, rawQuery string) {
	t.Helper()
	if r.Method != method || r.Path != path {
		t.Fatalf("request = %s %s, want %s %s", r.Method, r.Path, method, path)
	}
	if got, want := r.Query(), mustQuery(t, rawQuery); !reflect.DeepEqual(got, want) {
		t.Fatalf("query = %v, want %v", got, want)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (f *fakeServer) setLogin(fn func(w http.ResponseWriter, r *http.Request, body []byte)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.login = fn
}
