// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"reflect"
	"strings"
)

// A flow descriptor is a JSON object keyed by component id (appmixer-api.md §3). This file parses,
// validates and compares descriptors. The comparison decides what counts as drift:
//
//   - whitespace, key order and number spelling (1 vs 1.0) never do;
//   - a component's "version" counts only where both sides have one: the engine stamps the newest
//     installed version on a component saved without one and keeps a version that is sent
//     (appmixer-api.md §3, §10), so a pinned version is the configuration's and a change to it is a
//     real diff, while components without one leave it to the server (serverOwnedComponentKeys);
//   - with account bindings managed through `accounts`, config.properties.account never does: the
//     Designer and Appmixer's own tools may write it beside the binding (§10), and `accounts` wins;
//   - "x"/"y" (the canvas position) do, unless the resource sets ignore_layout, which Read applies
//     because a semantic-equality function cannot see other attributes;
//   - everything else (type, label, source, config, components added or removed) does.

// serverOwnedComponentKeys are the per-component keys the server sets where the configuration has none;
// they are compared only where both descriptors have them. Keep this list short: every entry hides a
// kind of edit from drift detection.
var serverOwnedComponentKeys = []string{"version"}

// layoutComponentKeys are the keys that moving a box on the canvas changes.
var layoutComponentKeys = []string{"x", "y"}

// definitionsEqual reports whether two descriptors are the same flow, ignoring the server-owned keys and,
// with ignoreLayout, the canvas position. Text that does not parse is compared as text.
func definitionsEqual(a, b string, ignoreLayout bool) bool {
	return definitionsEqualWith(a, b, definitionCompare{ignoreLayout: ignoreLayout})
}

// definitionCompare says what a comparison of descriptors leaves out besides what it always does.
type definitionCompare struct {
	ignoreLayout   bool // x and y
	ignoreAccounts bool // config.properties.account, when bindings are managed through accounts
}

// definitionsEqualWith is definitionsEqual with the options of o.
func definitionsEqualWith(a, b string, o definitionCompare) bool {
	if a == b {
		return true
	}
	da, errA := decodeDefinition(a)
	db, errB := decodeDefinition(b)
	if errA != nil || errB != nil {
		return false
	}
	var ignored []string
	if o.ignoreLayout {
		ignored = layoutComponentKeys
	}
	da, db = comparableDefinitions(withoutComponentKeys(da, ignored), withoutComponentKeys(db, ignored), o.ignoreAccounts)
	return reflect.DeepEqual(da, db)
}

// withoutComponentKeys returns a shallow copy of def whose components lack keys.
func withoutComponentKeys(def map[string]any, keys []string) map[string]any {
	out := make(map[string]any, len(def))
	for id, c := range def {
		comp, ok := c.(map[string]any)
		if !ok {
			out[id] = c
			continue
		}
		trimmed := make(map[string]any, len(comp))
		for k, v := range comp {
			trimmed[k] = v
		}
		for _, k := range keys {
			delete(trimmed, k)
		}
		out[id] = trimmed
	}
	return out
}

// withLayoutOf returns server's descriptor with x/y of each component that prior also has taken from
// prior, so that boxes moved on the canvas do not show as drift. New components keep their position.
func withLayoutOf(server, prior map[string]any) map[string]any {
	out := withoutComponentKeys(server, nil)
	for id, c := range out {
		comp, ok := c.(map[string]any)
		priorComp, inPrior := prior[id].(map[string]any)
		if !ok || !inPrior {
			continue
		}
		for _, k := range layoutComponentKeys {
			if v, has := priorComp[k]; has {
				comp[k] = v
			} else {
				delete(comp, k)
			}
		}
	}
	return out
}

// definitionForState chooses the state's definition for the server's descriptor. When the server's
// value is the same flow as prior (the planned or prior state value), prior's exact text is kept, so
// that neither formatting nor server-owned fields cause noise. With ignoreLayout, the positions are
// taken from prior first. Otherwise the normalised server value is returned and the plan shows drift.
func definitionForState(prior flowDefinitionValue, server json.RawMessage, ignoreLayout bool) flowDefinitionValue {
	return definitionForStateWith(prior, server, definitionCompare{ignoreLayout: ignoreLayout})
}

// definitionForStateWith is definitionForState with the options of o.
func definitionForStateWith(prior flowDefinitionValue, server json.RawMessage, o definitionCompare) flowDefinitionValue {
	ignoreLayout := o.ignoreLayout
	if prior.IsNull() || prior.IsUnknown() {
		// Import: without a configuration to keep, the server-owned keys are left out, since a configuration
		// that omits them means the same flow and one generated from state then needs none.
		return newFlowDefinitionValue(withoutServerOwnedKeys(normalizedDefinition(server)))
	}
	candidate := normalizedDefinition(server)
	if ignoreLayout {
		sv, errS := decodeDefinition(candidate)
		pv, errP := decodeDefinition(prior.ValueString())
		if errS == nil && errP == nil {
			if s, err := encodeJSON(withLayoutOf(sv, pv)); err == nil {
				candidate = normalizedDefinition([]byte(s))
			}
		}
	}
	if definitionsEqualWith(prior.ValueString(), candidate, definitionCompare{ignoreAccounts: o.ignoreAccounts}) {
		return prior
	}
	return newFlowDefinitionValue(candidate)
}

// withoutServerOwnedKeys drops serverOwnedComponentKeys from a normalised descriptor; other text stays.
func withoutServerOwnedKeys(s string) string {
	def, err := decodeDefinitionNumbers(s)
	if err != nil {
		return s
	}
	out, err := json.Marshal(withoutComponentKeys(def, serverOwnedComponentKeys))
	if err != nil {
		return s
	}
	return string(out)
}

// decodeDefinitionNumbers is decodeDefinition keeping numbers as written, for re-encoding.
func decodeDefinitionNumbers(s string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var def map[string]any
	return def, dec.Decode(&def)
}

// normalizedDefinition is the server's descriptor as state and the data source hold it.
func normalizedDefinition(server json.RawMessage) string { return normalizedJSON(server) }

// flowDefinitionSemantics compares descriptors as definitionsEqual does without ignore_layout, which a
// semantic-equality function cannot see (Read applies it through definitionForState).
type flowDefinitionSemantics struct{}

func (flowDefinitionSemantics) kind() string { return "flow definition" }

func (flowDefinitionSemantics) equal(a, b any) bool {
	da, okA := a.(map[string]any)
	db, okB := b.(map[string]any)
	if !okA || !okB {
		return reflect.DeepEqual(a, b)
	}
	da, db = comparableDefinitions(da, db, false)
	return reflect.DeepEqual(da, db)
}

// flowDefinitionType and flowDefinitionValue are the type and value of definition attributes.
type (
	flowDefinitionType  = jsonType[flowDefinitionSemantics]
	flowDefinitionValue = jsonValue[flowDefinitionSemantics]
)

func newFlowDefinitionValue(s string) flowDefinitionValue {
	return newJSONValue[flowDefinitionSemantics](s)
}
