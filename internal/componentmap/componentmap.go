// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package componentmap renames the components of a flow descriptor and of an integration wizard.
//
// Appmixer gives every clone of a flow new component ids and records the renaming as the clone's
// componentIdMap (original id -> clone id, appmixer-api.md §7): an integration template is a clone of
// its draft, and each end user's instance a clone of the template. Updating a template or an instance
// later means carrying the draft's (or template's) descriptor over through that map. The provider does
// it for templates and the local server for clones and rollouts; both use this package, so the rules
// live in one place:
//
//   - a component keeps the id the map gives it; a component new since the map was made gets a new id,
//     and one that is gone leaves the map (Extend);
//   - an id is rewritten where a descriptor refers to components: the descriptor's keys, the links of
//     each in-port (source.<port>.<id>), the keys of config.transform.<port>.<id>, and "$.<id>."
//     variables in any string of a component's config (Descriptor);
//   - a wizard field's source is a dotted path that starts with a component id and may pass through
//     another ("<id>.config.transform.in.<upstream id>.out.lambda.body"): every segment that is a mapped
//     id is rewritten, and so are "$.<id>." variables in its strings (Wizard).
//
// Ids absent from the map are left as they are.
package componentmap

import (
	"maps"
	"regexp"
	"strings"
)

// variable matches the component id of a "$.<componentId>.<port>..." variable.
var variable = regexp.MustCompile(`\$\.([\w-]+)\.`)

// Extend returns the map for def: each component keeps its id in prev, a new one gets newID(), and
// ids of components that def no longer has are dropped. prev is not modified.
func Extend(def map[string]any, prev map[string]string, newID func() string) map[string]string {
	out := make(map[string]string, len(def))
	for id := range def {
		if to, ok := prev[id]; ok && to != "" {
			out[id] = to
		} else {
			out[id] = newID()
		}
	}
	return out
}

// Invert swaps keys and values, e.g. to read a template back in its draft's ids.
func Invert(ids map[string]string) map[string]string {
	out := make(map[string]string, len(ids))
	for from, to := range ids {
		out[to] = from
	}
	return out
}

// Descriptor returns a copy of def with its component ids rewritten through ids.
func Descriptor(def map[string]any, ids map[string]string) map[string]any {
	out := make(map[string]any, len(def))
	for id, v := range def {
		comp, ok := v.(map[string]any)
		if !ok {
			out[rename(id, ids)] = deepCopy(v)
			continue
		}
		c := make(map[string]any, len(comp))
		for k, val := range comp {
			switch k {
			case "source":
				c[k] = renamePortKeys(val, ids)
			case "config":
				cfg := rewriteStrings(deepCopy(val), ids)
				if m, ok := cfg.(map[string]any); ok {
					if t, has := m["transform"]; has {
						m["transform"] = renamePortKeys(t, ids)
					}
				}
				c[k] = cfg
			default:
				c[k] = deepCopy(val)
			}
		}
		out[rename(id, ids)] = c
	}
	return out
}

// Wizard returns a copy of a wizard document with its component references rewritten through ids.
func Wizard(wizard any, ids map[string]string) any {
	w := rewriteStrings(deepCopy(wizard), ids)
	for _, f := range Fields(w) {
		if src, ok := f["source"].(string); ok {
			f["source"] = renamePath(src, ids)
		}
	}
	return w
}

// Fields returns the wizard's fields (its "fields" array), the objects only.
func Fields(wizard any) []map[string]any {
	w, _ := wizard.(map[string]any)
	list, _ := w["fields"].([]any)
	var out []map[string]any
	for _, f := range list {
		if m, ok := f.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// FieldComponent is the component a wizard field's source path starts with, or "".
func FieldComponent(field map[string]any) string {
	src, _ := field["source"].(string)
	id, _, _ := strings.Cut(src, ".")
	return id
}

func rename(id string, ids map[string]string) string {
	if to, ok := ids[id]; ok {
		return to
	}
	return id
}

// renamePortKeys rewrites the second level of {port: {componentId: ...}}, the shape of source and of
// config.transform.
func renamePortKeys(v any, ids map[string]string) any {
	ports, ok := v.(map[string]any)
	if !ok {
		return deepCopy(v)
	}
	out := make(map[string]any, len(ports))
	for port, links := range ports {
		byID, ok := links.(map[string]any)
		if !ok {
			out[port] = deepCopy(links)
			continue
		}
		renamed := make(map[string]any, len(byID))
		for id, val := range byID {
			renamed[rename(id, ids)] = deepCopy(val)
		}
		out[port] = renamed
	}
	return out
}

func renamePath(path string, ids map[string]string) string {
	segs := strings.Split(path, ".")
	for i, s := range segs {
		segs[i] = rename(s, ids)
	}
	return strings.Join(segs, ".")
}

// rewriteStrings rewrites "$.<id>." variables in every string of v, which it modifies in place.
func rewriteStrings(v any, ids map[string]string) any {
	switch x := v.(type) {
	case string:
		return variable.ReplaceAllStringFunc(x, func(m string) string {
			return "$." + rename(m[2:len(m)-1], ids) + "."
		})
	case map[string]any:
		for k, val := range x {
			x[k] = rewriteStrings(val, ids)
		}
	case []any:
		for i, val := range x {
			x[i] = rewriteStrings(val, ids)
		}
	}
	return v
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := maps.Clone(x)
		for k, val := range out {
			out[k] = deepCopy(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = deepCopy(val)
		}
		return out
	}
	return v
}
