// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"

	"github.com/appmixer/terraform-provider-appmixer/internal/componentmap"
)

// wizardProblems lists the wizard fields that name a component the definition lacks. A field's source
// is a path such as "<component>.config.transform.<in-port>.<upstream component>.<out-port>...", so
// both the component it starts with and, in a transform, the upstream one must exist. Other wizard
// content is Appmixer's business and left alone.
func wizardProblems(wizard string, ids map[string]bool) []string {
	w, err := decodeJSON(wizard)
	if err != nil {
		return nil // the attribute's own validator reports it
	}
	var problems []string
	for i, f := range componentmap.Fields(w) {
		src, _ := f["source"].(string)
		for _, id := range sourceComponents(src) {
			if !ids[id] {
				problems = append(problems, fmt.Sprintf("Wizard field %d (%s) has source %q, which names component %q; the "+
					"definition has no such component (its components: %s).", i, fieldLabel(f), src, id, strings.Join(sortedKeys(ids), ", ")))
			}
		}
	}
	return problems
}

// sourceComponents are the component ids a field source names.
func sourceComponents(src string) []string {
	if src == "" {
		return nil
	}
	segs := strings.Split(src, ".")
	out := []string{segs[0]}
	if len(segs) > 4 && segs[1] == "config" && segs[2] == "transform" {
		out = append(out, segs[4])
	}
	return out
}

func fieldLabel(f map[string]any) string {
	if l, ok := f["label"].(string); ok && l != "" {
		return fmt.Sprintf("%q", l)
	}
	return "no label"
}
