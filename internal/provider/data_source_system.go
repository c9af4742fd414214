// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// appmixer_system and appmixer_bundles tell what a tenant runs, so that a promotion can check in a
// precondition that two tenants run the same Appmixer and connector versions, as the official
// `appmixer transfer flow` does before it copies anything.

var (
	_ datasource.DataSourceWithConfigure = &systemDataSource{}
	_ datasource.DataSourceWithConfigure = &bundlesDataSource{}
)

// NewSystemDataSource reads GET /.
func NewSystemDataSource() datasource.DataSource { return &systemDataSource{} }

type systemDataSource struct{ client *appmixer.Client }

type systemModel struct {
	Version types.String `tfsdk:"version"`
}

func (d *systemDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_system"
}

func (d *systemDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "What `GET /` says about the Appmixer server. The official transfer refuses to copy a flow " +
			"between tenants whose versions differ as strings.",
		Attributes: map[string]schema.Attribute{
			"version": schema.StringAttribute{MarkdownDescription: "The Appmixer version, e.g. `6.2.2`.", Computed: true},
		},
	}
}

func (d *systemDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *systemDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	info, err := d.client.Info(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read the Appmixer server's information (GET /)", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &systemModel{Version: optionalString(info.Version)})...)
}

// NewBundlesDataSource reads GET /bundles.
func NewBundlesDataSource() datasource.DataSource { return &bundlesDataSource{} }

type bundlesDataSource struct{ client *appmixer.Client }

type bundlesModel struct {
	Bundles  []bundleModel `tfsdk:"bundles"`
	Versions types.Map     `tfsdk:"versions"`
}

type bundleModel struct {
	Name    types.String `tfsdk:"name"`
	Version types.String `tfsdk:"version"`
}

func (d *bundlesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bundles"
}

func (d *bundlesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The connector bundles installed in the tenant (`GET /bundles`), named as in their " +
			"`bundle.json`: by service (`appmixer.slack`) or by module (`appmixer.utils.controls`). The official transfer " +
			"looks each flow component up by its module, the type without its last part. The route's answer is not " +
			"documented; every shape the official CLI accepts is read. Not available in the contract API dialect.",
		Attributes: map[string]schema.Attribute{
			"bundles": schema.ListNestedAttribute{
				MarkdownDescription: "The bundles, sorted by name.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":    schema.StringAttribute{MarkdownDescription: "The bundle's name.", Computed: true},
					"version": schema.StringAttribute{MarkdownDescription: "Its installed version; null when the server does not say.", Computed: true},
				}},
			},
			"versions": schema.MapAttribute{
				MarkdownDescription: "Bundle name => version, for look-ups in a precondition; bundles without a version are left out.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *bundlesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *bundlesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	bundles, err := d.client.ListBundles(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list the tenant's connector bundles (GET /bundles)", err)
		return
	}
	m := bundlesModel{Bundles: []bundleModel{}}
	versions := map[string]attr.Value{}
	byName := map[string]appmixer.Bundle{}
	for _, b := range bundles {
		byName[b.Name] = b
	}
	for _, name := range sortedKeys(byName) {
		b := byName[name]
		m.Bundles = append(m.Bundles, bundleModel{Name: types.StringValue(name), Version: optionalString(b.Version)})
		if b.Version != "" {
			versions[name] = types.StringValue(b.Version)
		}
	}
	m.Versions = types.MapValueMust(types.StringType, versions)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
