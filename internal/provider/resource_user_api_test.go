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
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// Acceptance tests of appmixer_user against the user API as Appmixer 6.x has it (appmixer-api.md §1.2):
// signup answers {token} only, passwords go through reset-password, deletions can fail, logins answer 403.

func oneUser(srv *localserver.Running, username, extra string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_user" "u" {
  username = %q
  password = "user-pass-1"
  %s
}
`, username, extra)
}

// idMatchesServer checks that the state's id is the id the server gives the username.
func idMatchesServer(t *testing.T, srv *localserver.Running, username string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		u, err := apiClient(t, srv, appmixer.DialectAppmixer).FindUserByUsername(context.Background(), username)
		if err != nil {
			return err
		}
		if got := s.RootModule().Resources["appmixer_user.u"].Primary.ID; got != u.ID {
			return fmt.Errorf("state id %q, the server's user %q has id %q", got, username, u.ID)
		}
		return nil
	}
}

// Signup answers 201 {token}: the id comes from the token's id claim, without searching the users.
func TestAccUser_signupTokenGivesID(t *testing.T) {
	requireLocal(t, "request statistics (Stats)")
	srv := startServer(t, localserver.Options{})
	const username = "tfacc-token-id@example.com"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetStats,
			Config:    oneUser(srv, username, ""),
			Check: resource.ComposeAggregateTestCheckFunc(
				idMatchesServer(t, srv, username),
				func(*terraform.State) error {
					if n := srv.Stats().Requests["GET /users"]; n != 1 { // idMatchesServer's own search
						return fmt.Errorf("GET /users was called %d times; the token's id claim should have spared the search", n)
					}
					return nil
				},
			),
		}},
	})
}

// rewriter serves a local server but replaces the answers of chosen routes, to stand for servers whose
// signup token carries no id.
type rewriter struct {
	mu      sync.Mutex
	rewrite map[string]string // "METHOD /path" -> status and body "201 {...}"
}

// set replaces the answers of route ("METHOD /path") with answer ("<status> <body>"); "" stops it.
func (rw *rewriter) set(route, answer string) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if answer == "" {
		delete(rw.rewrite, route)
		return
	}
	rw.rewrite[route] = answer
}

func startRewritingServer(t *testing.T, rw *rewriter) *localserver.Running {
	t.Helper()
	requireLocal(t, "rewritten answers in front of a local server")
	s, err := localserver.New(localserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw.mu.Lock()
		answer, ok := rw.rewrite[r.Method+" "+r.URL.Path]
		rw.mu.Unlock()
		if !ok {
			s.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r) // the request takes effect; only its answer is replaced
		var status int
		var body string
		_, _ = fmt.Sscanf(answer, "%d", &status)
		_, body, _ = strings.Cut(answer, " ")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	return &localserver.Running{Server: s, URL: ts.URL}
}

// A token without an id claim: the new user is found by username; when that fails too, the error
// names the user left on the server.
func TestAccUser_signupWithoutIDLooksUserUp(t *testing.T) {
	rw := &rewriter{rewrite: map[string]string{"POST /user": `201 {"token":"opaque-token"}`}}
	srv := startRewritingServer(t, rw)
	const username = "tfacc-lookup@example.com"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				Config: oneUser(srv, username, ""),
				Check:  idMatchesServer(t, srv, username),
			},
			{
				PreConfig: func() { rw.set("GET /users", `200 []`) },
				Config: oneUser(srv, username, "") + `
resource "appmixer_user" "lost" {
  username = "tfacc-lost@example.com"
  password = "lost-pass"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Appmixer user "tfacc-lost@example.com" was created but is NOT managed by\s+Terraform.*username:tfacc-lost@example.com`),
			},
			{
				PreConfig: func() {
					rw.set("GET /users", "")
					// The test's own cleanup of the user it left behind, by the name the error gave.
					api := apiClient(t, srv, appmixer.DialectAppmixer)
					u, err := api.FindUserByUsername(context.Background(), "tfacc-lost@example.com")
					mustDo(t, err)
					mustDo(t, deleteUserAndWait(context.Background(), api, u.ID))
				},
				Config: oneUser(srv, username, ""),
			},
		},
	})
}

// A deletion the server ends failed or cancelled is an error quoting it; the user stays in the state and
// the next destroy deletes it.
func TestAccUser_deletionFailedOrCancelled(t *testing.T) {
	requireLocal(t, "a failed or cancelled user deletion (EndNextUserDeletion)")
	srv := startServer(t, localserver.Options{})
	const username = "tfacc-undeletable@example.com"
	config := oneUser(srv, username, `timeouts {
    delete = "20s"
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:   func() { mustDo(t, srv.EndNextUserDeletion("failed")) },
				Config:      config,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Deleting Appmixer user "tfacc-undeletable@example.com" did not\s+succeed.*"failed"\s+after\s+1\s+of\s+2\s+steps`),
			},
			{
				PreConfig:   func() { mustDo(t, srv.EndNextUserDeletion("cancelled")) },
				Config:      config,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)did not\s+succeed.*"cancelled"\s+after\s+1\s+of\s+2\s+steps`),
			},
			{Config: config, Check: idMatchesServer(t, srv, username)}, // still there, still managed
		},
	})
}

// A long deletion logs its progress (TF_LOG=INFO). Not parallel: the log goes where the environment says.
func TestAccUser_deletionLogsProgress(t *testing.T) {
	requireLocal(t, "the provider's own log of a local run")
	logs := filepath.Join(t.TempDir(), "%s.log")
	t.Setenv("TF_LOG_PATH_MASK", logs)
	t.Setenv("TF_LOG", "INFO")
	srv := startServer(t, localserver.Options{})
	const username = "tfacc-progress@example.com"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(s *terraform.State) error {
			raw, err := os.ReadFile(fmt.Sprintf(logs, strings.ReplaceAll(t.Name(), "/", "__")))
			if err != nil {
				return err
			}
			for _, want := range []string{`deleting Appmixer user "tfacc-progress@example.com": 1 of 2 steps done`,
				`deleting Appmixer user "tfacc-progress@example.com": 2 of 2 steps done`} {
				if !bytes.Contains(raw, []byte(want)) {
					return fmt.Errorf("the log lacks %q", want)
				}
			}
			return userGone(t, srv)(s)
		},
		Steps: []resource.TestStep{{Config: oneUser(srv, username, "")}},
	})
}

// localCall sends one request to a local server in-process, as a test's own admin would.
func localCall(t *testing.T, s *localserver.Server, method, path, token string, body any) map[string]any {
	raw, _ := json.Marshal(body)
	r := httptest.NewRequest(method, path, bytes.NewReader(raw))
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if rec.Code != http.StatusOK {
		t.Errorf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	return out
}

// setAdminPassword changes the local admin's password from old to new through the API.
func setAdminPassword(t *testing.T, s *localserver.Server, old, new string) {
	tok, _ := localCall(t, s, "POST", "/user/auth", "", map[string]string{"username": s.AdminUsername(), "password": old})["token"].(string)
	localCall(t, s, "POST", "/user/reset-password", tok, map[string]string{"email": s.AdminUsername(), "password": new})
}

// The provider's token expires mid-apply and its password changed meanwhile: the re-login answers 403,
// which the diagnostic calls a refused login, not a missing admin scope.
func TestAccUser_reloginRefused(t *testing.T) {
	var armed, fired bool
	var mu sync.Mutex
	srv := startInterceptedServer(t, localserver.Options{}, interceptor{before: func(s *localserver.Server, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if armed && !fired && r.Method == http.MethodPost && r.URL.Path == "/user" {
			fired = true
			setAdminPassword(t, s, s.AdminPassword(), "changed-meanwhile")
			s.ExpireTokens()
		}
	}})
	arm := func() { mu.Lock(); armed = true; mu.Unlock() }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				PreConfig: arm,
				Config:    oneUser(srv, "tfacc-relogin@example.com", ""),
				ExpectError: regexp.MustCompile(`(?s)Cannot create Appmixer user "tfacc-relogin@example.com".*Appmixer refused the\s+provider's\s+login.*` +
					`the\s+username\s+or\s+password\s+is\s+wrong.*403\s+Forbidden`),
			},
			{
				// Back to the configured password: the same configuration applies.
				PreConfig: func() { setAdminPassword(t, srv.Server, "changed-meanwhile", srv.AdminPassword()) },
				Config:    oneUser(srv, "tfacc-relogin@example.com", ""),
				Check:     idMatchesServer(t, srv, "tfacc-relogin@example.com"),
			},
		},
	})
}

// A sign-up whose answer is lost after the server made the user: the apply still ends with the
// user managed, found by logging in with the password sent, and a second apply does not fail on a
// taken username. Then a sign-up that failed before acting makes nothing and says so.
func TestAccUser_lostSignupAnswer(t *testing.T) {
	requireLocal(t, "lost responses (DropResponses)")
	srv := startServer(t, localserver.Options{})
	const username = "tfacc-lost-answer@example.com"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { srv.DropResponses("POST /user", 1) },
				Config:    oneUser(srv, username, ""),
				Check:     idMatchesServer(t, srv, username),
			},
			{Config: oneUser(srv, username, ""), PlanOnly: true},
		},
	})
}
