// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"maps"
	"slices"
)

// sortedKeys gives map keys in a stable order, for requests and messages that must not follow map order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func isStringArray(v any) bool {
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if _, isString := e.(string); !isString {
			return false
		}
	}
	return true
}
