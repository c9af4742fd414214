// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// interceptor sees each request ahead of the local server (before) and its status afterwards (after);
// either may be nil.
type interceptor struct {
	before func(s *localserver.Server, r *http.Request)
	after  func(r *http.Request, status int)
}

// startInterceptedServer serves a local server behind ic. Tests use it to flip the server's switches at
// an exact point of an apply (before the third create, before the first read), which no timer could do
// deterministically. The result is not listening itself: the httptest server behind it is closed by
// t.Cleanup, so do not call Close.
func startInterceptedServer(t *testing.T, opts localserver.Options, ic interceptor) *localserver.Running {
	t.Helper()
	requireLocal(t, "an interceptor in front of a local server")
	s, err := localserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ic.before != nil {
			ic.before(s, r)
		}
		sw := &statusWriter{ResponseWriter: w}
		s.ServeHTTP(sw, r)
		if ic.after != nil {
			ic.after(r, sw.status)
		}
	}))
	t.Cleanup(ts.Close)
	return &localserver.Running{Server: s, URL: ts.URL}
}

// statusWriter remembers the status; Unwrap keeps http.ResponseController (and so dropped
// connections) working through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// tunedProvider is providerBlock with the retry and timeout lines chosen by the test.
func tunedProvider(srv *localserver.Running, lines string) string {
	return fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
  %s
}
`, srv.URL, srv.AdminUsername(), srv.AdminPassword(), lines)
}

// tokenProvider configures the provider with a token only, which it cannot renew.
func tokenProvider(srv *localserver.Running, token string) string {
	return fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  token    = %q
}
`, srv.URL, token)
}

// loginToken logs in as the admin outside the client, since the client does not hand out its token.
func loginToken(t *testing.T, srv *localserver.Running) string {
	t.Helper()
	body, err := json.Marshal(map[string]string{"username": srv.AdminUsername(), "password": srv.AdminPassword()})
	mustDo(t, err)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/user/auth", bytes.NewReader(body))
	mustDo(t, err)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("login: %d %v", res.StatusCode, err)
	}
	return out.Token
}

// usersConfig declares appmixer_user resources prefix-1 .. prefix-n.
func usersConfig(prefix string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `
resource "appmixer_user" "%[1]s_%[2]d" {
  username = "%[1]s-%[2]d@example.com"
  password = "password-%[2]d"
}
`, prefix, i)
	}
	return b.String()
}

// usersMatchServer checks every appmixer_user of the state against the server, by username, so a user
// created twice or lost from the state shows up.
func usersMatchServer(t *testing.T, srv *localserver.Running, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c := apiClient(t, srv, appmixer.DialectAppmixer)
		n := 0
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "appmixer_user" {
				continue
			}
			n++
			u, err := c.FindUserByUsername(context.Background(), rs.Primary.Attributes["username"])
			if err != nil {
				return err
			}
			if u.ID != rs.Primary.ID {
				return fmt.Errorf("user %s is %s on the server but %s in the state", u.Username, u.ID, rs.Primary.ID)
			}
		}
		if n != want {
			return fmt.Errorf("%d users in the state, want %d", n, want)
		}
		return nil
	}
}

// expiryTrap expires every token just before the n-th POST /user after arm, so some creates of the
// apply run with a token the server has already revoked.
type expiryTrap struct {
	mu      sync.Mutex
	left    int
	fired   bool
	rejects int // requests answered 401 since the trap fired
}

func (e *expiryTrap) arm(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.left, e.fired, e.rejects = n, false, 0
}

func (e *expiryTrap) after(_ *http.Request, status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fired && status == http.StatusUnauthorized {
		e.rejects++
	}
}

// check passes once the trap fired and the server rejected at least one request with the old token.
func (e *expiryTrap) check(*terraform.State) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.fired || e.rejects == 0 {
		return fmt.Errorf("the trap fired: %v, 401s since: %d; the apply never met an expired token", e.fired, e.rejects)
	}
	return nil
}

func (e *expiryTrap) before(s *localserver.Server, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r.Method == http.MethodPost && r.URL.Path == "/user" && e.left > 0 {
		if e.left--; e.left == 0 {
			s.ExpireTokens()
			e.fired = true
		}
	}
}

func TestAccReliability_tokenExpiresMidApply(t *testing.T) {
	requireLocal(t, "expired tokens (ExpireTokens)")
	trap := &expiryTrap{}
	srv := startInterceptedServer(t, localserver.Options{}, interceptor{before: trap.before, after: trap.after})
	token := loginToken(t, srv)
	tokenRejected := wrappedText("the API token was rejected or has expired; configure a fresh token or a username and password")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				// A token cannot be renewed: the creates after the expiry fail and say why, naming the operation.
				PreConfig:   func() { trap.arm(3) },
				Config:      tokenProvider(srv, token) + usersConfig("expiry", 5),
				ExpectError: regexp.MustCompile(`(?s)Cannot\s+(create|read)\s+Appmixer\s+user.*` + tokenRejected.String()),
			},
			{
				// With a password the client logs in again and repeats the rejected request: the apply
				// converges on exactly the configured users, including those the token run created.
				PreConfig: func() { trap.arm(2) },
				Config:    tunedProvider(srv, "") + usersConfig("expiry", 5),
				Check:     resource.ComposeAggregateTestCheckFunc(usersMatchServer(t, srv, 5), trap.check),
			},
		},
	})
}

func TestAccReliability_slowServerTimesOut(t *testing.T) {
	requireLocal(t, "added latency (SetLatency)")
	var slowReads atomic.Bool
	srv := startInterceptedServer(t, localserver.Options{}, interceptor{before: func(s *localserver.Server, r *http.Request) {
		// The server turns slow only once the user exists, so that reading it is what times out.
		if slowReads.Load() && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/users/") {
			s.SetLatency(3 * time.Second)
		}
	}})
	var started time.Time
	// Each failing step must end within a few request_timeouts: a provider that waits for the slow
	// server (3 s per request, and retries) instead would blow this bound.
	bounded := func() {
		if d := time.Since(started); d > 20*time.Second {
			t.Errorf("the timed-out step took %v", d)
		}
	}
	const user = `
resource "appmixer_user" "slow" {
  username = "slow@example.com"
  password = "slow-password"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.SetLatency(3 * time.Second)
					started = time.Now()
				},
				Config: tunedProvider(srv, `request_timeout = "1s"`+"\n  max_retries = 0") + `data "appmixer_apps" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Cannot reach Appmixer.*POST /user/auth: ` +
					wrappedText("request timed out after 1s").String() + `.*` + wrappedText("raise request_timeout").String()),
			},
			{
				PreConfig: func() {
					bounded()
					srv.SetLatency(0)
				},
				Config: tunedProvider(srv, `request_timeout = "1s"`+"\n  max_retries = 1") + user,
			},
			{
				PreConfig: func() {
					slowReads.Store(true)
					started = time.Now()
				},
				Config: tunedProvider(srv, `request_timeout = "1s"`+"\n  max_retries = 1") + user,
				ExpectError: regexp.MustCompile(`(?s)Cannot read Appmixer user.*GET /users/[0-9a-f]+: ` +
					wrappedText("request timed out after 1s").String() + `.*` + wrappedText("giving up after 2 attempts").String() +
					`.*` + wrappedText("raise request_timeout").String()),
			},
			{
				PreConfig: func() {
					bounded()
					slowReads.Store(false)
					srv.SetLatency(0)
				},
				Config:   tunedProvider(srv, `request_timeout = "1s"`) + user,
				PlanOnly: true,
			},
		},
	})
}
