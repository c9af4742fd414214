// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package componentmap

import (
	"encoding/json"
	"reflect"
	"testing"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExtend(t *testing.T) {
	def := decode(t, `{"a": {}, "b": {}, "new": {}}`)
	prev := map[string]string{"a": "A", "b": "B", "gone": "G"}
	n := 0
	got := Extend(def, prev, func() string { n++; return "fresh" })
	want := map[string]string{"a": "A", "b": "B", "new": "fresh"}
	if !reflect.DeepEqual(got, want) || n != 1 {
		t.Fatalf("Extend = %v (%d new ids), want %v", got, n, want)
	}
	if len(prev) != 3 {
		t.Fatalf("Extend modified prev: %v", prev)
	}
}

func TestInvert(t *testing.T) {
	if got := Invert(map[string]string{"a": "A", "b": "B"}); !reflect.DeepEqual(got, map[string]string{"A": "a", "B": "b"}) {
		t.Fatalf("Invert = %v", got)
	}
}

// TestDescriptor rewrites every place a descriptor names a component, and nothing else: a config
// property whose value happens to equal an id stays, and so do ids absent from the map.
func TestDescriptor(t *testing.T) {
	def := decode(t, `{
	  "start": {"type": "appmixer.utils.controls.OnStart", "x": 1, "source": {}, "config": {}},
	  "mail": {"type": "appmixer.utils.email.SendEmail", "version": "1.0.0",
	    "source": {"in": {"start": ["out"], "other": ["out"]}},
	    "config": {
	      "properties": {"to": "start", "note": "see $.start.out.time and $.other.out.x"},
	      "transform": {"in": {"start": {"out": {"type": "json2new",
	        "modifiers": {"body": {"m1": {"variable": "$.start.out.started", "functions": []}}},
	        "lambda": {"body": "{{{m1}}}"}}}}}}}
	}`)
	ids := map[string]string{"start": "S", "mail": "M"}
	want := decode(t, `{
	  "S": {"type": "appmixer.utils.controls.OnStart", "x": 1, "source": {}, "config": {}},
	  "M": {"type": "appmixer.utils.email.SendEmail", "version": "1.0.0",
	    "source": {"in": {"S": ["out"], "other": ["out"]}},
	    "config": {
	      "properties": {"to": "start", "note": "see $.S.out.time and $.other.out.x"},
	      "transform": {"in": {"S": {"out": {"type": "json2new",
	        "modifiers": {"body": {"m1": {"variable": "$.S.out.started", "functions": []}}},
	        "lambda": {"body": "{{{m1}}}"}}}}}}}
	}`)
	before := decode(t, mustEncode(t, def))
	got := Descriptor(def, ids)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Descriptor =\n%s\nwant\n%s", mustEncode(t, got), mustEncode(t, want))
	}
	if !reflect.DeepEqual(def, before) {
		t.Fatal("Descriptor modified its input")
	}
	// Through the inverse map the template reads back as the draft.
	if back := Descriptor(got, Invert(ids)); !reflect.DeepEqual(back, before) {
		t.Fatalf("round trip =\n%s", mustEncode(t, back))
	}
}

func TestWizard(t *testing.T) {
	w := decode(t, `{"fields": [
	  {"type": "inspectorField", "label": "Body", "source": "mail.config.transform.in.start.out.lambda.body"},
	  {"type": "inspectorField", "label": "To", "source": "mail.config.properties.to", "tooltip": "from $.start.out"},
	  "not a field"
	]}`)
	got := Wizard(w, map[string]string{"start": "S", "mail": "M"})
	want := decode(t, `{"fields": [
	  {"type": "inspectorField", "label": "Body", "source": "M.config.transform.in.S.out.lambda.body"},
	  {"type": "inspectorField", "label": "To", "source": "M.config.properties.to", "tooltip": "from $.S.out"},
	  "not a field"
	]}`)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Wizard =\n%s", mustEncode(t, got))
	}
	if src := Fields(w)[0]["source"]; src != "mail.config.transform.in.start.out.lambda.body" {
		t.Fatalf("Wizard modified its input: %v", src)
	}
	if ids := []string{FieldComponent(Fields(got)[0]), FieldComponent(Fields(got)[1])}; !reflect.DeepEqual(ids, []string{"M", "M"}) {
		t.Fatalf("FieldComponent = %v", ids)
	}
	if Fields("nope") != nil || Fields(map[string]any{"fields": "x"}) != nil {
		t.Fatal("Fields of a wizard without a fields array must be empty")
	}
}

func mustEncode(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
