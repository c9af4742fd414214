// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Command noopprovider is the benchmark's baseline: a Terraform provider ("bench/noop") whose one
// resource, noop_flow, has appmixer_flow's schema, taken from the real resource, and does nothing:
// create and update copy the plan into the state and fill what is computed, read and delete change
// nothing, and no request is made. What a plan of N noop_flow costs is therefore what the plugin
// protocol and the framework cost for that schema; internal/bench compares appmixer_flow with it.
package main

import (
	"context"
	"log"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	appmixer "github.com/appmixer/terraform-provider-appmixer/internal/provider"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return noopProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/bench/noop"})
	if err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return noopFlow{real: appmixer.NewFlowResource()} }}
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// noopFlow answers with appmixer_flow's schema, validators, plan modifiers and JSON type included.
type noopFlow struct{ real resource.Resource }

func (noopFlow) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow"
}

func (r noopFlow) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (noopFlow) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = settle(req.Plan.Raw)
}

func (noopFlow) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (noopFlow) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = settle(req.Plan.Raw)
}

func (noopFlow) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// settle gives every value left unknown in a plan (id, timestamps) a fixed known one of its type.
func settle(plan tftypes.Value) tftypes.Value {
	v, err := tftypes.Transform(plan, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch t := v.Type(); {
		case t.Is(tftypes.String):
			return tftypes.NewValue(t, "noop"), nil
		case t.Is(tftypes.Bool):
			return tftypes.NewValue(t, false), nil
		case t.Is(tftypes.Number):
			return tftypes.NewValue(t, big.NewFloat(0)), nil
		default:
			return tftypes.NewValue(t, nil), nil
		}
	})
	if err != nil {
		// Transform fails only on a callback error, and the callback returns none.
		panic(err)
	}
	return v
}
