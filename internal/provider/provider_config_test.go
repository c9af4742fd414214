package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func envOf(vars map[string]string) envLookup {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestResolveSettings(t *testing.T) {
	cases := []struct {
		name    string
		cfg     providerModel
		env     map[string]string
		wantErr string
		check   func(t *testing.T, s *providerSettings)
	}{
		{
			name: "tenant becomes cloud URL, defaults apply",
			cfg:  providerModel{Tenant: types.StringValue("acme"), Token: types.StringValue("t")},
			check: func(t *testing.T, s *providerSettings) {
				if s.baseURL != "https://api.acme.appmixer.cloud" || s.maxRetries != defaultMaxRetries ||
					s.requestTimeout != defaultRequestTimeout || s.dialect != appmixer.DialectAuto {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name: "environment fills everything",
			env: map[string]string{"APPMIXER_BASE_URL": "http://127.0.0.1:2200/", "APPMIXER_USERNAME": "u",
				"APPMIXER_PASSWORD": "p", "APPMIXER_API_DIALECT": "contract"},
			check: func(t *testing.T, s *providerSettings) {
				if s.baseURL != "http://127.0.0.1:2200" || s.username != "u" || s.password != "p" || s.dialect != appmixer.DialectContract {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name: "configured credentials win over an environment token",
			cfg:  providerModel{BaseURL: types.StringValue("https://x.example"), Username: types.StringValue("u"), Password: types.StringValue("p")},
			env:  map[string]string{"APPMIXER_TOKEN": "env-token"},
			check: func(t *testing.T, s *providerSettings) {
				if s.token != "" || s.username != "u" {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name:    "no address",
			cfg:     providerModel{Token: types.StringValue("t")},
			wantErr: "Missing Appmixer address",
		},
		{
			name:    "address twice",
			env:     map[string]string{"APPMIXER_BASE_URL": "https://x.example", "APPMIXER_TENANT": "acme", "APPMIXER_TOKEN": "t"},
			wantErr: "Conflicting Appmixer address",
		},
		{
			name:    "bad tenant",
			cfg:     providerModel{Tenant: types.StringValue("Acme Corp"), Token: types.StringValue("t")},
			wantErr: "Invalid tenant",
		},
		{
			name:    "relative URL",
			cfg:     providerModel{BaseURL: types.StringValue("api.example.com"), Token: types.StringValue("t")},
			wantErr: "Invalid base_url",
		},
		{
			name:    "no credentials",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example")},
			wantErr: "Missing Appmixer credentials",
		},
		{
			name:    "token and password",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t"), Password: types.StringValue("p")},
			wantErr: "Conflicting Appmixer credentials",
		},
		{
			name:    "username without password",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Username: types.StringValue("u")},
			wantErr: "Missing password",
		},
		{
			name:    "unknown dialect from environment",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			env:     map[string]string{"APPMIXER_API_DIALECT": "v5"},
			wantErr: "Invalid api_dialect",
		},
		{
			name:    "unknown base_url",
			cfg:     providerModel{BaseURL: types.StringUnknown(), Token: types.StringValue("t")},
			wantErr: "Unknown Appmixer provider value",
		},
		{
			name: "zero retries and custom timeout",
			cfg: providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t"),
				MaxRetries: types.Int64Value(0), RequestTimeout: types.StringValue("5s")},
			check: func(t *testing.T, s *providerSettings) {
				if s.maxRetries != 0 || s.requestTimeout != 5*time.Second || s.clientConfig("1", "").MaxRetries != -1 {
					t.Errorf("got %+v", s)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Zero types values are null, as an omitted attribute is.
			s, diags := resolveSettings(tc.cfg, envOf(tc.env))
			if tc.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), tc.wantErr) {
					t.Fatalf("want error %q, got %v", tc.wantErr, diags)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			tc.check(t, s)
			if strings.Contains(s.clientConfig("1.2.3", "1.11.4").UserAgent, "terraform-provider-appmixer/1.2.3") == false {
				t.Errorf("user agent lacks the provider version")
			}
		})
	}
}

func TestAccProvider_connectionErrors(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	const wrongPassword = "not-the-password-42"
	dataSource := `
data "appmixer_apps" "all" {}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: `
provider "appmixer" {
  base_url = "` + srv.URL + `"
  username = "` + srv.AdminUsername() + `"
  password = "` + wrongPassword + `"
}
` + dataSource,
				ExpectError: regexp.MustCompile(`(?s)Appmixer rejected the credentials.*` + regexp.QuoteMeta(srv.URL)),
			},
			{
				Config: `
provider "appmixer" {
  base_url        = "http://127.0.0.1:1"
  token           = "some-token"
  max_retries     = 0
  request_timeout = "2s"
}
` + dataSource,
				ExpectError: regexp.MustCompile(`(?s)Cannot reach Appmixer.*http://127.0.0.1:1`),
			},
			{
				Config: `
provider "appmixer" {
  base_url = "` + srv.URL + `"
  token    = "forged-token"
}
` + dataSource,
				ExpectError: regexp.MustCompile(`(?s)Appmixer rejected the credentials.*with\s+the\s+configured\s+token`),
			},
			{
				Config: `
provider "appmixer" {
  base_url = "` + srv.URL + `"
  tenant   = "acme"
  token    = "t"
}
` + dataSource,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*tenant`),
			},
			{
				Config: `
provider "appmixer" {
  base_url    = "` + srv.URL + `"
  token       = "t"
  api_dialect = "v5"
}
` + dataSource,
				ExpectError: regexp.MustCompile(`(?s)api_dialect.*value\s+must\s+be\s+one\s+of`),
			},
		},
	})
}
