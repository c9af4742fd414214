// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// providerNetworkModel is the part of the provider block that reaches a self-managed Appmixer behind
// a corporate network: trust, client certificate, proxy and gateway headers. It is embedded in
// providerModel.
type providerNetworkModel struct {
	CACertPEM          types.String `tfsdk:"ca_cert_pem"`
	CACertFile         types.String `tfsdk:"ca_cert_file"`
	ClientCertPEM      types.String `tfsdk:"client_cert_pem"`
	ClientCertFile     types.String `tfsdk:"client_cert_file"`
	ClientKeyPEM       types.String `tfsdk:"client_key_pem"`
	ClientKeyFile      types.String `tfsdk:"client_key_file"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	ProxyURL           types.String `tfsdk:"proxy_url"`
	Headers            types.Map    `tfsdk:"headers"`
}

// pemSetting is a PEM value given inline or as a file, with the variables of each.
type pemSetting struct {
	pemAttr, fileAttr string
	pemEnv, fileEnv   string
}

var (
	caSetting         = pemSetting{"ca_cert_pem", "ca_cert_file", "APPMIXER_CA_CERT_PEM", "APPMIXER_CA_CERT_FILE"}
	clientCertSetting = pemSetting{"client_cert_pem", "client_cert_file", "APPMIXER_CLIENT_CERT_PEM", "APPMIXER_CLIENT_CERT_FILE"}
	clientKeySetting  = pemSetting{"client_key_pem", "client_key_file", "APPMIXER_CLIENT_KEY_PEM", "APPMIXER_CLIENT_KEY_FILE"}
)

func (p pemSetting) names() string {
	return fmt.Sprintf("%s or %s (%s, %s)", p.pemAttr, p.fileAttr, p.pemEnv, p.fileEnv)
}

func networkAttributes() map[string]schema.Attribute {
	// pem describes what (a noun phrase) as an inline value and as a file.
	pem := func(s pemSetting, what, more string, sensitive bool) (schema.Attribute, schema.Attribute) {
		return schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("%s, in PEM.%s Conflicts with `%s`. Env: `%s`.", what, more, s.fileAttr, s.pemEnv),
				Optional:            true,
				Sensitive:           sensitive,
				Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot(s.fileAttr))},
			}, schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Path of a PEM file with the content of `%s`. Conflicts with `%s`. Env: `%s`.", s.pemAttr, s.pemAttr, s.fileEnv),
				Optional:            true,
			}
	}
	attrs := map[string]schema.Attribute{
		"insecure_skip_verify": schema.BoolAttribute{
			MarkdownDescription: "Accept any TLS certificate of the server, which lets anyone on the network read and " +
				"change the traffic, credentials included. For throwaway test servers only: every run warns while it is " +
				"on. Prefer `ca_cert_pem`. Env: `APPMIXER_INSECURE_SKIP_VERIFY`.",
			Optional: true,
		},
		"proxy_url": schema.StringAttribute{
			MarkdownDescription: "HTTP(S) or SOCKS5 proxy for every request, e.g. `http://proxy.example.com:3128` " +
				"(credentials as `http://user:password@host:port`). When set, `NO_PROXY` does not apply. Without it the " +
				"standard `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` variables decide. Env: `APPMIXER_PROXY_URL`.",
			Optional:   true,
			Sensitive:  true, // it may carry the proxy's password
			Validators: []validator.String{proxyURLValidator{}},
		},
		"headers": schema.MapAttribute{
			MarkdownDescription: "Headers sent with every request, for a gateway in front of Appmixer that wants its own " +
				"credentials, e.g. Cloudflare Access's `CF-Access-Client-Id` and `CF-Access-Client-Secret`, or " +
				"`Proxy-Authorization` for Google IAP. Never logged. The headers the provider sets itself " +
				"(`Authorization`, `Accept`, `Content-Type`, `User-Agent`, ...) cannot be set. Env: `APPMIXER_HEADERS` as a " +
				"JSON object, e.g. `{\"CF-Access-Client-Id\": \"...\"}`.",
			ElementType: types.StringType,
			Optional:    true,
			Sensitive:   true,
		},
	}
	attrs["ca_cert_pem"], attrs["ca_cert_file"] = pem(caSetting, "CA certificates to trust besides the operating system's",
		" For an Appmixer, or a TLS-inspecting proxy, with a private or corporate CA.", false)
	attrs["client_cert_pem"], attrs["client_cert_file"] = pem(clientCertSetting, "Client certificate, with any intermediates",
		" Shown to a server or gateway that requires mutual TLS; needs `client_key_pem` or `client_key_file`.", false)
	attrs["client_key_pem"], attrs["client_key_file"] = pem(clientKeySetting, "Private key of the client certificate", "", true)
	return attrs
}

// resolveNetwork fills s.network from the block or, where the block leaves a group out, from the
// environment. Each group (CA; client certificate and key; insecure_skip_verify; proxy; headers) comes
// wholly from one place, so that a CI variable cannot silently pair with a configured value.
func resolveNetwork(cfg providerNetworkModel, env envLookup, s *providerSettings, diags *diag.Diagnostics) {
	for _, a := range []struct {
		name  string
		value attr.Value
	}{
		{"ca_cert_pem", cfg.CACertPEM}, {"ca_cert_file", cfg.CACertFile}, {"client_cert_pem", cfg.ClientCertPEM},
		{"client_cert_file", cfg.ClientCertFile}, {"client_key_pem", cfg.ClientKeyPEM}, {"client_key_file", cfg.ClientKeyFile},
		{"insecure_skip_verify", cfg.InsecureSkipVerify}, {"proxy_url", cfg.ProxyURL}, {"headers", cfg.Headers},
	} {
		if a.value.IsUnknown() {
			diags.AddAttributeError(path.Root(a.name), "Unknown Appmixer provider value",
				fmt.Sprintf("The provider cannot connect to Appmixer while %q is unknown. Set it to a value known at plan time.", a.name))
		}
	}
	if diags.HasError() {
		return
	}
	t := &s.network
	t.CACertPEM = caSetting.read(cfg.CACertPEM, cfg.CACertFile, !cfg.CACertPEM.IsNull() || !cfg.CACertFile.IsNull(), env, diags)
	clientInBlock := !cfg.ClientCertPEM.IsNull() || !cfg.ClientCertFile.IsNull() || !cfg.ClientKeyPEM.IsNull() || !cfg.ClientKeyFile.IsNull()
	t.ClientCertPEM = clientCertSetting.read(cfg.ClientCertPEM, cfg.ClientCertFile, clientInBlock, env, diags)
	t.ClientKeyPEM = clientKeySetting.read(cfg.ClientKeyPEM, cfg.ClientKeyFile, clientInBlock, env, diags)

	insecureVar := ""
	if !cfg.InsecureSkipVerify.IsNull() {
		t.InsecureSkipVerify = cfg.InsecureSkipVerify.ValueBool()
	} else if raw, ok := env("APPMIXER_INSECURE_SKIP_VERIFY"); ok && raw != "" {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			diags.AddAttributeError(path.Root("insecure_skip_verify"), "Invalid insecure_skip_verify",
				fmt.Sprintf("APPMIXER_INSECURE_SKIP_VERIFY must be true or false, got %q.", raw))
		}
		t.InsecureSkipVerify, insecureVar = b, " (set by APPMIXER_INSECURE_SKIP_VERIFY)"
	}
	if t.InsecureSkipVerify {
		diags.AddAttributeWarning(path.Root("insecure_skip_verify"), "TLS certificate verification is off",
			"insecure_skip_verify"+insecureVar+" makes the provider accept any certificate for "+s.baseURL+", so anyone "+
				"on the network path can read and change its requests, the Appmixer credentials included. Use it only "+
				"against throwaway test servers; to trust a private CA, set ca_cert_pem or ca_cert_file instead.")
	}

	t.ProxyURL = stringOrEnv(cfg.ProxyURL, env, "APPMIXER_PROXY_URL")
	if t.ProxyURL != "" {
		if err := appmixer.CheckProxyURL(t.ProxyURL); err != nil {
			diags.AddAttributeError(path.Root("proxy_url"), "Invalid proxy_url", "proxy_url (or APPMIXER_PROXY_URL) "+err.Error()+".")
		}
	}
	t.Headers = resolveHeaders(cfg.Headers, env, diags)

	if !diags.HasError() {
		if _, err := t.TLSConfig(); err != nil {
			diags.AddAttributeError(path.Root(tlsErrorAttr(t)), "Invalid TLS settings", err.Error()+".")
		}
	}
}

// tlsErrorAttr names the attribute a TLSConfig error is about.
func tlsErrorAttr(t *appmixer.Transport) string {
	if _, err := (appmixer.Transport{CACertPEM: t.CACertPEM}).TLSConfig(); err != nil {
		return "ca_cert_pem"
	}
	if len(t.ClientCertPEM) == 0 {
		return "client_cert_pem"
	}
	return "client_key_pem"
}

// read returns the PEM given inline or in a file, from the block when inBlock, else from the
// environment.
func (p pemSetting) read(pemValue, fileValue types.String, inBlock bool, env envLookup, diags *diag.Diagnostics) []byte {
	inline, file, fileName := pemValue.ValueString(), fileValue.ValueString(), p.fileAttr
	if !inBlock {
		inline, _ = env(p.pemEnv)
		file, _ = env(p.fileEnv)
		fileName = p.fileEnv
	}
	switch {
	case inline != "" && file != "":
		diags.AddAttributeError(path.Root(p.pemAttr), "Conflicting "+p.pemAttr,
			fmt.Sprintf("Set either %s or %s, not both.", p.pemAttr, p.fileAttr)+envNote(inBlock, p))
		return nil
	case file != "":
		data, err := os.ReadFile(file) //nolint:gosec // the user names the file to read
		if err != nil {
			diags.AddAttributeError(path.Root(p.fileAttr), "Cannot read "+p.fileAttr,
				fmt.Sprintf("Reading %s (%s): %s.", fileName, file, err))
			return nil
		}
		return data
	}
	return []byte(inline)
}

func envNote(inBlock bool, p pemSetting) string {
	if inBlock {
		return ""
	}
	return fmt.Sprintf(" Both come from the environment: %s and %s.", p.pemEnv, p.fileEnv)
}

// resolveHeaders reads headers from the block or APPMIXER_HEADERS (a JSON object of strings). Error
// messages name headers, never their values.
func resolveHeaders(m types.Map, env envLookup, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	source := "headers"
	if !m.IsNull() {
		var elems map[string]types.String
		diags.Append(m.ElementsAs(context.Background(), &elems, false)...)
		for k, v := range elems {
			if v.IsUnknown() || v.IsNull() {
				diags.AddAttributeError(path.Root("headers").AtMapKey(k), "Unknown or null header",
					fmt.Sprintf("The value of header %q must be known at plan time and not null.", k))
			}
			out[k] = v.ValueString()
		}
	} else if raw, ok := env("APPMIXER_HEADERS"); ok && strings.TrimSpace(raw) != "" {
		source = "APPMIXER_HEADERS"
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			// json's message may quote part of the text, secrets included, so it is not shown.
			diags.AddAttributeError(path.Root("headers"), "Invalid APPMIXER_HEADERS",
				`APPMIXER_HEADERS must be a JSON object of header names and string values, e.g. {"CF-Access-Client-Id": "..."}.`)
			return nil
		}
	}
	if err := appmixer.CheckHeaders(out); err != nil {
		diags.AddAttributeError(path.Root("headers"), "Invalid headers", source+": "+err.Error()+".")
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
