// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure   = &dataStoreResource{}
	_ resource.ResourceWithImportState = &dataStoreResource{}
	_ resource.ResourceWithModifyPlan  = &dataStoreResource{}
)

// defaultTenantConfigTimeout bounds each write of tenant configuration, a request or two.
const defaultTenantConfigTimeout = 2 * time.Minute

// dataStoreIDDescription says what a data store's import ID is.
const dataStoreIDDescription = "a data store id (storeId)"

// NewDataStoreResource manages an Appmixer data store (/stores).
func NewDataStoreResource() resource.Resource { return &dataStoreResource{} }

type dataStoreResource struct{ pd *providerData }

type dataStoreModel struct {
	ID       types.String   `tfsdk:"id"`
	Name     types.String   `tfsdk:"name"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// dataStoreFromAPI rebuilds the whole model from the server's store.
func dataStoreFromAPI(s *appmixer.Store, prior dataStoreModel) dataStoreModel {
	return dataStoreModel{ID: types.StringValue(s.ID), Name: types.StringValue(s.Name), Timeouts: prior.Timeouts}
}

func (r *dataStoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_store"
}

func (r *dataStoreResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Appmixer data store: a key-value store that flows read and write. Flows name a store " +
			"by its `id` inside a component's `config.properties` (`storeId`), and the id differs per tenant: pass " +
			"`appmixer_data_store.x.id` into the flow definition (`templatefile` or `replace`) rather than copying it.\n\n" +
			"The store belongs to the provider's user. Its records are data, not configuration: Terraform neither " +
			"reads nor writes them.\n\n" +
			"~> **Destroying a data store deletes all its records**, and flows that use it then fail.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("The store id (`storeId`)."),
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the store, as shown in Appmixer. A change renames the store in place; its id " +
					"and records stay.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *dataStoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *dataStoreResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	requireRealAPI(r.pd.client, &resp.Diagnostics, "appmixer_data_store")
}

func (r *dataStoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dataStoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Create, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	id, err := r.pd.client.CreateStore(ctx, plan.Name.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot create Appmixer data store "+plan.Name.ValueString(), err)
		return
	}
	r.pd.lists.stores.Forget(id)
	plan.ID = types.StringValue(id)
	r.readBack(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// readBack refreshes m from the server after a write and saves it; a failed read keeps what was planned
// in state, so the store is never forgotten.
func (r *dataStoreResource) readBack(ctx context.Context, m *dataStoreModel, st *tfsdk.State, diags *diag.Diagnostics) {
	s, err := r.pd.client.GetStore(ctx, m.ID.ValueString())
	if err != nil {
		diags.Append(st.Set(ctx, m)...)
		addAPIError(diags, "Cannot read Appmixer data store "+m.ID.ValueString()+" back", err)
		return
	}
	*m = dataStoreFromAPI(s, *m)
	diags.Append(st.Set(ctx, m)...)
}

func (r *dataStoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dataStoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	s, err := r.pd.lists.stores.Get(ctx, id, r.pd.client.GetStore)
	if !readFound(ctx, resp, "Appmixer data store "+id, err) {
		return
	}
	state = dataStoreFromAPI(s, state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *dataStoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dataStoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Update, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	r.pd.lists.stores.Forget(id)
	if err := r.pd.client.RenameStore(ctx, id, plan.Name.ValueString()); err != nil {
		addAPIError(&resp.Diagnostics, "Cannot rename Appmixer data store "+id, err)
		return
	}
	plan.ID = state.ID
	r.readBack(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *dataStoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dataStoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteTenantObject(ctx, state.Timeouts, &resp.Diagnostics, "Appmixer data store "+id, id, r.pd.lists.stores.Forget, r.pd.client.DeleteStore)
}

func (r *dataStoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importObjectID(ctx, req, resp, dataStoreIDDescription)
}
