// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import "fmt"

// A workload is one kind of resource the benchmark measures: how to write a workspace of N of them.
// Every N gets one workspace per workload, and the operations run on each in turn. A new kind of
// Appmixer resource (integrations, service configs, data stores, ...) is measured by adding a
// workload: its configuration function and, for a provider of this repository, its binary.
type workload struct {
	kind   string                          // the cell kind in the results, e.g. "appmixer_flow"
	config func(srv *server, n int) string // main.tf of a workspace with n resources
	// source and binary are the provider served through dev_overrides ("" for built-in resources).
	source, binary string
	// server: the commands talk to the local Appmixer server, so its request counts and the
	// provider processes' statistics are collected.
	server bool
}

const (
	kindFlow = "appmixer_flow"
	kindNoop = "noop_flow"
	kindData = "terraform_data"
)

// workloads are measured side by side, in this order.
var workloads = []workload{
	{kind: kindFlow, config: flowConfig, source: "appmixer/appmixer", binary: "terraform-provider-appmixer", server: true},
	// The baseline: appmixer_flow's schema in a provider that does nothing (internal/bench/noopprovider).
	{kind: kindNoop, config: noopConfig, source: "bench/noop", binary: "terraform-provider-noop"},
	{kind: kindData, config: dataConfig},
}

// benchDefinition is a three-component flow, like a small real one.
const benchDefinition = `{
    start = { type = "appmixer.utils.controls.OnStart", label = "Start", x = 100, y = 100 }
    mail  = { type = "appmixer.utils.email.SendEmail", label = "Mail", x = 300, y = 100,
              source = { in = { start = ["out"] } }, config = { properties = { to = "ops@example.com" } } }
    audit = { type = "appmixer.utils.email.SendEmail", label = "Audit", x = 500, y = 100,
              source = { in = { mail = ["out"] } }, config = { properties = { to = "audit@example.com" } } }
  }`

func flowConfig(srv *server, n int) string {
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

resource "appmixer_flow" "bench" {
  count       = %d
  name        = "bench-${count.index}"
  description = "benchmark flow"
  definition  = jsonencode(%s)
}
`, srv.url, adminUser, adminPassword, n, benchDefinition)
}

// noopConfig declares the same flows as noop_flow, whose provider makes no request.
func noopConfig(_ *server, n int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    noop = { source = "bench/noop" }
  }
}

resource "noop_flow" "bench" {
  count       = %d
  name        = "bench-${count.index}"
  description = "benchmark flow"
  definition  = jsonencode(%s)
}
`, n, benchDefinition)
}

// dataConfig holds the same values in terraform_data, which makes no request and starts no plugin.
func dataConfig(_ *server, n int) string {
	return fmt.Sprintf(`resource "terraform_data" "bench" {
  count = %d
  input = {
    name        = "bench-${count.index}"
    description = "benchmark flow"
    definition  = jsonencode(%s)
  }
}
`, n, benchDefinition)
}
