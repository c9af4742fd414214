// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/json"
	"testing"
)

func TestFlexString(t *testing.T) {
	for in, want := range map[string]string{
		`"a"`: "a", `null`: "", `12`: "12", `true`: "true", `{"a": 1}`: `{"a":1}`, `""`: "",
	} {
		var s flexString
		if err := json.Unmarshal([]byte(in), &s); err != nil || string(s) != want {
			t.Errorf("%s -> %q, %v", in, s, err)
		}
	}
}

func TestFlexBool(t *testing.T) {
	for in, want := range map[string]bool{
		`true`: true, `false`: false, `null`: false, `"2024-05-01T10:00:00.000Z"`: true, `""`: false,
		`"false"`: false, `0`: false, `1`: true, `1714557600000`: true,
	} {
		var b flexBool
		if err := json.Unmarshal([]byte(in), &b); err != nil || bool(b) != want {
			t.Errorf("%s -> %v, %v", in, b, err)
		}
	}
}

func TestFlexStrings(t *testing.T) {
	for in, want := range map[string]int{`null`: 0, `"a"`: 1, `""`: 0, `["a","b"]`: 2, `[]`: 0, `["a",null]`: 1} {
		var s flexStrings
		if err := json.Unmarshal([]byte(in), &s); err != nil || len(s) != want {
			t.Errorf("%s -> %v, %v", in, s, err)
		}
	}
	var s struct {
		V flexStrings `json:"v"`
	}
	if err := json.Unmarshal([]byte(`{"v":{"x":1}}`), &s); err != nil || len(s.V) != 1 {
		t.Errorf("object -> %v, %v", s.V, err)
	}
}

func TestFlowWireIDs(t *testing.T) {
	for in, want := range map[string]string{
		`{"flowId":"a","id":"b"}`: "a",
		`{"id":"b"}`:              "b",
		`{"flowId":"a"}`:          "a",
		`{}`:                      "",
	} {
		var w flowWire
		if err := json.Unmarshal([]byte(in), &w); err != nil || w.id() != want {
			t.Errorf("%s -> %q, %v", in, w.id(), err)
		}
	}
	var w flowWire
	if err := json.Unmarshal([]byte(`{"flowId":"a","stage":"paused-by-user","flow":null,"description":null,"btime":1714557600000}`), &w); err != nil {
		t.Fatal(err)
	}
	f := w.flow()
	if f.Stage != "paused-by-user" || f.Definition != nil || f.Description != nil || f.CreatedAt != "1714557600000" {
		t.Fatalf("flow = %+v", f)
	}
}

func TestDecodeManifestShapes(t *testing.T) {
	m, err := decodeManifest(json.RawMessage(`"appmixer.a.b.C"`))
	if err != nil || m.Name != "appmixer.a.b.C" || m.Raw != nil {
		t.Fatalf("name string: %+v %v", m, err)
	}
	m, err = decodeManifest(json.RawMessage(`{"label":"X","type":"appmixer.a.b.C","auth":"weird"}`))
	if err != nil || m.Name != "appmixer.a.b.C" || m.Service != "" {
		t.Fatalf("type as name: %+v %v", m, err)
	}
	m, err = decodeManifest(json.RawMessage(`{"name":"appmixer.a.b.C","trigger":"true","version":"2.0.1","auth":{"service":"appmixer:a","scope":["x"]}}`))
	if err != nil || !m.Trigger || m.Version != "2.0.1" || m.Service != "appmixer:a" {
		t.Fatalf("manifest: %+v %v", m, err)
	}
}

func TestMatchesSelector(t *testing.T) {
	for _, tc := range []struct {
		name, sel string
		want      bool
	}{
		{"appmixer.google.gmail.SendEmail", "appmixer.google", true},
		{"appmixer.google.gmail.SendEmail", "appmixer.google.gmail.SendEmail", true},
		{"appmixer.googlecalendar.x.Y", "appmixer.google", false},
		{"appmixer.a.b.C", "", true},
	} {
		if got := matchesSelector(tc.name, tc.sel); got != tc.want {
			t.Errorf("matchesSelector(%q, %q) = %v", tc.name, tc.sel, got)
		}
	}
}
