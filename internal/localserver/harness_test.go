// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// harness is one server behind httptest plus helpers to call it.
type harness struct {
	t     *testing.T
	s     *Server
	url   string
	clock *ManualClock // the server's clock unless opts brought one: it moves only when advanced
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{t: t}
	if opts.Now == nil {
		h.clock = NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		opts.Now = h.clock.Now
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	h.s, h.url = s, ts.URL
	return h
}

// forDialects runs a subtest against a fresh server of each dialect.
func forDialects(t *testing.T, opts Options, fn func(t *testing.T, h *harness)) {
	for _, d := range []string{DialectAppmixer, DialectContract} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			o := opts
			o.Dialect = d
			fn(t, newHarness(t, o))
		})
	}
}

type resp struct {
	status int
	header http.Header
	raw    []byte
	body   any
}

// obj is the response body as a JSON object (nil if it is not one).
func (r resp) obj() map[string]any {
	m, _ := r.body.(map[string]any)
	return m
}

func (r resp) arr() []any {
	a, _ := r.body.([]any)
	return a
}

func (r resp) msg() string { return str(r.obj()["message"]) }

// do sends a request: body []byte goes raw as a zip, string as raw JSON text, anything else as JSON.
func (h *harness) do(method, path, token string, body any) resp {
	h.t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	case string:
		rd, contentType = strings.NewReader(b), "application/json"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(context.Background(), method, h.url+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	// Downloads answer bytes; everything else must be JSON.
	if len(raw) > 0 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/zip") &&
		res.Header.Get("Content-Type") != "application/octet-stream" {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			h.t.Fatalf("%s %s: response is not JSON: %s", method, path, raw)
		}
	}
	return r
}

// must is do that fails the test unless the status is want.
func (h *harness) must(want int, method, path, token string, body any) resp {
	h.t.Helper()
	r := h.do(method, path, token, body)
	if r.status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.raw)
	}
	return r
}

// locked runs fn with the server's state lock held, for assertions on stored data.
func (h *harness) locked(fn func(s *Server)) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	fn(h.s)
}

func (h *harness) login(username, password string) string {
	h.t.Helper()
	return str(h.must(200, "POST", "/user/auth", "", map[string]any{"username": username, "password": password}).obj()["token"])
}

func (h *harness) admin() string { return h.login(h.s.AdminUsername(), h.s.AdminPassword()) }

// signUp creates a user and returns its id and a token. Appmixer answers 201 {token}, whose id claim
// is the new user's id; the contract answers 200 with the user.
func (h *harness) signUp(username string) (string, string) {
	h.t.Helper()
	body := map[string]any{"username": username, "password": "secret-pw"}
	if h.s.contract {
		r := h.must(200, "POST", "/user", "", body)
		return str(r.obj()["id"]), h.login(username, "secret-pw")
	}
	r := h.must(201, "POST", "/user", "", body)
	return jwtClaim(h.t, str(r.obj()["token"]), "id"), h.login(username, "secret-pw")
}

// jwtClaim decodes a token's payload by hand and returns one string claim.
func jwtClaim(t testing.TB, token, claim string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		t.Fatalf("token payload: %v", err)
	}
	return str(payload[claim])
}

// createFlow creates a flow in either dialect and returns its id.
func (h *harness) createFlow(token, name string, descriptor map[string]any) string {
	h.t.Helper()
	r := h.must(200, "POST", "/flows", token, map[string]any{"name": name, "flow": descriptor, "customFields": map[string]any{}})
	if h.s.contract {
		return str(r.obj()["id"])
	}
	return str(r.obj()["flowId"])
}

func assertBoom(t *testing.T, r resp, status int, message string) {
	t.Helper()
	o := r.obj()
	if r.status != status || o["statusCode"] != float64(status) || o["error"] != http.StatusText(status) {
		t.Fatalf("want Boom %d, got %d: %s", status, r.status, r.raw)
	}
	if message != "" && o["message"] != message {
		t.Fatalf("message %q, want %q", o["message"], message)
	}
}

// makeZip builds a component package from file names and contents.
func makeZip(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// acmePackage is a valid package of service acme.tools with one module and two components.
func acmePackage(version string) map[string]string {
	files := map[string]string{
		"acme/tools/service.json":               `{"name":"acme.tools","label":"Acme Tools","category":"applications","icon":"data:,","description":"Tools."}`,
		"acme/tools/auth.js":                    `module.exports = {type: 'apiKey'};`,
		"acme/tools/core/module.json":           `{"name":"acme.tools.core","label":"Core","category":"applications","icon":"data:,","description":"Core tools."}`,
		"acme/tools/core/Ping/component.json":   `{"name":"acme.tools.core.Ping","label":"Ping","inPorts":["in"],"outPorts":[{"name":"out"}],"auth":{"service":"acme:tools"}}`,
		"acme/tools/core/Ping/Ping.js":          `module.exports = {};`,
		"acme/tools/core/OnTick/component.json": `{"name":"acme.tools.core.OnTick","trigger":true,"tick":true,"outPorts":["out"]}`,
	}
	if version != "" {
		files["acme/tools/bundle.json"] = `{"name":"acme.tools","version":"` + version + `"}`
	}
	return files
}

// newRequest is http.NewRequestWithContext for a test: a request that cannot be built fails it.
func newRequest(t *testing.T, ctx context.Context, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

// adminCopies is the built-in admin's catalog of published copies (components_copies.go).
func (s *Server) adminCopies() *catalog {
	return s.ownCopies(s.userByLogin(s.opts.AdminUsername).id)
}
