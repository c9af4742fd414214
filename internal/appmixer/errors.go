// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// ErrNotSupported is returned (wrapped, with context) for operations the
// selected API dialect does not offer.
var ErrNotSupported = errors.New("not supported by this API dialect")

// Error is an error answered by the API, usually a Boom JSON body
// {"statusCode","error","message"} with optional details or data.
type Error struct {
	StatusCode int
	ErrorText  string // Boom "error", e.g. "Not Found"
	Message    string
	Method     string
	Path       string
	Details    json.RawMessage // Boom "details" or "data", when present
}

// Error formats e.g. "GET /flows/x: 404 Not Found: Flow not found.".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	text := e.ErrorText
	if text == "" {
		text = http.StatusText(e.StatusCode)
	}
	if text != "" {
		b.WriteString(" " + text)
	}
	if e.Message != "" && e.Message != text {
		b.WriteString(": " + e.Message)
	}
	if len(e.Details) > 0 {
		// Validation details may echo the request, secrets included.
		b.WriteString(" (details: " + truncate(redactBody(e.Details, "application/json"), maxDetailsText) + ")")
	}
	return b.String()
}

// StatusCode returns the HTTP status of an *Error anywhere in err's chain,
// or 0.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsUnauthorized reports a 401 answer.
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// IsForbidden reports a 403 answer.
func IsForbidden(err error) bool { return StatusCode(err) == http.StatusForbidden }

// IsBadRequest reports a 400 answer.
func IsBadRequest(err error) bool { return StatusCode(err) == http.StatusBadRequest }

// Bounds of the parts of an *Error's text, so that one answer cannot flood
// the user's diagnostics.
const (
	maxErrorText   = 128
	maxMessageText = 2048 // a Boom message, which may list many validation problems
	maxRawText     = 512  // a body that is not Boom, such as a proxy's HTML page
	maxDetailsText = 1024
)

// parseError builds an *Error from a failed response, using the Boom body
// when there is one and otherwise the raw body, truncated and with any
// echoed secrets masked, since it ends up in the user's diagnostics. Validation details may echo
// the request, so those of a call with secretKeys lose those keys' values.
func parseError(method, path string, resp *response, secretKeys []string) *Error {
	e := &Error{StatusCode: resp.status, Method: method, Path: path}
	body := bytes.TrimSpace(resp.body)
	var boom struct {
		Error   flexString      `json:"error"`
		Message flexString      `json:"message"`
		Details json.RawMessage `json:"details"`
		Data    json.RawMessage `json:"data"`
	}
	if len(body) > 0 && body[0] == '{' && json.Unmarshal(body, &boom) == nil {
		// A broken proxy can send megabytes in "message"; diagnostics need the start.
		e.ErrorText = truncate(string(boom.Error), maxErrorText)
		e.Message = truncate(redactText(string(boom.Message)), maxMessageText)
		switch {
		case isJSONValue(boom.Details):
			e.Details = boom.Details
		case isJSONValue(boom.Data):
			e.Details = boom.Data
		}
		if len(secretKeys) > 0 && len(e.Details) > 0 {
			e.Details = json.RawMessage(redactBody(e.Details, "application/json", secretKeys...))
		}
		if e.ErrorText == "" && e.Message == "" && len(e.Details) == 0 {
			// Not Boom after all: show what the server said.
			e.Message = truncate(redactText(string(body)), maxRawText)
		}
		return e
	}
	if len(body) > 0 {
		e.Message = truncate(redactText(strings.Join(strings.Fields(string(body)), " ")), maxRawText)
	}
	return e
}

// redactSent masks, in what the server said, the secrets the request sent: the values of its secret
// keys and of the keys every call treats as sensitive. A validation message may quote a value in any
// wording ("\"value\" with value \"s3cr3t\" fails to match ..."), so the values are looked for, not
// the wording.
func (e *Error) redactSent(payload []byte, contentType string, secretKeys []string) {
	if !strings.HasPrefix(contentType, "application/json") || len(payload) == 0 {
		return
	}
	var sent any
	if json.Unmarshal(payload, &sent) != nil {
		return
	}
	var secrets []string
	all := slices.Equal(secretKeys, everyKey)
	if top, ok := sent.(map[string]any); ok && all {
		// Where every value may be secret, the ones that name the object are not: the message
		// "No installed connector has the auth module of service acme:weather" must keep them.
		for k := range top {
			if namingKeys[k] {
				delete(top, k)
			}
		}
	}
	collectSecrets(sent, all, secretKeys, &secrets)
	for _, v := range secrets {
		e.ErrorText = strings.ReplaceAll(e.ErrorText, v, redacted)
		e.Message = strings.ReplaceAll(e.Message, v, redacted)
		if len(e.Details) > 0 {
			e.Details = json.RawMessage(strings.ReplaceAll(string(e.Details), v, redacted))
		}
	}
}

// namingKeys are the top-level keys of a request that name what it creates, never a secret.
var namingKeys = map[string]bool{"service": true, serviceConfigKey: true, "name": true, "displayName": true}

// collectSecrets gathers the string values of v that are secret: under a sensitive or secret key, or
// any when all is set.
func collectSecrets(v any, all bool, secretKeys []string, out *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			collectSecrets(val, all || sensitiveKeys[strings.ToLower(k)] || slices.Contains(secretKeys, k), secretKeys, out)
		}
	case []any:
		for _, val := range t {
			collectSecrets(val, all, secretKeys, out)
		}
	case string:
		if all && t != "" {
			*out = append(*out, t)
		}
	}
}

// isJSONValue reports a present, non-null JSON value.
func isJSONValue(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) > 0 && !bytes.Equal(s, []byte("null"))
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// notFound builds the *Error for a lookup (a GET of path) that found
// nothing, so callers can use IsNotFound as for a server 404.
func notFound(path, msg string) *Error {
	return &Error{StatusCode: http.StatusNotFound, ErrorText: "Not Found", Message: msg, Method: http.MethodGet, Path: path}
}

// notSupported wraps ErrNotSupported with what was attempted, and with the
// server's answer when there is one.
func (c *Client) notSupported(what string, cause error) error {
	if cause != nil {
		return fmt.Errorf("%w: %s (dialect %s): %w", ErrNotSupported, what, c.dialect, cause)
	}
	return fmt.Errorf("%w: %s (dialect %s)", ErrNotSupported, what, c.dialect)
}
