// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Starting a flow can fail with 400: "Component transformation validation error" or "Malformed
// transformation" when a transform does not fit its component's in-ports, or a trigger's own error
// (appmixer-api.md §1.3, §10). The flow is saved but stopped; the provider says so, quotes the server
// and names the components whose transforms do not fit, from the server's details where it gives them
// and from the components' manifests otherwise.

// startError explains a refused start of the flow with definition.
func (r *flowResource) startError(ctx context.Context, id, definition string, cause error) error {
	if !appmixer.IsBadRequest(cause) {
		return cause
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Appmixer refused to start flow %s; it is saved but stopped. The server answered:\n  %s", id, cause)
	if culprits := r.transformCulprits(ctx, definition, cause); len(culprits) > 0 {
		b.WriteString("\n\nComponents whose config.transform does not fit their in-ports:")
		for _, c := range culprits {
			b.WriteString("\n  - " + c)
		}
	}
	b.WriteString("\n\nFix the definition and apply again; stage is recorded as \"stopped\" until a start succeeds.")
	return errors.New(b.String())
}

// transformCulprits names the components a refused start is about, sorted by id.
func (r *flowResource) transformCulprits(ctx context.Context, definition string, cause error) []string {
	found := map[string]string{}
	var apiErr *appmixer.Error
	if errors.As(cause, &apiErr) && len(apiErr.Details) > 0 {
		var d struct {
			ComponentID string `json:"componentId"`
		}
		if json.Unmarshal(apiErr.Details, &d) == nil && d.ComponentID != "" {
			found[d.ComponentID] = fmt.Sprintf("component %q (named by the server)", d.ComponentID)
		}
	}
	def, err := decodeDefinition(definition)
	if err != nil {
		return sortedValues(found)
	}
	inPorts := map[string][]string{} // by type, fetched once each
	for _, id := range sortedKeys(def) {
		comp, _ := def[id].(map[string]any)
		config, _ := comp["config"].(map[string]any)
		raw, has := config["transform"]
		if !has || raw == nil {
			continue
		}
		typ, _ := comp["type"].(string)
		transform, ok := raw.(map[string]any)
		if !ok {
			found[id] = fmt.Sprintf("component %q (%s): config.transform is not an object", id, typ)
			continue
		}
		ports, known := inPorts[typ]
		if !known {
			ports = r.inPortsOf(ctx, typ)
			inPorts[typ] = ports
		}
		if ports == nil {
			continue
		}
		for _, port := range sortedKeys(transform) {
			if !slices.Contains(ports, port) {
				found[id] = fmt.Sprintf("component %q (%s): config.transform has %q, which is not an in-port (in-ports: %s)",
					id, typ, port, strings.Join(quoteAll(ports), ", "))
				break
			}
		}
	}
	return sortedValues(found)
}

// inPortsOf reads a component type's in-ports from its manifest; nil when it cannot be read.
func (r *flowResource) inPortsOf(ctx context.Context, typ string) []string {
	list, err := r.client.ListComponents(ctx, typ, true)
	if err != nil {
		return nil
	}
	for _, m := range list {
		if m.Name != typ || len(m.Raw) == 0 {
			continue
		}
		var manifest struct {
			InPorts []json.RawMessage `json:"inPorts"`
		}
		if json.Unmarshal(m.Raw, &manifest) != nil {
			return nil
		}
		ports := []string{}
		for _, p := range manifest.InPorts {
			var name string
			var obj struct {
				Name string `json:"name"`
			}
			switch {
			case json.Unmarshal(p, &name) == nil:
			case json.Unmarshal(p, &obj) == nil:
				name = obj.Name
			}
			if name != "" {
				ports = append(ports, name)
			}
		}
		return ports
	}
	return nil
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// saveStopped records the flow as the server has it after a refused start (stopped), or the plan
// with stage "stopped" when it cannot be read, so that the next plan starts it again.
func (r *flowResource) saveStopped(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics, plan flowResourceModel) {
	m := plan
	if found, err := r.readInto(ctx, &m, plan); err != nil || !found {
		m = plan
		m.Stage = types.StringValue(stageStopped)
		for _, v := range []*types.String{&m.UserID, &m.CreatedAt, &m.UpdatedAt} {
			if v.IsUnknown() {
				*v = types.StringNull()
			}
		}
	}
	diags.Append(state.Set(ctx, &m)...)
}
