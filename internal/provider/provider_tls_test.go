// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// startTLSServer serves a local Appmixer over HTTPS with a certificate of ca and, with clients,
// requires client certificates of that CA.
func startTLSServer(t *testing.T, ca, clients *testfixture.CA, opts localserver.Options) *localserver.Running {
	t.Helper()
	requireLocal(t, "an HTTPS local server with a private CA")
	dir := t.TempDir()
	certFile, keyFile := ca.Server(t).WriteFiles(t, dir, "server")
	clientCAFile := ""
	if clients != nil {
		clientCAFile = filepath.Join(dir, "clients.crt")
		testfixture.WriteFile(t, clientCAFile, string(clients.CertPEM))
	}
	cfg, err := localserver.LoadTLS(certFile, keyFile, clientCAFile)
	if err != nil {
		t.Fatal(err)
	}
	opts.TLS = cfg
	opts.Logf = func(string, ...any) {} // failed handshakes are what these tests cause
	return startServer(t, opts)
}

// wrappedInOrder matches the phrases, each as wrappedText does, in this order with anything between.
func wrappedInOrder(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = wrappedText(p).String()
	}
	return regexp.MustCompile(strings.Join(parts, `[\s\S]*`))
}

func systemConfig(srv *localserver.Running, extra string) string {
	return providerBlock(srv, extra) + `
data "appmixer_system" "this" {}
`
}

// TestAccProviderPrivateCA: an Appmixer whose certificate a private CA signed fails with the
// diagnostic naming ca_cert_pem until ca_cert_pem holds that CA.
func TestAccProviderPrivateCA(t *testing.T) {
	ca := testfixture.NewCA(t, "Corp Root CA")
	srv := startTLSServer(t, ca, nil, localserver.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      systemConfig(srv, ""),
				ExpectError: wrappedInOrder("Appmixer's TLS certificate is not trusted", "x509: certificate signed by unknown authority", "set ca_cert_pem or ca_cert_file"),
			},
			{
				Config:      systemConfig(srv, fmt.Sprintf("ca_cert_pem = %q", testfixture.NewCA(t, "Another CA").CertPEM)),
				ExpectError: wrappedText("The configured ca_cert_pem or ca_cert_file (APPMIXER_CA_CERT_PEM, APPMIXER_CA_CERT_FILE) does not hold the CA"),
			},
			{
				Config: systemConfig(srv, fmt.Sprintf("ca_cert_pem = %q", ca.CertPEM)),
				Check:  resource.TestCheckResourceAttr("data.appmixer_system.this", "version", "6.1.0"),
			},
		},
	})
}

// TestAccProviderMutualTLS: a server requiring client certificates refuses the provider without one,
// with the diagnostic naming client_cert_pem, and serves it with one its client CA signed.
func TestAccProviderMutualTLS(t *testing.T) {
	ca, clients := testfixture.NewCA(t, "Server CA"), testfixture.NewCA(t, "Client CA")
	srv := startTLSServer(t, ca, clients, localserver.Options{})
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.crt")
	testfixture.WriteFile(t, caFile, string(ca.CertPEM))
	certFile, keyFile := clients.Client(t, "ci").WriteFiles(t, dir, "client")
	stranger := testfixture.NewCA(t, "Stranger").Client(t, "ci")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      systemConfig(srv, fmt.Sprintf("ca_cert_file = %q", caFile)),
				ExpectError: wrappedInOrder("Appmixer refused the TLS client certificate", "certificate required", "requires mutual TLS. Set client_cert_pem or client_cert_file"),
			},
			{
				Config: systemConfig(srv, fmt.Sprintf("ca_cert_file = %q\n client_cert_pem = %q\n client_key_pem = %q",
					caFile, stranger.CertPEM, stranger.KeyPEM)),
				ExpectError: wrappedText("Appmixer refused the TLS client certificate"),
			},
			{
				Config: systemConfig(srv, fmt.Sprintf("ca_cert_file = %q\n client_cert_file = %q\n client_key_file = %q", caFile, certFile, keyFile)),
				Check:  resource.TestCheckResourceAttr("data.appmixer_system.this", "version", "6.1.0"),
			},
		},
	})
}

// TestAccProviderProxyAndHeaders: with proxy_url every request the server answers came through the
// proxy, and with headers the requests pass a gateway that refuses them otherwise.
func TestAccProviderProxyAndHeaders(t *testing.T) {
	requireLocal(t, "a gateway in front of the local server")
	gate := map[string]string{"CF-Access-Client-Id": "ci-7f3a", "CF-Access-Client-Secret": "gw-secret-91c2"}
	srv := startServer(t, localserver.Options{RequireHeaders: gate, Logf: func(string, ...any) {}})
	proxy := testfixture.NewProxy(t)
	headers := `headers = { "CF-Access-Client-Id" = "ci-7f3a", "CF-Access-Client-Secret" = "gw-secret-91c2" }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Without the headers the gateway answers 403 before Appmixer sees the login.
				Config:      systemConfig(srv, ""),
				ExpectError: wrappedText("403"),
			},
			{
				Config: systemConfig(srv, fmt.Sprintf("proxy_url = %q\n %s", proxy.URL, headers)),
				Check: func(*terraform.State) error {
					forwarded, total := len(proxy.Forwarded()), srv.Stats().Total
					if forwarded == 0 || total != forwarded {
						return fmt.Errorf("the proxy forwarded %d requests and Appmixer answered %d: every request must take the proxy", forwarded, total)
					}
					for _, u := range proxy.Forwarded() {
						if !strings.HasPrefix(u, srv.URL) {
							return fmt.Errorf("the proxy forwarded %s, not a request to %s", u, srv.URL)
						}
					}
					return nil
				},
			},
		},
	})
}
