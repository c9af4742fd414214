// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/export/designer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

func startTenant(t *testing.T) *localserver.Running {
	t.Helper()
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]string{}
	for service, name := range map[string]string{"appmixer:slack": "ops@example.com", "acme:weather": "weather-bot"} {
		if accounts[service], err = srv.AddAccount(srv.AdminUsername(), localserver.AccountSeed{Service: service, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := designer.Build(context.Background(), api, accounts, testfixture.Root()); err != nil {
		t.Fatal(err)
	}
	return srv
}

// exportCmd runs the command with the tenant's credentials in its environment.
func exportCmd(srv *localserver.Running, args ...string) (code int, stdout, stderr string) {
	env := map[string]string{"APPMIXER_BASE_URL": srv.URL, "APPMIXER_USERNAME": srv.AdminUsername(), "APPMIXER_PASSWORD": srv.AdminPassword()}
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRun(t *testing.T) {
	srv := startTenant(t)
	dir := filepath.Join(t.TempDir(), "tenant")
	code, stdout, stderr := exportCmd(srv, "-out", dir, "-import")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Wrote 12 objects to "+dir) {
		t.Errorf("stdout: %s", stdout)
	}
	// Not a terminal: a line per kind as it finishes.
	if !strings.Contains(stderr, "reading flows: 2/2\n") || !strings.Contains(stderr, "reading components: 1/1\n") {
		t.Errorf("progress lines:\n%s", stderr)
	}
	for _, f := range []string{"flows.tf", "imports.tf", "README.md", "connectors/acme/weather/service.json", "modifiers.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}

	// The same folder again is refused before anything is read; -force writes over it.
	srv.ResetStats()
	if code, _, stderr := exportCmd(srv, "-out", dir); code != 1 || !strings.Contains(stderr, "is not empty") || !strings.Contains(stderr, "-force") {
		t.Errorf("a folder that is not empty: exit %d, %s", code, stderr)
	}
	if n := len(srv.Stats().Requests); n != 0 {
		t.Errorf("the refused export sent %d kinds of request", n)
	}
	if code, _, stderr := exportCmd(srv, "-out", dir, "-force", "-quiet", "-only", "flows"); code != 0 || stderr != "" {
		t.Errorf("-force -quiet: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "imports.tf")); err == nil {
		t.Error("-force left imports.tf of the previous export, which this one did not ask for")
	}
}

func TestRun_badInput(t *testing.T) {
	srv := startTenant(t)
	out := filepath.Join(t.TempDir(), "x")
	state := filepath.Join(t.TempDir(), "state.json")
	_ = os.WriteFile(state, []byte(`{"version": 4, "resources": []}`), 0o600)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "-out DIR is required"},
		{[]string{"-out", out, "-only", "flows,users"}, 1, `unknown kind "users"`},
		{[]string{"-out", out, "-flows", "[orders"}, 1, "not a valid pattern"},
		{[]string{"-out", out, "-unmanaged", out + "/missing.json"}, 1, "-unmanaged"},
		{[]string{"-out", out, "-base-url", "ftp://x"}, 1, "not an http(s) URL"},
	} {
		code, _, stderr := exportCmd(srv, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
	code, stdout, stderr := exportCmd(srv, "-out", out, "-unmanaged", state, "-only", "data_stores")
	if code != 0 || !strings.Contains(stdout, "1 objects are not managed by the given states:\n  appmixer_data_store.orders_seen\t") {
		t.Errorf("-unmanaged: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestGuideNamesEveryFlag: the guide documents each flag -help lists.
func TestGuideNamesEveryFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-help"}, func(string) string { return "" }, &out, &errOut); code != 0 {
		t.Fatalf("-help: exit %d", code)
	}
	guide, err := os.ReadFile(filepath.Join(testfixture.Root(), "templates/guides/exporting-a-tenant.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(errOut.String(), -1)
	if len(flags) < 10 {
		t.Fatalf("found %d flags in -help:\n%s", len(flags), errOut.String())
	}
	for _, f := range flags {
		if !strings.Contains(string(guide), "-"+f[1]) {
			t.Errorf("the guide does not mention -%s", f[1])
		}
	}
}
