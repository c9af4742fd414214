// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure      = &flowResource{}
	_ resource.ResourceWithImportState    = &flowResource{}
	_ resource.ResourceWithValidateConfig = &flowResource{}
	_ resource.ResourceWithModifyPlan     = &flowResource{}
)

// defaultFlowTimeout bounds create, update and delete, each a handful of requests.
const defaultFlowTimeout = 5 * time.Minute

// NewFlowResource manages one Appmixer flow: its descriptor, stage and account bindings.
func NewFlowResource() resource.Resource { return &flowResource{} }

type flowResource struct {
	client         *appmixer.Client
	componentTypes *componentTypes
	flows          *appmixer.FlowReader
}

func (r *flowResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow"
}

func (r *flowResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Appmixer flow as code: its descriptor, whether it runs, and which connected account each " +
			"component uses.\n\n" +
			"Drift made in the Appmixer designer shows in `terraform plan`: a renamed flow, an edited, added, removed or " +
			"rewired component, a flow started, stopped or deleted by hand. Only fields the server owns are ignored: the " +
			"`version` of a component the definition gives none (the server stamps the newest installed one), an account " +
			"in `config.properties.account` while `accounts` manages the bindings, and, with `ignore_layout`, the boxes' " +
			"positions.\n\n" +
			"Starting can fail: Appmixer answers 400 when a component's `config.transform` does not fit its in-ports " +
			"(\"Component transformation validation error\", \"Malformed transformation\") or a trigger refuses to start. " +
			"The flow is then saved but stopped: the error quotes the server and names the components, the flow stays in " +
			"state with `stage = \"stopped\"` (tainted when it was being created), and the next apply starts it again.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("The flow id (`flowId`)."),
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the flow, as shown in Appmixer.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the flow. The contract API dialect does not store descriptions; " +
					"there the configured value is kept as is.",
				Optional: true,
			},
			"definition": schema.StringAttribute{
				MarkdownDescription: "The flow descriptor as a JSON string, e.g. from `file(\"flow.json\")` or `jsonencode({...})`: " +
					"an object keyed by component id whose values have `type` (`vendor.service.module.Component`), and " +
					"optionally `label`, `x`, `y`, `source` (incoming links, `{\"<in-port>\": {\"<component id>\": " +
					"[\"<out-port>\"]}}`), `config`, `errorHandling` and `version`; anything else a component holds is kept " +
					"and compared too. An `appmixer flow export` file wraps the descriptor (`{name, flow, ...}`): pass its " +
					"`flow`, e.g. `jsonencode(jsondecode(file(\"x.json\")).flow)` or `provider::appmixer::flow_from_export(file(\"x.json\"))`; the whole file is refused at plan time.\n\n" +
					"Compared semantically: whitespace and key order do not matter. A component's `version` pins it: the " +
					"server keeps a version that is sent, a change of it is an update and a change on the server is drift. " +
					"A component without `version` gets the newest installed one on each save, which is then the server's " +
					"and never drift. An account in a component's `config.properties.account` (Appmixer's Designer and " +
					"tools write one beside the binding) is sent as written; while `accounts` is set, `accounts` wins and " +
					"that key is not compared. Positions (`x`, `y`) are drift unless `ignore_layout` is true.",
				Required:   true,
				CustomType: flowDefinitionType{},
				Validators: []validator.String{flowDefinitionValidator{}},
			},
			"stage": schema.StringAttribute{
				MarkdownDescription: "`stopped` (default) or `running`. The server's transitional stages are read as the " +
					"stage they lead to or stand for: `starting` is `running`; `stopping`, `paused` and `paused-by-user` " +
					"are `stopped` (so a paused flow is started again by an apply that wants it `running`).",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(stageStopped),
				Validators: []validator.String{stringvalidator.OneOf(stageStopped, stageRunning)},
			},
			"custom_fields": schema.MapAttribute{
				MarkdownDescription: "The flow's custom fields (`customFields`), e.g. a category for the flow list. " +
					"Values that are not strings on the server are shown as JSON text.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"accounts": schema.MapAttribute{
				MarkdownDescription: "Connected accounts to bind, keyed by component id of the definition, each an " +
					"`account_id` (see the `appmixer_account` data source). When set, it is authoritative: other " +
					"components' bindings are removed, and bindings are read back and re-applied after each definition " +
					"update (the server leaves new components unbound). It wins over `config.properties.account` in the " +
					"definition, which is then not compared. When left out, bindings are not managed and an account the " +
					"Designer writes into the definition shows as drift. Not available in the contract API dialect, which " +
					"has no binding route.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"ignore_layout": schema.BoolAttribute{
				MarkdownDescription: "When true, components moved on the canvas (changed `x`/`y`) are not drift. " +
					"`lifecycle.ignore_changes` cannot reach inside the JSON. An apply still writes the configured positions.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"notes": schema.StringAttribute{
				MarkdownDescription: "The Designer's sticky notes as JSON (`notes`): `{\"<note id>\": {\"x\": 40, \"y\": 40, " +
					"\"width\": 240, \"height\": 120, \"content\": \"Markdown\"}}`, compared semantically. Left out, " +
					"notes are not managed (notes written in the Designer stay and are no drift); `{}` removes them. An " +
					"import reads them. Not available in the contract API dialect.",
				Optional:   true,
				CustomType: jsonType[plainJSON]{},
				Validators: []validator.String{jsonValidator{object: true}},
			},
			"shared_with": sharedWithAttribute("Who the flow is shared with (`sharedWith`). Left out, sharing is " +
				"not managed; `[]` unshares. Only the flow's owner sees the whole list (another user sees the entries " +
				"that name them), so the provider's user should own the flow. Not available in the contract API dialect."),
			"user_id": schema.StringAttribute{
				MarkdownDescription: "Id of the user owning the flow. Null in the contract API dialect.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the flow was created (`btime`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the flow was last saved (`mtime`).",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *flowResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if pd := providerDataFrom(req.ProviderData, &resp.Diagnostics); pd != nil {
		r.client, r.componentTypes, r.flows = pd.client, pd.componentTypes, pd.flows
	}
}

// checkComponentTypes fails before a flow is saved with a type the tenant lacks. It runs at apply time,
// when a connector published by the same apply is already installed.
func (r *flowResource) checkComponentTypes(ctx context.Context, definition string, diags *diag.Diagnostics) {
	checkInstalledTypes(ctx, r.componentTypes, r.client.BaseURL(), definition, diags)
}

// checkInstalledTypes reports the component types of a definition that the tenant lacks.
func checkInstalledTypes(ctx context.Context, installed *componentTypes, baseURL, definition string, diags *diag.Diagnostics) {
	byType := definitionTypes(definition)
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	missing, err := installed.missing(ctx, types)
	if err != nil {
		addAPIError(diags, "Cannot list the tenant's component types", err)
		return
	}
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("definition"), "Component type not installed in the tenant",
			missingTypesMessage(baseURL, missing, byType))
	}
}

// ValidateConfig checks what a single attribute's validator cannot: accounts against the descriptor.
func (r *flowResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg flowResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Definition.IsUnknown() || cfg.Definition.IsNull() ||
		cfg.Accounts.IsUnknown() || cfg.Accounts.IsNull() {
		return
	}
	ids := definitionComponentIDs(cfg.Definition.ValueString())
	if ids == nil {
		return // the definition's own validator reports it
	}
	for _, key := range sortedKeys(cfg.Accounts.Elements()) {
		if !ids[key] {
			resp.Diagnostics.AddAttributeError(path.Root("accounts").AtMapKey(key), "Unknown component in accounts",
				fmt.Sprintf("accounts binds component %q, which is not a component of the definition (its components: %s).",
					key, strings.Join(sortedKeys(ids), ", ")))
		}
	}
}

// ModifyPlan rejects bindings a contract-dialect server cannot make, before anything is created.
func (r *flowResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil || r.client.Dialect() != appmixer.DialectContract {
		return
	}
	var accounts types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("accounts"), &accounts)...)
	if !accounts.IsNull() && !accounts.IsUnknown() && len(accounts.Elements()) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("accounts"), "Account bindings not supported",
			contractAccountsMessage)
	}
	var notes jsonValue[plainJSON]
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("notes"), &notes)...)
	if !notes.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("notes"), "Notes not supported",
			"notes is not supported by the contract API dialect, whose flows have no notes. Leave it out, "+
				"or use api_dialect = \"appmixer\" against a real Appmixer API.")
	}
	var shares types.List
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("shared_with"), &shares)...)
	if !shares.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("shared_with"), "Sharing not supported",
			"shared_with is not supported by the contract API dialect, whose flows have no sharedWith. Leave it out, "+
				"or use api_dialect = \"appmixer\" against a real Appmixer API.")
	}
}

func (r *flowResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan flowResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Create, defaultFlowTimeout, &resp.Diagnostics)
	defer cancel()
	in, diags := flowInputFromModel(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.checkComponentTypes(ctx, plan.Definition.ValueString(), &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}

	id, err := r.client.CreateFlow(ctx, in)
	if err != nil {
		r.recoverFailedCreate(ctx, &resp.State, &resp.Diagnostics, plan, id, err)
		return
	}
	plan.ID = types.StringValue(id)
	// From here on the flow exists: a failure saves it to state, so that Terraform marks it tainted and
	// replaces it, instead of losing track of it.
	if err := r.syncAccounts(ctx, id, plan.Accounts, types.MapNull(types.StringType), false); err != nil {
		r.saveAfterFailure(ctx, &resp.State, &resp.Diagnostics, plan, "binding its accounts", err)
		return
	}
	if plan.Stage.ValueString() == stageRunning {
		if err := r.client.StartFlow(ctx, id); err != nil {
			r.saveAfterFailure(ctx, &resp.State, &resp.Diagnostics, plan, "starting it", r.startError(ctx, id, plan.Definition.ValueString(), err))
			return
		}
	}
	if found, err := r.readInto(ctx, &plan, plan); err != nil || !found {
		if err == nil {
			err = errors.New("the flow was not found right after it was created")
		}
		r.saveAfterFailure(ctx, &resp.State, &resp.Diagnostics, plan, "reading it back", err)
		return
	}
	recordTenantSize(ctx, resp.Private, r.flows.CountOnce(ctx), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *flowResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state flowResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A refresh may be answered from the process's listing of all flows (appmixer.FlowReader), which the
	// tenant size recorded with the flow helps decide.
	r.flows.NoteTenantSize(tenantSizeFrom(ctx, req.Private))
	found, err := r.readWith(ctx, r.flows.Get, &state, state)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read Appmixer flow "+state.ID.ValueString(), err)
		return
	}
	if !found {
		// Deleted outside Terraform: the next plan creates it again.
		resp.State.RemoveResource(ctx)
		return
	}
	recordTenantSize(ctx, resp.Private, r.flows.TenantSize(), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readInto rebuilds m from the server; prior decides what the server cannot (see applyFlow). It reports
// false when the flow does not exist.
func (r *flowResource) readInto(ctx context.Context, m *flowResourceModel, prior flowResourceModel) (bool, error) {
	return r.readWith(ctx, r.client.GetFlow, m, prior)
}

// readWith is readInto with the flow fetched by get.
func (r *flowResource) readWith(ctx context.Context, get func(context.Context, string) (*appmixer.Flow, error),
	m *flowResourceModel, prior flowResourceModel) (bool, error) {
	f, err := get(ctx, prior.ID.ValueString())
	if appmixer.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	got, err := flowFromAPI(ctx, f, prior)
	if err != nil {
		return false, err
	}
	*m = got
	// Bindings are read only when managed: they cost a request, and an unmanaged flow may have any.
	if prior.Accounts.IsNull() || prior.Accounts.IsUnknown() {
		return true, nil
	}
	auth, err := r.client.FlowAuth(ctx, f.ID)
	switch {
	case bindingsUnsupported(err):
		m.Accounts = prior.Accounts
	case err != nil:
		return false, err
	default:
		m.Accounts = accountsFromAPI(auth)
	}
	return true, nil
}

func (r *flowResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state flowResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Update, defaultFlowTimeout, &resp.Diagnostics)
	defer cancel()
	in, diags := flowInputFromModel(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	plan.ID = state.ID
	if !plan.Definition.Equal(state.Definition) {
		if r.checkComponentTypes(ctx, plan.Definition.ValueString(), &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
	}

	running := state.Stage.ValueString() == stageRunning
	wantRunning := plan.Stage.ValueString() == stageRunning
	if running && !wantRunning {
		// Stopping first spares the forced update of a running flow.
		if err := r.client.StopFlow(ctx, id); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot stop Appmixer flow "+id, err)
			return
		}
		running = false
	}
	saved := false
	if !plan.Name.Equal(state.Name) || !plan.Description.Equal(state.Description) ||
		!plan.Definition.Equal(state.Definition) || !plan.CustomFields.Equal(state.CustomFields) ||
		!plan.SharedWith.Equal(state.SharedWith) || !plan.Notes.Equal(state.Notes) {
		// The server rejects an update of a running flow unless forced; forcing keeps it running.
		if err := r.client.UpdateFlow(ctx, id, in, running); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot update Appmixer flow "+id, err)
			return
		}
		saved = true
	}
	if err := r.syncAccounts(ctx, id, plan.Accounts, state.Accounts, saved); err != nil {
		addAPIError(&resp.Diagnostics, "Cannot bind accounts of Appmixer flow "+id, err)
		return
	}
	if wantRunning && running && !plan.Accounts.Equal(state.Accounts) {
		// Appmixer stops the flows of a deleted account, so an appmixer_account replaced in this apply
		// (deleted first, by default) may have stopped this one since the plan.
		if f, err := r.client.GetFlow(ctx, id); err == nil && !f.Running() {
			running = false
		}
	}
	if wantRunning && !running {
		if err := r.client.StartFlow(ctx, id); err != nil {
			if appmixer.IsBadRequest(err) {
				// Refused: the flow is saved (any update above went through) but stopped. State says so,
				// instead of the plan's "running", so the next plan tries again.
				r.saveStopped(ctx, &resp.State, &resp.Diagnostics, plan)
				resp.Diagnostics.AddError("Cannot start Appmixer flow "+id, r.startError(ctx, id, plan.Definition.ValueString(), err).Error())
				return
			}
			addAPIError(&resp.Diagnostics, "Cannot start Appmixer flow "+id, err)
			return
		}
	}
	found, err := r.readInto(ctx, &plan, plan)
	if err == nil && !found {
		err = errors.New("the flow was deleted while it was being updated")
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read Appmixer flow "+id+" after updating it", err)
		return
	}
	recordTenantSize(ctx, resp.Private, r.flows.CountOnce(ctx), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *flowResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state flowResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, state.Timeouts.Delete, defaultFlowTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if state.Stage.ValueString() == stageRunning {
		// Not every server stops a flow it deletes.
		if err := r.client.StopFlow(ctx, id); err != nil {
			if appmixer.IsNotFound(err) {
				return
			}
			addAPIError(&resp.Diagnostics, "Cannot stop Appmixer flow "+id+" before deleting it", err)
			return
		}
	}
	addDeleteError(&resp.Diagnostics, "Appmixer flow "+id, r.client.DeleteFlow(ctx, id))
}

func (r *flowResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := parseFlowImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(importByID(ctx, &resp.State, id)...)
}

// flowFromAPI rebuilds the model from the server's flow, given the prior model (see applyFlow). Account
// bindings stay null: they cost a request of their own, and readWith reads them only where they are
// managed, so an imported flow leaves them alone.
func flowFromAPI(ctx context.Context, f *appmixer.Flow, prior flowResourceModel) (flowResourceModel, error) {
	if integrationFlowType(f.Type) {
		return flowResourceModel{}, fmt.Errorf("flow %s is an %s: appmixer_flow manages plain flows (automations) only. Manage "+
			"integrations with appmixer_integration, which imports an integration by its draft's id", f.ID, f.Type)
	}
	var m flowResourceModel
	if d := m.applyFlow(ctx, f, prior); d.HasError() {
		return m, diagError(d)
	}
	m.Timeouts = prior.Timeouts
	m.Accounts = types.MapNull(types.StringType)
	return m, nil
}
