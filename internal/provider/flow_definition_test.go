// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// baseDef is OnStart -> SendEmail, the shape most cases vary.
const baseDef = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 200, "source": {}, "config": {}},
  "mail":  {"type": "appmixer.utils.email.SendEmail", "label": "Mail", "x": 320, "y": 200,
            "source": {"in": {"start": ["out"]}},
            "config": {"properties": {"to": "ops@example.com"}, "transform": {"in": {"start": {"out": {"type": "json2new", "lambda": {"subject": "a < b"}}}}}}}
}`

// realExportDef holds what Appmixer's own test flows hold: errorHandling on nodes, a node without
// config, a transform without type, lambda values that are objects, numbers and booleans, readable
// modifier ids, a function without a variable.
const realExportDef = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "x": 100, "y": 200, "source": {},
            "errorHandling": {"autoRetry": false, "onError": "stopFlow"}},
  "check": {"type": "appmixer.utils.test.Assert", "x": 300, "y": 200, "version": "1.0.0",
            "source": {"in": {"start": ["out"]}},
            "errorHandling": {"autoRetry": true, "maxRetries": 3, "onError": "errorPort"},
            "config": {"properties": {"timeout": 180, "strict": true},
                       "transform": {"in": {"start": {"out": {
                         "modifiers": {"expression": {"v0": {"variable": "$.start.out.started", "functions": [{"name": "g_jsonPath", "params": [{"value": "$.a"}]}]}},
                                       "id": {"uuid": {"functions": [{"name": "g_uuid4"}]}}},
                         "lambda": {"expression": {"AND": [{"field": "{{{v0}}}", "assertion": "notEmpty"}]}, "count": 2, "enabled": false, "id": "{{{uuid}}}"}}}}}}}
}`

// editBaseDef applies change to a decoded copy of baseDef and returns its JSON.
func editBaseDef(t *testing.T, change func(def map[string]any)) string {
	t.Helper()
	def, err := decodeDefinition(baseDef)
	if err != nil {
		t.Fatal(err)
	}
	change(def)
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func defComponent(def map[string]any, id string) map[string]any { return def[id].(map[string]any) }

func TestFlowDefinitionsEqual(t *testing.T) {
	cases := []struct {
		name         string
		other        func(t *testing.T) string
		ignoreLayout bool
		want         bool
	}{
		{"same text", func(*testing.T) string { return baseDef }, false, true},
		{"whitespace and key order", func(*testing.T) string {
			return `{"mail":{"y":200,"x":320,"source":{"in":{"start":["out"]}},"label":"Mail","type":"appmixer.utils.email.SendEmail",` +
				`"config":{"transform":{"in":{"start":{"out":{"lambda":{"subject":"a \u003c b"},"type":"json2new"}}}},"properties":{"to":"ops@example.com"}}},` +
				`"start":{"config":{},"source":{},"y":200.0,"x":1e2,"label":"Start","type":"appmixer.utils.controls.OnStart"}}`
		}, false, true},
		{"server added version", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) {
				defComponent(d, "mail")["version"] = "1.2.3"
				defComponent(d, "start")["version"] = "1.0.0"
			})
		}, false, true},
		{"server upgraded a configured version", func(t *testing.T) string {
			// A pinned version is the configuration's (the engine keeps one that is sent, appmixer-api.md
			// §10): another one is a real difference.
			a := editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["version"] = "1.0.0" })
			if definitionsEqual(a, editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["version"] = "1.2.0" }), false) {
				t.Error("two pinned versions of the same component compared equal")
			}
			return a
		}, false, true},
		{"renamed label", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["label"] = "Mail ops" })
		}, false, false},
		{"label removed", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { delete(defComponent(d, "mail"), "label") })
		}, false, false},
		{"changed property", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) {
				defComponent(d, "mail")["config"].(map[string]any)["properties"].(map[string]any)["to"] = "dev@example.com"
			})
		}, false, false},
		{"changed transform", func(t *testing.T) string {
			return strings.Replace(baseDef, `"a < b"`, `"a > b"`, 1)
		}, false, false},
		{"added component", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { d["timer"] = map[string]any{"type": "appmixer.utils.timers.Timer"} })
		}, false, false},
		{"removed component", func(t *testing.T) string { return editBaseDef(t, func(d map[string]any) { delete(d, "mail") }) }, false, false},
		{"rewired", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) {
				defComponent(d, "mail")["source"] = map[string]any{"in": map[string]any{"start": []any{"error"}}}
			})
		}, false, false},
		{"changed type", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["type"] = "appmixer.google.gmail.SendEmail" })
		}, false, false},
		{"moved box", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["x"] = 400 })
		}, false, false},
		{"moved box, layout ignored", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["x"] = 400; delete(defComponent(d, "start"), "y") })
		}, true, true},
		{"moved box and renamed, layout ignored", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["x"] = 400; defComponent(d, "mail")["label"] = "x" })
		}, true, false},
		{"empty config is not absent config", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) { delete(defComponent(d, "start"), "config") })
		}, false, false},
		{"not JSON", func(*testing.T) string { return baseDef[:20] }, false, false},
		{"errorHandling added", func(t *testing.T) string {
			return editBaseDef(t, func(d map[string]any) {
				defComponent(d, "mail")["errorHandling"] = map[string]any{"autoRetry": true, "onError": "stopFlow"}
			})
		}, false, false},
		{"lambda value of another JSON type", func(t *testing.T) string {
			return strings.Replace(baseDef, `"a < b"`, `{"ADD": [{"type": "text", "text": "a < b"}]}`, 1)
		}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			other := tc.other(t)
			if got := definitionsEqual(baseDef, other, tc.ignoreLayout); got != tc.want {
				t.Errorf("definitionsEqual(base, %s, %v) = %v, want %v", other, tc.ignoreLayout, got, tc.want)
			}
			if got := definitionsEqual(other, baseDef, tc.ignoreLayout); got != tc.want {
				t.Errorf("not symmetric: definitionsEqual(other, base) = %v", got)
			}
			// The attribute type's semantic equality is the same rule without ignore_layout.
			if !tc.ignoreLayout {
				got, diags := newFlowDefinitionValue(other).StringSemanticEquals(context.Background(), newFlowDefinitionValue(baseDef))
				if diags.HasError() || got != tc.want {
					t.Errorf("StringSemanticEquals = %v (%v), want %v", got, diags, tc.want)
				}
			}
		})
	}
}

func TestFlowDefinitionProblems(t *testing.T) {
	cases := []struct {
		name, def string
		want      []string // substrings, one per expected problem
	}{
		{"valid", baseDef, nil},
		{"empty flow", `{}`, nil},
		{"unknown but well-formed type", `{"a":{"type":"acme.crm.deals.NewDeal"}}`, nil},
		{"not JSON", `{"a":`, []string{"The definition is not valid JSON"}},
		{"trailing data", `{} {}`, []string{"not valid JSON: unexpected data"}},
		{"array", `[{"type":"appmixer.utils.controls.OnStart"}]`, []string{"must be a JSON object of components keyed by component id, got an array"}},
		{"component not an object", `{"a": 1}`, []string{`Component "a" must be a JSON object, got a number`}},
		{"no type", `{"a": {"label": "x"}}`, []string{`Component "a" has no "type"`}},
		{"short type", `{"a": {"type": "appmixer.OnStart"}}`, []string{`Component "a" has type "appmixer.OnStart", which is not of the form vendor.service.module.Component`}},
		{"too long a type", `{"a": {"type": "appmixer.utils.controls.On.Start"}}`, []string{`Component "a" has type "appmixer.utils.controls.On.Start", which is not`}},
		{"type not a string", `{"a": {"type": 7}}`, []string{`Component "a" has type 7`}},
		{"source not an object", `{"a": {"type": "appmixer.utils.email.SendEmail", "source": ["b"]}}`, []string{`Component "a": "source" must be an object keyed by in-port`}},
		{"port not an object", `{"a": {"type": "appmixer.utils.email.SendEmail", "source": {"in": ["b"]}}}`, []string{`source of in-port "in" must be an object`}},
		{"out-ports not strings", `{"b": {"type": "appmixer.utils.controls.OnStart"}, "a": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"b": "out"}}}}`,
			[]string{`the out-ports of "b" must be an array of strings`}},
		{"bad label and position", `{"a": {"type": "appmixer.utils.controls.OnStart", "label": 1, "x": "10"}}`, []string{`"label" must be a string`, `"x" must be a number`}},
		{"several components, sorted", `{"b": {}, "a": {"type": "x"}}`, []string{`Component "a" has type "x"`, `Component "b" has no "type"`}},
		// What real exports hold (appmixer-api.md §9) is valid.
		{"real export shapes", realExportDef, nil},
		{"flow export wrapper", `{"name": "E2E", "flow": {"a": {"type": "appmixer.utils.controls.OnStart"}}, "wizard": {"fields": []}}`,
			[]string{"whole `appmixer flow export` file (an object with \"name\" and \"flow\"); the descriptor is its \"flow\". " +
				"Use, for example:\n\n  definition = jsonencode(jsondecode(file(\"x.json\")).flow)\n\n" +
				"or, with Terraform 1.8+ or OpenTofu 1.7+, provider::appmixer::flow_from_export(file(\"x.json\"))."}},
		{"flow export wrapper of an empty flow", `{"name": "E2E", "flow": {}}`, []string{"whole `appmixer flow export` file"}},
		// Components that happen to have the ids "name" and "flow" are a descriptor.
		{"components named name and flow", `{"name": {"type": "appmixer.utils.controls.OnStart"}, "flow": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"name": ["out"]}}}}`, nil},
		{"a string name beside a component flow is no wrapper", `{"name": "x", "flow": {"type": "appmixer.utils.controls.OnStart"}}`,
			[]string{`Component "name" must be a JSON object, got a string`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := definitionProblems(tc.def)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems %q, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestFlowDefinitionForState(t *testing.T) {
	prior := newFlowDefinitionValue(baseDef)
	upgraded := editBaseDef(t, func(d map[string]any) { defComponent(d, "mail")["version"] = "1.2.0" })
	moved := editBaseDef(t, func(d map[string]any) {
		defComponent(d, "mail")["x"] = 999
		defComponent(d, "mail")["version"] = "1.2.0"
	})
	movedRenamed := editBaseDef(t, func(d map[string]any) {
		defComponent(d, "mail")["x"] = 999
		defComponent(d, "mail")["label"] = "Renamed"
	})
	added := editBaseDef(t, func(d map[string]any) {
		d["timer"] = map[string]any{"type": "appmixer.utils.timers.Timer", "x": 5, "y": 6}
		defComponent(d, "start")["x"] = 1
	})
	null := flowDefinitionValue{StringValue: types.StringNull()}

	check := func(name string, got flowDefinitionValue, want string) {
		t.Helper()
		if got.ValueString() != want {
			t.Errorf("%s: got %s, want %s", name, got.ValueString(), want)
		}
	}
	// The normalised forms, written out: compact, keys sorted, "<" escaped as Terraform's jsonencode does.
	const (
		mailConfig = `"config":{"properties":{"to":"ops@example.com"},"transform":{"in":{"start":{"out":{"lambda":{"subject":"a \u003c b"},"type":"json2new"}}}}}`
		mailWire   = `"source":{"in":{"start":["out"]}},"type":"appmixer.utils.email.SendEmail"`
		start      = `"start":{"config":{},"label":"Start","source":{},"type":"appmixer.utils.controls.OnStart","x":100,"y":200}`
		baseNorm   = `{"mail":{` + mailConfig + `,"label":"Mail",` + mailWire + `,"x":320,"y":200},` + start + `}`
	)
	check("import normalises", definitionForState(null, json.RawMessage(baseDef), false), baseNorm)
	check("same flow keeps prior text", definitionForState(prior, json.RawMessage(baseNorm), false), baseDef)
	check("version upgrade keeps prior text", definitionForState(prior, json.RawMessage(upgraded), false), baseDef)
	check("moved box is drift", definitionForState(prior, json.RawMessage(moved), false),
		`{"mail":{`+mailConfig+`,"label":"Mail",`+mailWire+`,"version":"1.2.0","x":999,"y":200},`+start+`}`)
	check("moved box, layout ignored", definitionForState(prior, json.RawMessage(moved), true), baseDef)
	// Only the label shows: the position is the prior one.
	check("moved and renamed, layout ignored", definitionForState(prior, json.RawMessage(movedRenamed), true),
		`{"mail":{`+mailConfig+`,"label":"Renamed",`+mailWire+`,"x":320,"y":200},`+start+`}`)
	// A new component keeps the server's position; known ones get prior's.
	check("added component, layout ignored", definitionForState(prior, json.RawMessage(added), true),
		`{"mail":{`+mailConfig+`,"label":"Mail",`+mailWire+`,"x":320,"y":200},`+start+`,"timer":{"type":"appmixer.utils.timers.Timer","x":5,"y":6}}`)
	check("no descriptor", definitionForState(null, nil, false), "{}")
	// The form Terraform's jsonencode writes: what a configuration generated from state evaluates to.
	if n, err := normalizeJSON([]byte(`{"a":{"config":{"lambda":"x < y & z"}, "x": 10.50, "y": 2E2}}`)); err != nil || n != `{"a":{"config":{"lambda":"x \u003c y \u0026 z"},"x":10.5,"y":200}}` {
		t.Errorf("normalised form = %s, %v", n, err)
	}
	// An import leaves the server-owned version out: a configuration without it is the same flow.
	withVersion := `{"a":{"type":"appmixer.utils.controls.OnStart","version":"1.1.0","x":1}}`
	check("import drops version", definitionForState(null, json.RawMessage(withVersion), false), `{"a":{"type":"appmixer.utils.controls.OnStart","x":1}}`)
}

func TestFlowDefinitionType(t *testing.T) {
	ctx := context.Background()
	v, err := flowDefinitionType{}.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.String, baseDef))
	if err != nil {
		t.Fatal(err)
	}
	dv, ok := v.(flowDefinitionValue)
	if !ok || dv.ValueString() != baseDef {
		t.Fatalf("ValueFromTerraform = %#v", v)
	}
	if !dv.Type(ctx).Equal(flowDefinitionType{}) || dv.Type(ctx).Equal(types.StringType) {
		t.Error("type equality")
	}
	if !dv.Equal(newFlowDefinitionValue(baseDef)) || dv.Equal(types.StringValue(baseDef)) {
		t.Error("value equality")
	}
	if _, diags := dv.StringSemanticEquals(ctx, types.StringValue(baseDef)); !diags.HasError() {
		t.Error("comparing with a plain string should be reported")
	}
}

func TestFlowStageFromAPI(t *testing.T) {
	for raw, want := range map[string]string{
		"running": "running", "starting": "running", "stopped": "stopped", "stopping": "stopped",
		"paused": "stopped", "paused-by-user": "stopped", "": "stopped", "exploded": "exploded",
	} {
		if got := flowStageFromAPI(raw); got != want {
			t.Errorf("flowStageFromAPI(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestFlowOptionalFieldsFromAPI(t *testing.T) {
	ctx := context.Background()
	str := func(s string) *string { return &s }
	cases := []struct {
		name  string
		flow  appmixer.Flow
		prior types.String
		want  types.String
	}{
		{"absent", appmixer.Flow{UserID: "u"}, types.StringNull(), types.StringNull()},
		{"empty", appmixer.Flow{UserID: "u", Description: str("")}, types.StringNull(), types.StringNull()},
		{"empty configured as empty", appmixer.Flow{UserID: "u", Description: str("")}, types.StringValue(""), types.StringValue("")},
		{"set", appmixer.Flow{UserID: "u", Description: str("d")}, types.StringNull(), types.StringValue("d")},
		{"removed by hand", appmixer.Flow{UserID: "u"}, types.StringValue("d"), types.StringNull()},
		{"contract shape keeps prior", appmixer.Flow{}, types.StringValue("d"), types.StringValue("d")},
	}
	for _, tc := range cases {
		if got := descriptionFromAPI(&tc.flow, tc.prior); !got.Equal(tc.want) {
			t.Errorf("description %s: got %v, want %v", tc.name, got, tc.want)
		}
	}

	empty := types.MapValueMust(types.StringType, nil)
	fields := func(server map[string]any, prior types.Map) types.Map {
		t.Helper()
		got, diags := customFieldsFromAPI(ctx, server, prior)
		if diags.HasError() {
			t.Fatalf("customFieldsFromAPI(%v): %v", server, diags)
		}
		return got
	}
	if got := fields(map[string]any{}, types.MapNull(types.StringType)); !got.IsNull() {
		t.Errorf("no custom fields should be null, got %v", got)
	}
	if got := fields(nil, empty); got.IsNull() || len(got.Elements()) != 0 {
		t.Errorf("configured {} should stay {}, got %v", got)
	}
	got := fields(map[string]any{"team": "ops", "n": 2.0, "tags": []any{"a"}}, empty)
	if want := map[string]string{"team": "ops", "n": "2", "tags": `["a"]`}; len(stringMap(got)) != 3 ||
		stringMap(got)["n"] != want["n"] || stringMap(got)["tags"] != want["tags"] || stringMap(got)["team"] != "ops" {
		t.Errorf("custom fields = %v", got)
	}
	acc := accountsFromAPI(map[string]appmixer.ComponentAuth{"a": {AccountID: "x"}, "b": {}})
	if m := stringMap(acc); len(m) != 1 || m["a"] != "x" {
		t.Errorf("accounts = %v", m)
	}
}

// FuzzFlowDefinitionsEqual checks the comparison's laws on arbitrary input: a descriptor equals itself, its
// normalised form, and itself with versions rewritten; and the comparison is symmetric.
func FuzzFlowDefinitionsEqual(f *testing.F) {
	f.Add(baseDef, `{"mail":{"type":"appmixer.utils.email.SendEmail"}}`)
	f.Add(`{}`, `{"a":{"type":"a.b.c.D","version":"1.0.0"}}`)
	f.Add(`{"a":{"type":"a.b.c.D","x":1}}`, `{"a":{"x":1.0,"type":"a.b.c.D","version":"2"}}`)
	f.Add(`[1,2]`, `"text"`)
	f.Add(`{"a":1}`, `{"a":{"version":null}}`)
	f.Fuzz(func(t *testing.T, a, b string) {
		if !definitionsEqual(a, a, false) {
			t.Fatalf("not reflexive: %q", a)
		}
		if definitionsEqual(a, b, false) != definitionsEqual(b, a, false) {
			t.Fatalf("not symmetric: %q %q", a, b)
		}
		if definitionsEqual(a, b, false) && !definitionsEqual(a, b, true) {
			t.Fatalf("ignoring layout made %q and %q differ", a, b)
		}
		def, err := decodeDefinition(a)
		if err != nil {
			return
		}
		n, err := normalizeJSON([]byte(a))
		if err != nil || !definitionsEqual(a, n, false) {
			t.Fatalf("normalised form %q of %q differs (%v)", n, a, err)
		}
		// The server stamping a version on components saved without one is no drift.
		for _, c := range def {
			if m, ok := c.(map[string]any); ok {
				if _, pinned := m["version"]; !pinned {
					m["version"] = "9.9.9"
				}
			}
		}
		upgraded, err := json.Marshal(def)
		if err != nil {
			t.Fatal(err)
		}
		if !definitionsEqual(a, string(upgraded), false) {
			t.Fatalf("a version stamped on %q is drift", a)
		}
	})
}

// A service-level type (Appmixer's googleContacts and googleSlides ship such components) and a link from
// a component the flow lacks (exports of Appmixer's test flows hold some) are no errors, only warnings.
func TestFlowDefinitionWarnings(t *testing.T) {
	def := `{"a": {"type": "appmixer.googleContacts.CreateContact"}, "b": {"type": "appmixer.utils.controls.OnStart"},
	         "c": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"ghost": ["out"], "b": ["out"]}}}}`
	if p := definitionProblems(def); len(p) != 0 {
		t.Errorf("problems %v, want none", p)
	}
	w := definitionWarnings(def)
	if len(w) != 2 || !strings.Contains(w[0], `Component "a" has the service-level type "appmixer.googleContacts.CreateContact"`) ||
		!strings.Contains(w[1], `Component "c": in-port "in" takes input from "ghost", which is not a component of this definition`) {
		t.Errorf("warnings %q, want one about component a's type and one about c's link from ghost", w)
	}
}
