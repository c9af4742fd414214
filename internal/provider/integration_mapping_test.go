// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

const mappingDraft = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "x": 1.50, "source": {}},
  "mail": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"start": ["out"]}},
    "config": {"transform": {"in": {"start": {"out": {"lambda": {"text": "at $.start.out.time"}}}}}}}
}`

const mappingWizard = `{"fields": [{"type": "inspectorField", "label": "Text", "source": "mail.config.transform.in.start.out.lambda.text"}]}`

func jsonOf(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTemplateFromDraft(t *testing.T) {
	ids := []string{"N1", "N2"}
	next := func() string { id := ids[0]; ids = ids[1:]; return id }

	// First publish: every component gets a new id.
	first, err := templateFromDraftWith(mappingDraft, mappingWizard, nil, next)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := map[string]string{"mail": first.ids["mail"], "start": first.ids["start"]}
	if len(first.ids) != 2 || first.ids["mail"] == first.ids["start"] || first.ids["mail"] == "" {
		t.Fatalf("ids %v", first.ids)
	}
	s, m := first.ids["start"], first.ids["mail"]
	want := `{"` + s + `": {"type": "appmixer.utils.controls.OnStart", "x": 1.50, "source": {}},
	  "` + m + `": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"` + s + `": ["out"]}},
	    "config": {"transform": {"in": {"` + s + `": {"out": {"lambda": {"text": "at $.` + s + `.out.time"}}}}}}}}`
	if !reflect.DeepEqual(jsonOf(t, string(first.definition)), jsonOf(t, want)) {
		t.Fatalf("template definition %s", first.definition)
	}
	if !json.Valid(first.definition) || !strings.Contains(string(first.definition), `"x":1.50`) {
		t.Fatalf("numbers must keep their spelling: %s", first.definition)
	}
	wantWizard := `{"fields": [{"type": "inspectorField", "label": "Text", "source": "` + m + `.config.transform.in.` + s + `.out.lambda.text"}]}`
	if !reflect.DeepEqual(jsonOf(t, string(first.wizard)), jsonOf(t, wantWizard)) {
		t.Fatalf("template wizard %s", first.wizard)
	}

	// Later: kept components keep their ids, a new one gets one, a removed one leaves the map.
	later := `{"mail": {"type": "appmixer.utils.email.SendEmail"}, "audit": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"mail": ["out"]}}}}`
	second, err := templateFromDraftWith(later, "", wantIDs, func() string { return "A1" })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(second.ids, map[string]string{"mail": m, "audit": "A1"}) || second.wizard != nil {
		t.Fatalf("ids %v, wizard %s", second.ids, second.wizard)
	}
	if !reflect.DeepEqual(jsonOf(t, string(second.definition)), jsonOf(t, `{"`+m+`": {"type": "appmixer.utils.email.SendEmail"},
	  "A1": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"`+m+`": ["out"]}}}}`)) {
		t.Fatalf("template definition %s", second.definition)
	}

	// Read back through the map, the template is the draft again.
	def, wiz := draftFromTemplate(first.definition, first.wizard, first.ids)
	if !definitionsEqual(string(def), mappingDraft, false) || !reflect.DeepEqual(jsonOf(t, string(wiz)), jsonOf(t, mappingWizard)) {
		t.Fatalf("read back %s %s", def, wiz)
	}

	if _, err := templateFromDraftWith(`[1]`, "", nil, next); err == nil {
		t.Fatal("a definition that is no object must fail")
	}
}
