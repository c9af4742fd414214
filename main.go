// Command terraform-provider-appmixer serves the Appmixer Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/appmixer/terraform-provider-appmixer/internal/provider"
)

// version is set by goreleaser through -ldflags at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/appmixer/appmixer",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
