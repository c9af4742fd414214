// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &appsDataSource{}

// NewAppsDataSource lists the apps (connectors) the provider's user can see.
func NewAppsDataSource() datasource.DataSource { return &appsDataSource{} }

type appsDataSource struct {
	client *appmixer.Client
}

type appsModel struct {
	Category   types.String `tfsdk:"category"`
	NamePrefix types.String `tfsdk:"name_prefix"`
	Apps       []appModel   `tfsdk:"apps"`
}

type appModel struct {
	Name        types.String `tfsdk:"name"`
	Label       types.String `tfsdk:"label"`
	Category    types.String `tfsdk:"category"`
	Description types.String `tfsdk:"description"`
	Icon        types.String `tfsdk:"icon"`
}

func (d *appsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apps"
}

func (d *appsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the apps (a module, or a service without modules) that the provider's user can see, " +
			"sorted by name. Useful to check that a tenant has the connectors a flow needs.",
		Attributes: map[string]schema.Attribute{
			"category": schema.StringAttribute{
				MarkdownDescription: "Only apps of this category, e.g. `applications` or `utilities`.",
				Optional:            true,
			},
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only apps whose name starts with this, e.g. `appmixer.google`.",
				Optional:            true,
			},
			"apps": schema.ListNestedAttribute{
				MarkdownDescription: "The apps found.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Full name, e.g. `appmixer.slack.list`."},
					"label":       schema.StringAttribute{Computed: true, MarkdownDescription: "Display name."},
					"category":    schema.StringAttribute{Computed: true, MarkdownDescription: "Category; null where the API does not report one."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Description."},
					"icon":        schema.StringAttribute{Computed: true, MarkdownDescription: "Icon, usually a data URI."},
				}},
			},
		},
	}
}

func (d *appsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *appsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state appsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	apps, err := d.client.ListApps(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer apps", err)
		return
	}
	state.Apps = []appModel{}
	for _, a := range apps {
		if !state.Category.IsNull() && a.Category != state.Category.ValueString() {
			continue
		}
		if !strings.HasPrefix(a.Name, state.NamePrefix.ValueString()) {
			continue
		}
		state.Apps = append(state.Apps, appModelFromAPI(a))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func appModelFromAPI(a appmixer.App) appModel {
	return appModel{
		Name:        types.StringValue(a.Name),
		Label:       types.StringValue(a.Label),
		Category:    optionalString(a.Category),
		Description: types.StringValue(a.Description),
		Icon:        types.StringValue(a.Icon),
	}
}

// optionalString maps the API's absent or empty value to null, so it never reads as a real "".
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
