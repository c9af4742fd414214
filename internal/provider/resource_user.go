// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure        = &userResource{}
	_ resource.ResourceWithModifyPlan       = &userResource{}
	_ resource.ResourceWithImportState      = &userResource{}
	_ resource.ResourceWithConfigValidators = &userResource{}
)

const defaultUserDeleteTimeout = 10 * time.Minute

var wordPattern = regexp.MustCompile(`^\w+$`)

// NewUserResource manages an Appmixer user with the admin API.
func NewUserResource() resource.Resource { return &userResource{} }

type userResource struct {
	client *appmixer.Client
}

func (r *userResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (r *userResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an Appmixer user. The provider must log in as an admin (scope `admin`): reading, " +
			"changing and deleting users are admin-only.\n\n" +
			"~> **Deleting a user deletes all of that user's data.** Appmixer stops and deletes the user's flows and " +
			"removes their accounts, data stores and files with them; this cannot be undone.\n\n" +
			"Prefer `password_wo` (Terraform or OpenTofu 1.11 or later): it is never stored in the state or shown in plans. " +
			"Change `password_wo_version` to rotate it; Appmixer sets the new password by the user's e-mail address " +
			"(`POST /user/reset-password`), so a user whose password changes needs an `email`. `password` works with older Terraform but is kept in the " +
			"state (marked sensitive). An imported user needs neither until its password should change.\n\n" +
			"With `api_dialect = \"contract\"` the API has no route that reads another user, so the provider keeps the " +
			"last values it knows; `email`, `scope` and `vendor` cannot be set there, and import works by id only.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("The user's id."),
			"username": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Login name, usually an e-mail address. **Changing it replaces the user**, which deletes " +
					"all of the user's flows, accounts and data: Appmixer 6.x cannot rename a user (its `PUT /users/{id}` " +
					"ignores `username`), and the plan warns about it. With `api_dialect = \"contract\"` it renames the user in place.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"email": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "E-mail address. Defaults to `username` when that is an address, otherwise to " +
					"what the server holds.",
				PlanModifiers: []planmodifier.String{emailDefault{}},
			},
			"password": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Password, for Terraform older than 1.11. It is stored in the state (as a sensitive " +
					"value); prefer `password_wo`. Conflicts with `password_wo`. A change sets the new password in place.",
			},
			"password_wo": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "Password, write-only (Terraform or OpenTofu 1.11 or later): sent to Appmixer when the user is " +
					"created and whenever `password_wo_version` changes, never stored. Conflicts with `password`.",
				// Checked with its version by writeOnlyChecks, which never names this attribute.
			},
			"password_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Any number; change it to send `password_wo` again, which rotates the password in place.",
			},
			"scope": schema.SetAttribute{
				Optional:    true,
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Scopes (roles) such as `user`, `admin`, `developer` or `private`. Defaults to what " +
					"the server gives new users, usually `[\"user\"]`.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(wordPattern, "must be a scope name such as user or admin")),
				},
				PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			},
			"vendor": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Vendor namespace the user may publish components to (see `appmixer_component`), " +
					"e.g. `acme`.",
				Validators: []validator.String{stringvalidator.RegexMatches(wordPattern, "must be a vendor name such as acme")},
			},
			"plan": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The user's Appmixer plan, e.g. `free`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"is_active": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the account is activated; null where the API does not report it.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Delete: true}),
		},
	}
}

func (r *userResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		writeOnlyChecks{secret: "password_wo", version: "password_wo_version", conflicts: "password"},
	}
}

func (r *userResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *userResource) contract() bool {
	return r.client != nil && r.client.Dialect() == appmixer.DialectContract
}

// ModifyPlan requires a password only when the user is created, so that an imported user, and the
// configuration -generate-config-out writes for it, stay valid without one.
func (r *userResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var cfg, plan, state userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if creating && cfg.Password.IsNull() && cfg.PasswordWO.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("password_wo"), "Missing password",
			"A new Appmixer user needs a password: set password_wo with password_wo_version (Terraform or OpenTofu 1.11 or later), or password.")
	}
	if !creating {
		passwordChanges := (!plan.Password.IsNull() && !plan.Password.Equal(state.Password)) ||
			(!cfg.PasswordWO.IsNull() && !plan.PasswordWOVersion.Equal(state.PasswordWOVersion))
		planUserChanges(state, plan, passwordChanges, r.contract(), resp)
	}
	if !r.contract() {
		return
	}
	resp.Diagnostics.Append(contractUserProblems(cfg)...)
	// The contract server picks the e-mail itself and no route reads it back later.
	if cfg.Email.IsNull() {
		if creating || !plan.Username.Equal(state.Username) {
			plan.Email = types.StringUnknown()
		} else {
			plan.Email = state.Email
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("email"), plan.Email)...)
	}
}

func (r *userResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	username := plan.Username.ValueString()
	// POST /user is open signup, so a non-admin provider would create the user and then fail to read or
	// delete it; refusing first leaves nothing behind. The contract's GET /user has no scope to check.
	if me, err := r.client.CurrentUser(ctx); err == nil && me.Scope != nil && !contains(me.Scope, "admin") {
		resp.Diagnostics.AddError("Permission denied: managing Appmixer users needs an admin",
			fmt.Sprintf("Cannot create appmixer_user %q: the provider's user %q has scope [%s], without \"admin\". Creating, "+
				"reading, changing and deleting users (POST /user with PUT, GET and DELETE /users/{id}) need an admin; "+
				"configure the provider with an admin user.", username, me.Username, strings.Join(me.Scope, ", ")))
		return
	}

	password := plan.Password.ValueString()
	if !cfg.PasswordWO.IsNull() {
		password = cfg.PasswordWO.ValueString()
	}
	in := appmixer.NewUser{Username: username, Password: password}
	if !plan.Email.IsUnknown() {
		in.Email = plan.Email.ValueString()
	}
	created, err := r.client.CreateUser(ctx, in)
	var orphan *appmixer.OrphanUserError
	if errors.As(err, &orphan) {
		resp.Diagnostics.AddAttributeError(path.Root("username"),
			fmt.Sprintf("Appmixer user %q was created but is NOT managed by Terraform", username), err.Error())
		return
	}
	if err != nil {
		addUserAPIError(&resp.Diagnostics, path.Root("username"), fmt.Sprintf("Cannot create Appmixer user %q", username), err)
		return
	}
	state := plan
	state.PasswordWO = types.StringNull()
	state.applyAPIUser(created, false)

	// scope and vendor are admin settings that signup does not take.
	upd := appmixer.UserUpdate{}
	if !plan.Scope.IsNull() && !plan.Scope.IsUnknown() {
		upd.Scope = setStrings(plan.Scope)
	}
	if !plan.Vendor.IsNull() {
		upd.Vendor = []string{plan.Vendor.ValueString()}
	}
	if upd.Scope != nil || upd.Vendor != nil {
		if err := r.client.UpdateUser(ctx, created.ID, upd); err != nil {
			// Keep the new user in state (Terraform marks it tainted) rather than lose track of it.
			state.settleUnknowns()
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			addUserAPIError(&resp.Diagnostics, changedAttr(upd), fmt.Sprintf("Created Appmixer user %q but cannot set its scope and vendor", username), err)
			return
		}
	}
	r.readBack(ctx, &state, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u, err := fetchUser(ctx, r.client, state.ID.ValueString())
	switch {
	case err == nil:
		state.fromAPI(u, &resp.Diagnostics)
	case appmixer.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return
	case errors.Is(err, appmixer.ErrNotSupported) && !state.Username.IsNull():
		// The contract cannot read another user: keep the last known values.
	case errors.Is(err, appmixer.ErrNotSupported):
		resp.Diagnostics.AddError("Cannot import this Appmixer user with this API",
			fmt.Sprintf("User %q is not the provider's own user, and this API has no route that reads another user, "+
				"so there is nothing to import it from. (%v)", state.ID.ValueString(), err))
		return
	default:
		addUserAPIError(&resp.Diagnostics, path.Empty(), fmt.Sprintf("Cannot read Appmixer user %q", state.ID.ValueString()), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	upd := appmixer.UserUpdate{}
	if !plan.Username.Equal(state.Username) {
		upd.Username = plan.Username.ValueStringPointer()
	}
	if !plan.Email.IsUnknown() && !plan.Email.IsNull() && !plan.Email.Equal(state.Email) {
		upd.Email = plan.Email.ValueStringPointer()
	}
	switch {
	case !plan.Password.IsNull() && !plan.Password.Equal(state.Password):
		upd.Password = plan.Password.ValueStringPointer()
	case !cfg.PasswordWO.IsNull() && !plan.PasswordWOVersion.Equal(state.PasswordWOVersion):
		upd.Password = cfg.PasswordWO.ValueStringPointer()
	}
	if !plan.Scope.IsUnknown() && !plan.Scope.IsNull() && !plan.Scope.Equal(state.Scope) {
		upd.Scope = setStrings(plan.Scope)
	}
	if !plan.Vendor.Equal(state.Vendor) {
		upd.Vendor = []string{} // clears it
		if !plan.Vendor.IsNull() {
			upd.Vendor = []string{plan.Vendor.ValueString()}
		}
	}
	if upd.Username != nil || upd.Email != nil || upd.Password != nil || upd.Scope != nil || upd.Vendor != nil {
		if err := r.client.UpdateUser(ctx, state.ID.ValueString(), upd); err != nil {
			addUserAPIError(&resp.Diagnostics, changedAttr(upd), fmt.Sprintf("Cannot update Appmixer user %q", state.Username.ValueString()), err)
			return
		}
	}
	plan.ID = state.ID
	plan.PasswordWO = types.StringNull()
	r.readBack(ctx, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// readBack refreshes m after a write; where the API cannot read the user (contract), m keeps the
// planned values.
func (r *userResource) readBack(ctx context.Context, m *userModel, diags *diag.Diagnostics) {
	u, err := fetchUser(ctx, r.client, m.ID.ValueString())
	switch {
	case err == nil:
		m.fromAPI(u, diags)
	case errors.Is(err, appmixer.ErrNotSupported):
	default:
		addUserAPIError(diags, path.Empty(), fmt.Sprintf("Cannot read Appmixer user %q back", m.Username.ValueString()), err)
	}
	m.settleUnknowns()
}

func (r *userResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultUserDeleteTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()
	ticket, err := r.client.DeleteUser(ctx, id)
	if appmixer.IsNotFound(err) {
		return
	}
	if err != nil {
		addUserAPIError(&resp.Diagnostics, path.Empty(), fmt.Sprintf("Cannot delete Appmixer user %q", state.Username.ValueString()), err)
		return
	}
	if ticket == "" {
		return // the contract deletes synchronously
	}
	// Deletion stops and removes the user's flows and data in the background; the user is gone only when
	// the ticket says so, and a failure there must not pass for success.
	err = waitForUserDeletion(ctx, r.client, id, state.Username.ValueString(), ticket)
	var ended *userDeletionEnded
	switch {
	case errors.As(err, &ended):
		resp.Diagnostics.AddError(fmt.Sprintf("Deleting Appmixer user %q did not succeed", state.Username.ValueString()),
			fmt.Sprintf("Appmixer ended the deletion of user %s (ticket %s) without success: %s. The user may be partly "+
				"deleted; it stays in the state, and the next destroy or apply tries again.", id, ticket, ended.msg))
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("Deleting Appmixer user %q did not complete (ticket %s)", state.Username.ValueString(), ticket),
			timeoutHint(err, timeout, "delete"))
	}
}

// ImportState takes "<id>" or "username:<name>".
func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, username, err := userImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%v; expected <user id> or username:<username>.", err))
		return
	}
	if username != "" {
		if r.contract() {
			resp.Diagnostics.AddError("Import by username is not possible with this API",
				"api_dialect = \"contract\" has no route that searches users; import by the user's id instead.")
			return
		}
		u, err := r.client.FindUserByUsername(ctx, username)
		if err != nil {
			addUserAPIError(&resp.Diagnostics, path.Empty(), fmt.Sprintf("Cannot find Appmixer user %q", username), err)
			return
		}
		id = u.ID
	}
	resp.Diagnostics.Append(importByID(ctx, &resp.State, id)...)
}

// contractUserProblems reports, in schema order, the attributes the contract's user routes cannot take.
func contractUserProblems(cfg userModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range []struct {
		name  string
		value interface{ IsNull() bool }
	}{{"email", cfg.Email}, {"scope", cfg.Scope}, {"vendor", cfg.Vendor}} {
		if !a.value.IsNull() {
			diags.AddAttributeError(path.Root(a.name), "Not supported by this API",
				a.name+" cannot be set with api_dialect = \"contract\": that API creates users from a username and password "+
					"only, and its PUT /users/{id} takes only username and password. Remove "+a.name+" from the configuration.")
		}
	}
	return diags
}

// changedAttr names the attribute an admin-only update error most likely concerns.
func changedAttr(upd appmixer.UserUpdate) path.Path {
	switch {
	case upd.Scope != nil:
		return path.Root("scope")
	case upd.Vendor != nil:
		return path.Root("vendor")
	case upd.Email != nil:
		return path.Root("email")
	}
	return path.Empty()
}
