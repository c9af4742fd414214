// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The settings for running many tenants from one pipeline (issue 29): a guard against applying one
// tenant's configuration to another, and a request budget that keeps a large rollout under the
// tenant's rate limit.

// minRequestsPerSecond is the slowest budget accepted: one request in ten seconds.
const minRequestsPerSecond = 0.1

// tenantAttributes are the provider block's many-tenant settings, added to its schema.
func tenantAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"allowed_base_urls": schema.ListAttribute{
			MarkdownDescription: "The only Appmixer API addresses this configuration may talk to: base URLs, or Appmixer " +
				"Cloud tenant ids, which stand for `https://api.<tenant>.appmixer.cloud`. When the address from `base_url`, " +
				"`tenant`, `APPMIXER_BASE_URL` or `APPMIXER_TENANT` is not listed, the provider stops before sending any " +
				"request, so a leftover environment variable cannot apply one tenant's configuration to another. " +
				"Deliberately not read from the environment.",
			ElementType: types.StringType,
			Optional:    true,
			Validators:  []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(allowedBaseURLValidator{})},
		},
		"max_requests_per_second": schema.Float64Attribute{
			MarkdownDescription: "Spaces the provider's requests (retries and logins included) evenly at this rate, in one " +
				"budget shared by every resource, data source and action of the provider process, so a large apply stays " +
				"under the tenant's rate limit instead of meeting it. Set it just below the limit. Unset: no pacing. " +
				"Independently of it, a `429` answer pauses every request of the process to the same server for its " +
				"`Retry-After` (at most 30 s). Terraform runs each provider configuration (alias) in a process of its " +
				"own, so two aliases of one tenant have a budget each. Env: `APPMIXER_MAX_REQUESTS_PER_SECOND`.",
			Optional:   true,
			Validators: []validator.Float64{float64validator.AtLeast(minRequestsPerSecond)},
		},
	}
}

// resolveTenantSettings reads max_requests_per_second (or its variable) and checks the address that
// resolveAddress chose against allowed_base_urls. It runs before the client exists, so a refused
// address has been sent nothing, not even a login.
func resolveTenantSettings(cfg providerModel, env envLookup, s *providerSettings, diags *diag.Diagnostics) {
	if !cfg.MaxRequestsPerSecond.IsNull() {
		s.maxRequestsPerSecond = cfg.MaxRequestsPerSecond.ValueFloat64()
	} else if raw, ok := env("APPMIXER_MAX_REQUESTS_PER_SECOND"); ok && strings.TrimSpace(raw) != "" {
		r, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil || math.IsNaN(r) || math.IsInf(r, 0) || r < minRequestsPerSecond {
			diags.AddAttributeError(path.Root("max_requests_per_second"), "Invalid max_requests_per_second",
				fmt.Sprintf("APPMIXER_MAX_REQUESTS_PER_SECOND must be a number of at least %g, got %q.", minRequestsPerSecond, raw))
		}
		s.maxRequestsPerSecond = r
	}

	if cfg.AllowedBaseURLs.IsNull() || s.baseURL == "" {
		return // no guard, or no address to check (already reported)
	}
	var allowed []types.String
	diags.Append(cfg.AllowedBaseURLs.ElementsAs(context.Background(), &allowed, false)...)
	var listed []string
	for _, a := range allowed {
		if a.IsUnknown() {
			diags.AddAttributeError(path.Root("allowed_base_urls"), "Unknown Appmixer provider value",
				"The provider cannot check its address while an element of allowed_base_urls is unknown. Set it to values known at plan time.")
			return
		}
		listed = append(listed, a.ValueString())
	}
	if allowedAddress(s.baseURL, listed) {
		return
	}
	source := "base_url or tenant in the provider block"
	if cfg.BaseURL.ValueString() == "" && cfg.Tenant.ValueString() == "" {
		source = "APPMIXER_BASE_URL or APPMIXER_TENANT in the environment"
	}
	shown := make([]string, len(listed))
	for i, l := range listed {
		shown[i] = l
		if u := allowedEntryURL(l); u != l {
			shown[i] = fmt.Sprintf("%s (%s)", l, u)
		}
	}
	diags.AddAttributeError(path.Root("allowed_base_urls"), "Appmixer address not allowed",
		fmt.Sprintf("The provider would talk to %s (from %s), which allowed_base_urls does not list: %s.\n"+
			"Nothing was sent to any server. If the environment still points at another tenant, unset or correct "+
			"APPMIXER_BASE_URL and APPMIXER_TENANT; if the address is right, add it to allowed_base_urls.",
			s.baseURL, source, strings.Join(shown, ", ")))
}

// allowedAddress reports whether base is one of listed, compared as normalised URLs.
func allowedAddress(base string, listed []string) bool {
	want := normalAddress(base)
	for _, l := range listed {
		if normalAddress(allowedEntryURL(l)) == want {
			return true
		}
	}
	return false
}

// allowedEntryURL is the URL an allowed_base_urls entry stands for: a tenant id is its Cloud API URL
// (as resolveAddress derives it from tenant).
func allowedEntryURL(entry string) string {
	entry = strings.TrimSpace(entry)
	if tenantPattern.MatchString(entry) {
		return cloudTenantURL(entry)
	}
	return entry
}

// normalAddress makes equal the spellings of one address that reach the same API: scheme and host in
// any case, a default port written out, a trailing slash.
func normalAddress(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		u.Host = u.Hostname()
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String()
}

// allowedBaseURLValidator accepts a tenant id or an absolute http(s) URL.
type allowedBaseURLValidator struct{}

func (allowedBaseURLValidator) Description(context.Context) string {
	return "must be an Appmixer Cloud tenant id or an absolute http(s) URL"
}

func (v allowedBaseURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (allowedBaseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if tenantPattern.MatchString(v) {
		return
	}
	if err := checkHTTPURL(v); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid allowed_base_urls entry",
			fmt.Sprintf("%s must be a tenant id such as \"acme\" or an absolute http(s) URL such as https://api.acme.appmixer.cloud, got %q.", req.Path, v))
	}
}

// cloudTenantURL is the API address of an Appmixer Cloud tenant.
func cloudTenantURL(tenant string) string { return "https://api." + tenant + ".appmixer.cloud" }
