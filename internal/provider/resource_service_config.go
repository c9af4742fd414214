// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	_ resource.ResourceWithConfigure        = &serviceConfigResource{}
	_ resource.ResourceWithImportState      = &serviceConfigResource{}
	_ resource.ResourceWithModifyPlan       = &serviceConfigResource{}
	_ resource.ResourceWithValidateConfig   = &serviceConfigResource{}
	_ resource.ResourceWithConfigValidators = &serviceConfigResource{}
)

const serviceConfigRoutes = "GET, POST, PUT and DELETE /service-config"

// NewServiceConfigResource manages one connector's settings in /service-config.
func NewServiceConfigResource() resource.Resource { return &serviceConfigResource{} }

type serviceConfigResource struct{ pd *providerData }

func (r *serviceConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_config"
}

func (r *serviceConfigResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The settings of one connector service in a tenant (`/service-config`): the OAuth client " +
			"of a connector (`clientId`, `clientSecret`) and any other keys its code reads from `context`. Until a " +
			"connector's OAuth client is set, connecting an account of it fails (Appmixer answers 500): make an " +
			"`appmixer_account` of the service depend on this resource. Needs an admin provider user.\n\n" +
			"Appmixer answers a service without a configuration with an empty object, so a configuration exists " +
			"when it holds any key: one emptied or deleted by hand is planned to be created again, and a " +
			"configuration must set at least one key.\n\n" +
			"Terraform owns the whole object: Appmixer's `PUT` replaces it, so the provider always sends `values` and " +
			"`secret_values_wo` merged, and a key added on the server by hand shows in the plan as a change of `values`.\n\n" +
			"**Secrets.** Put secrets in `secret_values_wo` (Terraform or OpenTofu 1.11 or later): it is sent to Appmixer and never " +
			"stored in the state or shown in a plan. It is sent on create, whenever `secret_values_wo_version` " +
			"changes, and with every other update (a `PUT` must carry the whole object). The provider cannot read a " +
			"secret back to compare it, so it keeps a salted hash of the values it sent in the resource's private " +
			"state (PBKDF2-SHA256, never the values; like any hash it lets whoever holds the state test guesses of a " +
			"weak secret, slowly) and compares the server's values with it on every refresh: a " +
			"secret changed or removed by hand on the server shows in the plan as `secret_values_wo_version` being " +
			"set again, and applying sends the configured secrets back.\n\n" +
			"**Import** by service id; a service without a configuration cannot be imported. The provider has never " +
			"sent the secrets then, so it keeps the keys whose names look secret (containing `secret`, `password`, " +
			"`token`, `key`, `credential`, `private`, ...) out of `values` and out of the state, unless `values` " +
			"sets them (`tokenUrl`, `publicKey`): then the configured value is sent. The first plan with `secret_values_wo` shows " +
			"`secret_values_wo_version` being set: an in-place update that sends the secrets once. A configuration " +
			"without `secret_values_wo` (as `-generate-config-out` writes it) plans no change, and an update made " +
			"from it keeps the secrets that are on the server.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("The service id, as `service_id`."),
			"service_id": schema.StringAttribute{
				MarkdownDescription: "The connector service, `vendor:service` (e.g. `appmixer:slack`). A change replaces " +
					"the configuration: the old service's is deleted.",
				Required:      true,
				Validators:    []validator.String{serviceNameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"values": schema.StringAttribute{
				MarkdownDescription: "The settings that are not secret, as a JSON object (`jsonencode({...})`), e.g. " +
					"`{\"clientId\": \"...\", \"sandbox\": true}`. Values keep their JSON types. Compared semantically.",
				Optional:   true,
				CustomType: jsonType[plainJSON]{},
				Validators: []validator.String{jsonValidator{object: true}},
			},
			"secret_values_wo": schema.StringAttribute{
				MarkdownDescription: "The secret settings, as a JSON object (`jsonencode({ clientSecret = var.x })`), " +
					"write-only: never stored. Its keys must not also be in `values`. Needs `secret_values_wo_version`.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				// Checked with its version by writeOnlyChecks, which never names this attribute.
			},
			"secret_values_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it to send changed `secret_values_wo`. Set again by the plan " +
					"when the server's secrets no longer match what was sent.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *serviceConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *serviceConfigResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{writeOnlyChecks{secret: "secret_values_wo", version: "secret_values_wo_version", jsonObject: true}}
}

// ValidateConfig refuses a key given twice, and serviceId, which service_id sets.
func (r *serviceConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg serviceConfigModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var values, secrets map[string]json.RawMessage
	if !cfg.Values.IsUnknown() && !cfg.Values.IsNull() {
		values, _ = jsonObject("values", cfg.Values.ValueString(), false)
	}
	if !cfg.SecretValuesWO.IsUnknown() && !cfg.SecretValuesWO.IsNull() {
		secrets, _ = jsonObject("secret_values_wo", cfg.SecretValuesWO.ValueString(), false)
	}
	// A problem of secret_values_wo is shown at its version's line: Terraform quotes the line a
	// diagnostic names, which for the secret could hold it.
	for _, a := range []struct {
		attr, at string
		m        map[string]json.RawMessage
	}{{"values", "values", values}, {"secret_values_wo", "secret_values_wo_version", secrets}} {
		if _, ok := a.m["serviceId"]; ok {
			resp.Diagnostics.AddAttributeError(path.Root(a.at), "serviceId is set by service_id",
				a.attr+" has the key \"serviceId\"; remove it: the provider sends service_id as serviceId.")
		}
	}
	var both []string
	for k := range secrets {
		if _, ok := values[k]; ok {
			both = append(both, k)
		}
	}
	if len(both) > 0 {
		slices.Sort(both)
		// Attached to values: Terraform quotes the configuration line, which for secret_values_wo could hold
		// a literal secret.
		resp.Diagnostics.AddAttributeError(path.Root("values"), "Key in both values and secret_values_wo",
			fmt.Sprintf("secret_values_wo and values both have %s; each key belongs in one of them (secrets in "+
				"secret_values_wo).", quoteList(both)))
	}
}

func (r *serviceConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	if requireRealAPI(r.pd.client, &resp.Diagnostics, "appmixer_service_config") {
		r.pd.requireAdmin(&resp.Diagnostics, "appmixer_service_config", serviceConfigRoutes)
	}
	if req.State.Raw.IsNull() {
		refuseEmptyConfig(ctx, req, resp)
	}
}

// payload merges the planned values and the configured secrets into what POST and PUT send.
func payload(plan, cfg serviceConfigModel) (values, secrets map[string]json.RawMessage, err error) {
	if values, err = jsonObject("values", plan.Values.ValueString(), plan.Values.IsNull()); err != nil {
		return nil, nil, err
	}
	if secrets, err = jsonObject("secret_values_wo", cfg.SecretValuesWO.ValueString(), cfg.SecretValuesWO.IsNull()); err != nil {
		return nil, nil, err
	}
	return values, secrets, nil
}

func merged(values, secrets map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(values)+len(secrets))
	for k, v := range values {
		out[k] = v
	}
	for k, v := range secrets {
		out[k] = v
	}
	return out
}

func (r *serviceConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg serviceConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Create, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	id := plan.ServiceID.ValueString()
	values, secrets, err := payload(plan, cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid appmixer_service_config", err.Error())
		return
	}
	// Appmixer's POST might overwrite a configuration made by hand; taking one over is an import.
	switch _, err := r.pd.client.GetServiceConfig(ctx, id); {
	case err == nil:
		resp.Diagnostics.AddAttributeError(path.Root("service_id"), "Service configuration already exists",
			fmt.Sprintf("The tenant already has a configuration of %s, made outside this Terraform state. To manage "+
				"it, import it: terraform import <address> %s (or an import block with id = %q).", id, id, id))
		return
	case !appmixer.IsNotFound(err):
		addAPIError(&resp.Diagnostics, "Cannot check for an existing configuration of "+id, err)
		return
	}
	r.pd.lists.serviceConfigs.Forget(id)
	if err := r.pd.client.CreateServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: id, Values: merged(values, secrets)}); err != nil {
		addAPIError(&resp.Diagnostics, "Cannot create the Appmixer service configuration of "+id, err)
		return
	}
	sent := newSentSecrets(secrets)
	saveSentSecrets(ctx, resp.Private, sent, &resp.Diagnostics)
	plan.ID = plan.ServiceID
	plan.SecretValuesWO = types.StringNull()
	r.readBack(ctx, plan, sent, &resp.State, &resp.Diagnostics)
}

// readBack refreshes m after a write and saves it; a failed read keeps the planned values in state.
func (r *serviceConfigResource) readBack(ctx context.Context, m serviceConfigModel, sent sentSecrets, st *tfsdk.State, diags *diag.Diagnostics) {
	sc, err := r.pd.client.GetServiceConfig(ctx, m.ServiceID.ValueString())
	if err != nil {
		diags.Append(st.Set(ctx, &m)...)
		addAPIError(diags, "Cannot read the Appmixer service configuration of "+m.ServiceID.ValueString()+" back", err)
		return
	}
	m, _ = serviceConfigFromAPI(sc, m, sent)
	diags.Append(st.Set(ctx, &m)...)
}

func (r *serviceConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state serviceConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ServiceID.ValueString()
	sc, err := r.pd.lists.serviceConfigs.Get(ctx, id, r.pd.client.GetServiceConfig)
	if !readFound(ctx, resp, "the Appmixer service configuration of "+id, err) {
		return
	}
	sent := loadSentSecrets(ctx, req.Private)
	if sent.Imported {
		state, sent = importedServiceConfig(sc, state)
		saveSentSecrets(ctx, resp.Private, sent, &resp.Diagnostics)
	}
	state, drifted := serviceConfigFromAPI(sc, state, sent)
	if drifted {
		// Attached to the version: Terraform quotes the configuration line, which for secret_values_wo could
		// hold a literal secret.
		resp.Diagnostics.AddAttributeWarning(path.Root("secret_values_wo_version"), "Secret values changed outside Terraform",
			fmt.Sprintf("The service configuration of %s no longer holds the secret values Terraform sent (keys %s): "+
				"someone changed or removed them. The plan sets secret_values_wo_version to send the configured "+
				"secret_values_wo again.", id, quoteList(sent.Keys)))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *serviceConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg serviceConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Update, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ServiceID.ValueString()
	values, secrets, err := payload(plan, cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid appmixer_service_config", err.Error())
		return
	}
	r.pd.lists.serviceConfigs.Forget(id)
	prior := loadSentSecrets(ctx, req.Private)
	sent := newSentSecrets(secrets)
	if cfg.SecretValuesWO.IsNull() && state.SecretValuesWOVersion.IsNull() && len(prior.Keys) > 0 {
		// Imported, and Terraform never sent secrets: keep the server's, which the PUT would drop. A key
		// that values set was only guessed secret from its name (tokenUrl, publicKey): the configured
		// value wins, and from now on the key is in values.
		keep := slices.DeleteFunc(slices.Clone(prior.Keys), func(k string) bool { _, set := values[k]; return set })
		if secrets, err = r.serverSecrets(ctx, id, keep); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot read the secret values of "+id+" to keep them", err)
			return
		}
		sent = sentSecrets{Keys: keep}
	}
	if err := r.pd.client.ReplaceServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: id, Values: merged(values, secrets)}); err != nil {
		addAPIError(&resp.Diagnostics, "Cannot update the Appmixer service configuration of "+id, err)
		return
	}
	saveSentSecrets(ctx, resp.Private, sent, &resp.Diagnostics)
	plan.ID = state.ID
	plan.SecretValuesWO = types.StringNull()
	r.readBack(ctx, plan, sent, &resp.State, &resp.Diagnostics)
}

// serverSecrets are the server's current values of keys.
func (r *serviceConfigResource) serverSecrets(ctx context.Context, id string, keys []string) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if len(keys) == 0 {
		return out, nil
	}
	sc, err := r.pd.client.GetServiceConfig(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if v, ok := sc.Values[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

func (r *serviceConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serviceConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ServiceID.ValueString()
	deleteTenantObject(ctx, state.Timeouts, &resp.Diagnostics, "the Appmixer service configuration of "+id, id,
		r.pd.lists.serviceConfigs.Forget, r.pd.client.DeleteServiceConfig)
}

// ImportState takes the service id; the secret keys are guessed by the Read that follows.
// A service without a configuration is refused here: Appmixer answers it with 200 {}, and Terraform's
// own message for an import that finds nothing speaks of regions and endpoints.
func (r *serviceConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if resp.Diagnostics.Append(importServiceConfig(ctx, &resp.State, req.ID)...); resp.Diagnostics.HasError() {
		return
	}
	if r.pd != nil {
		switch _, err := r.pd.client.GetServiceConfig(ctx, req.ID); {
		case appmixer.IsNotFound(err):
			resp.Diagnostics.AddError("No service configuration to import",
				fmt.Sprintf("The tenant has no configuration of %s (Appmixer answers an empty object for it), so there "+
					"is nothing to import. Remove the import and apply: this resource then creates the configuration.", req.ID))
			return
		case err != nil:
			addAPIError(&resp.Diagnostics, "Cannot read the Appmixer service configuration of "+req.ID+" to import it", err)
			return
		}
	}
	saveSentSecrets(ctx, resp.Private, sentSecrets{Imported: true}, &resp.Diagnostics)
}

// importServiceConfig is the state an import of a service id starts from.
func importServiceConfig(ctx context.Context, st *tfsdk.State, serviceID string) diag.Diagnostics {
	var diags diag.Diagnostics
	id, err := parseServiceConfigImportID(serviceID)
	if err != nil {
		diags.AddError("Invalid import ID", err.Error())
		return diags
	}
	diags.Append(st.SetAttribute(ctx, path.Root("id"), id)...)
	diags.Append(st.SetAttribute(ctx, path.Root("service_id"), id)...)
	return diags
}

// importedServiceConfig is the model the Read after an import builds: the keys that look secret are
// kept out of values (and so out of state), since nothing says yet which keys are secrets.
func importedServiceConfig(sc *appmixer.ServiceConfig, prior serviceConfigModel) (serviceConfigModel, sentSecrets) {
	sent := sentSecrets{Keys: secretLookingKeys(sc.Values)}
	m, _ := serviceConfigFromAPI(sc, prior, sent)
	return m, sent
}

func parseServiceConfigImportID(id string) (string, error) {
	if !servicePattern.MatchString(id) {
		return "", fmt.Errorf("got %q, expected a service id vendor:service such as appmixer:slack", id)
	}
	return id, nil
}

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	return strings.Join(q, ", ")
}
