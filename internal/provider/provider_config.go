// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

const (
	defaultMaxRetries      = 4
	minRetries, maxRetries = 0, 20
	defaultRequestTimeout  = 60 * time.Second
)

var (
	tenantPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	dialectNames  = []string{string(appmixer.DialectAuto), string(appmixer.DialectAppmixer), string(appmixer.DialectContract)}
)

// envLookup is os.LookupEnv, injectable so configuration rules can be unit-tested.
type envLookup func(key string) (string, bool)

var osEnv envLookup = os.LookupEnv

// providerSettings is the provider block after environment fallbacks and checks.
type providerSettings struct {
	baseURL        string
	username       string
	password       string
	token          string
	dialect        appmixer.Dialect
	maxRetries     int
	requestTimeout time.Duration
	batchRefresh   bool
	// Many tenants (provider_config_tenants.go).
	maxRequestsPerSecond float64
	network              appmixer.Transport // provider_config_tls.go
}

func (s *providerSettings) clientConfig(providerVersion, terraformVersion string) appmixer.Config {
	ua := fmt.Sprintf("terraform-provider-appmixer/%s (+https://registry.terraform.io/providers/appmixer/appmixer)", providerVersion)
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	maxRetries := s.maxRetries
	if maxRetries == 0 {
		maxRetries = -1 // the client reads 0 as "use the default"
	}
	return appmixer.Config{
		BaseURL:        s.baseURL,
		Username:       s.username,
		Password:       s.password,
		Token:          s.token,
		Dialect:        s.dialect,
		MaxRetries:     maxRetries,
		RequestTimeout: s.requestTimeout,
		UserAgent:      ua,

		MaxRequestsPerSecond: s.maxRequestsPerSecond,
		Transport:            s.network,
	}
}

// resolveSettings merges the provider block with APPMIXER_* variables. Configured values win; the
// environment's credentials are used only when the block names none, so a CI token in the environment
// cannot silently mix with a username written in the configuration. A nil result without errors never
// happens: unknown values are reported, since the provider cannot reach Appmixer without them.
func resolveSettings(cfg providerModel, env envLookup) (*providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	// In schema order, so that several unknown values are always reported in the same order.
	for _, a := range []struct {
		name  string
		value interface{ IsUnknown() bool }
	}{
		{"base_url", cfg.BaseURL}, {"tenant", cfg.Tenant}, {"username", cfg.Username}, {"password", cfg.Password},
		{"token", cfg.Token}, {"api_dialect", cfg.APIDialect}, {"max_retries", cfg.MaxRetries},
		{"request_timeout", cfg.RequestTimeout}, {"batch_refresh", cfg.BatchRefresh},
		{"allowed_base_urls", cfg.AllowedBaseURLs}, {"max_requests_per_second", cfg.MaxRequestsPerSecond},
	} {
		if a.value.IsUnknown() {
			diags.AddAttributeError(path.Root(a.name), "Unknown Appmixer provider value",
				fmt.Sprintf("The provider cannot connect to Appmixer while %q is unknown. Set it to a value known at plan time, "+
					"or apply the resources it depends on first with -target.", a.name))
		}
	}
	if diags.HasError() {
		return nil, diags
	}

	s := &providerSettings{maxRetries: defaultMaxRetries, requestTimeout: defaultRequestTimeout, dialect: appmixer.DialectAppmixer, batchRefresh: true}
	s.baseURL = resolveAddress(cfg, env, &diags)

	s.username, s.password, s.token = cfg.Username.ValueString(), cfg.Password.ValueString(), cfg.Token.ValueString()
	if s.username == "" && s.password == "" && s.token == "" {
		s.username, _ = env("APPMIXER_USERNAME")
		s.password, _ = env("APPMIXER_PASSWORD")
		s.token, _ = env("APPMIXER_TOKEN")
	}
	checkCredentials(s, &diags)

	if d := stringOrEnv(cfg.APIDialect, env, "APPMIXER_API_DIALECT"); d != "" {
		if !contains(dialectNames, d) {
			diags.AddAttributeError(path.Root("api_dialect"), "Invalid api_dialect",
				fmt.Sprintf("api_dialect (or APPMIXER_API_DIALECT) must be one of %s, got %q.", strings.Join(dialectNames, ", "), d))
		}
		s.dialect = appmixer.Dialect(d)
	}
	resolveTuning(cfg, env, s, &diags)
	resolveTenantSettings(cfg, env, s, &diags)
	resolveNetwork(cfg.providerNetworkModel, env, s, &diags)
	if diags.HasError() {
		return nil, diags
	}
	return s, diags
}

// resolveTuning fills retries, the request timeout and batched refresh from the block or, where it
// leaves them out, from APPMIXER_MAX_RETRIES, APPMIXER_REQUEST_TIMEOUT and APPMIXER_BATCH_REFRESH.
func resolveTuning(cfg providerModel, env envLookup, s *providerSettings, diags *diag.Diagnostics) {
	if !cfg.MaxRetries.IsNull() {
		s.maxRetries = int(cfg.MaxRetries.ValueInt64())
	} else if raw, ok := env("APPMIXER_MAX_RETRIES"); ok && raw != "" {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || n < minRetries || n > maxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid max_retries",
				fmt.Sprintf("APPMIXER_MAX_RETRIES must be a whole number from %d to %d, got %q.", minRetries, maxRetries, raw))
		}
		s.maxRetries = n
	}
	timeout, timeoutVar := cfg.RequestTimeout.ValueString(), ""
	if cfg.RequestTimeout.IsNull() {
		timeout, _ = env("APPMIXER_REQUEST_TIMEOUT")
		timeoutVar = "APPMIXER_REQUEST_TIMEOUT "
	}
	if timeout != "" {
		d, err := parsePositiveDuration(timeout)
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", timeoutVar+err.Error())
		}
		s.requestTimeout = d
	}
	if !cfg.BatchRefresh.IsNull() {
		s.batchRefresh = cfg.BatchRefresh.ValueBool()
	} else if raw, ok := env("APPMIXER_BATCH_REFRESH"); ok && raw != "" {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			diags.AddAttributeError(path.Root("batch_refresh"), "Invalid batch_refresh",
				fmt.Sprintf("APPMIXER_BATCH_REFRESH must be true or false, got %q.", raw))
		}
		s.batchRefresh = b
	}
}

func resolveAddress(cfg providerModel, env envLookup, diags *diag.Diagnostics) string {
	baseURL, tenant := cfg.BaseURL.ValueString(), cfg.Tenant.ValueString()
	if baseURL == "" && tenant == "" {
		baseURL, _ = env("APPMIXER_BASE_URL")
		tenant, _ = env("APPMIXER_TENANT")
	}
	switch {
	case baseURL != "" && tenant != "":
		diags.AddAttributeError(path.Root("base_url"), "Conflicting Appmixer address",
			"Set either base_url (APPMIXER_BASE_URL) or tenant (APPMIXER_TENANT), not both.")
	case baseURL != "":
		if err := checkHTTPURL(baseURL); err != nil {
			diags.AddAttributeError(path.Root("base_url"), "Invalid base_url", err.Error())
		}
		return strings.TrimRight(baseURL, "/")
	case tenant != "":
		if !tenantPattern.MatchString(tenant) {
			diags.AddAttributeError(path.Root("tenant"), "Invalid tenant",
				fmt.Sprintf("tenant must be made of lowercase letters, digits and hyphens, such as \"acme\"; got %q.", tenant))
		}
		return cloudTenantURL(tenant)
	default:
		diags.AddAttributeError(path.Root("base_url"), "Missing Appmixer address",
			"Set base_url (or APPMIXER_BASE_URL) to the API's URL, or tenant (or APPMIXER_TENANT) to an Appmixer Cloud tenant id.")
	}
	return ""
}

func checkCredentials(s *providerSettings, diags *diag.Diagnostics) {
	switch {
	case s.token != "" && (s.username != "" || s.password != ""):
		diags.AddAttributeError(path.Root("token"), "Conflicting Appmixer credentials",
			"Set either token (APPMIXER_TOKEN) or username and password (APPMIXER_USERNAME, APPMIXER_PASSWORD), not both.")
	case s.token != "":
	case s.username == "" && s.password == "":
		diags.AddAttributeError(path.Root("username"), "Missing Appmixer credentials",
			"Set username and password (or APPMIXER_USERNAME and APPMIXER_PASSWORD), or token (APPMIXER_TOKEN).")
	case s.username == "":
		diags.AddAttributeError(path.Root("username"), "Missing username",
			"password is set but username (APPMIXER_USERNAME) is not; both are needed to log in.")
	case s.password == "":
		diags.AddAttributeError(path.Root("password"), "Missing password",
			fmt.Sprintf("username %q is set but password (APPMIXER_PASSWORD) is not; both are needed to log in.", s.username))
	}
}

func stringOrEnv(v types.String, env envLookup, key string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	s, _ := env(key)
	return s
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http(s) URL such as https://api.acme.appmixer.cloud, got %q", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must not have a query or fragment, got %q", raw)
	}
	return nil
}

func parsePositiveDuration(raw string) (time.Duration, error) {
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("must be a positive Go duration such as \"30s\" or \"2m\", got %q", raw)
	}
	return d, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// addConnectDiagnostic explains a failed first login: where, as whom, and what to check. The password
// never appears; the client's error text does not carry it either.
func addConnectDiagnostic(diags *diag.Diagnostics, s *providerSettings, err error) {
	who := "with the configured token"
	if s.token == "" {
		who = fmt.Sprintf("as %q", s.username)
	}
	var netErr net.Error
	var urlErr *url.Error
	switch {
	case appmixer.CertificateProblem(err) != appmixer.CertOK:
		addCertificateDiagnostic(diags, s, err)
	case errors.Is(err, appmixer.ErrBadCredentials) || appmixer.IsUnauthorized(err) || appmixer.IsForbidden(err) || appmixer.IsBadRequest(err):
		diags.AddError("Appmixer rejected the credentials",
			fmt.Sprintf("Logging in to %s %s failed: %s\nCheck username and password (or the token) for this tenant.", s.baseURL, who, err))
	case errors.As(err, &netErr) || errors.As(err, &urlErr):
		diags.AddError("Cannot reach Appmixer",
			fmt.Sprintf("Connecting to %s failed: %s\nCheck base_url (or tenant) and the network.%s", s.baseURL, err, timeoutAdvice(err)))
	default:
		diags.AddError("Cannot log in to Appmixer",
			fmt.Sprintf("Logging in to %s %s failed: %s", s.baseURL, who, err))
	}
}
