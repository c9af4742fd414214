// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// addCertificateDiagnostic explains a failed TLS handshake with the setting that fixes it. The
// client does not retry these, so this is the one error the run shows.
func addCertificateDiagnostic(diags *diag.Diagnostics, s *providerSettings, err error) {
	host := s.baseURL
	if u, perr := url.Parse(s.baseURL); perr == nil {
		host = u.Host
	}
	t := s.network
	var summary, fix string
	switch appmixer.CertificateProblem(err) {
	case appmixer.CertUntrusted:
		summary = "Appmixer's TLS certificate is not trusted"
		fix = fmt.Sprintf("The certificate %s presents is signed by an authority this machine does not trust. ", host)
		if len(t.CACertPEM) > 0 {
			fix += "The configured " + caSetting.names() + " does not hold the CA that signed it: set it to the " +
				"certificate of that CA (the issuer at the top of the server's chain), in PEM."
		} else {
			fix += "If this Appmixer, or a TLS-inspecting proxy on the way, uses a private or corporate CA, set " +
				caSetting.names() + " to that CA's certificate in PEM."
		}
	case appmixer.CertWrongHost:
		summary = "Appmixer's TLS certificate is for another host"
		fix = fmt.Sprintf("The certificate %s presents does not name that host. Set base_url to a host name the "+
			"certificate is issued for, or have the server's certificate reissued for %s.", host, host)
	case appmixer.CertInvalid:
		summary = "Appmixer's TLS certificate is not valid"
		fix = fmt.Sprintf("The certificate %s presents is expired, not yet valid or not a server certificate; check it, "+
			"and this machine's clock. If a private CA issues it, %s must hold that CA.", host, caSetting.names())
	case appmixer.CertClientRefused:
		summary = "Appmixer refused the TLS client certificate"
		if len(t.ClientCertPEM) == 0 {
			fix = fmt.Sprintf("%s (or a gateway in front of it) requires mutual TLS. Set %s and %s to a client "+
				"certificate it accepts and its key.", host, clientCertSetting.names(), clientKeySetting.names())
		} else {
			fix = fmt.Sprintf("%s (or a gateway in front of it) did not accept the configured %s: check that a CA the "+
				"server trusts signed it for client authentication and that it has not expired.", host, clientCertSetting.names())
		}
	}
	diags.AddError(summary, fmt.Sprintf("Connecting to %s failed: %s\n\n%s", s.baseURL, err, fix))
}

// proxyURLValidator checks proxy_url at validation time, without showing a password it may hold.
type proxyURLValidator struct{}

func (proxyURLValidator) Description(context.Context) string {
	return "must be an http, https, socks5 or socks5h URL"
}

func (v proxyURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (proxyURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := appmixer.CheckProxyURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid proxy_url", "proxy_url "+err.Error()+".")
	}
}
