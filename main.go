// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-appmixer serves the Appmixer Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/appmixer/terraform-provider-appmixer/internal/process"
	"github.com/appmixer/terraform-provider-appmixer/internal/provider"
)

// version is set by goreleaser through -ldflags at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if !debug {
		// In debug mode the provider's own stderr is what the developer reads.
		process.SilenceUnseenLogs()
	}
	process.LimitMemory()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/appmixer/appmixer",
		Debug:   debug,
	})
	// Serve returns once Terraform has shut the plugin down gracefully.
	writeProcessStats()
	if err != nil {
		log.Fatal(err)
	}
}
