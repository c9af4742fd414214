// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"slices"
	"strings"
)

// secretLookingWords mark the setting keys that hold secrets. One rule, shared by the provider (an
// imported service configuration keeps them out of state) and appmixer-export (they become variables),
// so that what the export writes as a variable is exactly what an import leaves out.
var secretLookingWords = []string{"secret", "password", "passwd", "passphrase", "token", "key", "credential", "private", "salt", "signature"}

// SecretLookingKey reports a setting key whose name says it holds a secret (clientSecret, apiKey, ...).
func SecretLookingKey(key string) bool {
	lower := strings.ToLower(key)
	return slices.ContainsFunc(secretLookingWords, func(w string) bool { return strings.Contains(lower, w) })
}
