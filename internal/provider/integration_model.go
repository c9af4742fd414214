// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Provider-only settings of appmixer_integration and their defaults, which import sets.
const (
	instanceUpdateNone     = "none"
	instanceUpdateOnChange = "on_change"
	inProgressKeep         = "keep"
	inProgressDelete       = "delete"
)

type wizardValue = jsonValue[plainJSON]

// integrationModel is the appmixer_integration resource.
type integrationModel struct {
	ID             types.String        `tfsdk:"id"`
	Name           types.String        `tfsdk:"name"`
	Description    types.String        `tfsdk:"description"`
	Definition     flowDefinitionValue `tfsdk:"definition"`
	IgnoreLayout   types.Bool          `tfsdk:"ignore_layout"`
	Wizard         wizardValue         `tfsdk:"wizard"`
	Notes          wizardValue         `tfsdk:"notes"`
	Categories     types.Set           `tfsdk:"categories"`
	CustomFields   types.Map           `tfsdk:"custom_fields"`
	SharedWith     types.List          `tfsdk:"shared_with"`
	InstanceUpdate types.String        `tfsdk:"instance_update"`
	InProgressData types.String        `tfsdk:"in_progress_data"`
	ForceDestroy   types.Bool          `tfsdk:"force_destroy"`
	TemplateID     types.String        `tfsdk:"template_id"`
	ComponentIDMap types.Map           `tfsdk:"component_id_map"`
	InstanceCount  types.Int64         `tfsdk:"instance_count"`
	LastRollout    types.Object        `tfsdk:"last_rollout"`
	Timeouts       timeouts.Value      `tfsdk:"timeouts"`
}

var rolloutAttrTypes = map[string]attr.Type{
	"ticket": types.StringType, "status": types.StringType, "steps_total": types.Int64Type,
	"steps_completed": types.Int64Type, "error": types.StringType,
}

// rolloutObject is last_rollout for a rollout's ticket and its latest status.
func rolloutObject(ticket string, st *appmixer.IntegrationStatus) types.Object {
	return types.ObjectValueMust(rolloutAttrTypes, map[string]attr.Value{
		"ticket": optionalString(ticket), "status": types.StringValue(st.Status),
		"steps_total": types.Int64Value(int64(st.StepsTotal)), "steps_completed": types.Int64Value(int64(st.StepsCompleted)),
		"error": optionalString(st.Error),
	})
}

// integrationFlows is what the server holds of one integration.
type integrationFlows struct {
	draft     *appmixer.Flow // nil: deleted outside Terraform
	template  *appmixer.Flow // nil: never published, or deleted outside Terraform
	instances int
}

// draftInput is the draft's write body. Description, custom fields, wizard, notes and categories are
// always sent, empty when left out, because a PUT merges top-level keys and would keep the old ones.
func draftInput(ctx context.Context, m integrationModel) (appmixer.FlowInput, diag.Diagnostics) {
	in := appmixer.FlowInput{
		Name: m.Name.ValueString(), Description: new(m.Description.ValueString()),
		Definition: json.RawMessage(m.Definition.ValueString()), Type: appmixer.FlowTypeDraft,
		Wizard: wizardOrEmpty(m.Wizard), Notes: wizardOrEmpty(m.Notes), Categories: categoryIDs(m.Categories),
	}
	fields := map[string]string{}
	diags := m.CustomFields.ElementsAs(ctx, &fields, false)
	in.CustomFields = make(map[string]any, len(fields))
	for k, v := range fields {
		in.CustomFields[k] = v
	}
	return in, diags
}

// templateInput is the template's write body for the plan: the draft's content renamed through prev
// extended (templateFromDraft), the draft's flow id replaced by the template's wherever it appears
// (as the Designer's Publish does, appmixer-api.md §7), the sharing (none: unpublished) and the map.
func templateInput(ctx context.Context, m integrationModel, templateID string, prev map[string]string) (appmixer.FlowInput, map[string]string, diag.Diagnostics) {
	in, diags := draftInput(ctx, m)
	wizard := ""
	if !m.Wizard.IsNull() {
		wizard = m.Wizard.ValueString()
	}
	content, err := templateFromDraft(m.Definition.ValueString(), wizard, prev)
	if err != nil {
		diags.AddError("Cannot build the integration template", err.Error())
		return in, nil, diags
	}
	draftID := m.ID.ValueString()
	in.Type, in.Definition, in.ComponentIDMap = appmixer.FlowTypeTemplate, swapFlowID(content.definition, draftID, templateID), content.ids
	if content.wizard != nil {
		in.Wizard = swapFlowID(content.wizard, draftID, templateID)
	}
	shares, more := sharesFromModel(ctx, m.SharedWith)
	diags.Append(more...)
	if shares == nil {
		shares = []appmixer.Share{}
	}
	in.SharedWith = shares
	return in, content.ids, diags
}

func wizardOrEmpty(w wizardValue) json.RawMessage {
	if w.IsNull() || w.IsUnknown() {
		return json.RawMessage(`{}`)
	}
	return json.RawMessage(w.ValueString())
}

// wizardEmpty is a wizard that says nothing: none, null or {} (what the engine reads an absent one as).
func wizardEmpty(raw json.RawMessage) bool {
	n := normalizedJSON(raw)
	return len(raw) == 0 || n == "null" || n == "{}"
}

// wizardForState is the state's wizard for the server's: an empty one is null unless prior holds one.
func wizardForState(prior wizardValue, server json.RawMessage) wizardValue {
	if wizardEmpty(server) {
		if !prior.IsNull() && !prior.IsUnknown() && wizardEmpty(json.RawMessage(prior.ValueString())) {
			return prior
		}
		return nullJSON[plainJSON]()
	}
	return jsonForState(prior, server)
}

// integrationFromAPI rebuilds the whole model from the server; prior gives what the server cannot
// know (provider-only settings, the configured spelling of equal values, the last rollout). Its
// warnings say what changed outside Terraform where the plan alone would not make it plain.
func integrationFromAPI(ctx context.Context, prior integrationModel, fl integrationFlows) (integrationModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := integrationModel{ID: prior.ID, Timeouts: prior.Timeouts, LastRollout: prior.LastRollout,
		InstanceUpdate: prior.InstanceUpdate, InProgressData: prior.InProgressData, ForceDestroy: prior.ForceDestroy,
		IgnoreLayout: prior.IgnoreLayout}
	defaultString(&m.InstanceUpdate, instanceUpdateNone)
	defaultString(&m.InProgressData, inProgressKeep)
	if m.ForceDestroy.IsNull() || m.ForceDestroy.IsUnknown() {
		m.ForceDestroy = types.BoolValue(false)
	}
	if m.IgnoreLayout.IsNull() || m.IgnoreLayout.IsUnknown() {
		m.IgnoreLayout = types.BoolValue(false)
	}
	if m.LastRollout.IsUnknown() {
		m.LastRollout = types.ObjectNull(rolloutAttrTypes)
	}
	name := prior.Name.ValueString()
	if d := fl.draft; d != nil {
		m.ID, name = types.StringValue(d.ID), d.Name
		m.Name = types.StringValue(d.Name)
		m.Description = descriptionFromAPI(d, prior.Description)
		m.Definition = definitionForState(prior.Definition, d.Definition, m.IgnoreLayout.ValueBool())
		m.Wizard = wizardForState(prior.Wizard, d.Wizard)
		m.Notes = wizardForState(prior.Notes, d.Notes)
		m.Categories = categoriesForState(d.Categories, prior.Categories)
		m.CustomFields, diags = customFieldsFromAPI(ctx, d.CustomFields, prior.CustomFields)
	} else {
		m.Name, m.Description, m.CustomFields = types.StringNull(), types.StringNull(), types.MapNull(types.StringType)
		m.Definition, m.Wizard, m.Notes = nullJSON[flowDefinitionSemantics](), nullJSON[plainJSON](), nullJSON[plainJSON]()
		m.Categories = types.SetNull(types.StringType)
		diags.AddWarning("Integration draft deleted outside Terraform",
			fmt.Sprintf("The draft %s of integration %q is gone, but its template %s is still there. The plan shows "+
				"the draft's attributes as new: the apply puts the draft back at the same id.", prior.ID.ValueString(), name, fl.template.ID))
	}
	m.InstanceCount = types.Int64Value(int64(fl.instances))
	t := fl.template
	if t == nil {
		m.TemplateID, m.ComponentIDMap = types.StringNull(), types.MapNull(types.StringType)
		m.SharedWith = sharesToModel(nil, prior.SharedWith)
		if id := prior.TemplateID.ValueString(); id != "" {
			diags.AddWarning("Integration template deleted outside Terraform",
				fmt.Sprintf("The template %s of integration %q is gone. The plan shows it unpublished: when shared_with "+
					"is set, the apply publishes the draft again as a new template.", id, name))
		}
		return m, diags
	}
	m.TemplateID = types.StringValue(t.ID)
	m.ComponentIDMap = types.MapValueMust(types.StringType, stringValues(t.ComponentIDMap))
	m.SharedWith = sharesToModel(t.SharedWith, prior.SharedWith)
	if fl.draft != nil {
		if changed := m.showTemplateDrift(ctx, t, prior); len(changed) > 0 {
			diags.AddWarning("Integration template edited outside Terraform",
				fmt.Sprintf("The template %s of integration %q no longer matches its draft (%s differ). The plan shows "+
					"the template's values, in the draft's component ids; the apply makes the template equal to the "+
					"draft again.", t.ID, name, strings.Join(changed, ", ")))
		}
	}
	return m, diags
}

// showTemplateDrift compares the template with the draft m was built from. Where they differ, and the
// draft itself still holds what prior does (a drifted draft shows first; the apply rewrites both), m
// takes the template's value, so that the plan shows it. The names of those attributes are returned.
// Component versions, the revision and the template's own component ids are never a difference.
func (m *integrationModel) showTemplateDrift(ctx context.Context, t *appmixer.Flow, prior integrationModel) []string {
	var changed []string
	unchanged := func(now, before attr.Value) bool { return before.IsNull() || now.Equal(before) }
	if unchanged(m.Name, prior.Name) && m.Name.ValueString() != t.Name {
		m.Name = types.StringValue(t.Name)
		changed = append(changed, "name")
	}
	if desc := descriptionFromAPI(t, m.Description); unchanged(m.Description, prior.Description) && !desc.Equal(m.Description) &&
		(desc.ValueString() != "" || m.Description.ValueString() != "") {
		m.Description = desc
		changed = append(changed, "description")
	}
	def, wiz := draftFromTemplate(t.Definition, t.Wizard, t.ComponentIDMap)
	def, wiz = swapFlowID(def, t.ID, m.ID.ValueString()), swapFlowID(wiz, t.ID, m.ID.ValueString())
	if unchanged(m.Definition, prior.Definition) && !definitionsEqual(m.Definition.ValueString(), normalizedDefinition(def), m.IgnoreLayout.ValueBool()) {
		m.Definition = definitionForState(m.Definition, def, m.IgnoreLayout.ValueBool())
		changed = append(changed, "definition")
	}
	if w := wizardForState(m.Wizard, wiz); unchanged(m.Wizard, prior.Wizard) && !w.Equal(m.Wizard) {
		m.Wizard = w
		changed = append(changed, "wizard")
	}
	if n := wizardForState(m.Notes, t.Notes); unchanged(m.Notes, prior.Notes) && !n.Equal(m.Notes) &&
		!sameJSON(n, m.Notes, jsonEqual[plainJSON]) {
		m.Notes = n
		changed = append(changed, "notes")
	}
	if c := categoriesForState(t.Categories, m.Categories); unchanged(m.Categories, prior.Categories) && !c.Equal(m.Categories) {
		m.Categories = c
		changed = append(changed, "categories")
	}
	if fields, _ := customFieldsFromAPI(ctx, t.CustomFields, m.CustomFields); unchanged(m.CustomFields, prior.CustomFields) &&
		!reflect.DeepEqual(stringMap(fields), stringMap(m.CustomFields)) {
		m.CustomFields = fields
		changed = append(changed, "custom_fields")
	}
	return changed
}

// templateContentChanged reports whether the plan changes what the template carries (and so what a
// rollout pushes to instances): sharing is not part of it, nor another spelling of the same JSON (a
// configuration written by hand after an import plans the configured text, yet changes nothing).
func templateContentChanged(plan, state integrationModel) bool {
	return !plan.Name.Equal(state.Name) || !plan.Description.Equal(state.Description) ||
		!sameJSON(plan.Definition, state.Definition, func(a, b string) bool { return definitionsEqual(a, b, false) }) ||
		!sameJSON(plan.Wizard, state.Wizard, jsonEqual[plainJSON]) ||
		!sameJSON(plan.Notes, state.Notes, jsonEqual[plainJSON]) ||
		!plan.CustomFields.Equal(state.CustomFields)
}

// categoryIDs is the categories to send: [] when none, so that a PUT clears the old ones.
func categoryIDs(s types.Set) []string {
	out := []string{}
	if s.IsNull() || s.IsUnknown() {
		return out
	}
	for _, v := range s.Elements() {
		if id, ok := v.(types.String); ok && !id.IsNull() && !id.IsUnknown() {
			out = append(out, id.ValueString())
		}
	}
	slices.Sort(out)
	return out
}

// categoriesForState is the state's categories for the server's: none is null unless prior is an
// empty set, so that both `categories = []` and leaving it out plan empty.
func categoriesForState(server []string, prior types.Set) types.Set {
	if len(server) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return prior
		}
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, 0, len(server))
	for _, id := range server {
		elems = append(elems, types.StringValue(id))
	}
	return types.SetValueMust(types.StringType, elems)
}

// sameJSON compares two JSON attributes with equal; null and unknown only equal themselves.
func sameJSON[S jsonSemantics](a, b jsonValue[S], equal func(a, b string) bool) bool {
	if a.IsNull() || b.IsNull() || a.IsUnknown() || b.IsUnknown() {
		return a.Equal(b)
	}
	return equal(a.ValueString(), b.ValueString())
}

func defaultString(v *types.String, def string) {
	if v.IsNull() || v.IsUnknown() {
		*v = types.StringValue(def)
	}
}

func stringValues(m map[string]string) map[string]attr.Value {
	out := make(map[string]attr.Value, len(m))
	for k, v := range maps.All(m) {
		out[k] = types.StringValue(v)
	}
	return out
}
