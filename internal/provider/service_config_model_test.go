// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

func rawValues(t *testing.T, doc string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestServiceConfigFromAPI(t *testing.T) {
	sent := newSentSecrets(rawValues(t, `{"clientSecret":"s1"}`))
	prior := serviceConfigModel{Values: newJSONValue[plainJSON](`{ "sandbox": true, "clientId": "c" }`), SecretValuesWOVersion: types.Int64Value(4)}
	cases := []struct {
		name, server, wantValues string
		wantVersion              types.Int64
	}{
		// The configured text stays when the server's values mean the same, typed as they were.
		{"unchanged", `{"clientId":"c","sandbox":true,"clientSecret":"s1"}`, `{ "sandbox": true, "clientId": "c" }`, types.Int64Value(4)},
		{"value changed", `{"clientId":"c","sandbox":"true","clientSecret":"s1"}`, `{"clientId":"c","sandbox":"true"}`, types.Int64Value(4)},
		{"key added by hand", `{"clientId":"c","sandbox":true,"extra":1,"clientSecret":"s1"}`, `{"clientId":"c","extra":1,"sandbox":true}`, types.Int64Value(4)},
		{"secret changed", `{"clientId":"c","sandbox":true,"clientSecret":"other"}`, `{ "sandbox": true, "clientId": "c" }`, types.Int64Null()},
		{"secret removed", `{"clientId":"c","sandbox":true}`, `{ "sandbox": true, "clientId": "c" }`, types.Int64Null()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, drifted := serviceConfigFromAPI(&appmixer.ServiceConfig{ServiceID: "appmixer:slack", Values: rawValues(t, c.server)}, prior, sent)
			if m.Values.ValueString() != c.wantValues || !m.SecretValuesWOVersion.Equal(c.wantVersion) || drifted != c.wantVersion.IsNull() {
				t.Errorf("values %s version %v drifted %v; want %s %v", m.Values.ValueString(), m.SecretValuesWOVersion, drifted, c.wantValues, c.wantVersion)
			}
			if m.ID.ValueString() != "appmixer:slack" || m.ServiceID.ValueString() != "appmixer:slack" || !m.SecretValuesWO.IsNull() {
				t.Errorf("model %+v", m)
			}
		})
	}
	// Nothing configured and nothing on the server stays null; nothing sent compares as matching.
	m, drifted := serviceConfigFromAPI(&appmixer.ServiceConfig{ServiceID: "a:b", Values: map[string]json.RawMessage{}}, serviceConfigModel{Values: nullJSON[plainJSON]()}, sentSecrets{})
	if !m.Values.IsNull() || drifted {
		t.Errorf("empty: %v %v", m.Values, drifted)
	}
}

func TestSentSecretsHash(t *testing.T) {
	s := newSentSecrets(rawValues(t, `{"b":"two-secret","a":1}`))
	if !reflect.DeepEqual(s.Keys, []string{"a", "b"}) || strings.Contains(s.Hash, "two-secret") || s.Salt == "" {
		t.Fatalf("%+v", s)
	}
	for doc, want := range map[string]bool{
		`{"a":1.0,"b":"two-secret","other":"x"}`: true, // number spelling and other keys do not count
		`{"a":1,"b":"three"}`:                    false,
		`{"a":1}`:                                false,
	} {
		if got := s.matches(rawValues(t, doc)); got != want {
			t.Errorf("%s: matches %v, want %v", doc, got, want)
		}
	}
	if other := newSentSecrets(rawValues(t, `{"b":"two-secret","a":1}`)); other.Hash == s.Hash {
		t.Error("equal secrets must hash differently under different salts")
	}
}

func TestSecretLookingKeys(t *testing.T) {
	got := secretLookingKeys(rawValues(t, `{"clientId":1,"clientSecret":1,"apiKey":1,"sandbox":1,"refreshToken":1,"Password":1,"baseUrl":1,"privateCert":1}`))
	if want := []string{"Password", "apiKey", "clientSecret", "privateCert", "refreshToken"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestImportIDs(t *testing.T) {
	for id, ok := range map[string]bool{"appmixer:slack": true, "acme_x:weather2": true, "slack": false, "appmixer:slack:x": false, "": false, "a b:c": false} {
		if _, err := parseServiceConfigImportID(id); (err == nil) != ok {
			t.Errorf("service config %q: %v", id, err)
		}
	}
	for id, ok := range map[string]bool{"5c6f00aa": true, "": false, "a b": false, "a/b": false} {
		_, err := parseObjectImportID(id, "a store id")
		if (err == nil) != ok || (err != nil && !strings.Contains(err.Error(), `expected a store id`)) {
			t.Errorf("object %q: %v", id, err)
		}
	}
}
