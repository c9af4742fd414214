// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// serviceConfigModel is an appmixer_service_config. secret_values_wo is write-only: always null here,
// read from the configuration when it is sent.
type serviceConfigModel struct {
	ID                    types.String         `tfsdk:"id"`
	ServiceID             types.String         `tfsdk:"service_id"`
	Values                jsonValue[plainJSON] `tfsdk:"values"`
	SecretValuesWO        types.String         `tfsdk:"secret_values_wo"`
	SecretValuesWOVersion types.Int64          `tfsdk:"secret_values_wo_version"`
	Timeouts              timeouts.Value       `tfsdk:"timeouts"`
}

// secretsKey is the private-state key of what the provider knows of the secret values it sent.
const secretsKey = "secret_values"

// sentSecrets is kept in private state: which keys of the server's object are secrets, and a salted,
// slow hash of their values as last sent. The state never holds the values. Hash is empty when the
// provider has not sent them (after an import): then nothing can be compared.
type sentSecrets struct {
	Keys     []string `json:"keys"`
	Salt     string   `json:"salt,omitempty"`
	Hash     string   `json:"hash,omitempty"`
	Imported bool     `json:"imported,omitempty"` // keys still to be guessed from the server's object
}

// hashSecrets is the hash of values[keys] under salt; a key absent from values counts as absent.
func hashSecrets(values map[string]json.RawMessage, keys []string, salt string) string {
	canon := map[string]any{}
	for _, k := range keys {
		if raw, ok := values[k]; ok {
			v, err := decodeJSON(string(raw))
			if err != nil {
				v = string(raw)
			}
			canon[k] = v
		}
	}
	doc, _ := json.Marshal(canon) // sorted keys, numbers as float64: 1 and 1.0 hash alike
	return secretHash(doc, salt)
}

// newSentSecrets records secrets as just sent, with a fresh salt.
func newSentSecrets(secrets map[string]json.RawMessage) sentSecrets {
	keys := sortedKeys(secrets)
	salt := newSecretSalt()
	return sentSecrets{Keys: keys, Salt: salt, Hash: hashSecrets(secrets, keys, salt)}
}

// matches reports whether the server holds the secret values last sent; true when nothing was sent
// or nothing is known to compare with.
func (s sentSecrets) matches(server map[string]json.RawMessage) bool {
	return s.Hash == "" || sameSecretHash(hashSecrets(server, s.Keys, s.Salt), s.Hash)
}

func loadSentSecrets(ctx context.Context, private privateGetter) sentSecrets {
	var s sentSecrets
	raw, diags := private.GetKey(ctx, secretsKey)
	if diags.HasError() || len(raw) == 0 {
		return s
	}
	_ = json.Unmarshal(raw, &s)
	return s
}

func saveSentSecrets(ctx context.Context, private privateSetter, s sentSecrets, diags *diag.Diagnostics) {
	raw, err := json.Marshal(s)
	if err != nil {
		diags.AddError("Cannot record the secret values", err.Error())
		return
	}
	diags.Append(private.SetKey(ctx, secretsKey, raw)...)
}

// secretLookingKeys are the keys an import keeps out of values (and so out of state): the provider
// cannot know which keys a configuration sends as secrets until it sends them.
func secretLookingKeys(values map[string]json.RawMessage) []string {
	var out []string
	for _, k := range sortedKeys(values) {
		if appmixer.SecretLookingKey(k) {
			out = append(out, k)
		}
	}
	return out
}

// serviceConfigFromAPI rebuilds the model from the server's object: every key that is not a known
// secret is in values, so a key added by hand is drift. A secret value that no longer matches what was
// sent nulls secret_values_wo_version, which makes the plan send the configured secrets again; drifted
// reports that.
func serviceConfigFromAPI(sc *appmixer.ServiceConfig, prior serviceConfigModel, secrets sentSecrets) (m serviceConfigModel, drifted bool) {
	m = prior
	m.ID = types.StringValue(sc.ServiceID)
	m.ServiceID = types.StringValue(sc.ServiceID)
	m.SecretValuesWO = types.StringNull()
	plain := map[string]json.RawMessage{}
	for k, v := range sc.Values {
		if !slices.Contains(secrets.Keys, k) {
			plain[k] = v
		}
	}
	if len(plain) == 0 && prior.Values.IsNull() {
		m.Values = nullJSON[plainJSON]()
	} else {
		doc, _ := json.Marshal(plain)
		m.Values = jsonForState(prior.Values, doc)
	}
	if !secrets.matches(sc.Values) {
		m.SecretValuesWOVersion = types.Int64Null()
		drifted = true
	}
	return m, drifted
}

// jsonObject decodes a configured JSON object attribute into raw values; null is an empty object.
func jsonObject(attr, text string, isNull bool) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if isNull {
		return out, nil
	}
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		return nil, fmt.Errorf("%s must be a JSON object: %w", attr, err)
	}
	if out == nil { // the text was null
		out = map[string]json.RawMessage{}
	}
	return out, nil
}

// refuseEmptyConfig refuses to create a configuration without a single key: Appmixer cannot tell it
// from none (GET answers {} for both), so it would read back as gone and be created again forever.
func refuseEmptyConfig(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var plan, cfg serviceConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || plan.Values.IsUnknown() || cfg.SecretValuesWO.IsUnknown() {
		return
	}
	values, err1 := jsonObject("values", plan.Values.ValueString(), plan.Values.IsNull())
	secrets, err2 := jsonObject("secret_values_wo", cfg.SecretValuesWO.ValueString(), cfg.SecretValuesWO.IsNull())
	if err1 == nil && err2 == nil && len(values) == 0 && len(secrets) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("values"), "Empty service configuration",
			fmt.Sprintf("The configuration of %s sets no key in values or secret_values_wo. Appmixer answers a service "+
				"without a configuration with an empty object, so an empty one would read back as missing: set at least "+
				"one key (e.g. clientId).", plan.ServiceID.ValueString()))
	}
}
