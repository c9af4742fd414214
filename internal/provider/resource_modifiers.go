// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure   = &modifiersResource{}
	_ resource.ResourceWithModifyPlan  = &modifiersResource{}
	_ resource.ResourceWithImportState = &modifiersResource{}
)

// NewModifiersResource manages the tenant's whole modifiers document.
func NewModifiersResource() resource.Resource { return &modifiersResource{} }

type modifiersResource struct{ pd *providerData }

type modifiersModel struct {
	ID       types.String         `tfsdk:"id"`
	Document jsonValue[plainJSON] `tfsdk:"document"`
	Timeouts timeouts.Value       `tfsdk:"timeouts"`
}

const (
	// modifiersID is the id of the one document a tenant has, and its import ID.
	modifiersID     = "modifiers"
	modifiersRoutes = "GET and PUT /modifiers"
	// modifiersPriorKey keeps in private state the document that was there before Terraform took
	// over, which destroy puts back.
	modifiersPriorKey = "prior_document"
)

func (r *modifiersResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_modifiers"
}

func (r *modifiersResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The tenant's whole modifiers document (`/modifiers`): the categories and the modifier " +
			"functions the flow designer offers for transforming variables. Declare at most one per tenant; the " +
			"provider must log in as an admin.\n\n" +
			"The document replaces the built-in one as a whole, so start from what the tenant has: " +
			"`appmixer modifiers get` writes it to `modifiers.json`, and `document = file(\"modifiers.json\")` " +
			"keeps every built-in modifier plus yours. It is compared semantically (key order and whitespace do " +
			"not count); any change on the server, for example `appmixer modifiers restore` or an edit in the " +
			"Backoffice, shows in the plan and the next apply puts the configured document back.\n\n" +
			"Destroy puts back the document that was there before Terraform took over (kept, compressed, in " +
			"private state), never `DELETE /modifiers`, which would delete the built-in modifiers too. When that " +
			"document was empty, destroy leaves the current one in place and says so.\n\n" +
			"Import with the ID `modifiers`; the document read then is the one destroy puts back.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("Always `modifiers`."),
			"document": schema.StringAttribute{
				Required:   true,
				CustomType: jsonType[plainJSON]{},
				MarkdownDescription: "The document as JSON, e.g. `file(\"modifiers.json\")`: an object with `categories` " +
					"(`{\"<key>\": {\"label\", \"index\"}}`) and `modifiers` (`{\"<name>\": {\"label\", \"type\", " +
					"\"category\": [...], \"description\", \"arguments\": [...], \"returns\", \"helperFn\"}}`, `helperFn` " +
					"being the JavaScript source of the function). Appmixer requires both keys.",
				Validators: []validator.String{modifiersDocumentValidator{}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *modifiersResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *modifiersResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !tenantAdminGuards(r.pd, &resp.Diagnostics, "appmixer_modifiers", modifiersRoutes) || req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), modifiersID)...)
}

// Create keeps the document it takes over, then replaces it; once the write is sent, a failure keeps
// the resource in state so that destroy still puts that document back.
func (r *modifiersResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	createSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, "The Appmixer modifiers", func(m modifiersModel) timeoutGetter { return m.Timeouts.Create },
		func(ctx context.Context, m *modifiersModel, mayExist func()) {
			prior, err := r.pd.client.Modifiers(ctx)
			if err != nil {
				addAPIError(&resp.Diagnostics, "Cannot read the Appmixer modifiers", err)
				return
			}
			resp.Diagnostics.Append(setPrivateJSON(ctx, resp.Private, modifiersPriorKey, prior)...)
			if resp.Diagnostics.HasError() {
				return
			}
			mayExist()
			r.put(ctx, m, &resp.Diagnostics)
		})
}

func (r *modifiersResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	writeSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, func(m modifiersModel) timeoutGetter { return m.Timeouts.Update },
		func(ctx context.Context, m *modifiersModel) { r.put(ctx, m, &resp.Diagnostics) })
}

// put sends the planned document and refreshes m from what the server then holds.
func (r *modifiersResource) put(ctx context.Context, m *modifiersModel, diags *diag.Diagnostics) {
	if err := r.pd.client.SetModifiers(ctx, json.RawMessage(m.Document.ValueString())); err != nil {
		diags.AddAttributeError(path.Root("document"), "Cannot set the Appmixer modifiers", err.Error()+timeoutAdvice(err))
		return
	}
	doc, err := r.pd.client.Modifiers(ctx)
	if err != nil {
		addAPIError(diags, "The Appmixer modifiers were set but cannot be read back", err)
		return
	}
	m.ID = types.StringValue(modifiersID)
	m.Document = jsonForState(m.Document, doc)
}

func (r *modifiersResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state modifiersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	doc, err := r.pd.client.Modifiers(ctx)
	if !readFound(ctx, resp, "the Appmixer modifiers", err) {
		return
	}
	// Imported: the document found now is what Terraform took over, and what destroy puts back.
	keepTakenOver(ctx, req.Private, resp.Private, modifiersPriorKey, doc, &resp.Diagnostics)
	state.ID = types.StringValue(modifiersID)
	state.Document = jsonForState(state.Document, doc)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete puts back the document Terraform took over.
func (r *modifiersResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state modifiersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, state.Timeouts.Delete, defaultTenantAdminTimeout, &resp.Diagnostics)
	defer cancel()
	var prior json.RawMessage
	has, d := getPrivateJSON(ctx, req.Private, modifiersPriorKey, &prior)
	resp.Diagnostics.Append(d...)
	if !has || !hasModifiers(prior) {
		resp.Diagnostics.AddWarning("Modifiers left in place",
			"The modifiers document Appmixer held before Terraform took over was empty or is not recorded, and "+
				"destroy never deletes all modifiers (that would delete the built-in ones too). The current document "+
				"stays; `appmixer modifiers restore` puts back the CLI's default document.")
		return
	}
	if err := r.pd.client.SetModifiers(ctx, prior); err != nil {
		addAPIError(&resp.Diagnostics, "Cannot put back the Appmixer modifiers Terraform took over", err)
	}
}

// hasModifiers reports a document with at least one modifier.
func hasModifiers(doc json.RawMessage) bool {
	var d struct {
		Modifiers map[string]json.RawMessage `json:"modifiers"`
	}
	return json.Unmarshal(doc, &d) == nil && len(d.Modifiers) > 0
}

func (r *modifiersResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != modifiersID {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Got %q, expected %q: a tenant has one modifiers document.", req.ID, modifiersID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), modifiersID)...)
}

// modifiersDocumentValidator refuses at plan time what Appmixer refuses (a document that is not an
// object with categories and modifiers objects) and warns about modifiers the designer cannot run.
type modifiersDocumentValidator struct{}

func (modifiersDocumentValidator) Description(context.Context) string {
	return "must be a JSON object with categories and modifiers objects"
}

func (v modifiersDocumentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (modifiersDocumentValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	jsonValidator{object: true}.ValidateString(ctx, req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	doc, _ := decodeJSON(req.ConfigValue.ValueString())
	top, _ := doc.(map[string]any)
	for _, k := range []string{"categories", "modifiers"} {
		v, present := top[k]
		if _, ok := v.(map[string]any); ok {
			continue
		}
		got := "it is missing"
		if present {
			got = "it is " + jsonKindName(v)
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid modifiers document",
			fmt.Sprintf("%s must have %q, an object (Appmixer's PUT /modifiers requires categories and modifiers); "+
				"%s. `appmixer modifiers get` writes a complete document to start from.", req.Path, k, got))
	}
	mods, _ := top["modifiers"].(map[string]any)
	for _, name := range sortedKeys(mods) {
		m, ok := mods[name].(map[string]any)
		if _, hasFn := m["helperFn"].(string); !ok || !hasFn {
			resp.Diagnostics.AddAttributeWarning(req.Path, "Modifier without a helper function",
				fmt.Sprintf("Modifier %q of %s has no helperFn string (the JavaScript source of the function), so "+
					"the designer cannot apply it.", name, req.Path))
		}
	}
}
