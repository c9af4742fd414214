// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "testing"

// Starting a flow answers 400 when a transform does not fit its component's in-ports, and the flow
// stays stopped; a component without config.transform starts (appmixer-api.md §1.3, §9, §10).
func TestStartChecksTransforms(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	mail := func(config map[string]any) map[string]any {
		return map[string]any{
			"start": map[string]any{"type": "appmixer.utils.controls.OnStart", "source": map[string]any{}},
			"mail":  map[string]any{"type": "appmixer.utils.email.SendEmail", "source": map[string]any{"in": map[string]any{"start": []any{"out"}}}, "config": config},
		}
	}
	lambda := map[string]any{"start": map[string]any{"out": map[string]any{"type": "json2new", "lambda": map[string]any{"to": "a@b.c"}}}}
	cases := []struct {
		name    string
		config  map[string]any
		message string // "" = starts
	}{
		{"no transform", map[string]any{}, ""},
		{"no config", nil, ""},
		{"transform on the in-port", map[string]any{"transform": map[string]any{"in": lambda}}, ""},
		{"transform on no in-port", map[string]any{"transform": map[string]any{"message": lambda}}, "Component transformation validation error"},
		{"transform not an object", map[string]any{"transform": "in"}, "Malformed transformation"},
		{"port entry not an object", map[string]any{"transform": map[string]any{"in": []any{}}}, "Malformed transformation"},
		{"out-port entry not an object", map[string]any{"transform": map[string]any{"in": map[string]any{"start": map[string]any{"out": "x"}}}}, "Malformed transformation"},
	}
	for _, tc := range cases {
		descriptor := mail(tc.config)
		if tc.config == nil {
			delete(descriptor["mail"].(map[string]any), "config")
		}
		id := h.createFlow(tok, tc.name, descriptor)
		r := h.do("POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "start"})
		stage := h.must(200, "GET", "/flows/"+id, tok, nil).obj()["stage"]
		if tc.message == "" {
			if r.status != 200 || stage != "running" {
				t.Errorf("%s: start answered %d %s, stage %v; want it running", tc.name, r.status, r.raw, stage)
			}
			continue
		}
		assertBoom(t, r, 400, tc.message)
		if details, _ := r.obj()["details"].(map[string]any); details["componentId"] != "mail" || details["componentType"] != "appmixer.utils.email.SendEmail" {
			t.Errorf("%s: details %v do not name the component", tc.name, r.obj()["details"])
		}
		if stage != "stopped" {
			t.Errorf("%s: a refused start left the flow %v", tc.name, stage)
		}
	}
}
