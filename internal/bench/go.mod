module github.com/appmixer/terraform-provider-appmixer/internal/bench

go 1.26.8

require (
	github.com/appmixer/terraform-provider-appmixer v0.0.0
	golang.org/x/image v0.38.0
)

require (
	github.com/fatih/color v1.18.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-hclog v1.6.3 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	github.com/hashicorp/terraform-plugin-log v0.11.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	golang.org/x/sys v0.43.0 // indirect
)

// The benchmark measures the provider of this repository, never a published one.
replace github.com/appmixer/terraform-provider-appmixer => ../..
