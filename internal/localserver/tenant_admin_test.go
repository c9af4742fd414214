// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tests of the tenant configuration routes: ACL, /config, /modifiers and /public-files.

func TestACLStartsWithTheDocumentedDefaults(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	if got := h.must(200, "GET", "/acl-types", admin, nil).body; !reflect.DeepEqual(got, []any{"routes", "components"}) {
		t.Fatalf("acl-types: %v", got)
	}
	// Appmixer's documented default for components: every role may use every non-private component.
	want := `[{"action":["*"],"attributes":["non-private"],"resource":"*","role":"admin"},` +
		`{"action":["*"],"attributes":["non-private"],"resource":"*","role":"user"},` +
		`{"action":["*"],"attributes":["non-private"],"resource":"*","role":"tester"}]`
	if got := mustJSON(h.must(200, "GET", "/acl/components", admin, nil).body); got != want {
		t.Fatalf("default components ACL:\n%s\nwant\n%s", got, want)
	}
	if n := len(h.must(200, "GET", "/acl/routes", admin, nil).arr()); n != 3 {
		t.Fatalf("default routes ACL has %d rules", n)
	}
}

func TestACLReplaceValidateAndGuard(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	rules := []any{
		map[string]any{"role": "acme.com", "resource": "appmixer.utils*", "action": []any{"use"}, "attributes": []any{"non-private"}},
		map[string]any{"role": "admin", "resource": "*", "action": []any{"*"}, "attributes": []any{"*"}},
	}
	h.must(200, "POST", "/acl/components", admin, rules)
	if got := h.must(200, "GET", "/acl/components", admin, nil).body; mustJSON(got) != mustJSON(rules) {
		t.Fatalf("after POST: %s", mustJSON(got))
	}
	// An empty list is accepted (and locks every user out of every component).
	h.must(200, "POST", "/acl/components", admin, []any{})
	if n := len(h.must(200, "GET", "/acl/components", admin, nil).arr()); n != 0 {
		t.Fatalf("after empty POST: %d rules", n)
	}
	for body, msg := range map[string]string{
		`{"role":"user"}`:                                          `"value" must be an array`,
		`[{"role":"user","resource":"*"}]`:                         `"[0].action" is required`,
		`[{"role":"user","resource":"*","action":"use"}]`:          `"[0].action" must be an array of strings`,
		`[{"resource":"*","action":["use"]}]`:                      `"[0].role" is required and must be a string`,
		`[{"role":"user","resource":"*","action":["*"],"x":1}]`:    `"x" is not allowed`,
		`[{"role":"user","resource":"*","action":["*"]}, "admin"]`: `"[1]" must be an object`,
	} {
		assertBoom(t, h.do("POST", "/acl/routes", admin, body), 400, msg)
	}
	assertBoom(t, h.do("GET", "/acl/flows", admin, nil), 400, `"type" must be one of [routes, components]`)

	_, user := h.signUp("plain@example.com")
	for _, p := range []string{"/acl-types", "/acl/routes", "/acl/routes/resources"} {
		assertBoom(t, h.do("GET", p, user, nil), 403, "Insufficient scope")
	}
	assertBoom(t, h.do("POST", "/acl/routes", user, []any{}), 403, "Insufficient scope")
}

func TestACLHelperRoutes(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	res := h.must(200, "GET", "/acl/components/resources", admin, nil).arr()
	if res[0] != "*" || !contains(res, "appmixer*") || !contains(res, "appmixer.utils.controls*") {
		t.Fatalf("component resources: %v", res)
	}
	if got := h.must(200, "GET", "/acl/components/actions", admin, nil).body; !reflect.DeepEqual(got, []any{"*", "use"}) {
		t.Fatalf("component actions: %v", got)
	}
	got := h.must(200, "GET", "/acl/components/resource/appmixer.utils*/attributes", admin, nil).body
	if !reflect.DeepEqual(got, []any{"*", "private", "non-private"}) {
		t.Fatalf("component attributes: %v", got)
	}
	if got := h.must(200, "GET", "/acl/routes/resources", admin, nil).body; !reflect.DeepEqual(got, []any{"*", "flows"}) {
		t.Fatalf("route resources: %v", got)
	}
}

func contains(list []any, v any) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

func TestConfigKeepsTypedValuesAndNeverLogsThem(t *testing.T) {
	var (
		mu   sync.Mutex
		logs strings.Builder
	)
	h := newHarness(t, Options{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&logs, format+"\n", args...)
	}})
	admin := h.admin()
	const secret = "jwt-Secret-5d1f0c9a"
	if got := h.must(200, "POST", "/config", admin, map[string]any{"key": "JWTSecret", "value": secret}).body; mustJSON(got) != `{"key":"JWTSecret","value":"`+secret+`"}` {
		t.Fatalf("POST answer %s", mustJSON(got))
	}
	h.must(200, "POST", "/config", admin, `{"key": "limits", "value": {"flows": 10, "ratio": 1.50, "on": true}}`)
	h.must(200, "POST", "/config", admin, map[string]any{"key": "JWTSecret", "value": secret + "-2"}) // overwrite keeps the order
	want := `[{"key":"JWTSecret","value":"` + secret + `-2"},{"key":"limits","value":{"flows":10,"on":true,"ratio":1.50}}]`
	if got := string(h.must(200, "GET", "/config", admin, nil).raw); got != want {
		t.Fatalf("GET /config = %s\nwant %s", got, want)
	}
	assertBoom(t, h.do("POST", "/config", admin, map[string]any{"key": "x"}), 400, `"value" is required`)
	assertBoom(t, h.do("POST", "/config", admin, map[string]any{"value": 1}), 400, `"key" is required`)
	if got := h.must(200, "DELETE", "/config/JWTSecret", admin, nil).body; mustJSON(got) != `{"ok":true}` {
		t.Fatalf("DELETE answer %v", got)
	}
	assertBoom(t, h.do("DELETE", "/config/JWTSecret", admin, nil), 404, "Config not found.")
	_, user := h.signUp("plain@example.com")
	assertBoom(t, h.do("GET", "/config", user, nil), 403, "Insufficient scope")

	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "POST /config -> 200") {
		t.Fatalf("the log lacks the requests, so the check below proves nothing:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), secret) {
		t.Fatalf("the server logged a secret:\n%s", logs.String())
	}
}

func TestModifiersBuiltInReplaceDeleteAndTest(t *testing.T) {
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	h := newHarness(t, Options{Now: func() time.Time { return now }})
	admin := h.admin()
	_, user := h.signUp("plain@example.com")

	doc := h.must(200, "GET", "/modifiers", user, nil).obj() // every user's designer reads it
	cats, _ := doc["categories"].(map[string]any)
	mods, _ := doc["modifiers"].(map[string]any)
	if len(cats) < 3 || len(mods) < 5 {
		t.Fatalf("built-in document too small: %d categories, %d modifiers", len(cats), len(mods))
	}
	for name, v := range mods {
		m, _ := v.(map[string]any)
		for _, k := range []string{"label", "type", "category", "description", "arguments", "returns", "helperFn"} {
			if _, ok := m[k]; !ok {
				t.Errorf("built-in modifier %s lacks %q", name, k)
			}
		}
		for _, c := range m["category"].([]any) {
			if _, ok := cats[c.(string)]; !ok {
				t.Errorf("built-in modifier %s names unknown category %v", name, c)
			}
		}
	}

	upper := str(mods["g_upper"].(map[string]any)["helperFn"])
	first := str(mods["g_first"].(map[string]any)["helperFn"])
	today := str(mods["g_today"].(map[string]any)["helperFn"])
	for _, c := range []struct {
		fn   string
		args any
		want string
	}{
		{upper, []any{"abc"}, `"ABC"`},
		{first, []any{[]any{3, 4}}, `3`},
		{today, []any{}, `"2025-03-04"`},
	} {
		if got := string(h.must(200, "POST", "/modifiers/test", admin, map[string]any{"helperFn": c.fn, "arguments": c.args}).raw); got != c.want {
			t.Errorf("test %s = %s, want %s", c.fn, got, c.want)
		}
	}
	assertBoom(t, h.do("POST", "/modifiers/test", admin, map[string]any{"helperFn": first, "arguments": []any{[]any{}}}), 400, `The function returned "undefined"`)
	assertBoom(t, h.do("POST", "/modifiers/test", admin, map[string]any{"helperFn": "function(){return 1}"}), 501, "")

	mine := `{"categories":{"text":{"label":"Text","index":1}},"modifiers":{"g_shout":{"label":"Shout","type":"modifier","category":["text"],"description":"!","arguments":[],"returns":{"type":"string"},"helperFn":"function(v){return v+'!'}"}}}`
	h.must(200, "PUT", "/modifiers", admin, mine)
	if got := string(h.must(200, "GET", "/modifiers", admin, nil).raw); got != mustJSON(mustDecode(t, mine)) {
		t.Fatalf("after PUT: %s", got)
	}
	assertBoom(t, h.do("PUT", "/modifiers", admin, `{"modifiers":{}}`), 400, `"categories" is required`)
	assertBoom(t, h.do("PUT", "/modifiers", user, mine), 403, "Insufficient scope")
	assertBoom(t, h.do("DELETE", "/modifiers", user, nil), 403, "Insufficient scope")

	h.must(200, "DELETE", "/modifiers", admin, nil)
	if got := string(h.must(200, "GET", "/modifiers", admin, nil).raw); got != `{}` {
		t.Fatalf("after DELETE: %s", got)
	}
}

func mustDecode(t *testing.T, s string) map[string]any {
	t.Helper()
	m, err := decodeJSONObject([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// uploadPublic posts a multipart form as the CLI-less clients (Backoffice, curl -F) do.
func uploadPublic(t *testing.T, h *harness, token string, fields map[string]string, content []byte) resp {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if content != nil {
		fw, err := mw.CreateFormFile("file", "upload.bin")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", h.url+"/public-files", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, raw: raw, body: mustDecodeAny(t, raw)}
}

func mustDecodeAny(t *testing.T, raw []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	return v
}

func TestPublicFilesMultipartUploadListReplaceDelete(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	if r := uploadPublic(t, h, admin, map[string]string{"filename": "logo.svg"}, []byte("<svg/>")); r.status != 200 || string(r.raw) != `{"ok":true}` {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	uploadPublic(t, h, admin, map[string]string{"filename": "terms.html"}, []byte("<p>terms</p>"))
	uploadPublic(t, h, admin, map[string]string{"filename": "logo.svg"}, []byte("<svg>v2</svg>"))
	if got := string(h.must(200, "GET", "/public-files", admin, nil).raw); got != `[{"filename":"logo.svg"},{"filename":"terms.html"}]` {
		t.Fatalf("list: %s", got)
	}
	if b, _ := h.s.PublicFile("logo.svg"); string(b) != "<svg>v2</svg>" {
		t.Fatalf("replaced content: %q", b)
	}
	assertBoom(t, uploadPublic(t, h, admin, map[string]string{"filename": "x.txt"}, nil), 400, `"file" is required`)
	assertBoom(t, uploadPublic(t, h, admin, map[string]string{"filename": "../x.txt"}, []byte("x")), 400, `"filename" is required and must not contain a path`)
	assertBoom(t, h.do("POST", "/public-files", admin, map[string]any{"filename": "x"}), 415, "")
	_, user := h.signUp("plain@example.com")
	assertBoom(t, uploadPublic(t, h, user, map[string]string{"filename": "x.txt"}, []byte("x")), 403, "Insufficient scope")

	h.must(200, "DELETE", "/public-files/logo.svg", admin, nil)
	assertBoom(t, h.do("DELETE", "/public-files/logo.svg", admin, nil), 404, "File not found.")
	if got := string(h.must(200, "GET", "/public-files", admin, nil).raw); got != `[{"filename":"terms.html"}]` {
		t.Fatalf("list after delete: %s", got)
	}
}

func TestTenantAdminRoutesAreNotInTheContract(t *testing.T) {
	h := newHarness(t, Options{Dialect: DialectContract})
	admin := h.admin()
	for _, p := range []string{"/acl-types", "/acl/components", "/config", "/modifiers", "/public-files"} {
		assertBoom(t, h.do("GET", p, admin, nil), 404, "")
	}
}
