// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &accountsDataSource{}

// NewAccountsDataSource lists the connected third-party accounts of the provider's user.
func NewAccountsDataSource() datasource.DataSource { return &accountsDataSource{} }

type accountsDataSource struct {
	client *appmixer.Client
}

type accountsModel struct {
	Service  types.String   `tfsdk:"service"`
	Accounts []accountModel `tfsdk:"accounts"`
}

type accountModel struct {
	AccountID   types.String `tfsdk:"account_id"`
	Name        types.String `tfsdk:"name"`
	DisplayName types.String `tfsdk:"display_name"`
	Service     types.String `tfsdk:"service"`
	UserID      types.String `tfsdk:"user_id"`
}

// accountAttributes describes one account; the list and the single look-up share it.
func accountAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"account_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The account's id, as `accounts` of `appmixer_flow` expects."},
		"name":         schema.StringAttribute{Computed: true, MarkdownDescription: "Name derived from the third-party profile (often an e-mail)."},
		"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "Name given in Appmixer; null where none was set or the API has no such field."},
		"service":      schema.StringAttribute{Computed: true, MarkdownDescription: "Service, `vendor:service`, e.g. `appmixer:slack`."},
		"user_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "Owner's user id; null where the API does not report it."},
	}
}

func serviceValidators() []validator.String {
	return []validator.String{serviceNameValidator{}}
}

func (d *accountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

func (d *accountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the connected third-party accounts (OAuth connections, API keys) of the provider's user.",
		Attributes: map[string]schema.Attribute{
			"service": schema.StringAttribute{
				MarkdownDescription: "Only accounts of this service, `vendor:service`, e.g. `appmixer:slack`.",
				Optional:            true,
				Validators:          serviceValidators(),
			},
			"accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The accounts found.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: accountAttributes()},
			},
		},
	}
}

func (d *accountsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *accountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state accountsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accounts, err := d.client.ListAccounts(ctx, state.Service.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer accounts", err)
		return
	}
	state.Accounts = make([]accountModel, 0, len(accounts))
	for _, a := range accounts {
		state.Accounts = append(state.Accounts, accountModelFromAPI(a))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func accountModelFromAPI(a appmixer.Account) accountModel {
	return accountModel{
		AccountID:   types.StringValue(a.ID),
		Name:        types.StringValue(a.Name),
		DisplayName: optionalString(a.DisplayName),
		Service:     types.StringValue(a.Service),
		UserID:      optionalString(a.UserID),
	}
}
