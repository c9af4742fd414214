// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Stages as the provider shows them; the server has more, see flowStageFromAPI.
const (
	stageRunning = "running"
	stageStopped = "stopped"
)

// flowResourceModel is the appmixer_flow resource.
type flowResourceModel struct {
	ID           types.String         `tfsdk:"id"`
	Name         types.String         `tfsdk:"name"`
	Description  types.String         `tfsdk:"description"`
	Definition   flowDefinitionValue  `tfsdk:"definition"`
	Stage        types.String         `tfsdk:"stage"`
	CustomFields types.Map            `tfsdk:"custom_fields"`
	Accounts     types.Map            `tfsdk:"accounts"`
	IgnoreLayout types.Bool           `tfsdk:"ignore_layout"`
	SharedWith   types.List           `tfsdk:"shared_with"`
	Notes        jsonValue[plainJSON] `tfsdk:"notes"`
	UserID       types.String         `tfsdk:"user_id"`
	CreatedAt    types.String         `tfsdk:"created_at"`
	UpdatedAt    types.String         `tfsdk:"updated_at"`
	Timeouts     timeouts.Value       `tfsdk:"timeouts"`
}

// flowDataModel is one flow as the appmixer_flow data source shows it.
type flowDataModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Description  types.String `tfsdk:"description"`
	Definition   types.String `tfsdk:"definition"`
	Stage        types.String `tfsdk:"stage"`
	CustomFields types.Map    `tfsdk:"custom_fields"`
	Accounts     types.Map    `tfsdk:"accounts"`
	// AccountServices tells, per component, which service's account it takes; promotion maps each to
	// the target tenant's own account with it.
	AccountServices types.Map    `tfsdk:"account_services"`
	UserID          types.String `tfsdk:"user_id"`
	CreatedAt       types.String `tfsdk:"created_at"`
	UpdatedAt       types.String `tfsdk:"updated_at"`
}

// flowStageFromAPI folds the engine's stages into the two a configuration can ask for: a flow on its
// way up counts as running, and one stopping or paused as stopped. Anything else is passed through, so
// that a plan shows it.
func flowStageFromAPI(raw string) string {
	switch raw {
	case "running", "starting":
		return stageRunning
	case "stopped", "stopping", "paused", "paused-by-user", "":
		return stageStopped
	}
	return raw
}

// flowInputFromModel builds the flow write body from a plan.
func flowInputFromModel(ctx context.Context, m flowResourceModel) (appmixer.FlowInput, diag.Diagnostics) {
	in := appmixer.FlowInput{
		Name:       m.Name.ValueString(),
		Definition: json.RawMessage(m.Definition.ValueString()),
	}
	if !m.Description.IsNull() {
		d := m.Description.ValueString()
		in.Description = &d
	} else {
		// PUT merges top-level keys, so a removed description must be sent empty to clear it.
		empty := ""
		in.Description = &empty
	}
	fields := map[string]string{}
	diags := m.CustomFields.ElementsAs(ctx, &fields, false)
	// Always sent, even empty, for the same reason as the description.
	in.CustomFields = make(map[string]any, len(fields))
	for k, v := range fields {
		in.CustomFields[k] = v
	}
	// Sharing is sent only when managed; [] unshares.
	shares, more := sharesFromModel(ctx, m.SharedWith)
	in.SharedWith = shares
	// Notes too: sent only when managed, {} removes them.
	if !m.Notes.IsNull() && !m.Notes.IsUnknown() {
		in.Notes = json.RawMessage(m.Notes.ValueString())
	}
	return in, append(diags, more...)
}

// applyFlow copies a flow read from the server into the resource model. prior is the planned or prior
// state: where the server cannot tell (a contract server has no description) or where two spellings mean
// the same (an empty map and none), prior's choice is kept so the plan stays empty.
func (m *flowResourceModel) applyFlow(ctx context.Context, f *appmixer.Flow, prior flowResourceModel) diag.Diagnostics {
	m.ID = types.StringValue(f.ID)
	m.Name = types.StringValue(f.Name)
	m.Description = descriptionFromAPI(f, prior.Description)
	importing := prior.IgnoreLayout.IsNull() || prior.IgnoreLayout.IsUnknown()
	if importing {
		// Import: no configuration yet, so the schema default.
		m.IgnoreLayout = types.BoolValue(false)
	} else {
		m.IgnoreLayout = prior.IgnoreLayout
	}
	// Sharing is read only when managed, or on import when the flow is shared, so that the generated
	// configuration carries it.
	switch {
	case !prior.SharedWith.IsNull() && !prior.SharedWith.IsUnknown():
		m.SharedWith = sharesToModel(f.SharedWith, prior.SharedWith)
	case importing:
		m.SharedWith = sharesToModel(f.SharedWith, types.ListNull(shareObjectType))
	default:
		m.SharedWith = types.ListNull(shareObjectType)
	}
	// Notes are read when managed, or on import when the flow has some.
	switch {
	case !prior.Notes.IsNull() && !prior.Notes.IsUnknown():
		m.Notes = notesForState(prior.Notes, f.Notes)
	case importing:
		m.Notes = wizardForState(nullJSON[plainJSON](), f.Notes)
	default:
		m.Notes = nullJSON[plainJSON]()
	}
	// With bindings managed through accounts, an account the Designer wrote into config.properties is not
	// drift: accounts wins (flow_definition.go).
	m.Definition = definitionForStateWith(prior.Definition, f.Definition,
		definitionCompare{ignoreLayout: m.IgnoreLayout.ValueBool(), ignoreAccounts: !prior.Accounts.IsNull()})
	m.Stage = types.StringValue(flowStageFromAPI(f.Stage))
	m.UserID = optionalString(f.UserID)
	m.CreatedAt = optionalString(f.CreatedAt)
	m.UpdatedAt = optionalString(f.UpdatedAt)
	var diags diag.Diagnostics
	m.CustomFields, diags = customFieldsFromAPI(ctx, f.CustomFields, prior.CustomFields)
	return diags
}

// flowDataModelFromAPI converts a flow for the data source; auth is nil where bindings cannot be read.
func flowDataModelFromAPI(ctx context.Context, f *appmixer.Flow, auth map[string]appmixer.ComponentAuth) (flowDataModel, diag.Diagnostics) {
	m := flowDataModel{
		ID:          types.StringValue(f.ID),
		Name:        types.StringValue(f.Name),
		Description: descriptionFromAPI(f, types.StringNull()),
		Definition:  types.StringValue(normalizedDefinition(f.Definition)),
		Stage:       types.StringValue(flowStageFromAPI(f.Stage)),
		UserID:      optionalString(f.UserID),
		CreatedAt:   optionalString(f.CreatedAt),
		UpdatedAt:   optionalString(f.UpdatedAt),
		Accounts:    types.MapNull(types.StringType),

		AccountServices: types.MapNull(types.StringType),
	}
	var diags diag.Diagnostics
	m.CustomFields, diags = customFieldsFromAPI(ctx, f.CustomFields, types.MapNull(types.StringType))
	if auth != nil {
		m.Accounts = accountsFromAPI(auth)
		m.AccountServices = accountServicesFromAPI(auth)
	}
	return m, diags
}

// accountServicesFromAPI maps each component that takes an account to its service, bound or not.
func accountServicesFromAPI(auth map[string]appmixer.ComponentAuth) types.Map {
	return componentAuthMap(auth, func(a appmixer.ComponentAuth) string { return a.Service })
}

// componentAuthMap maps component ids to one field of their auth entry, leaving out empty ones.
func componentAuthMap(auth map[string]appmixer.ComponentAuth, field func(appmixer.ComponentAuth) string) types.Map {
	elems := make(map[string]attr.Value, len(auth))
	for id, a := range auth {
		if v := field(a); v != "" {
			elems[id] = types.StringValue(v)
		}
	}
	return types.MapValueMust(types.StringType, elems)
}

// descriptionFromAPI maps the server's description. No description and an empty one are both null,
// unless prior holds "" (then "" stays, so an explicit empty string does not flap). A flow in the
// contract's shape (recognisable by its missing userId) carries no description at all, so prior is kept.
func descriptionFromAPI(f *appmixer.Flow, prior types.String) types.String {
	if f.Description == nil && f.UserID == "" {
		return prior
	}
	if f.Description == nil || *f.Description == "" {
		if !prior.IsUnknown() && !prior.IsNull() && prior.ValueString() == "" {
			return prior
		}
		return types.StringNull()
	}
	return types.StringValue(*f.Description)
}

// customFieldsFromAPI maps custom fields to strings (other JSON values are kept as JSON text). The server
// always has an object; an empty one is null unless prior is an empty map, so that both `custom_fields =
// {}` and leaving it out plan empty.
func customFieldsFromAPI(ctx context.Context, cf map[string]any, prior types.Map) (types.Map, diag.Diagnostics) {
	if len(cf) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return prior, nil
		}
		return types.MapNull(types.StringType), nil
	}
	out := make(map[string]string, len(cf))
	for k, v := range cf {
		out[k] = customFieldString(v)
	}
	return types.MapValueFrom(ctx, types.StringType, out)
}

func customFieldString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// accountsFromAPI lists the bound components; unbound ones are left out.
func accountsFromAPI(auth map[string]appmixer.ComponentAuth) types.Map {
	return componentAuthMap(auth, func(a appmixer.ComponentAuth) string { return a.AccountID })
}

// describeFlows lists flows for an error message, so the user can fix a name at once.
func describeFlows(flows []appmixer.Flow, limit int) string {
	sorted := append([]appmixer.Flow(nil), flows...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	s := ""
	for i, f := range sorted {
		if i == limit {
			s += fmt.Sprintf("\n  ... and %d more", len(sorted)-limit)
			break
		}
		s += fmt.Sprintf("\n  - id %q, name %q, stage %q", f.ID, f.Name, flowStageFromAPI(f.Stage))
	}
	return s
}

// stringMap reads a map attribute; null, unknown and unknown elements read as absent.
func stringMap(m types.Map) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out[k] = s.ValueString()
		}
	}
	return out
}

// describeAuth lists the components that take an account, for an error message.
func describeAuth(auth map[string]appmixer.ComponentAuth) string {
	if len(auth) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(auth))
	for _, id := range sortedKeys(auth) {
		parts = append(parts, fmt.Sprintf("%q (%s, service %s)", id, auth[id].ComponentType, auth[id].Service))
	}
	return strings.Join(parts, ", ")
}

// diagError turns conversion diagnostics into an error for readInto's callers.
func diagError(d diag.Diagnostics) error {
	var msgs []string
	for _, e := range d.Errors() {
		msgs = append(msgs, e.Summary()+": "+e.Detail())
	}
	return errors.New(strings.Join(msgs, "; "))
}

// parseFlowImportID checks an import ID before any request. Appmixer takes any string as a flow id
// (PUT /flows/{id} creates a flow under whatever id it is given, and the CLI uses readable ones), so
// only what certainly cannot address a flow is refused: nothing, white space or control characters,
// and a slash, which would make the id two path segments. An id that addresses no flow fails on
// the read that follows.
func parseFlowImportID(id string) (string, error) {
	const expected = "expected <flowId>, the flow's id as the Appmixer API returns it (flowId)"
	switch {
	case id == "":
		return "", fmt.Errorf("the import ID is empty; %s", expected)
	case strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", fmt.Errorf("%q contains white space or control characters; %s", id, expected)
	case strings.Contains(id, "/"):
		return "", fmt.Errorf("%q contains a slash; %s", id, expected)
	}
	return id, nil
}

// notesForState is managed notes as the server holds them: none at all reads as {}, since a managed
// value must stay known (null would mean "not managed").
func notesForState(prior jsonValue[plainJSON], server json.RawMessage) jsonValue[plainJSON] {
	if wizardEmpty(server) {
		server = json.RawMessage(`{}`)
	}
	return jsonForState(prior, server)
}
