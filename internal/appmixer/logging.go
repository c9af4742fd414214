// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// LogSubsystem is the tflog subsystem the client logs to. Its level can be
// set apart from the provider's with TF_LOG_PROVIDER_APPMIXER_API.
const LogSubsystem = "appmixer"

// maxLoggedBody bounds each logged body.
const maxLoggedBody = 4096

const redacted = "<redacted>"

// sensitiveKeys are JSON keys (compared case-insensitively) whose values
// never reach a log.
var sensitiveKeys = map[string]bool{
	"password":     true,
	"token":        true,
	"accesstoken":  true,
	"refreshtoken": true,
	"clientsecret": true,
	"apikey":       true,
}

var (
	// jsonSecretRe catches secrets in JSON that does not parse, e.g. a
	// truncated body; the value may itself be cut short.
	jsonSecretRe = regexp.MustCompile(`(?i)("(?:password|token|accessToken|refreshToken|clientSecret|apiKey)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"?|[^,}\]\s]+)`)
	// formSecretRe catches key=value pairs in form or query-like text.
	formSecretRe = regexp.MustCompile(`(?i)\b(password|token|access_?token|refresh_?token|client_?secret|api_?key)=[^&\s]*`)
)

type logCtxKey struct{}

// logContext sets up the subsystem logger once per operation; tflog warns on
// every entry logged to a subsystem that was never created.
func logContext(ctx context.Context) context.Context {
	if ctx.Value(logCtxKey{}) != nil {
		return ctx
	}
	ctx = tflog.NewSubsystem(ctx, LogSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_APPMIXER_API"))
	return context.WithValue(ctx, logCtxKey{}, true)
}

func debugEnabled(ctx context.Context) bool { return tflog.SubsystemIsDebug(ctx, LogSubsystem) }

func logRequest(ctx context.Context, req *http.Request, body string) {
	if !debugEnabled(ctx) {
		return
	}
	tflog.SubsystemDebug(ctx, LogSubsystem, "Sending Appmixer API request", map[string]any{
		"method":  req.Method,
		"url":     req.URL.String(),
		"headers": redactHeaders(req.Header),
		"body":    body,
	})
}

// logAttempt is the retryablehttp.RequestLogHook; the first attempt is
// already covered by logRequest.
func logAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if attempt == 0 || !debugEnabled(req.Context()) {
		return
	}
	tflog.SubsystemDebug(req.Context(), LogSubsystem, "Retrying Appmixer API request", map[string]any{
		"method": req.Method, "url": req.URL.String(), "attempt": attempt + 1,
	})
}

func logRetry(ctx context.Context, reason string) {
	tflog.SubsystemDebug(ctx, LogSubsystem, "Appmixer API request will be retried", map[string]any{"reason": reason})
}

func logResponse(ctx context.Context, req *http.Request, resp *response, body string, took time.Duration) {
	if !debugEnabled(ctx) {
		return
	}
	tflog.SubsystemDebug(ctx, LogSubsystem, "Received Appmixer API response", map[string]any{
		"method":      req.Method,
		"url":         req.URL.String(),
		"status":      resp.status,
		"duration_ms": took.Milliseconds(),
		"body":        body,
	})
}

func logFailure(ctx context.Context, req *http.Request, err error, took time.Duration) {
	tflog.SubsystemDebug(ctx, LogSubsystem, "Appmixer API request failed", map[string]any{
		"method": req.Method, "url": req.URL.String(), "error": err.Error(), "duration_ms": took.Milliseconds(),
	})
}

// loggedHeaders are the request headers whose values a log shows. Every other value is redacted:
// besides Authorization, configured gateway headers (Transport.Headers) carry secrets under names
// no list could know, such as CF-Access-Client-Secret.
var loggedHeaders = []string{"Accept", "Content-Length", "Content-Type", "User-Agent"}

// redactHeaders flattens headers for logging, keeping the names and hiding every value but those
// of loggedHeaders.
func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if slices.Contains(loggedHeaders, http.CanonicalHeaderKey(k)) {
			out[k] = strings.Join(v, ", ")
		} else {
			out[k] = redacted
		}
	}
	return out
}

// everyKey as a call's secretKeys masks every value of its bodies, keeping only their keys.
var everyKey = []string{"*"}

// maskScalars replaces every string, number and boolean inside v.
func maskScalars(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			t[k] = maskScalars(val)
		}
		return t
	case []any:
		for i, val := range t {
			t[i] = maskScalars(val)
		}
		return t
	case nil:
		return nil
	}
	return redacted
}

// redactBody renders a body for a log: binary bodies as a size, JSON with
// the values of sensitiveKeys and secretKeys replaced at any depth, other text with
// key=value and "key":value secrets masked (or, with secretKeys, only its size); all truncated to
// maxLoggedBody.
func redactBody(body []byte, contentType string, secretKeys ...string) string {
	if len(body) == 0 {
		return ""
	}
	if isBinary(body, contentType) {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil || mt == "" || strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "json") {
			mt = "application/octet-stream"
		}
		return fmt.Sprintf("<%d bytes of %s>", len(body), mt)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		if enc.Encode(redactValue(v, secretKeys)) == nil {
			return truncate(strings.TrimSuffix(out.String(), "\n"), maxLoggedBody)
		}
	}
	if len(secretKeys) > 0 {
		return fmt.Sprintf("<%d bytes, not logged: they may hold secrets>", len(body))
	}
	return truncate(redactText(string(body)), maxLoggedBody)
}

// redactValue replaces, recursively, the values of sensitive keys and of secretKeys (everyKey: all).
func redactValue(v any, secretKeys []string) any {
	if slices.Equal(secretKeys, everyKey) {
		return maskScalars(v)
	}
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if sensitiveKeys[strings.ToLower(k)] || slices.Contains(secretKeys, k) {
				t[k] = redacted
			} else {
				t[k] = redactValue(val, secretKeys)
			}
		}
	case []any:
		for i, val := range t {
			t[i] = redactValue(val, secretKeys)
		}
	}
	return v
}

func redactText(s string) string {
	s = jsonSecretRe.ReplaceAllString(s, `${1}"`+redacted+`"`)
	return formSecretRe.ReplaceAllString(s, "${1}="+redacted)
}

func isBinary(body []byte, contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/octet-stream", mt == "application/zip", mt == "application/x-zip-compressed":
		return true
	case bytes.HasPrefix(body, []byte("PK\x03\x04")):
		return true
	}
	return !utf8.Valid(body)
}

// truncate shortens s to at most n bytes (on a rune boundary) and says so.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s...(truncated, %d bytes in all)", s[:cut], len(s))
}
