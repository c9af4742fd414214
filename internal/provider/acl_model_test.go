// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"reflect"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// TestACLRestoreList: destroy writes the chosen list, the other one when the chosen is empty or
// unknown, and nothing at all only when neither exists; it never writes an empty list.
func TestACLRestoreList(t *testing.T) {
	custom := []appmixer.ACLRule{{Role: "acme.com", Resource: "appmixer*", Action: []string{"use"}, Attributes: []string{"non-private"}}}
	routesDefault := []appmixer.ACLRule{
		{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
		{Role: "user", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
		{Role: "tester", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
	}
	for _, tc := range []struct {
		name, mode, aclType string
		previous            []appmixer.ACLRule
		want                []appmixer.ACLRule
		fellBack, ok        bool
	}{
		{"defaults over a custom list", "defaults", "components", custom, documentedComponentsACL, false, true},
		{"previous custom list", "previous", "components", custom, custom, false, true},
		{"previous empty gives defaults", "previous", "components", nil, documentedComponentsACL, true, true},
		{"previous not recorded gives defaults", "previous", "routes", nil, routesDefault, true, true},
		{"unknown type has no defaults: previous instead", "defaults", "workspaces", custom, custom, true, true},
		{"unknown type taken over empty: nothing to write", "defaults", "workspaces", nil, nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, fellBack, ok := aclRestoreList(tc.mode, tc.aclType, tc.previous)
			if !reflect.DeepEqual(got, tc.want) || fellBack != tc.fellBack || ok != tc.ok {
				t.Errorf("aclRestoreList(%q, %q) = %+v, fellBack %v, ok %v; want %+v, %v, %v",
					tc.mode, tc.aclType, got, fellBack, ok, tc.want, tc.fellBack, tc.ok)
			}
		})
	}
}
