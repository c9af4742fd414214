// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A state file (format 4) and `terraform show -json` output of the same configuration: a flow and a
// service config managed at the root and in a module, and a data source, which manages nothing.
const (
	rawState = `{"version": 4, "terraform_version": "1.11.4", "resources": [
	  {"mode": "managed", "type": "appmixer_flow", "name": "a", "instances": [{"attributes": {"id": "flow-1"}}]},
	  {"module": "module.m", "mode": "managed", "type": "appmixer_service_config", "name": "s", "instances": [{"attributes": {"service_id": "appmixer:slack", "id": "appmixer:slack"}}]},
	  {"mode": "data", "type": "appmixer_data_store", "name": "d", "instances": [{"attributes": {"id": "store-1"}}]}]}`
	showJSON = `{"format_version": "1.0", "values": {"root_module": {
	  "resources": [{"mode": "managed", "type": "appmixer_flow", "values": {"id": "flow-1"}},
	                {"mode": "data", "type": "appmixer_data_store", "values": {"id": "store-1"}}],
	  "child_modules": [{"resources": [{"mode": "managed", "type": "appmixer_service_config", "values": {"service_id": "appmixer:slack"}}]}]}}}`
)

func TestReadStates(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"state": rawState, "show": showJSON} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := ReadStates([]string{p})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !m.has("appmixer_flow", "flow-1") || !m.has("appmixer_service_config", "appmixer:slack") {
			t.Errorf("%s: the managed flow and service config are not found: %v", name, m)
		}
		if m.has("appmixer_data_store", "store-1") {
			t.Errorf("%s: a data source counts as managed", name)
		}
	}
	bad := filepath.Join(dir, "bad")
	_ = os.WriteFile(bad, []byte("not json"), 0o600)
	if _, err := ReadStates([]string{bad}); err == nil || !strings.Contains(err.Error(), "-unmanaged "+bad) {
		t.Errorf("a file that is not a state: %v, want an error naming it", err)
	}
	if _, err := ReadStates([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing file is not an error")
	}
}

func TestSettings(t *testing.T) {
	env := map[string]string{"APPMIXER_BASE_URL": "http://127.0.0.1:1", "APPMIXER_USERNAME": "u", "APPMIXER_PASSWORD": "p"}
	var s Settings
	s.FromEnv(func(k string) string { return env[k] })
	if _, err := s.Client("t"); err != nil {
		t.Errorf("settings from the environment: %v", err)
	}
	for _, c := range []struct {
		s    Settings
		want string
	}{
		{Settings{Username: "u", Password: "p"}, "no Appmixer address"},
		{Settings{BaseURL: "ftp://x", Username: "u", Password: "p"}, "not an http(s) URL"},
		{Settings{BaseURL: "http://x", Tenant: "acme", Username: "u", Password: "p"}, "not both"},
		{Settings{BaseURL: "http://x", Username: "u"}, "no credentials"},
		{Settings{BaseURL: "http://x", Token: "t", Username: "u"}, "either a token"},
		{Settings{Tenant: "Acme!", Token: "t"}, "lowercase letters"},
		{Settings{BaseURL: "http://x", Token: "t", Dialect: "contract"}, "only the real Appmixer API"},
		{Settings{BaseURL: "http://x", Token: "t", RequestTimeout: "soon"}, "APPMIXER_REQUEST_TIMEOUT"},
	} {
		if _, err := c.s.Client("t"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error saying %q", c.s, err, c.want)
		}
	}
	// Flags win over the environment; credentials are not mixed from both.
	s = Settings{BaseURL: "http://flag", Token: "flag-token"}
	s.FromEnv(func(k string) string { return env[k] })
	if s.BaseURL != "http://flag" || s.Username != "" {
		t.Errorf("the environment overrode flags: %+v", s)
	}
}
