// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &integrationCategoryDataSource{}

// NewIntegrationCategoryDataSource finds an integration category by its exact name, so that the
// integrations of every tenant name that tenant's own category id.
func NewIntegrationCategoryDataSource() datasource.DataSource {
	return &integrationCategoryDataSource{}
}

type integrationCategoryDataSource struct{ client *appmixer.Client }

type integrationCategoryLookup struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func (d *integrationCategoryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_category"
}

func (d *integrationCategoryDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds an integration category (a tab of the Automation Hub) by its exact name, so that " +
			"`appmixer_integration.categories` names each tenant's own id. Every user may read categories. No " +
			"match is an error that lists the tenant's categories.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Exact name of the category (case-sensitive).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, maxCategoryName)},
			},
			"id":          schema.StringAttribute{MarkdownDescription: "The category id.", Computed: true},
			"description": schema.StringAttribute{MarkdownDescription: "Description of the category.", Computed: true},
		},
	}
}

func (d *integrationCategoryDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationCategoryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg integrationCategoryLookup
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireRealAPI(d.client, &resp.Diagnostics, "appmixer_integration_category") {
		return
	}
	all, err := d.client.ListCategories(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer integration categories", err)
		return
	}
	found := categoryNamed(all, cfg.Name.ValueString(), "")
	if found == nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"),
			fmt.Sprintf("No Appmixer integration category named %q", cfg.Name.ValueString()), describeCategories(all))
		return
	}
	cfg.ID, cfg.Description = types.StringValue(found.ID), types.StringValue(found.Description)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// describeCategories lists the tenant's categories, so that a wrong name is fixed at once.
func describeCategories(all []appmixer.Category) string {
	if len(all) == 0 {
		return "The tenant has no integration categories."
	}
	lines := make([]string, 0, len(all))
	for _, c := range all {
		lines = append(lines, fmt.Sprintf("  - %q (id %s)", c.Name, c.ID))
	}
	return "The tenant has these integration categories:\n" + strings.Join(lines, "\n")
}
