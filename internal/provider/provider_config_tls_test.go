// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

func TestResolveNetwork(t *testing.T) {
	ca := testfixture.NewCA(t, "CA")
	client, other := ca.Client(t, "ci"), ca.Client(t, "other")
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.crt")
	testfixture.WriteFile(t, caFile, string(ca.CertPEM))
	certFile, keyFile := client.WriteFiles(t, dir, "client")
	base := providerModel{BaseURL: types.StringValue("https://appmixer.corp.example"), Token: types.StringValue("t")}
	with := func(edit func(m *providerNetworkModel)) providerModel {
		m := base
		edit(&m.providerNetworkModel)
		return m
	}
	resolve := func(t *testing.T, cfg providerModel, env map[string]string) (*providerSettings, diag.Diagnostics) {
		t.Helper()
		s, diags := resolveSettings(cfg, envOf(env))
		for _, d := range diags {
			for _, secret := range []string{string(client.KeyPEM[40:80]), "gw-secret", "hunter2"} {
				if strings.Contains(d.Summary()+d.Detail(), secret) {
					t.Fatalf("a diagnostic shows a secret: %s: %s", d.Summary(), d.Detail())
				}
			}
		}
		return s, diags
	}
	wantError := func(t *testing.T, diags diag.Diagnostics, summary, detail string) {
		t.Helper()
		for _, d := range diags.Errors() {
			if d.Summary() == summary && strings.Contains(d.Detail(), detail) {
				return
			}
		}
		t.Fatalf("want error %q mentioning %q, got %v", summary, detail, diags)
	}

	t.Run("the environment fills every setting", func(t *testing.T) {
		s, diags := resolve(t, base, map[string]string{
			"APPMIXER_CA_CERT_FILE": caFile, "APPMIXER_CLIENT_CERT_FILE": certFile, "APPMIXER_CLIENT_KEY_PEM": string(client.KeyPEM),
			"APPMIXER_PROXY_URL": "http://ops:hunter2@proxy.corp.example:3128", "APPMIXER_HEADERS": `{"CF-Access-Client-Secret": "gw-secret"}`,
		})
		if diags.HasError() {
			t.Fatal(diags)
		}
		n := s.clientConfig("1", "").Transport
		if !bytes.Equal(n.CACertPEM, ca.CertPEM) || !bytes.Equal(n.ClientCertPEM, client.CertPEM) || !bytes.Equal(n.ClientKeyPEM, client.KeyPEM) ||
			n.ProxyURL != "http://ops:hunter2@proxy.corp.example:3128" || n.Headers["CF-Access-Client-Secret"] != "gw-secret" || n.InsecureSkipVerify {
			t.Fatalf("got %+v", n)
		}
	})
	t.Run("a group in the block ignores the environment's", func(t *testing.T) {
		s, diags := resolve(t, with(func(m *providerNetworkModel) {
			m.ClientCertPEM, m.ClientKeyFile = types.StringValue(string(client.CertPEM)), types.StringValue(keyFile)
		}), map[string]string{"APPMIXER_CLIENT_KEY_PEM": string(other.KeyPEM), "APPMIXER_CLIENT_CERT_FILE": "/nowhere"})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if !bytes.Equal(s.network.ClientKeyPEM, client.KeyPEM) {
			t.Fatal("the environment's key was paired with the configured certificate")
		}
	})
	t.Run("insecure_skip_verify warns, naming the variable that set it", func(t *testing.T) {
		_, diags := resolve(t, base, map[string]string{"APPMIXER_INSECURE_SKIP_VERIFY": "true"})
		if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "APPMIXER_INSECURE_SKIP_VERIFY") {
			t.Fatalf("got %v", diags)
		}
		_, diags = resolve(t, with(func(m *providerNetworkModel) { m.InsecureSkipVerify = types.BoolValue(true) }), nil)
		if diags.WarningsCount() != 1 || diags.Warnings()[0].Summary() != "TLS certificate verification is off" {
			t.Fatalf("got %v", diags)
		}
		_, diags = resolve(t, with(func(m *providerNetworkModel) { m.InsecureSkipVerify = types.BoolValue(false) }),
			map[string]string{"APPMIXER_INSECURE_SKIP_VERIFY": "true"})
		if len(diags) != 0 {
			t.Fatalf("insecure_skip_verify = false in the block: %v", diags)
		}
	})

	for _, tc := range []struct {
		name, summary, detail string
		cfg                   providerModel
		env                   map[string]string
	}{
		{"both CA forms", "Conflicting ca_cert_pem", "APPMIXER_CA_CERT_FILE", base,
			map[string]string{"APPMIXER_CA_CERT_PEM": string(ca.CertPEM), "APPMIXER_CA_CERT_FILE": caFile}},
		{"unreadable CA file", "Cannot read ca_cert_file", "missing.crt",
			with(func(m *providerNetworkModel) { m.CACertFile = types.StringValue(filepath.Join(dir, "missing.crt")) }), nil},
		{"CA not PEM", "Invalid TLS settings", "PEM", with(func(m *providerNetworkModel) { m.CACertPEM = types.StringValue("abc") }), nil},
		{"certificate without key", "Invalid TLS settings", "needs its private key",
			with(func(m *providerNetworkModel) { m.ClientCertFile = types.StringValue(certFile) }), nil},
		{"key of another certificate", "Invalid TLS settings", "does not match",
			with(func(m *providerNetworkModel) {
				m.ClientCertFile, m.ClientKeyPEM = types.StringValue(certFile), types.StringValue(string(other.KeyPEM))
			}), nil},
		{"insecure not a bool", "Invalid insecure_skip_verify", "yes please", base, map[string]string{"APPMIXER_INSECURE_SKIP_VERIFY": "yes please"}},
		{"proxy scheme", "Invalid proxy_url", "ftp://ops:xxxxx@proxy", base, map[string]string{"APPMIXER_PROXY_URL": "ftp://ops:hunter2@proxy"}},
		{"headers not JSON", "Invalid APPMIXER_HEADERS", "JSON object", base, map[string]string{"APPMIXER_HEADERS": "X-Gw=gw-secret"}},
		{"reserved header", "Invalid headers", "Authorization",
			with(func(m *providerNetworkModel) {
				m.Headers = types.MapValueMust(types.StringType, map[string]attr.Value{"Authorization": types.StringValue("gw-secret")})
			}), nil},
		{"unknown header value", "Unknown or null header", "X-Gw",
			with(func(m *providerNetworkModel) {
				m.Headers = types.MapValueMust(types.StringType, map[string]attr.Value{"X-Gw": types.StringUnknown()})
			}), nil},
		{"unknown CA", "Unknown Appmixer provider value", "ca_cert_pem",
			with(func(m *providerNetworkModel) { m.CACertPEM = types.StringUnknown() }), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := resolve(t, tc.cfg, tc.env)
			wantError(t, diags, tc.summary, tc.detail)
		})
	}
}
