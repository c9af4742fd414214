// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestCorporateNetwork drives the released provider as a CI job behind a corporate network would:
// a self-managed Appmixer with a private CA behind a mutual-TLS gateway that also wants its own
// headers, reached through a proxy. Each missing piece is one clear error from one TLS handshake;
// with all of them the apply works through the proxy, and the debug log shows no secret.
func TestCorporateNetwork(t *testing.T) {
	requireTF(t)
	t.Parallel()
	dir := t.TempDir()
	ca, clients := testfixture.NewCA(t, "Corp Root CA"), testfixture.NewCA(t, "Corp Client CA")
	certFile, keyFile := ca.Server(t).WriteFiles(t, dir, "server")
	clientCAFile, caFile := filepath.Join(dir, "clients.crt"), filepath.Join(dir, "ca.crt")
	testfixture.WriteFile(t, clientCAFile, string(clients.CertPEM))
	testfixture.WriteFile(t, caFile, string(ca.CertPEM))
	client := clients.Client(t, "ci")
	clientCertFile, _ := client.WriteFiles(t, dir, "client")

	tlsCfg, err := localserver.LoadTLS(certFile, keyFile, clientCAFile)
	if err != nil {
		t.Fatal(err)
	}
	var hellos atomic.Int64 // TLS handshakes begun, failed or not
	tlsCfg.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) { hellos.Add(1); return nil, nil }
	const gwSecret = "gw-secret-5e1d9c"
	srv := startLocalServer(t, localserver.Options{TLS: tlsCfg, Logf: func(string, ...any) {},
		RequireHeaders: map[string]string{"CF-Access-Client-Secret": gwSecret}})
	proxy := testfixture.NewProxy(t)

	config := fmt.Sprintf(`terraform {
  required_providers {
    appmixer = { source = "appmixer/appmixer" }
  }
}

variable "gateway_secret" {
  type      = string
  sensitive = true
  default   = ""
}

provider "appmixer" {
  base_url    = %q
  max_retries = 3
  headers     = var.gateway_secret == "" ? null : { "CF-Access-Client-Secret" = var.gateway_secret }
}

data "appmixer_system" "this" {}

output "version" {
  value = data.appmixer_system.this.version
}
`, srv.URL)
	testfixture.WriteFile(t, filepath.Join(dir, "main.tf"), config)
	env := []string{"APPMIXER_USERNAME=" + srv.AdminUsername(), "APPMIXER_PASSWORD=" + srv.AdminPassword()}

	// failsOnce runs a plan that must fail with summary, once, after exactly one TLS handshake.
	failsOnce := func(env []string, summary, fix string) {
		t.Helper()
		before := hellos.Load()
		res := mustTerraform(t, dir, env, 1, "plan", "-no-color")
		out := strings.Join(strings.Fields(res.stdout+res.stderr), " ")
		if n := strings.Count(out, summary); n != 1 || !strings.Contains(out, fix) {
			t.Fatalf("want %q once (got %d) naming %q:\n%s", summary, n, fix, res.stderr)
		}
		if n := hellos.Load() - before; n != 1 {
			t.Fatalf("%d TLS handshakes for %q, want 1: a certificate error must not be retried", n, summary)
		}
	}
	failsOnce(env, "Appmixer's TLS certificate is not trusted", "set ca_cert_pem or ca_cert_file")
	env = append(env, "APPMIXER_CA_CERT_FILE="+caFile)
	failsOnce(env, "Appmixer refused the TLS client certificate", "Set client_cert_pem or client_cert_file")

	// Everything, the key inline as a CI secret would be; the apply and its debug log.
	logFile := filepath.Join(dir, "terraform.log")
	full := append(env, "APPMIXER_CLIENT_CERT_FILE="+clientCertFile, "APPMIXER_CLIENT_KEY_PEM="+string(client.KeyPEM),
		"APPMIXER_PROXY_URL="+proxy.URL, "TF_VAR_gateway_secret="+gwSecret,
		"TF_LOG=TRACE", "TF_LOG_PROVIDER_APPMIXER_API=DEBUG", "TF_LOG_PATH="+logFile)
	before := hellos.Load()
	res := mustTerraform(t, dir, full, 0, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(res.stdout, `version = "6.1.0"`) {
		t.Fatalf("apply output:\n%s", res.stdout)
	}
	if tunnels, n := len(proxy.Tunnels()), hellos.Load()-before; tunnels == 0 || int64(tunnels) != n {
		t.Fatalf("%d CONNECT tunnels through the proxy for %d TLS connections: every connection must take proxy_url", tunnels, n)
	}
	logText, err := os.ReadFile(logFile) //nolint:gosec // the test's own file
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(string(logText)), "cf-access-client-secret") {
		t.Fatal("the debug log shows no request headers at all, so its silence about the secret proves nothing")
	}
	keyLine := strings.Split(string(client.KeyPEM), "\n")[1]
	for name, secret := range map[string]string{"the gateway header": gwSecret, "the client key": keyLine, "the password": srv.AdminPassword()} {
		if strings.Contains(string(logText), secret) {
			t.Errorf("the TRACE log shows %s", name)
		}
	}

	// insecure_skip_verify works without the CA, and says so on every run.
	insecure := append(full[:len(full)-3:len(full)-3], "APPMIXER_INSECURE_SKIP_VERIFY=true")
	insecure = slicesWithout(insecure, "APPMIXER_CA_CERT_FILE=")
	for _, args := range [][]string{{"plan", "-no-color"}, {"apply", "-auto-approve", "-no-color"}} {
		res := mustTerraform(t, dir, insecure, 0, args...)
		if !strings.Contains(res.stdout+res.stderr, "Warning: TLS certificate verification is off") {
			t.Fatalf("terraform %s with insecure_skip_verify does not warn:\n%s%s", args[0], res.stdout, res.stderr)
		}
	}
}

// slicesWithout drops the variables starting with prefix.
func slicesWithout(env []string, prefix string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, prefix) {
			out = append(out, e)
		}
	}
	return out
}
