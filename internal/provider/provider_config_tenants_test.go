// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func allowedList(entries ...string) types.List {
	vals := make([]attr.Value, len(entries))
	for i, e := range entries {
		vals[i] = types.StringValue(e)
	}
	return types.ListValueMust(types.StringType, vals)
}

func TestResolveSettingsAllowedBaseURLs(t *testing.T) {
	cases := []struct {
		name    string
		cfg     providerModel
		env     map[string]string
		wantErr string // "" = allowed
	}{
		{name: "configured URL listed, other spelling",
			cfg: providerModel{BaseURL: types.StringValue("https://Appmixer.Example.com:443/api/"), AllowedBaseURLs: allowedList("https://appmixer.example.com/api")}},
		{name: "tenant id listed as its URL",
			cfg: providerModel{Tenant: types.StringValue("acme"), AllowedBaseURLs: allowedList("https://api.acme.appmixer.cloud/")}},
		{name: "URL listed as its tenant id",
			cfg: providerModel{BaseURL: types.StringValue("https://api.acme.appmixer.cloud"), AllowedBaseURLs: allowedList("acme-dev", "acme")}},
		{name: "environment tenant listed",
			cfg: providerModel{AllowedBaseURLs: allowedList("acme")}, env: map[string]string{"APPMIXER_TENANT": "acme"}},
		{name: "leftover environment tenant",
			cfg: providerModel{AllowedBaseURLs: allowedList("acme-dev")}, env: map[string]string{"APPMIXER_TENANT": "acme-prod"},
			wantErr: "https://api.acme-prod.appmixer.cloud (from APPMIXER_BASE_URL or APPMIXER_TENANT in the environment)"},
		{name: "leftover environment URL",
			cfg: providerModel{AllowedBaseURLs: allowedList("http://127.0.0.1:2200")}, env: map[string]string{"APPMIXER_BASE_URL": "http://127.0.0.1:2300"},
			wantErr: "does not list: http://127.0.0.1:2200."},
		{name: "other path on the same host",
			cfg:     providerModel{BaseURL: types.StringValue("https://appmixer.example.com/api"), AllowedBaseURLs: allowedList("https://appmixer.example.com")},
			wantErr: "(from base_url or tenant in the provider block)"},
		{name: "scheme matters",
			cfg:     providerModel{BaseURL: types.StringValue("http://api.acme.appmixer.cloud"), AllowedBaseURLs: allowedList("acme")},
			wantErr: "acme (https://api.acme.appmixer.cloud)"},
		{name: "unknown element",
			cfg:     providerModel{Tenant: types.StringValue("acme"), AllowedBaseURLs: types.ListValueMust(types.StringType, []attr.Value{types.StringUnknown()})},
			wantErr: "element of allowed_base_urls is unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Token = types.StringValue("t")
			_, diags := resolveSettings(tc.cfg, envOf(tc.env))
			var got strings.Builder
			for _, d := range diags.Errors() {
				got.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			switch {
			case tc.wantErr == "" && diags.HasError():
				t.Errorf("refused: %s", got.String())
			case tc.wantErr != "" && !strings.Contains(got.String(), tc.wantErr):
				t.Errorf("errors %q, want one containing %q", got.String(), tc.wantErr)
			}
		})
	}
}

func TestResolveSettingsMaxRequestsPerSecond(t *testing.T) {
	base := providerModel{BaseURL: types.StringValue("https://x.example"), Token: types.StringValue("t")}
	for _, tc := range []struct {
		name    string
		cfg     types.Float64
		env     string
		want    float64
		wantErr bool
	}{
		{name: "unset", cfg: types.Float64Null(), want: 0},
		{name: "configured", cfg: types.Float64Value(19), env: "5", want: 19},
		{name: "environment", cfg: types.Float64Null(), env: " 2.5 ", want: 2.5},
		{name: "environment zero", cfg: types.Float64Null(), env: "0", wantErr: true},
		{name: "environment word", cfg: types.Float64Null(), env: "fast", wantErr: true},
		{name: "environment infinite", cfg: types.Float64Null(), env: "+Inf", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.MaxRequestsPerSecond = tc.cfg
			env := map[string]string{}
			if tc.env != "" {
				env["APPMIXER_MAX_REQUESTS_PER_SECOND"] = tc.env
			}
			s, diags := resolveSettings(cfg, envOf(env))
			if tc.wantErr {
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "APPMIXER_MAX_REQUESTS_PER_SECOND") {
					t.Fatalf("want an error naming APPMIXER_MAX_REQUESTS_PER_SECOND, got %v", diags)
				}
				return
			}
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got := s.clientConfig("test", "").MaxRequestsPerSecond; got != tc.want {
				t.Errorf("client rate %v, want %v", got, tc.want)
			}
		})
	}
}

// The environment of a run still points at another tenant (a leftover APPMIXER_BASE_URL): the
// provider stops at configure time and that server sees no request at all, not even a login. With the
// environment corrected, the same configuration applies to the allowed tenant. Not parallel: it sets
// the process environment the provider reads.
func TestAccProvider_allowedBaseURLsStopsWrongTenant(t *testing.T) {
	requireLocal(t, "request statistics of a second server (Stats)")
	right, wrong := startServer(t, localserver.Options{}), startServer(t, localserver.Options{})
	t.Setenv("APPMIXER_BASE_URL", wrong.URL)
	config := fmt.Sprintf(`
provider "appmixer" {
  username          = %q
  password          = %q
  allowed_base_urls = [%q]
}

resource "appmixer_data_store" "test" {
  name = "guarded"
}
`, right.AdminUsername(), right.AdminPassword(), right.URL)
	noRequests := func(srv *localserver.Running, name string) error {
		if st := srv.Stats(); st.Total != 0 {
			return fmt.Errorf("the %s server got %d requests: %v", name, st.Total, st.Requests)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Appmixer address not allowed.*` + regexp.QuoteMeta(wrong.URL) + `.*APPMIXER_BASE_URL`),
			},
			{
				PreConfig: func() {
					if err := noRequests(wrong, "wrong"); err != nil {
						t.Fatal(err)
					}
					if err := noRequests(right, "allowed"); err != nil {
						t.Fatal(err)
					}
					if err := os.Setenv("APPMIXER_BASE_URL", right.URL+"/"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				Check: func(*terraform.State) error {
					if right.Stats().Requests["POST /stores"] != 1 {
						return fmt.Errorf("the allowed server did not get the data store: %v", right.Stats().Requests)
					}
					return noRequests(wrong, "wrong")
				},
			},
		},
	})
}

// Twenty flows at Terraform's parallelism of 10 against a server that answers 429 beyond 10 requests a
// second: with max_requests_per_second = 8 the server never answers 429 and never sees more than 9
// requests in one of its one-second windows (8, plus one where scheduling shortens a gap).
func TestAccProvider_maxRequestsPerSecond(t *testing.T) {
	requireLocal(t, "a rate limit and request statistics (SetRateLimit, Stats)")
	srv := startServer(t, localserver.Options{RateLimit: 10})
	config := providerBlock(srv, "max_requests_per_second = 8") + `
resource "appmixer_flow" "many" {
  count      = 20
  name       = "paced-${count.index}"
  definition = jsonencode({ start = { type = "appmixer.utils.controls.OnStart", source = {} } })
}
`
	paced := func(*terraform.State) error {
		st := srv.Stats()
		if st.RateLimited != 0 || st.PeakPerSecond > 9 {
			return fmt.Errorf("%d requests answered 429, up to %d in one second (of %d requests)", st.RateLimited, st.PeakPerSecond, st.Total)
		}
		if st.Total < 40 {
			return fmt.Errorf("only %d requests: the workload cannot show a pace", st.Total)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             paced,
		Steps:                    []resource.TestStep{{Config: config, Check: paced}},
	})
}
