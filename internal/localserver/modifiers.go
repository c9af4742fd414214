// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Modifiers (§8): one document {categories, modifiers} that the designer's modifier editor offers.
// A tenant starts with a built-in document; PUT replaces it whole and DELETE empties it, built-ins
// included, as in Appmixer.

// builtinModifiersJSON is this server's own small built-in document, of the shape Appmixer's has.
//
//go:embed modifiers_builtin.json
var builtinModifiersJSON []byte

func builtinModifiers() map[string]any {
	doc, err := decodeJSONObject(builtinModifiersJSON)
	if err != nil {
		panic(fmt.Sprintf("localserver: built-in modifiers: %v", err)) // embedded at build time
	}
	return doc
}

func decodeJSONObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

func (s *Server) getModifiers(*call) (any, error) { return s.modifiers, nil }

// putModifiers is PUT /modifiers: categories and modifiers are required objects (Appmixer's docs
// mark both required); the document is stored as sent.
func (s *Server) putModifiers(c *call) (any, error) {
	doc, err := c.object()
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"categories", "modifiers"} {
		if _, present, err := optObject(doc, k); err != nil {
			return nil, err
		} else if !present {
			return nil, badRequest("%q is required", k)
		}
	}
	s.modifiers = doc
	return doc, nil
}

// deleteModifiers is DELETE /modifiers: everything goes, the built-ins too.
func (s *Server) deleteModifiers(*call) (any, error) {
	s.modifiers = map[string]any{}
	return map[string]any{}, nil
}

// testModifier is POST /modifiers/test {helperFn, arguments}: it answers what the function returns.
// This server runs no JavaScript: it knows the functions of its built-in document, implemented in Go.
func (s *Server) testModifier(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "helperFn", "arguments"); err != nil {
		return nil, err
	}
	fn, err := requiredString(body, "helperFn")
	if err != nil {
		return nil, err
	}
	args, ok := body["arguments"].([]any)
	if _, present := body["arguments"]; present && !ok {
		return nil, badRequest(`"arguments" must be an array`)
	}
	eval, known := builtinHelpers[fn]
	if !known {
		return nil, errorf(http.StatusNotImplemented,
			"The local Appmixer server runs only the helper functions of its built-in modifiers.")
	}
	out, defined := eval(args, c.now)
	if !defined {
		return nil, badRequest(`The function returned "undefined"`)
	}
	return out, nil
}

// builtinHelpers evaluates each built-in helperFn the way JavaScript would, keyed by its source.
var builtinHelpers = func() map[string]func(args []any, now time.Time) (any, bool) {
	arg := func(args []any, i int) any {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	impl := map[string]func(args []any, now time.Time) (any, bool){
		"g_json": func(args []any, _ time.Time) (any, bool) {
			indent := 0
			if opts, ok := arg(args, 1).(map[string]any); ok {
				if hash, ok := opts["hash"].(map[string]any); ok {
					indent = int(jsNumber(hash["indent"]))
				}
			}
			var b []byte
			var err error
			if indent > 0 {
				b, err = json.MarshalIndent(arg(args, 0), "", strings.Repeat(" ", indent))
			} else {
				b, err = json.Marshal(arg(args, 0))
			}
			return string(b), err == nil
		},
		"g_first": func(args []any, _ time.Time) (any, bool) {
			list, ok := arg(args, 0).([]any)
			if !ok || len(list) == 0 {
				return nil, false
			}
			return list[0], true
		},
		"g_count": func(args []any, _ time.Time) (any, bool) {
			switch v := arg(args, 0).(type) {
			case string:
				return len([]rune(v)), true
			case []any:
				return len(v), true
			}
			return 0, true
		},
		"g_upper": func(args []any, _ time.Time) (any, bool) { return strings.ToUpper(jsString(arg(args, 0))), true },
		"g_lower": func(args []any, _ time.Time) (any, bool) { return strings.ToLower(jsString(arg(args, 0))), true },
		"g_trim":  func(args []any, _ time.Time) (any, bool) { return strings.TrimSpace(jsString(arg(args, 0))), true },
		"g_plus": func(args []any, _ time.Time) (any, bool) {
			return jsResult(jsNumber(arg(args, 0)) + jsNumber(arg(args, 1))), true
		},
		"g_round": func(args []any, _ time.Time) (any, bool) {
			return jsResult(math.Floor(jsNumber(arg(args, 0)) + 0.5)), true
		},
		"g_today": func(_ []any, now time.Time) (any, bool) { return now.UTC().Format("2006-01-02"), true },
	}
	mods, _ := builtinModifiers()["modifiers"].(map[string]any)
	out := map[string]func([]any, time.Time) (any, bool){}
	for name, f := range impl {
		m, _ := mods[name].(map[string]any)
		out[str(m["helperFn"])] = f
	}
	return out
}()

// jsString is JavaScript's String(value) for JSON values.
func jsString(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}

// jsNumber is JavaScript's Number(value) for JSON values.
func jsNumber(v any) float64 {
	switch t := v.(type) {
	case nil:
		return 0
	case bool:
		if t {
			return 1
		}
		return 0
	case json.Number:
		f, _ := t.Float64()
		return f
	case float64:
		return t
	case string:
		s := strings.TrimSpace(t)
		if s == "" {
			return 0
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return math.NaN()
}

// jsResult encodes a number as JSON.stringify would: NaN and infinities become null.
func jsResult(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}
