// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// maxErrorLen bounds Error(): the method and path, the status, and the
// truncated error text, message and details with their truncation notes.
const maxErrorLen = 64 + maxErrorText + maxMessageText + maxDetailsText + 3*64

// plainSecret is the kind of secret the redaction property is checked with;
// shorter or punctuated values could occur in the surrounding text by chance.
var plainSecret = regexp.MustCompile(`^[A-Za-z0-9]{12,64}$`)

// FuzzParseError feeds arbitrary bodies to parseError. Whatever a server or
// a proxy in front of it answers, the user must get a bounded, non-empty
// message that starts with the request and status, that stays valid UTF-8
// when the body was, and that does not echo a password or token the body
// carried. The seed corpus is in testdata/fuzz/FuzzParseError.
func FuzzParseError(f *testing.F) {
	f.Add(uint16(4), []byte(`{"statusCode":404,"error":"Not Found","message":"Flow not found."}`), "hunter2hunter2")
	f.Add(uint16(102), []byte("<html><body>502 Bad Gateway</body></html>"), "s3cr3tTokenValue")
	f.Fuzz(func(t *testing.T, status uint16, body []byte, secret string) {
		code := 400 + int(status)%200 // parseError only sees failed answers
		checkParsed(t, code, body)
		if !plainSecret.MatchString(secret) {
			return
		}
		for _, tmpl := range []string{
			`{"statusCode":400,"error":"Bad Request","message":"bad","details":{"password":%q}}`,
			`{"statusCode":400,"error":"Bad Request","message":"bad","data":[{"token":%q}]}`,
			`{"statusCode":401,"error":"Unauthorized","message":"token=%s rejected"}`,
			`{"unexpected":{"accessToken":%q}}`,
			`upstream said: password=%s&user=x`,
			`{"password":"%s`, // cut off mid-string, as by a proxy
		} {
			b := []byte(fmt.Sprintf(tmpl, secret))
			if msg := checkParsed(t, code, b); strings.Contains(msg, secret) {
				t.Fatalf("secret %q echoed in %q (body %s)", secret, msg, b)
			}
		}
	})
}

func checkParsed(t *testing.T, code int, body []byte) string {
	t.Helper()
	e := parseError(http.MethodPut, "/flows/f1", &response{status: code, header: http.Header{}, body: body}, nil)
	msg := e.Error()
	if e.StatusCode != code || !strings.HasPrefix(msg, fmt.Sprintf("PUT /flows/f1: %d", code)) {
		t.Fatalf("status %d, message %q", e.StatusCode, msg)
	}
	if len(msg) > maxErrorLen {
		t.Fatalf("message of %d bytes for a body of %d", len(msg), len(body))
	}
	if utf8.Valid(body) && !utf8.ValidString(msg) {
		t.Fatalf("invalid UTF-8 in %q", msg)
	}
	return msg
}
