// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// The real-tenant mode's own variables, shared with the provider's acceptance tests; never the
// provider's APPMIXER_BASE_URL, which a developer's shell may hold for other work.
const (
	envBaseURL  = "APPMIXER_ACC_BASE_URL"
	envUsername = "APPMIXER_ACC_USERNAME"
	envPassword = "APPMIXER_ACC_PASSWORD"
)

// namePrefix starts the name of everything a case creates, so a leftover on a tenant is recognisable.
const namePrefix = "tfconf-"

// tenant is what the cases talk to: a local server of their own, or the real tenant of the run.
type tenant struct {
	baseURL       string
	adminUsername string
	adminPassword string
	local         *localserver.Running // nil on a real tenant
}

// evidence is where appmixer-api.md says a behaviour comes from.
type evidence struct {
	section    string // e.g. "§1.2"
	source     string // e.g. "docs /api/user 6.x"
	confidence string // high, med-high, med, low
	guess      bool   // the notes leave it open: appmixer-local only guesses (see localserver.Guesses)
}

func (e evidence) String() string {
	s := fmt.Sprintf("appmixer-api.md %s · %s · %s", e.section, e.source, e.confidence)
	if e.guess {
		s += " · GUESS (undocumented; appmixer-local's choice)"
	}
	return s
}

// cite states a case's evidence in the test log, and in every failure of the case (see check), so
// that a report from a real tenant says which fact of the notes it contradicts.
func cite(t *testing.T, e evidence) *caseT {
	t.Helper()
	t.Logf("evidence: %s", e)
	return &caseT{T: t, ev: e}
}

// caseT is a case's *testing.T that adds its evidence to every failure.
type caseT struct {
	*testing.T
	ev evidence
}

// Errorf reports a difference from the evidence.
func (c *caseT) Errorf(format string, args ...any) {
	c.Helper()
	c.T.Errorf("%s\n    (%s)", fmt.Sprintf(format, args...), c.ev)
}

// Fatalf reports a difference that ends the case.
func (c *caseT) Fatalf(format string, args ...any) {
	c.Helper()
	c.T.Fatalf("%s\n    (%s)", fmt.Sprintf(format, args...), c.ev)
}

// target starts a local server for the test, or returns the run's real tenant.
func target(t *testing.T) *tenant {
	t.Helper()
	if base := os.Getenv(envBaseURL); base != "" {
		user, pass := os.Getenv(envUsername), os.Getenv(envPassword)
		if user == "" || pass == "" {
			t.Fatalf("%s is set, so the conformance cases run against that tenant; set %s and %s to an admin of it too",
				envBaseURL, envUsername, envPassword)
		}
		return &tenant{baseURL: strings.TrimRight(base, "/"), adminUsername: user, adminPassword: pass}
	}
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{})
	if err != nil {
		t.Fatalf("starting appmixer-local: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("stopping appmixer-local: %v", err)
		}
	})
	return &tenant{baseURL: srv.URL, adminUsername: srv.AdminUsername(), adminPassword: srv.AdminPassword(), local: srv}
}

// isLocal says whether the case runs against appmixer-local.
func (tn *tenant) isLocal() bool { return tn.local != nil }

// uniqueName is a name no other run uses: namePrefix, what, a random suffix.
func uniqueName(what string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return namePrefix + what + "-" + hex.EncodeToString(b)
}

// session is an authenticated caller.
type session struct {
	tn    *tenant
	token string
}

// reply is one HTTP answer.
type reply struct {
	status int
	raw    []byte
	header http.Header
}

// object decodes the answer as a JSON object; the case fails when it is not one.
func (r reply) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.raw, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v: %s", r.status, err, r.raw)
	}
	return m
}

// array decodes the answer as a JSON array.
func (r reply) array(t testing.TB) []any {
	t.Helper()
	var a []any
	if err := json.Unmarshal(r.raw, &a); err != nil {
		t.Fatalf("answer %d is not a JSON array: %v: %s", r.status, err, r.raw)
	}
	return a
}

var httpClient = &http.Client{Timeout: 60 * time.Second}

// send makes one request; body is JSON-encoded unless it is []byte, which is sent as it is.
func send(t testing.TB, method, url, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return reply{status: resp.StatusCode, raw: raw, header: resp.Header}
}

// login is POST /user/auth; it returns the answer, whatever its status.
func (tn *tenant) login(t testing.TB, username, password string) reply {
	t.Helper()
	return send(t, "POST", tn.baseURL+"/user/auth", "", map[string]string{"username": username, "password": password})
}

// admin logs in as the tenant's admin.
func (tn *tenant) admin(t testing.TB) *session {
	t.Helper()
	r := tn.login(t, tn.adminUsername, tn.adminPassword)
	if r.status != http.StatusOK {
		t.Fatalf("admin login: %d %s", r.status, r.raw)
	}
	token, _ := r.object(t)["token"].(string)
	if token == "" {
		t.Fatalf("admin login answered no token: %s", r.raw)
	}
	return &session{tn: tn, token: token}
}

// do sends a request with the session's token.
func (s *session) do(t testing.TB, method, path string, body any) reply {
	t.Helper()
	return send(t, method, s.tn.baseURL+path, s.token, body)
}

// must sends a request and fails the case unless it answers status.
func (s *session) must(t testing.TB, status int, method, path string, body any) reply {
	t.Helper()
	r := s.do(t, method, path, body)
	if r.status != status {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, r.status, status, r.raw)
	}
	return r
}

// keys lists an object's keys, for messages.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
