// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/appmixer/terraform-provider-appmixer/internal/componentmap"
)

// An integration's template is its draft in other component ids: the template's componentIdMap maps
// each draft component to the template's. The provider keeps the two in step itself. Every template
// write sends the descriptor and wizard already renamed through the map (extended with a new id for
// each component new in the draft, without the ones the draft dropped) together with the map. Whether
// the real server would also rename draft ids it finds in a template PUT is unknown
// (appmixer-api.md §7); sending the template's own ids is right either way, since they are not keys
// of the map. The renaming rules live in internal/componentmap, which the local server uses too.

// templateContent is a template's descriptor, wizard and map as the provider writes them.
type templateContent struct {
	definition json.RawMessage
	wizard     json.RawMessage // nil when the draft has none
	ids        map[string]string
}

// templateFromDraft renames a draft's descriptor and wizard into the template's ids, keeping the ids
// prev gives and making new ones for components prev does not know.
func templateFromDraft(definition, wizard string, prev map[string]string) (templateContent, error) {
	return templateFromDraftWith(definition, wizard, prev, uuid.NewString)
}

func templateFromDraftWith(definition, wizard string, prev map[string]string, newID func() string) (templateContent, error) {
	def, err := decodeObjectNumbers(definition)
	if err != nil {
		return templateContent{}, fmt.Errorf("definition: %w", err)
	}
	out := templateContent{ids: componentmap.Extend(def, prev, newID)}
	if out.definition, err = json.Marshal(componentmap.Descriptor(def, out.ids)); err != nil {
		return templateContent{}, err
	}
	if wizard != "" {
		w, err := decodeObjectNumbers(wizard)
		if err != nil {
			return templateContent{}, fmt.Errorf("wizard: %w", err)
		}
		if out.wizard, err = json.Marshal(componentmap.Wizard(w, out.ids)); err != nil {
			return templateContent{}, err
		}
	}
	return out, nil
}

// draftFromTemplate reads a template's descriptor and wizard back in the draft's ids, so that it can
// be compared with the draft. Components the map does not know keep the template's ids.
func draftFromTemplate(definition, wizard json.RawMessage, ids map[string]string) (def, wiz json.RawMessage) {
	back := componentmap.Invert(ids)
	def, wiz = definition, wizard
	if d, err := decodeObjectNumbers(string(definition)); err == nil {
		if b, err := json.Marshal(componentmap.Descriptor(d, back)); err == nil {
			def = b
		}
	}
	if len(wizard) > 0 {
		if w, err := decodeObjectNumbers(string(wizard)); err == nil {
			if b, err := json.Marshal(componentmap.Wizard(w, back)); err == nil {
				wiz = b
			}
		}
	}
	return def, wiz
}

// decodeObjectNumbers parses a JSON object keeping numbers as written, so that a renamed descriptor
// carries the configured 1.50 as 1.50.
func decodeObjectNumbers(s string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("must be a JSON object")
	}
	return m, nil
}

// swapFlowID replaces one flow id by another wherever it appears in a JSON document: a template
// refers to itself where its draft referred to the draft (appmixer-api.md §7). Flow ids are UUIDs
// or other long unique strings, so a textual replacement cannot hit anything else.
func swapFlowID(doc json.RawMessage, from, to string) json.RawMessage {
	if from == "" || to == "" || len(doc) == 0 {
		return doc
	}
	return bytes.ReplaceAll(doc, []byte(from), []byte(to))
}
