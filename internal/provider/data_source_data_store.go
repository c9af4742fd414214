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

var _ datasource.DataSourceWithConfigure = &dataStoreDataSource{}

// NewDataStoreDataSource finds a data store by its exact name, for stores that Terraform does not manage.
func NewDataStoreDataSource() datasource.DataSource { return &dataStoreDataSource{} }

type dataStoreDataSource struct{ client *appmixer.Client }

type dataStoreLookup struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

func (d *dataStoreDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_store"
}

func (d *dataStoreDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one of the provider user's data stores by its exact name, so that a flow can name " +
			"each tenant's own store id. No match, or more than one, is an error that lists the tenant's stores.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Exact name of the store (case-sensitive).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "The store id (`storeId`), as flows name it in `config.properties`.",
				Computed:            true,
			},
		},
	}
}

func (d *dataStoreDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dataStoreDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg dataStoreLookup
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !requireRealAPI(d.client, &resp.Diagnostics, "appmixer_data_store") {
		return
	}
	stores, err := d.client.ListStores(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer data stores", err)
		return
	}
	name := cfg.Name.ValueString()
	var matches []appmixer.Store
	for _, s := range stores {
		if s.Name == name {
			matches = append(matches, s)
		}
	}
	if len(matches) != 1 {
		summary := "No Appmixer data store named " + fmt.Sprintf("%q", name)
		if len(matches) > 1 {
			summary = fmt.Sprintf("%d Appmixer data stores are named %q", len(matches), name)
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), summary, describeStores(stores))
		return
	}
	cfg.ID = types.StringValue(matches[0].ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// describeStores lists the user's stores, so that a wrong name is fixed at once.
func describeStores(stores []appmixer.Store) string {
	if len(stores) == 0 {
		return "The provider's user has no data stores in this tenant."
	}
	lines := make([]string, 0, len(stores))
	for _, s := range stores {
		lines = append(lines, fmt.Sprintf("  - %q (id %s)", s.Name, s.ID))
	}
	return "The provider's user has these data stores:\n" + strings.Join(lines, "\n")
}
