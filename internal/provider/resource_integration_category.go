// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure   = &integrationCategoryResource{}
	_ resource.ResourceWithImportState = &integrationCategoryResource{}
	_ resource.ResourceWithModifyPlan  = &integrationCategoryResource{}
)

// integrationCategoryIDDescription says what a category's import ID is.
const integrationCategoryIDDescription = "an integration category id"

// maxCategoryName is the documented limit of a category's name (appmixer-api.md §10).
const maxCategoryName = 100

// NewIntegrationCategoryResource manages an integration category (/categories, admin).
func NewIntegrationCategoryResource() resource.Resource { return &integrationCategoryResource{} }

type integrationCategoryResource struct{ pd *providerData }

type integrationCategoryModel struct {
	ID          types.String   `tfsdk:"id"`
	Name        types.String   `tfsdk:"name"`
	Description types.String   `tfsdk:"description"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// integrationCategoryFromAPI rebuilds the whole model from the server's category.
func integrationCategoryFromAPI(c *appmixer.Category, prior integrationCategoryModel) integrationCategoryModel {
	return integrationCategoryModel{ID: types.StringValue(c.ID), Name: types.StringValue(c.Name),
		Description: types.StringValue(c.Description), Timeouts: prior.Timeouts}
}

func (r *integrationCategoryResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_category"
}

func (r *integrationCategoryResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An integration category: a tab of the Automation Hub, where end users find the " +
			"integrations shared with them (`/categories`, admin). Categories are global to the tenant and every user " +
			"reads them. An `appmixer_integration` names the categories it is in by id (`categories`); the id differs " +
			"per tenant, so pass `appmixer_integration_category.x.id`, or look a category up by name with the " +
			"`appmixer_integration_category` data source.\n\n" +
			"Names are unique: a name another category holds is an error at plan time that names it, so that it can " +
			"be imported instead. Destroying a category removes it from every draft and template (the server does " +
			"that); integrations managed by Terraform then show the change in their next plan.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("The category id."),
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the category, as the Hub shows it: 1 to 100 characters, unique in the tenant. " +
					"A change renames it in place; integrations keep it.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, maxCategoryName)},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the category; empty by default.",
				Optional:            true, Computed: true, Default: stringdefault.StaticString(""),
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *integrationCategoryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses the contract dialect and non-admins, and a name another category holds: the
// server refuses it too, but only after other resources of the apply have changed.
func (r *integrationCategoryResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	if !requireRealAPI(r.pd.client, &resp.Diagnostics, "appmixer_integration_category") ||
		!r.pd.requireAdmin(&resp.Diagnostics, "appmixer_integration_category", "POST, PUT and DELETE /categories") {
		return
	}
	var plan, state integrationCategoryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || plan.Name.IsUnknown() || plan.Name.Equal(state.Name) {
		return
	}
	categories, err := r.pd.client.ListCategories(ctx)
	if err != nil {
		return // the server speaks at apply time
	}
	if taken := categoryNamed(categories, plan.Name.ValueString(), state.ID.ValueString()); taken != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Integration category name already taken", nameTaken(taken))
	}
}

// categoryNamed is the category other than self that holds name, or nil.
func categoryNamed(categories []appmixer.Category, name, self string) *appmixer.Category {
	for i, c := range categories {
		if c.Name == name && c.ID != self {
			return &categories[i]
		}
	}
	return nil
}

func nameTaken(c *appmixer.Category) string {
	return fmt.Sprintf("The category %s is already named %q, and Appmixer keeps category names unique. Choose another "+
		"name, or bring that category under Terraform: terraform import <address> %s (or an import block with "+
		"id = %q).", c.ID, c.Name, c.ID, c.ID)
}

func (r *integrationCategoryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan integrationCategoryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Create, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	name := plan.Name.ValueString()
	id, err := r.pd.client.CreateCategory(ctx, name, plan.Description.ValueString())
	if err != nil {
		r.explainWriteError(ctx, &resp.Diagnostics, "Cannot create Appmixer integration category "+name, name, "", err)
		return
	}
	r.pd.lists.categories.Forget(id)
	plan.ID = types.StringValue(id)
	r.readBack(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// explainWriteError reports a refused write; when the name is taken (a category made since the plan),
// it says by which category, whatever status the server chose for it.
func (r *integrationCategoryResource) explainWriteError(ctx context.Context, diags *diag.Diagnostics, summary, name, self string, err error) {
	if code := appmixer.StatusCode(err); code >= 400 && code < 500 {
		if all, lerr := r.pd.client.ListCategories(ctx); lerr == nil {
			if taken := categoryNamed(all, name, self); taken != nil {
				diags.AddAttributeError(path.Root("name"), summary, nameTaken(taken)+"\n\nThe server answered: "+err.Error())
				return
			}
		}
	}
	addAPIError(diags, summary, err)
}

// readBack refreshes m from the server after a write and saves it; a failed read keeps what was
// planned in state, so the category is never forgotten.
func (r *integrationCategoryResource) readBack(ctx context.Context, m *integrationCategoryModel, st *tfsdk.State, diags *diag.Diagnostics) {
	c, err := r.pd.client.GetCategory(ctx, m.ID.ValueString())
	if err != nil {
		diags.Append(st.Set(ctx, m)...)
		addAPIError(diags, "Cannot read Appmixer integration category "+m.ID.ValueString()+" back", err)
		return
	}
	*m = integrationCategoryFromAPI(c, *m)
	diags.Append(st.Set(ctx, m)...)
}

func (r *integrationCategoryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state integrationCategoryModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	c, err := r.pd.lists.categories.Get(ctx, id, r.pd.client.GetCategory)
	if !readFound(ctx, resp, "Appmixer integration category "+id, err) {
		return
	}
	state = integrationCategoryFromAPI(c, state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *integrationCategoryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state integrationCategoryModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Update, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	r.pd.lists.categories.Forget(id)
	name := plan.Name.ValueString()
	if err := r.pd.client.UpdateCategory(ctx, id, name, plan.Description.ValueString()); err != nil {
		r.explainWriteError(ctx, &resp.Diagnostics, "Cannot update Appmixer integration category "+id, name, id, err)
		return
	}
	plan.ID = state.ID
	r.readBack(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *integrationCategoryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state integrationCategoryModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteTenantObject(ctx, state.Timeouts, &resp.Diagnostics, "Appmixer integration category "+id, id,
		r.pd.lists.categories.Forget, r.pd.client.DeleteCategory)
}

func (r *integrationCategoryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importObjectID(ctx, req, resp, integrationCategoryIDDescription)
}
