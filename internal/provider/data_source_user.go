// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &userDataSource{}

// NewUserDataSource finds a user by username, so that sharing and definitions name each tenant's own
// user id (appmixer-export writes these look-ups).
func NewUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct{ client *appmixer.Client }

type userLookup struct {
	ID       types.String `tfsdk:"id"`
	Username types.String `tfsdk:"username"`
	Email    types.String `tfsdk:"email"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds a user of the tenant by exact username (admin: `GET /users`), so that `shared_with` " +
			"entries and flow definitions can name each tenant's own user id. No such user is an error.",
		Attributes: map[string]schema.Attribute{
			"username": schema.StringAttribute{
				MarkdownDescription: "The user's exact username, usually an e-mail address.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id":    schema.StringAttribute{MarkdownDescription: "The user's id.", Computed: true},
			"email": schema.StringAttribute{MarkdownDescription: "The user's e-mail address.", Computed: true},
		},
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userLookup
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireRealAPI(d.client, &resp.Diagnostics, "appmixer_user") {
		return
	}
	u, err := d.client.FindUserByUsername(ctx, cfg.Username.ValueString())
	if appmixer.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("username"), "No such Appmixer user",
			fmt.Sprintf("The tenant has no user with the username %q. Create the user on this tenant first.", cfg.Username.ValueString()))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot find the Appmixer user", err)
		return
	}
	cfg.ID, cfg.Email = types.StringValue(u.ID), types.StringValue(u.Email)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
