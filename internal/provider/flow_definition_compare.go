// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

// comparableDefinitions returns copies of two descriptors without what their comparison ignores: a
// server-owned key of a component (its version) unless both have it, and, with ignoreAccounts, each
// component's config.properties.account, with the properties and config objects that only held it
// (so a node without config compares equal to one the Designer gave an account).
func comparableDefinitions(a, b map[string]any, ignoreAccounts bool) (map[string]any, map[string]any) {
	a, b = withoutComponentKeys(a, nil), withoutComponentKeys(b, nil)
	trim := func(def, other map[string]any) {
		for id, c := range def {
			comp, ok := c.(map[string]any)
			if !ok {
				continue
			}
			counterpart, _ := other[id].(map[string]any)
			for _, k := range serverOwnedComponentKeys {
				if _, both := counterpart[k]; !both {
					delete(comp, k)
				}
			}
			if ignoreAccounts {
				dropAccountProperty(comp)
			}
		}
	}
	// Each side is trimmed against the other as it was, so that a key both have survives in both.
	aOrig, bOrig := withoutComponentKeys(a, nil), withoutComponentKeys(b, nil)
	trim(a, bOrig)
	trim(b, aOrig)
	return a, b
}

// dropAccountProperty removes config.properties.account from a component copy (copying what it
// changes), then properties and config when they are left empty.
func dropAccountProperty(comp map[string]any) {
	config, ok := comp["config"].(map[string]any)
	if !ok {
		return
	}
	config = shallowCopy(config)
	if props, ok := config["properties"].(map[string]any); ok {
		props = shallowCopy(props)
		delete(props, "account")
		config["properties"] = props
		if len(props) == 0 {
			delete(config, "properties")
		}
	}
	comp["config"] = config
	if len(config) == 0 {
		delete(comp, "config")
	}
}

func shallowCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
