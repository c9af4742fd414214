// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestRedactBodyJSON(t *testing.T) {
	in := `{"username":"joe","password":"hunter2","Token":"abc","nested":{"accessToken":"at","list":[{"refreshToken":"rt","clientSecret":"cs"},{"apiKey":"k","ok":1}]},
		"token2":"kept","profile":{"token":{"accessToken":"deep"}}}`
	got := redactBody([]byte(in), "application/json")
	for _, secret := range []string{"hunter2", `"abc"`, `"at"`, `"rt"`, `"cs"`, `"k"`, "deep"} {
		if strings.Contains(got, secret) {
			t.Fatalf("secret %s leaked: %s", secret, got)
		}
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("redacted JSON no longer parses: %v (%s)", err, got)
	}
	if v["username"] != "joe" || v["token2"] != "kept" || v["password"] != redacted || v["Token"] != redacted {
		t.Fatalf("redacted = %s", got)
	}
	nested := v["nested"].(map[string]any)
	if nested["accessToken"] != redacted || nested["list"].([]any)[1].(map[string]any)["ok"] != json.Number("1") &&
		nested["list"].([]any)[1].(map[string]any)["ok"] != float64(1) {
		t.Fatalf("nested = %v", nested)
	}
	if v["profile"].(map[string]any)["token"] != redacted {
		t.Fatalf("an object under a sensitive key must be replaced whole: %s", got)
	}
	// Numbers keep their exact text and HTML is not escaped.
	if got := redactBody([]byte(`{"n":12345678901234567890,"s":"<a>"}`), ""); got != `{"n":12345678901234567890,"s":"<a>"}` {
		t.Fatalf("got %s", got)
	}
	if got := redactBody([]byte(`[{"password":"p"}]`), ""); got != `[{"password":"<redacted>"}]` {
		t.Fatalf("top-level arrays: %s", got)
	}
}

func TestRedactBodyNonJSON(t *testing.T) {
	cases := map[string]string{
		`username=joe&password=hunter2&x=1`:                  `username=joe&password=<redacted>&x=1`,
		`{"password":"hunter2","token":"abc`:                 `{"password":"<redacted>","token":"<redacted>"`,
		`oops {"apiKey": "k1", "clientSecret":"c\"s"} tail`:  `oops {"apiKey": "<redacted>", "clientSecret":"<redacted>"} tail`,
		`plain text without secrets`:                         `plain text without secrets`,
		`{"refreshToken":12345, "a":1} trailing`:             `{"refreshToken":"<redacted>", "a":1} trailing`,
		"access_token=zzz client_secret=yyy api_key=xx":      "access_token=<redacted> client_secret=<redacted> api_key=<redacted>",
		`{"a":1}{"token":"two documents are not one value"}`: `{"a":1}{"token":"<redacted>"}`,
	}
	for in, want := range cases {
		if got := redactBody([]byte(in), "text/plain"); got != want {
			t.Errorf("redactBody(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestRedactBodyBinaryAndTruncation(t *testing.T) {
	z := []byte("PK\x03\x04rest-of-zip")
	if got := redactBody(z, "application/octet-stream"); got != "<15 bytes of application/octet-stream>" {
		t.Fatalf("got %q", got)
	}
	if got := redactBody(z, ""); got != "<15 bytes of application/octet-stream>" {
		t.Fatalf("zip sniffing: %q", got)
	}
	if got := redactBody([]byte{0xff, 0xfe, 0x00}, "application/json"); got != "<3 bytes of application/octet-stream>" {
		t.Fatalf("invalid UTF-8: %q", got)
	}
	if got := redactBody(nil, "application/json"); got != "" {
		t.Fatalf("empty: %q", got)
	}
	big := `{"password":"p","data":"` + strings.Repeat("é", 5000) + `"}`
	got := redactBody([]byte(big), "application/json")
	if len(got) > maxLoggedBody+64 || !strings.Contains(got, "...(truncated,") || strings.Contains(got, `"p"`) {
		t.Fatalf("truncation: %d bytes, %q...", len(got), got[:40])
	}
	if !strings.HasPrefix(got, `{"data":"é`) && !strings.Contains(got, `"password":"<redacted>"`) {
		t.Fatalf("got %q", got[:60])
	}
}

func TestRedactHeaders(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer secret"}, "Content-Type": {"application/json"}}
	got := redactHeaders(h)
	if got["Authorization"] != redacted || got["Content-Type"] != "application/json" {
		t.Fatalf("got %v", got)
	}
}

func TestDebugLogsAreRedacted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path == "/components" {
			replyRaw(w, 200, `{"ticket":"t1"}`)
			return
		}
		replyRaw(w, 200, `{"id":"u9","username":"joe","token":"new-user-token"}`)
	})
	c := newTestClient(t, f.URL)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	if _, err := c.CreateUser(ctx, NewUser{Username: "joe", Password: "user-password"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PublishComponent(ctx, "appmixer.x", testZip(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"secret", "user-password", "new-user-token", "tok-1"} {
		if strings.Contains(out, secret) {
			t.Fatalf("log leaks %q:\n%s", secret, out)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var sawZip, sawAuth, sawStatus bool
	for _, e := range entries {
		if e["@module"] != "provider."+LogSubsystem {
			t.Fatalf("entry outside the subsystem: %v", e)
		}
		if _, ok := e["new_logger_warning"]; ok {
			t.Fatalf("subsystem was not set up: %v", e)
		}
		if b, _ := e["body"].(string); strings.HasPrefix(b, "<") && strings.HasSuffix(b, " bytes of application/octet-stream>") {
			sawZip = true
		}
		if h, ok := e["headers"].(map[string]any); ok && h["Authorization"] == redacted {
			sawAuth = true
		}
		if e["status"] == float64(200) && e["duration_ms"] != nil {
			sawStatus = true
		}
	}
	if !sawZip || !sawAuth || !sawStatus {
		t.Fatalf("zip=%v auth=%v status=%v in:\n%v", sawZip, sawAuth, sawStatus, entries)
	}
}
