// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// apiError is an error answered as Boom JSON, the shape hapi (and so Appmixer) uses for every error.
type apiError struct {
	status  int
	message string
	data    any // optional Boom "data", e.g. the problems of a component package
	details any // optional Boom "details", e.g. what a flow's start found wrong (appmixer-api.md §10)
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, format, args...)
}

// notFound is the 404 for a missing object and equally for another user's object, so ids of
// other users' data cannot be probed.
func notFound(what string) *apiError { return errorf(http.StatusNotFound, "%s not found.", what) }

func errorReply(err error) *reply {
	var e *apiError
	if !errors.As(err, &e) {
		e = errorf(http.StatusInternalServerError, "%v", err)
	}
	body := map[string]any{"statusCode": e.status, "error": http.StatusText(e.status), "message": e.message}
	if e.data != nil {
		body["data"] = e.data
	}
	if e.details != nil {
		body["details"] = e.details
	}
	rep := jsonReply(e.status, body)
	if e.status == http.StatusUnauthorized {
		rep.header.Set("WWW-Authenticate", "Bearer")
	}
	return rep
}

func jsonReply(status int, v any) *reply {
	body, err := json.Marshal(v)
	if err != nil {
		// Only values built by this package are encoded; failing here is a bug worth seeing.
		panic(fmt.Sprintf("localserver: encoding response: %v", err))
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &reply{status: status, header: h, body: body}
}

// object decodes the request body as a JSON object. Numbers stay json.Number so flow descriptors
// read back byte-for-byte as they were sent.
func (c *call) object() (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if len(bytes.TrimSpace(c.body)) == 0 {
			return nil, badRequest(`"value" must be an object`)
		}
		return nil, badRequest("Invalid request payload JSON format")
	}
	if dec.More() {
		return nil, badRequest("Invalid request payload JSON format")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest(`"value" must be an object`)
	}
	return m, nil
}

// onlyKeys rejects keys outside allowed the way Joi does.
func onlyKeys(body map[string]any, allowed ...string) error {
	for _, k := range sortedKeys(body) {
		if !slices.Contains(allowed, k) {
			return badRequest("%q is not allowed", k)
		}
	}
	return nil
}

// optString reads an optional string field; present reports whether it was there.
func optString(body map[string]any, key string) (value string, present bool, err error) {
	v, ok := body[key]
	if !ok {
		return "", false, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", true, badRequest("%q must be a string", key)
	}
	return s, true, nil
}

func requiredString(body map[string]any, key string) (string, error) {
	s, present, err := optString(body, key)
	if err != nil {
		return "", err
	}
	if !present || s == "" {
		return "", badRequest("%q is required", key)
	}
	return s, nil
}

func optObject(body map[string]any, key string) (map[string]any, bool, error) {
	v, ok := body[key]
	if !ok {
		return nil, false, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, true, badRequest("%q must be an object", key)
	}
	return m, true, nil
}

// optStrings reads an optional array of strings.
func optStrings(body map[string]any, key string) ([]string, bool, error) {
	v, ok := body[key]
	if !ok {
		return nil, false, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, true, badRequest("%q must be an array", key)
	}
	out := make([]string, 0, len(arr))
	for i, item := range arr {
		s, ok := item.(string)
		if !ok {
			return nil, true, badRequest("\"%s[%d]\" must be a string", key, i)
		}
		out = append(out, s)
	}
	return out, true, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// isoTime formats like the Appmixer engine: UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// objectID makes a 24-hex id like the MongoDB ids Appmixer uses for users and accounts.
func objectID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
