// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Tenant cases measure the other resource kinds once per latency at the sizes their issues name:
// what their apply, no-change plan and destroy cost in requests, beside the flow tables. Their
// budgets are the targets of BENCHMARKS.md.
type tenantCase struct {
	kind   string // the cell kind
	n      int    // resources in the workspace
	config func(srv *server) string
	// budget is the most requests a no-change plan may make, and says why.
	budget     int
	budgetNote string
}

var tenantCases = []tenantCase{
	{kind: "appmixer_integration", n: 50, config: integrationsConfig, budget: 2*50 + 10,
		budgetNote: "at most 2 per integration plus a constant"},
	{kind: "service_config+data_store", n: 200, config: tenantConfigConfig, budget: 10,
		budgetNote: "one listing per kind, not one request per object"},
}

// benchTenantCases applies, plans and destroys each case on srv.
func benchTenantCases(ctx context.Context, o *options, env *tfEnv, srv *server, lat time.Duration, res *results) error {
	if !o.tenantCases {
		return nil
	}
	for _, tc := range tenantCases {
		dir, err := env.workspace(fmt.Sprintf("%s-%s", strings.ReplaceAll(tc.kind, "+", "-"), lat), tc.config(srv))
		if err != nil {
			return err
		}
		progress("latency %s, %d of %s", lat, tc.n, tc.kind)
		for _, op := range operations {
			r, err := env.runOp(ctx, srv, dir, op, true)
			if err != nil {
				return fmt.Errorf("latency %s, %s, %s: %w", lat, tc.kind, op, err)
			}
			res.add(cellKey{Latency: lat.String(), N: tc.n, Kind: tc.kind, Op: op}, r)
		}
	}
	return nil
}

// tenantCaseMarkdown is the table of the tenant cases.
func (r *results) tenantCaseMarkdown(p func(string, ...any)) {
	p("\n### Other resources: requests per operation\n\n")
	p("| latency | resources | operation | wall time | requests | by route |\n|---|---|---|---:|---:|---|\n")
	for _, c := range r.Cells {
		if tc := findTenantCase(c.Kind); tc != nil {
			m := c.median()
			p("| %s | %d %s | %s | %.2f s | %d | %s |\n", c.Latency, c.N, c.Kind, c.Op, m.Seconds, m.Total, routes(m.Requests))
		}
	}
}

// tenantCaseTargets judges each case's no-change plan against its budget.
func (r *results) tenantCaseTargets() []target {
	var out []target
	for _, c := range r.Cells {
		tc := findTenantCase(c.Kind)
		if tc == nil || c.Op != "plan" {
			continue
		}
		worst := 0
		for _, run := range c.Runs {
			worst = max(worst, run.Total)
		}
		out = append(out, target{fmt.Sprintf("no-change plan of %d %s: %s, <= %d requests (latency %s)", c.N, c.Kind, tc.budgetNote, tc.budget, c.Latency),
			fmt.Sprintf("%d (worst run)", worst), worst <= tc.budget})
	}
	return out
}

func findTenantCase(kind string) *tenantCase {
	for i := range tenantCases {
		if tenantCases[i].kind == kind {
			return &tenantCases[i]
		}
	}
	return nil
}

// providerHeader is the terraform and provider blocks of the tenant cases.
func providerHeader(srv *server) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    appmixer = { source = "appmixer/appmixer" }
  }
}

provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
}
`, srv.url, adminUser, adminPassword)
}

// integrationsConfig publishes 50 integrations, each shared with every user of the tenant.
func integrationsConfig(srv *server) string {
	return providerHeader(srv) + `
resource "appmixer_integration" "bench" {
  count       = 50
  name        = "bench-integration-${count.index}"
  definition  = jsonencode(` + benchDefinition + `)
  shared_with = [{ scope = "user" }]
}
`
}

// tenantConfigConfig holds 100 service configs and 100 data stores.
func tenantConfigConfig(srv *server) string {
	return providerHeader(srv) + `
resource "appmixer_service_config" "bench" {
  count      = 100
  service_id = "bench:service${count.index}"
  values     = jsonencode({ clientId = "client-${count.index}", sandbox = true })
}

resource "appmixer_data_store" "bench" {
  count = 100
  name  = "bench-store-${count.index}"
}
`
}
