// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure        = &accountResource{}
	_ resource.ResourceWithImportState      = &accountResource{}
	_ resource.ResourceWithModifyPlan       = &accountResource{}
	_ resource.ResourceWithConfigValidators = &accountResource{}
)

// accountIDDescription says what an account's import ID is.
const accountIDDescription = "an account id (accountId)"

// NewAccountResource manages a connected account injected with POST /accounts.
func NewAccountResource() resource.Resource { return &accountResource{} }

type accountResource struct{ pd *providerData }

// accountResourceModel is an appmixer_account; token_wo is write-only, always null here.
type accountResourceModel struct {
	ID             types.String   `tfsdk:"id"`
	Service        types.String   `tfsdk:"service"`
	Name           types.String   `tfsdk:"name"`
	DisplayName    types.String   `tfsdk:"display_name"`
	TokenWO        types.String   `tfsdk:"token_wo"`
	TokenWOVersion types.Int64    `tfsdk:"token_wo_version"`
	UserID         types.String   `tfsdk:"user_id"`
	Revoked        types.Bool     `tfsdk:"revoked"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// accountFromAPI rebuilds the model from the server's account; the token and its version are the
// configuration's, since the server never shows a token.
func accountFromAPI(a *appmixer.Account, prior accountResourceModel) accountResourceModel {
	m := prior
	m.ID = types.StringValue(a.ID)
	m.Service = types.StringValue(a.Service)
	m.Name = types.StringValue(a.Name)
	m.DisplayName = optionalString(a.DisplayName)
	m.TokenWO = types.StringNull()
	m.UserID = optionalString(a.UserID)
	m.Revoked = types.BoolNull()
	if a.Revoked != nil {
		m.Revoked = types.BoolValue(*a.Revoked)
	}
	return m
}

func (r *accountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (r *accountResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A connected account made from credentials Terraform holds (an API key, a bot token, an " +
			"OAuth token obtained elsewhere), injected with `POST /accounts` for the provider's user. The service's " +
			"connector (its `auth.js`) must be installed, and an OAuth service needs its `appmixer_service_config` " +
			"holding `clientId` first: until then Appmixer answers 500. Order the two with `depends_on`, or with " +
			"`service = appmixer_service_config.x.service_id`. Appmixer is not asked to check the token's scope or fetch a profile, so the account is what the " +
			"configuration says.\n\n" +
			"Appmixer lets only `display_name` change. A new token (a changed `token_wo_version`) therefore replaces " +
			"the account: flows whose `accounts` name `appmixer_account.x.id` are bound to the new account in the " +
			"same apply. With Terraform's default order the old account is deleted first, which stops its flows for a " +
			"moment (the flow resource starts them again); `lifecycle { create_before_destroy = true }` binds the new " +
			"account before the old one goes, so the flows keep running.\n\n" +
			"~> **Deleting an account stops every flow that uses it**, in Appmixer, and revokes its tokens.\n\n" +
			"Import by account id. A token cannot be read back, so an imported account keeps the one it has; the " +
			"first plan records `token_wo_version` in place without sending `token_wo`, and bumping it later " +
			"replaces the account.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("The account id (`accountId`), as flows' `accounts` bind it."),
			"service": schema.StringAttribute{
				MarkdownDescription: "Service of the account, `vendor:service` (e.g. `appmixer:slack`). A change replaces the account.",
				Required:            true,
				Validators:          []validator.String{serviceNameValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The account's name, as the `appmixer_account` data source finds it. Appmixer cannot " +
					"rename an account, so a change replaces it.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "The name Appmixer shows; changed in place. Unset, the account keeps the name " +
					"Appmixer has (someone may rename it in the Appmixer UI).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"token_wo": schema.StringAttribute{
				MarkdownDescription: "The credentials as a JSON object, write-only (never stored), shaped by the service's " +
					"auth: OAuth 2 `{accessToken, refreshToken?, expDate?, scope: [...]}`, an API key service its auth " +
					"fields (`{apiKey = var.key}`), a password service `{username, password}`. Required to create the " +
					"account; needs `token_wo_version`.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				// Checked with its version by writeOnlyChecks, which never names this attribute.
			},
			"token_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it to connect the account again with the current `token_wo`, " +
					"which replaces the account (see above). Setting it on an imported account sends nothing.",
				Optional:      true,
				PlanModifiers: []planmodifier.Int64{newTokenReplaces{}},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "Id of the user owning the account: the provider's user.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"revoked": schema.BoolAttribute{
				MarkdownDescription: "Whether Appmixer marks the account revoked (its token no longer works); null where " +
					"the server does not say.",
				Computed: true, // no UseStateForUnknown: Appmixer may revoke the account between plan and apply
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// newTokenReplaces replaces the account when token_wo_version changes from a known value: a token
// cannot be changed in place. From null (an imported account) the version is only recorded.
type newTokenReplaces struct{}

func (newTokenReplaces) Description(context.Context) string {
	return "a changed token_wo_version replaces the account"
}

func (m newTokenReplaces) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (newTokenReplaces) PlanModifyInt64(_ context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.StateValue.IsNull() {
		return
	}
	resp.RequiresReplace = !req.PlanValue.Equal(req.StateValue)
}

func (r *accountResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan requires a token only when the account is created, so that an imported account, and the
// configuration -generate-config-out writes for it, stay valid without one.
func (r *accountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	if !requireRealAPI(r.pd.client, &resp.Diagnostics, "appmixer_account") {
		return
	}
	var token types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("token_wo"), &token)...)
	if req.State.Raw.IsNull() && token.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("token_wo"), "Missing token",
			"A new Appmixer account needs its credentials: set token_wo (a JSON object, e.g. jsonencode({ apiKey = var.key })) "+
				"with token_wo_version.")
	}
}

func (r *accountResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{writeOnlyChecks{secret: "token_wo", version: "token_wo_version", jsonObject: true}}
}

func (r *accountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg accountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Create, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	what := fmt.Sprintf("Appmixer account %q of %s", plan.Name.ValueString(), plan.Service.ValueString())
	created, err := r.pd.client.CreateAccount(ctx, appmixer.NewAccount{
		Service: plan.Service.ValueString(), Name: plan.Name.ValueString(), DisplayName: plan.DisplayName.ValueString(),
		Token: json.RawMessage(cfg.TokenWO.ValueString()),
	})
	if err != nil {
		r.addCreateError(ctx, &resp.Diagnostics, "Cannot create "+what, plan.Service.ValueString(), cfg.TokenWO.ValueString(), err)
		return
	}
	r.pd.lists.accounts.Forget(created.ID)
	state := accountFromAPI(created, plan)
	r.readBack(ctx, state, &resp.State, &resp.Diagnostics)
}

// readBack refreshes m from the listing after a write and saves it; a failed read keeps m in state.
func (r *accountResource) readBack(ctx context.Context, m accountResourceModel, st *tfsdk.State, diags *diag.Diagnostics) {
	a, err := r.pd.lists.accounts.Get(ctx, m.ID.ValueString(), nil)
	if err != nil {
		diags.Append(st.Set(ctx, &m)...)
		addAPIError(diags, "Cannot read Appmixer account "+m.ID.ValueString()+" back", err)
		return
	}
	m = accountFromAPI(a, m)
	diags.Append(st.Set(ctx, &m)...)
}

func (r *accountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state accountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	// Appmixer has no GET /accounts/{id}: the listing is the only read.
	a, err := r.pd.lists.accounts.Get(ctx, id, nil)
	if !readFound(ctx, resp, "Appmixer account "+id, err) {
		return
	}
	state = accountFromAPI(a, state)
	if state.Revoked.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(path.Root("revoked"), "Account revoked",
			fmt.Sprintf("Appmixer marks account %s (%q of %s) revoked: its token no longer works. Bump token_wo_version "+
				"with a new token_wo to connect it again.", id, a.Name, a.Service))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *accountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state accountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Update, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	plan.ID, plan.TokenWO = state.ID, types.StringNull()
	if !plan.DisplayName.IsUnknown() && !plan.DisplayName.IsNull() && !plan.DisplayName.Equal(state.DisplayName) {
		r.pd.lists.accounts.Forget(id)
		if err := r.pd.client.SetAccountDisplayName(ctx, id, plan.DisplayName.ValueString()); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot change the display name of Appmixer account "+id, err)
			return
		}
	}
	r.readBack(ctx, plan, &resp.State, &resp.Diagnostics)
}

func (r *accountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteTenantObject(ctx, state.Timeouts, &resp.Diagnostics, "Appmixer account "+id, id, r.pd.lists.accounts.Forget, r.pd.client.DeleteAccount)
}

func (r *accountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importObjectID(ctx, req, resp, accountIDDescription)
}
