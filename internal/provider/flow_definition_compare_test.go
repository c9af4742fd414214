// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import "testing"

// With bindings managed through accounts, an account the Designer wrote into config.properties is no
// difference, whatever else the node holds; without, it is (appmixer-api.md §3, §10).
func TestDefinitionsEqual_accountProperty(t *testing.T) {
	for _, tc := range []struct{ name, configured, server string }{
		{"node without config", `{"s":{"type":"appmixer.slack.list.SendChannelMessage"}}`,
			`{"s":{"type":"appmixer.slack.list.SendChannelMessage","config":{"properties":{"account":"acc-1"}}}}`},
		{"node with other properties", `{"s":{"type":"a.b.c.D","config":{"properties":{"channel":"#ops"}}}}`,
			`{"s":{"type":"a.b.c.D","config":{"properties":{"channel":"#ops","account":"acc-1"}}}}`},
		{"another account than configured", `{"s":{"type":"a.b.c.D","config":{"properties":{"account":"acc-0"}}}}`,
			`{"s":{"type":"a.b.c.D","config":{"properties":{"account":"acc-1"}}}}`},
	} {
		if !definitionsEqualWith(tc.configured, tc.server, definitionCompare{ignoreAccounts: true}) {
			t.Errorf("%s: drift with accounts managed", tc.name)
		}
		if definitionsEqualWith(tc.configured, tc.server, definitionCompare{}) {
			t.Errorf("%s: no drift without accounts managed", tc.name)
		}
	}
	// Other properties still count.
	if definitionsEqualWith(`{"s":{"type":"a.b.c.D","config":{"properties":{"channel":"#ops"}}}}`,
		`{"s":{"type":"a.b.c.D","config":{"properties":{"channel":"#sales","account":"acc-1"}}}}`, definitionCompare{ignoreAccounts: true}) {
		t.Error("a changed property hidden behind an account")
	}
}
