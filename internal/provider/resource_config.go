// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure      = &configResource{}
	_ resource.ResourceWithModifyPlan     = &configResource{}
	_ resource.ResourceWithImportState    = &configResource{}
	_ resource.ResourceWithValidateConfig = &configResource{}
)

// NewConfigResource manages one key of Appmixer's system configuration (/config).
func NewConfigResource() resource.Resource { return &configResource{} }

type configResource struct{ pd *providerData }

const configRoutes = "GET, POST and DELETE /config"

func (r *configResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_config"
}

func (r *configResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One key of the tenant's system configuration (`/config`), such as `JWTSecret` or " +
			"`API_USER_CREATE_SCOPE`. The provider must log in as an admin.\n\n" +
			"Set exactly one of `value` (any JSON value, kept typed: `jsonencode(true)` stays a boolean) and " +
			"`value_wo` (write-only, for secrets). A `value_wo` is never stored in the state or shown in plans; " +
			"the provider keeps only a salted hash of it in private state (PBKDF2-SHA256, never the value), so a secret changed on the server by " +
			"hand still shows in the plan, as `value_wo_version` changing back to the configured number, and " +
			"the next apply sends `value_wo` again.\n\n" +
			"Creating a key that Appmixer already holds fails: import it instead, so that destroy never deletes " +
			"a setting Terraform did not create. Destroy deletes the key. Refresh reads `GET /config` once per " +
			"run for all keys.\n\n" +
			"Import with the key (`JWTSecret`), which reads the value into `value`; for a secret use " +
			"`value_wo:<key>`, which reads nothing into the state. The configuration written by " +
			"`-generate-config-out` for a secret then needs the two lines `value_wo = jsonencode(var.x)` and " +
			"`value_wo_version = 1`, and the next apply sends the secret. An import block with " +
			"`identity = { key = \"...\" }` (Terraform or OpenTofu 1.12 or later) reads no value either, whatever the key, since an " +
			"identity cannot say whether the key holds a secret: the next apply sends the configured `value` or `value_wo`.",
		Attributes: map[string]schema.Attribute{
			"id":  computedID("Same as `key`."),
			"key": replacingName("The setting's key, e.g. `JWTSecret`."),
			"value": schema.StringAttribute{
				Optional:   true,
				CustomType: jsonType[plainJSON]{},
				MarkdownDescription: "The value as JSON text, e.g. `jsonencode(\"admin\")` or `jsonencode({ flows = 10 })`; " +
					"any JSON value. Compared semantically (key order, whitespace and `1` vs `1.0` do not count). " +
					"Conflicts with `value_wo`.",
				Validators: []validator.String{jsonValidator{}},
			},
			"value_wo": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "The value as JSON text, write-only (Terraform or OpenTofu 1.11 or later), e.g. " +
					"`jsonencode(var.jwt_secret)`: sent when the key is created and whenever `value_wo_version` " +
					"changes, never stored. Conflicts with `value`.",
				// Checked in ValidateConfig: a diagnostic on this attribute would make Terraform print its
				// configuration line, which may hold the secret itself.
			},
			"value_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; change it to send `value_wo` again. Null in the state after an " +
					"import or when the server's value was changed by hand, so the plan sends `value_wo` again.",
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("value_wo"))},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// ValidateConfig requires exactly one of the two values, with a message that also fits the
// configuration -generate-config-out writes for an imported secret. No diagnostic here is attached to
// value_wo, since Terraform prints the configuration line of the attribute a diagnostic names, and
// that line may hold the secret; nor does any message quote the value.
func (r *configResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg configModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wo := !cfg.ValueWO.IsNull()
	switch {
	case !cfg.Value.IsNull() && wo:
		resp.Diagnostics.AddAttributeError(path.Root("value"), "Conflicting values",
			"Set value for a setting or value_wo for a secret, not both.")
	case cfg.Value.IsNull() && !wo && !cfg.ValueWO.IsUnknown():
		resp.Diagnostics.AddAttributeError(path.Root("value_wo_version"), "Missing value",
			"Set value (e.g. value = jsonencode(\"admin\")) for a setting, or, for a secret, the two lines "+
				"value_wo = jsonencode(var.secret) and value_wo_version = 1. The configuration written for an "+
				"imported secret has neither: the provider never reads a secret into it.")
	case wo && cfg.ValueWOVersion.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("value_wo_version"), "Missing value_wo_version",
			"value_wo needs value_wo_version, a number to change whenever value_wo should be sent again.")
	}
	if wo && !cfg.ValueWO.IsUnknown() {
		if _, err := decodeJSON(cfg.ValueWO.ValueString()); err != nil {
			resp.Diagnostics.AddError("Invalid JSON in value_wo",
				"value_wo of "+cfg.Key.ValueString()+" is not valid JSON text; write it as jsonencode(var.secret).")
		}
	}
}

func (r *configResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *configResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !tenantAdminGuards(r.pd, &resp.Diagnostics, "appmixer_config", configRoutes) || req.Plan.Raw.IsNull() {
		return
	}
	var key types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("key"), &key)...)
	if !key.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), key)...)
	}
	if req.State.Raw.IsNull() {
		return
	}
	var rec secretRecord
	has, d := getPrivateJSON(ctx, req.Private, configWOKey, &rec)
	resp.Diagnostics.Append(d...)
	if has && rec.changedByHand() {
		resp.Diagnostics.AddAttributeWarning(path.Root("value_wo_version"), "Config value changed outside Terraform",
			fmt.Sprintf("Appmixer's value of %q is no longer the one value_wo sent: it was changed by hand. Applying "+
				"sends value_wo again (the plan shows value_wo_version changing).", key.ValueString()))
	}
}

// Create refuses to take over a key the tenant already holds, then sets it; once the write is sent, a
// failure keeps the key in state (tainted), so the next apply sets it again instead of demanding an import.
func (r *configResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	createSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, "The Appmixer config key", func(m configModel) timeoutGetter { return m.Timeouts.Create },
		func(ctx context.Context, m *configModel, mayExist func()) {
			key := m.Key.ValueString()
			_, exists, err := listed(ctx, r.pd.lists.configs, key)
			if err != nil {
				addAPIError(&resp.Diagnostics, "Cannot list the Appmixer config", err)
				return
			}
			if exists {
				resp.Diagnostics.AddAttributeError(path.Root("key"), "Config key already exists",
					fmt.Sprintf("Appmixer already holds config key %q. Import it (terraform import, or an import block with "+
						"id = %q, or %q for a secret) rather than overwrite a setting that destroy would then delete.",
						key, key, configWOImportPrefix+key))
				return
			}
			r.write(ctx, m, req.Config, resp.Private, &resp.Diagnostics, func(writeOnly bool) {
				m.ID = m.Key
				if writeOnly {
					// Until a write is confirmed, Read treats the key like an imported secret: its value
					// never enters state.
					resp.Diagnostics.Append(setPrivateJSON(ctx, resp.Private, configWOKey, secretRecord{})...)
				}
				mayExist()
			})
		})
}

func (r *configResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	writeSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, func(m configModel) timeoutGetter { return m.Timeouts.Update },
		func(ctx context.Context, m *configModel) {
			r.write(ctx, m, req.Config, resp.Private, &resp.Diagnostics, func(bool) {})
		})
}

// write sends the configured value and refreshes m from the listing that follows, which is also the
// baseline against which a write-only value's later hand changes are seen. sending is called just
// before the value is sent.
func (r *configResource) write(ctx context.Context, m *configModel, config tfsdk.Config, private privateSetter, diags *diag.Diagnostics,
	sending func(writeOnly bool)) {
	var cfg configModel
	diags.Append(config.Get(ctx, &cfg)...)
	if diags.HasError() {
		return
	}
	key := m.Key.ValueString()
	value, attr, writeOnly := m.Value.ValueString(), "value", !cfg.ValueWO.IsNull()
	if writeOnly {
		value, attr = cfg.ValueWO.ValueString(), "value_wo_version" // never value_wo: see ValidateConfig
	}
	if sending(writeOnly); diags.HasError() {
		return
	}
	_, err := r.pd.client.SetConfig(ctx, key, json.RawMessage(value))
	r.pd.lists.configs.Forget(key)
	if err != nil {
		diags.AddAttributeError(path.Root(attr), fmt.Sprintf("Cannot set Appmixer config %q", key), err.Error()+timeoutAdvice(err))
		return
	}
	entry, ok, err := listed(ctx, r.pd.lists.configs, key)
	stored := entry.Value
	switch {
	case err != nil:
		addAPIError(diags, fmt.Sprintf("Appmixer config %q was set but cannot be read back", key), err)
		return
	case !ok:
		diags.AddError(fmt.Sprintf("Appmixer config %q was set but is not listed", key),
			"POST /config succeeded, yet GET /config does not list the key.")
		return
	}
	var rec *secretRecord
	if writeOnly {
		sent := newSecretRecord(string(stored))
		rec = &sent
	}
	diags.Append(setPrivateJSON(ctx, private, configWOKey, rec)...)
	*m = configFromAPI(*m, key, stored, rec)
}

func (r *configResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state configModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	key := state.Key.ValueString()
	entry, ok, err := listed(ctx, r.pd.lists.configs, key)
	value := entry.Value
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Cannot read Appmixer config %q", key), err)
		return
	}
	if !ok {
		resp.State.RemoveResource(ctx) // deleted by hand: the next plan creates it again
		return
	}
	var rec secretRecord
	has, d := getPrivateJSON(ctx, req.Private, configWOKey, &rec)
	resp.Diagnostics.Append(d...)
	if !has {
		resp.Diagnostics.Append(resp.State.Set(ctx, configFromAPI(state, key, value, nil))...)
		return
	}
	if rec.Salt == "" {
		rec = newSecretRecord(string(value)) // imported: what the server holds now is the baseline
	} else {
		rec.Seen = rec.hash(value)
	}
	resp.Diagnostics.Append(setPrivateJSON(ctx, resp.Private, configWOKey, rec)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, configFromAPI(state, key, value, &rec))...)
}

func (r *configResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state configModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, state.Timeouts.Delete, defaultTenantAdminTimeout, &resp.Diagnostics)
	defer cancel()
	err := r.pd.client.DeleteConfig(ctx, state.Key.ValueString())
	r.pd.lists.configs.Forget(state.Key.ValueString())
	addDeleteError(&resp.Diagnostics, fmt.Sprintf("Appmixer config %q", state.Key.ValueString()), err)
}

// importIDOfIdentity imports a key given by identity as a secret, reading no value: an identity cannot
// say whether the key holds one (JWTSecret does), and a secret read into value would show in the plan.
// The next apply sends the configured value or value_wo.
func (r *configResource) importIDOfIdentity(key string) string { return configWOImportPrefix + key }

// ImportState takes "<key>", or "value_wo:<key>" for a secret, which Read then never copies into state.
func (r *configResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	key, writeOnly, err := parseConfigImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Got %q (%v), expected a config key such as JWTSecret, or value_wo:<key> for a secret.", req.ID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("key"), key)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), key)...)
	if writeOnly {
		resp.Diagnostics.Append(setPrivateJSON(ctx, resp.Private, configWOKey, secretRecord{})...)
	}
}
