// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"encoding/json"
	"strings"
)

// The real API and the contract disagree on several types (and the real API
// is loosely documented), so decoding accepts every shape seen in practice.

// flexString accepts a string, number or bool (kept as its JSON text); null
// is "", and objects or arrays are kept as compact JSON.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	default:
		*s = flexString(compactJSON(b))
	}
	return nil
}

// flexStrings accepts an array of strings, a single string or null.
type flexStrings []string

func (s *flexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []flexString
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			if it != "" {
				out = append(out, string(it))
			}
		}
		*s = out
		return nil
	}
	var one flexString
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*s = nil
	if one != "" {
		*s = flexStrings{string(one)}
	}
	return nil
}

// flexBool is truthy: false, null, 0, "" and "false" are false; anything
// else (true, a timestamp string, a number) is true.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(strings.ToLower(s))
		*v = flexBool(s != "" && s != "false" && s != "0" && s != "no")
		return nil
	}
	switch string(b) {
	case "", "null", "false", "0", "0.0":
		*v = false
	default:
		*v = true
	}
	return nil
}

// jsonKind returns the first significant byte of a JSON document.
func jsonKind(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
