// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure      = &integrationResource{}
	_ resource.ResourceWithImportState    = &integrationResource{}
	_ resource.ResourceWithValidateConfig = &integrationResource{}
	_ resource.ResourceWithModifyPlan     = &integrationResource{}
)

// Create is a few requests; an update or delete also waits for a rollout or deletion over every instance.
const (
	defaultIntegrationCreateTimeout = 5 * time.Minute
	defaultIntegrationUpdateTimeout = 20 * time.Minute
	defaultIntegrationDeleteTimeout = 20 * time.Minute
)

// NewIntegrationResource manages an Appmixer 6 integration: draft, template and rollouts to instances.
func NewIntegrationResource() resource.Resource { return &integrationResource{} }

type integrationResource struct{ pd *providerData }

func (r *integrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration"
}

const integrationDescription = "An Appmixer 6 integration as code: the **draft** flow a vendor builds, the **template** published " +
	"from it for end users, and rollouts of the template to every end user's **instance** (made in the Integrations " +
	"widget).\n\n" +
	"Create saves the draft (`type: integration-draft`) at a new id and, with a non-empty `shared_with`, publishes it by " +
	"cloning it into a template (`POST /flows/{draft}/clone`, as Appmixer's own tools do). An update saves the draft " +
	"and makes the template equal to it; with `instance_update = \"on_change\"` it then pushes the template to every " +
	"instance and waits (`POST /integrations/{template}/update-integration-instances`, polled at " +
	"`/integrations/status/{ticket}`; its progress is in the provider's log).\n\n" +
	"**Component ids.** A clone gives every component a new id and records the renaming as the clone's " +
	"`componentIdMap` (`component_id_map`). Whether the server renames draft ids itself when a template is saved " +
	"is not documented, so the provider does it: each template write carries the draft renamed through the map " +
	"(new components get new ids, removed ones leave the map, links, transforms, `$.<id>.` variables and wizard " +
	"sources follow) together with the map. That is right whether or not the server renames too, since the ids it " +
	"sends are the template's own and never keys of the map.\n\n" +
	"**Drift** shows in the plan: the draft edited in the designer; the template edited directly (the plan then shows " +
	"the template's values, read back in the draft's ids, with a warning); sharing changed or the template " +
	"unpublished by hand (`shared_with`); the template deleted by hand (the apply publishes again); the draft deleted " +
	"by hand while its template remains (the apply puts the draft back at the same id). A component's `version`, the " +
	"flows' `revision` and the template's own component ids are never drift.\n\n" +
	"**Rollouts.** A failed rollout is an error that quotes the server; the new template stays saved and the next " +
	"apply retries. One still running when the apply times out is polled again by the next apply, never started " +
	"twice.\n\n" +
	"**Revisions.** An apply that changes what the template carries raises its `revision` by exactly one, as " +
	"Appmixer's publish script and the Designer's Publish do; instances keep the revision they were made from, so " +
	"`appmixer_integration_instances` shows which lag. A change of `shared_with` alone keeps the revision. The draft's " +
	"flow id is replaced by the template's wherever it appears in the template's descriptor and wizard.\n\n" +
	"**New components** in a published template reach new instances only: a rollout updates the components an " +
	"instance has and adds none, so the plan warns when it adds components to a published template.\n\n" +
	"**Instances** are flows linked to the template by `templateId` (the Wizard and the SDK) or `originFlowId` " +
	"(a clone made with `setOriginFlowId`), whatever their type. `instance_count` counts **the instances the " +
	"provider's user can see**: `GET /flows` shows a user its own and shared flows, and no source shows an admin " +
	"token listing other users' flows, so customers' instances are normally not counted. That is why destroying a " +
	"**published** integration requires `force_destroy`, whatever `instance_count` says."

func (r *integrationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: integrationDescription,
		Attributes: map[string]schema.Attribute{
			"id": computedID("The draft's flow id (`flowId`), chosen by the provider; import by it."),
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the integration (the draft's and the template's); end users see it in the widget.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{MarkdownDescription: "Description of the integration.", Optional: true},
			"definition": schema.StringAttribute{
				MarkdownDescription: "The draft's flow descriptor as JSON, with the same rules as `appmixer_flow.definition`: " +
					"compared semantically, a component's `version` is never drift, positions are drift unless `ignore_layout`.",
				Required:   true,
				CustomType: flowDefinitionType{},
				Validators: []validator.String{flowDefinitionValidator{}},
			},
			"ignore_layout": schema.BoolAttribute{
				MarkdownDescription: "When true, components moved on the canvas are not drift (see `appmixer_flow`).",
				Optional:            true, Computed: true, Default: booldefault.StaticBool(false),
			},
			"wizard": schema.StringAttribute{
				MarkdownDescription: "The integration wizard as JSON: what end users fill in when they add the integration, " +
					"e.g. `{\"fields\": [{\"type\": \"inspectorField\", \"label\": \"Channel\", \"source\": " +
					"\"<component id>.config.properties.channel\"}]}`. Every component a field's `source` names must be a " +
					"component of `definition` (checked at plan time); the template gets the sources in its own ids.",
				Optional:   true,
				CustomType: jsonType[plainJSON]{},
				Validators: []validator.String{jsonValidator{object: true}},
			},
			"notes": schema.StringAttribute{
				MarkdownDescription: "The Designer's sticky notes as JSON (`notes`): `{\"<note id>\": {\"x\": 40, \"y\": 40, " +
					"\"width\": 240, \"height\": 120, \"content\": \"Markdown\"}}`, compared semantically. The draft " +
					"carries them and publishing carries them to the template. Left out: the integration has none.",
				Optional:   true,
				CustomType: jsonType[plainJSON]{},
				Validators: []validator.String{jsonValidator{object: true}},
			},
			"categories": schema.SetAttribute{
				MarkdownDescription: "Ids of the integration categories (Automation Hub tabs) the integration is in " +
					"(`categories` of the draft and the template; see `appmixer_integration_category`). Set with a `PUT` of " +
					"the draft and of the template, never through the publishing clone. A change neither raises the " +
					"template's `revision` nor triggers a rollout: it moves the Hub card, not what instances run. " +
					"Deleting a category removes it from every integration, which the next plan shows.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"custom_fields": schema.MapAttribute{
				MarkdownDescription: "Custom fields (`customFields`) of the draft and the template.",
				ElementType:         types.StringType,
				Optional:            true,
			},
			"shared_with": sharedWithAttribute("Who may use the integration. Not empty means published: a template " +
				"exists, shared so (`sharedWith`). Empty or left out: a draft only; a template published before is " +
				"unpublished (`sharedWith: []`) and its instances are left alone."),
			"instance_update": schema.StringAttribute{
				MarkdownDescription: "`none` (default): instances keep the template they were made from until end users " +
					"update them. `on_change`: an apply that changes the template pushes it to every instance and waits.",
				Optional: true, Computed: true, Default: stringdefault.StaticString(instanceUpdateNone),
				Validators: []validator.String{stringvalidator.OneOf(instanceUpdateNone, instanceUpdateOnChange)},
			},
			"in_progress_data": schema.StringAttribute{
				MarkdownDescription: "What a rollout does with the data of instances' runs in progress: `keep` (default) or `delete`.",
				Optional:            true, Computed: true, Default: stringdefault.StaticString(inProgressKeep),
				Validators: []validator.String{stringvalidator.OneOf(inProgressKeep, inProgressDelete)},
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Without it (default false), destroying a **published** integration, or one with " +
					"instances the provider's user can see, fails and says why: end users may have instances the " +
					"provider cannot see. With it, the draft, the template and every end user's instance are deleted " +
					"(`DELETE /integrations/{draft}`). Set it and apply before the destroy. An unpublished integration " +
					"with no visible instances is destroyed without it.",
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			},
			"template_id": schema.StringAttribute{
				MarkdownDescription: "The template's flow id; null while the integration has never been published.",
				Computed:            true,
			},
			"component_id_map": schema.MapAttribute{
				MarkdownDescription: "Draft component id => template component id (the template's `componentIdMap`).",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"instance_count": schema.Int64Attribute{
				MarkdownDescription: "How many instances of the template **the provider's user can see** (linked by " +
					"`templateId` or `originFlowId`). Customers' instances are normally invisible to it, admin or not, " +
					"so 0 does not mean no end user has one.",
				Computed: true,
			},
			"last_rollout": schema.SingleNestedAttribute{
				MarkdownDescription: "The latest rollout this resource ran; null before the first.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"ticket":          schema.StringAttribute{MarkdownDescription: "The rollout's ticket.", Computed: true},
					"status":          schema.StringAttribute{MarkdownDescription: "`completed`, `failed` or the server's status while it ran.", Computed: true},
					"steps_total":     schema.Int64Attribute{MarkdownDescription: "Instances to update.", Computed: true},
					"steps_completed": schema.Int64Attribute{MarkdownDescription: "Instances updated.", Computed: true},
					"error":           schema.StringAttribute{MarkdownDescription: "The server's error text when it failed.", Computed: true},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *integrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks the wizard against the definition, which one attribute's validator cannot.
func (r *integrationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg integrationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Definition.IsUnknown() || cfg.Definition.IsNull() || cfg.Wizard.IsUnknown() || cfg.Wizard.IsNull() {
		return
	}
	ids := definitionComponentIDs(cfg.Definition.ValueString())
	if ids == nil {
		return // the definition's own validator reports it
	}
	for _, p := range wizardProblems(cfg.Wizard.ValueString(), ids) {
		resp.Diagnostics.AddAttributeError(path.Root("wizard"), "Wizard names a missing component", p)
	}
}

// ModifyPlan refuses the contract dialect and plans the computed attributes: they keep their values
// unless this apply changes them, so that a plan shows only what will change.
func (r *integrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.pd == nil {
		return
	}
	if req.Plan.Raw.IsNull() {
		var state integrationModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		published := !state.TemplateID.IsNull() && sharesPublished(state.SharedWith)
		if n := state.InstanceCount.ValueInt64(); (n > 0 || published) && !state.ForceDestroy.ValueBool() {
			resp.Diagnostics.AddWarning("Destroying this integration requires force_destroy",
				fmt.Sprintf("Integration %s will not be destroyed without force_destroy = true: %s", state.ID.ValueString(),
					destroyRefusal(map[bool]string{true: state.TemplateID.ValueString()}[published], int(n))))
		}
		return
	}
	if !requireRealAPI(r.pd.client, &resp.Diagnostics, "appmixer_integration") || req.State.Raw.IsNull() {
		return
	}
	var plan, state integrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	published := !state.TemplateID.IsNull()
	republish := !published && sharesPublished(plan.SharedWith)
	changed := templateContentChanged(plan, state)
	pending := pendingRolloutFrom(ctx, req.Private) != nil
	if published && changed {
		warnNewComponents(plan, state, &resp.Diagnostics)
	}
	if !republish {
		plan.TemplateID = state.TemplateID
		if !changed || sameKeys(plan.Definition.ValueString(), stringMap(state.ComponentIDMap)) {
			plan.ComponentIDMap = state.ComponentIDMap
		}
	}
	if plan.InstanceUpdate.ValueString() == instanceUpdateOnChange && published && (changed || pending) {
		// A rollout will run: a pending one alone makes the update that retries or awaits it.
		plan.LastRollout, plan.InstanceCount = types.ObjectUnknown(rolloutAttrTypes), types.Int64Unknown()
	} else {
		plan.LastRollout = state.LastRollout
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// warnNewComponents warns that components new in a published template will not reach the existing
// instances: a rollout updates their components but adds none (appmixer-api.md §7).
func warnNewComponents(plan, state integrationModel, diags *diag.Diagnostics) {
	if plan.Definition.IsUnknown() || plan.Definition.IsNull() {
		return
	}
	known := stringMap(state.ComponentIDMap)
	var added []string
	for id := range definitionComponentIDs(plan.Definition.ValueString()) {
		if _, ok := known[id]; !ok {
			added = append(added, id)
		}
	}
	if len(added) == 0 {
		return
	}
	slices.Sort(added)
	diags.AddAttributeWarning(path.Root("definition"), "Existing instances will not get the new components",
		fmt.Sprintf("This apply adds components %s to the published template %s. New end users' instances get them, "+
			"but existing instances do not, with or without instance_update = \"on_change\": a rollout updates the "+
			"components an instance has and adds none, so each end user must re-create their instance to get them.",
			strings.Join(added, ", "), state.TemplateID.ValueString()))
}

// sameKeys reports whether a descriptor has exactly the components the map knows.
func sameKeys(definition string, ids map[string]string) bool {
	comps := definitionComponentIDs(definition)
	if comps == nil || len(comps) != len(ids) {
		return false
	}
	for id := range ids {
		if !comps[id] {
			return false
		}
	}
	return true
}

func (r *integrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(importIntegration(ctx, &resp.State, req.ID)...)
}

// importIntegration is the state an import of the draft id starts from. The provider-only settings
// take their defaults, so a configuration that uses them plans no change.
func importIntegration(ctx context.Context, st *tfsdk.State, id string) diag.Diagnostics {
	var diags diag.Diagnostics
	id, err := parseIntegrationImportID(id)
	if err != nil {
		diags.AddError("Invalid import ID", err.Error())
		return diags
	}
	for attr, v := range map[string]any{"id": id, "instance_update": instanceUpdateNone, "in_progress_data": inProgressKeep, "force_destroy": false} {
		diags.Append(st.SetAttribute(ctx, path.Root(attr), v)...)
	}
	return diags
}

// parseIntegrationImportID takes the draft's flow id.
func parseIntegrationImportID(id string) (string, error) {
	if id == "" || strings.TrimSpace(id) != id || strings.ContainsAny(id, "/ \t\n") {
		return "", fmt.Errorf("got %q, expected the integration draft's flow id, e.g. 6f1c2a70-0001-4c1e-9a51-5d2f00000001", id)
	}
	return id, nil
}
