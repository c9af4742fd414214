// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testenv"
)

// testAccProviders serves the provider in-process to the terraform binary that terraform-plugin-testing runs.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"appmixer": providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain runs the tests, or with -sweep the sweepers of acc_tenant_test.go (resource.TestMain), in an
// environment cleared of the developer's own provider and terraform settings (testenv.Clean).
func TestMain(m *testing.M) {
	testenv.Clean()
	resource.TestMain(testRun{m})
}

type testRun struct{ m *testing.M }

func (r testRun) Run() int {
	if accTenantErr != nil {
		fmt.Fprintln(os.Stderr, "real-tenant mode:", accTenantErr)
		return 2
	}
	if accTenant != nil {
		fmt.Fprintf(os.Stderr, "real-tenant mode: the acceptance tests run against %s as %s\n", accTenant.baseURL, accTenant.username)
	}
	// Without TF_CLI_CONFIG_FILE terraform reads ~/.terraformrc; an empty one keeps it quiet and offline.
	dir, err := os.MkdirTemp("", "appmixer-tfcli")
	if err != nil {
		panic(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	cliConfig := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		panic(err)
	}
	if accTenant == nil {
		// A local server's ticket is done at the second look (or after 300ms): looking again after 200ms,
		// then 400ms, 800ms... only makes the tests wait. A real tenant keeps the provider's pace.
		appmixer.PollWait.First, appmixer.PollWait.Max = 10*time.Millisecond, 100*time.Millisecond
	}
	for k, v := range map[string]string{"TF_CLI_CONFIG_FILE": cliConfig, "CHECKPOINT_DISABLE": "1"} {
		if err := os.Setenv(k, v); err != nil {
			panic(err)
		}
	}
	return r.m.Run()
}

// startServer runs a local Appmixer server for one test; each test gets its own, so tests run in
// parallel. In real-tenant mode it returns the tenant instead (see acc_tenant_test.go), or skips the
// test when opts ask for what only a local server has.
func startServer(t *testing.T, opts localserver.Options) *localserver.Running {
	t.Helper()
	if accTenant != nil {
		return tenantServer(t, opts)
	}
	srv, err := localserver.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatalf("starting local Appmixer server: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("stopping the local Appmixer server: %v", err)
		}
	})
	return srv
}

// providerBlock configures the provider for srv's admin user, plus any extra attribute lines.
func providerBlock(srv *localserver.Running, extra string) string {
	return fmt.Sprintf(`
provider "appmixer" {
  base_url    = %q
  username    = %q
  password    = %q
  max_retries = 2
  %s
}
`, srv.URL, srv.AdminUsername(), srv.AdminPassword(), extra)
}

// apiClient talks to srv as its admin outside Terraform, to set up data or make out-of-band changes.
func apiClient(t *testing.T, srv *localserver.Running, dialect appmixer.Dialect) *appmixer.Client {
	t.Helper()
	c, err := appmixer.New(appmixer.Config{
		BaseURL:  srv.URL,
		Username: srv.AdminUsername(),
		Password: srv.AdminPassword(),
		Dialect:  dialect,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mustAddAccount connects an account behind the API, which only a local server can do.
func mustAddAccount(t *testing.T, srv *localserver.Running, a localserver.AccountSeed) string {
	t.Helper()
	requireLocal(t, "connected accounts added behind the API (AddAccount)")
	id, err := srv.AddAccount(srv.AdminUsername(), a)
	if err != nil {
		t.Fatalf("adding account %+v: %v", a, err)
	}
	return id
}

// wrappedText matches a diagnostic phrase however terraform wraps its lines: each space in phrase
// matches any run of white space, and the rest is literal.
func wrappedText(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// TestAccHostileEnvironment: a developer's shell holds their own tenant, credentials, dialect, log
// level and terraform settings; the acceptance tests pass all the same, since TestMain clears them.
func TestAccHostileEnvironment(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1: runs acceptance tests")
	}
	requireLocal(t, "a local server, whatever the environment says")
	t.Parallel()
	testenv.RunHostile(t, []string{"TestAccBadInput_provider", "TestAccAppsDataSource"})
}
