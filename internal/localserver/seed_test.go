// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// writeSeed writes a seed file, and any extra files beside it, into a fresh folder.
func writeSeed(t *testing.T, seed string, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "tenant.json")
	if err := os.WriteFile(path, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSeedThroughTheAPI seeds users, connectors from a folder and a zip, and accounts, then checks
// each through the API the provider calls.
func TestSeedThroughTheAPI(t *testing.T) {
	t.Parallel()
	weather := testfixture.ExampleConnector(t)
	path := writeSeed(t, `{
	  "users": [{"username": "ops@example.com", "password": "ops-secret", "vendor": ["acme"]}],
	  "connectors": [{"name": "acme.weather", "source_dir": "`+filepath.ToSlash(weather)+`"}, {"name": "acme.tools", "source_zip": "tools.zip", "user": "ops@example.com"}],
	  "accounts": [
	    {"service": "appmixer:slack", "name": "Dev Slack", "display_name": "Dev workspace"},
	    {"service": "acme:weather", "name": "ops-weather", "user": "ops@example.com", "profile_info": {"email": "ops@example.com"}}
	  ]
	}`, map[string][]byte{"tools.zip": makeZip(t, acmePackage("2.1.0"))})
	seed, err := LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{})
	if warnings, err := h.s.ApplySeed(seed); err != nil || len(warnings) > 0 {
		t.Fatalf("ApplySeed: %v, warnings %q", err, warnings)
	}
	admin, ops := h.admin(), h.login("ops@example.com", "ops-secret")

	users := h.must(200, "GET", "/users?pattern=ops", admin, nil).arr()
	if len(users) != 1 || !slices.Equal(anyStrings(users[0].(map[string]any)["vendor"]), []string{"acme"}) {
		t.Errorf("GET /users = %v, want ops@example.com with vendor acme", users)
	}
	// A connector seeded without a user comes with the tenant: every user lists it. One seeded for a
	// user is that user's copy (appmixer-api.md §1.6): the admin does not list it.
	for _, who := range []struct {
		token string
		want  []string
		not   string
	}{
		{admin, []string{"acme.weather.forecast.GetForecast", "acme.weather.forecast.WeatherAlert"}, "acme.tools.core.Ping"},
		{ops, []string{"acme.weather.forecast.GetForecast", "acme.tools.core.Ping"}, ""},
	} {
		components := anyStrings(h.must(200, "GET", "/components?selector=acme.", who.token, nil).body)
		for _, want := range who.want {
			if !slices.Contains(components, want) {
				t.Errorf("GET /components lacks %s: %v", want, components)
			}
		}
		if who.not != "" && slices.Contains(components, who.not) {
			t.Errorf("GET /components lists another user's %s: %v", who.not, components)
		}
	}
	adminAccounts := h.must(200, "GET", "/accounts", admin, nil).arr()
	if len(adminAccounts) != 1 || adminAccounts[0].(map[string]any)["name"] != "Dev Slack" || adminAccounts[0].(map[string]any)["displayName"] != "Dev workspace" {
		t.Errorf("the admin's accounts are %v, want Dev Slack", adminAccounts)
	}
	opsAccounts := h.must(200, "GET", "/accounts?filter=service:acme:weather", ops, nil).arr()
	if len(opsAccounts) != 1 || opsAccounts[0].(map[string]any)["name"] != "ops-weather" {
		t.Errorf("the ops user's accounts are %v, want ops-weather", opsAccounts)
	}
}

func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// TestSeedFileErrors: a seed that cannot be applied as written is refused before the server starts,
// with an error that names the entry.
func TestSeedFileErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ seed, want string }{
		{`{"data_stores": []}`, `unknown section "data_stores"; the sections are users, connectors, accounts`},
		{`{"users": [{"username": "a@b.c", "password": "secret"}, {"username": "x", "passwd": "secret"}]}`, `users[1]: unknown field "passwd"`},
		{`{"users": {"username": "x"}}`, `users must be a list`},
		{`{"accounts": [{"service": 1}]}`, `accounts[0]: cannot unmarshal number`},
		{`[]`, `not a JSON object`},
	} {
		_, err := LoadSeed(writeSeed(t, tc.seed, nil))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "tenant.json") {
			t.Errorf("LoadSeed(%s) = %v, want an error naming tenant.json and saying %q", tc.seed, err, tc.want)
		}
	}
}

func TestSeedEntryErrors(t *testing.T) {
	t.Parallel()
	broken := makeZip(t, map[string]string{"acme/x/service.json": `{"name":"acme.x"}`}) // no component
	for _, tc := range []struct{ seed, want string }{
		{`{"users": [{"username": "a@b.c"}]}`, `seed users[0]: "password" is required`},
		{`{"users": [{"username": "admin@example.com", "password": "secret"}]}`, `seed users[0]: username "admin@example.com" is taken`},
		{`{"users": [{"username": "a@b.c", "password": "abc"}]}`, `seed users[0]: "password" length must be at least 5 characters long`},
		{`{"users": [{"username": "a@b.c", "password": "secret", "scope": ["root"]}]}`, `seed users[0]: scope "root" is not one of`},
		{`{"accounts": [{"service": "appmixer:slack", "user": "nobody"}]}`, `seed accounts[0]: no user "nobody"`},
		{`{"accounts": [{"service": "slack"}]}`, `seed accounts[0]: "service" must look like vendor:service`},
		{`{"connectors": [{"source_dir": "."}]}`, `seed connectors[0]: "name" is required`},
		{`{"connectors": [{"name": "acme.x"}]}`, `seed connectors[0]: set exactly one of source_dir and source_zip`},
		{`{"connectors": [{"name": "acme.x", "source_zip": "broken.zip", "user": "nobody"}]}`, `seed connectors[0]: no user "nobody": add it under users`},
		{`{"connectors": [{"name": "acme.x", "source_dir": "."}]}`, "the package holds no component"},
		{`{"connectors": [{"name": "acme.x", "source_zip": "broken.zip"}]}`, "broken.zip:acme/x/.: the package holds no component"},
	} {
		seed, err := LoadSeed(writeSeed(t, tc.seed, map[string][]byte{"broken.zip": broken}))
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplySeed(seed); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ApplySeed(%s) = %v, want %q", tc.seed, err, tc.want)
		}
	}
}

// TestSeedWarnings: what the packer only warns about is installed, and the warnings come back.
func TestSeedWarnings(t *testing.T) {
	t.Parallel()
	sparse := makeZip(t, map[string]string{
		"acme/x/service.json":             `{"name":"acme.x"}`,
		"acme/x/core/Ping/component.json": `{"name":"acme.x.core.Ping"}`,
	})
	seed, err := LoadSeed(writeSeed(t, `{"connectors": [{"name": "acme.x", "source_zip": "sparse.zip"}]}`, map[string][]byte{"sparse.zip": sparse}))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{})
	warnings, err := h.s.ApplySeed(seed)
	if err != nil || len(warnings) == 0 || !strings.Contains(warnings[0], `seed connectors[0] (acme.x): `) || !strings.Contains(strings.Join(warnings, "\n"), `key "label": is missing`) {
		t.Fatalf("ApplySeed = %v, warnings %q; want the missing label as a warning", err, warnings)
	}
	if got := anyStrings(h.must(200, "GET", "/components?selector=acme.x", h.admin(), nil).body); !slices.Equal(got, []string{"acme.x.core.Ping"}) {
		t.Errorf("GET /components = %v, want acme.x.core.Ping installed", got)
	}
}
