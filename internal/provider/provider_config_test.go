// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
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
					s.requestTimeout != defaultRequestTimeout || s.dialect != appmixer.DialectAppmixer {
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
		{
			name: "tuning from the environment",
			cfg:  providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			env:  map[string]string{"APPMIXER_MAX_RETRIES": "7", "APPMIXER_REQUEST_TIMEOUT": "90s", "APPMIXER_BATCH_REFRESH": "false"},
			check: func(t *testing.T, s *providerSettings) {
				if s.maxRetries != 7 || s.requestTimeout != 90*time.Second || s.batchRefresh {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name: "the block wins over the tuning environment",
			cfg: providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t"),
				MaxRetries: types.Int64Value(1), RequestTimeout: types.StringValue("3s"), BatchRefresh: types.BoolValue(true)},
			env: map[string]string{"APPMIXER_MAX_RETRIES": "7", "APPMIXER_REQUEST_TIMEOUT": "90s", "APPMIXER_BATCH_REFRESH": "false"},
			check: func(t *testing.T, s *providerSettings) {
				if s.maxRetries != 1 || s.requestTimeout != 3*time.Second || !s.batchRefresh {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name: "batched refresh is on by default",
			cfg:  providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			check: func(t *testing.T, s *providerSettings) {
				if !s.batchRefresh {
					t.Errorf("got %+v", s)
				}
			},
		},
		{
			name:    "retries from the environment out of range",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			env:     map[string]string{"APPMIXER_MAX_RETRIES": "21"},
			wantErr: "Invalid max_retries",
		},
		{
			name:    "retries from the environment not a number",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			env:     map[string]string{"APPMIXER_MAX_RETRIES": "many"},
			wantErr: "Invalid max_retries",
		},
		{
			name:    "timeout from the environment",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			env:     map[string]string{"APPMIXER_REQUEST_TIMEOUT": "30"},
			wantErr: "Invalid request_timeout",
		},
		{
			name:    "batch refresh from the environment",
			cfg:     providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")},
			env:     map[string]string{"APPMIXER_BATCH_REFRESH": "sometimes"},
			wantErr: "Invalid batch_refresh",
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

// Several unknown values are reported in schema order, whatever the map order of the day. Map
// iteration order changes from run to run, so the check is repeated.
func TestResolveSettingsUnknownOrder(t *testing.T) {
	cfg := providerModel{
		BaseURL: types.StringUnknown(), Tenant: types.StringUnknown(), Username: types.StringUnknown(),
		Password: types.StringUnknown(), Token: types.StringUnknown(), APIDialect: types.StringUnknown(),
		MaxRetries: types.Int64Unknown(), RequestTimeout: types.StringUnknown(), BatchRefresh: types.BoolUnknown(),
	}
	want := "base_url,tenant,username,password,token,api_dialect,max_retries,request_timeout,batch_refresh"
	for range 20 {
		_, diags := resolveSettings(cfg, envOf(nil))
		var got []string
		for _, d := range diags.Errors() {
			if withPath, ok := d.(interface{ Path() path.Path }); ok {
				got = append(got, withPath.Path().String())
			}
		}
		if strings.Join(got, ",") != want {
			t.Fatalf("unknown values reported as %v, want %s", got, want)
		}
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
