// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Plan-time checks of a flow descriptor: what the engine needs to run the flow, not the components'
// own config.

// componentTypePattern is what a component type can be: vendor.service.module.Component, or
// vendor.service.Component for the components some of Appmixer's own services hold directly under the
// service (appmixer-api.md §9). The official flow schema allows only the first, so the second is a
// warning (serviceLevelType), not an error.
var (
	componentTypePattern = regexp.MustCompile(`^\w+\.\w+(\.\w+)?\.\w+$`)
	serviceLevelType     = regexp.MustCompile(`^\w+\.\w+\.\w+$`)
)

// decodeDefinition parses a descriptor; it fails unless the document is a single JSON object.
func decodeDefinition(s string) (map[string]any, error) {
	v, err := decodeJSON(s)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("must be a JSON object of components keyed by component id, got %s", jsonKindName(v))
	}
	return obj, nil
}

// definitionProblems lists what is wrong with a descriptor, each problem naming its component, in a
// stable order. It checks what the engine needs to run the flow, not the components' own config.
func definitionProblems(s string) []string {
	def, err := decodeDefinition(s)
	if err != nil {
		return []string{"The definition is " + err.Error() + "."}
	}
	if isFlowExport(def) {
		return []string{"The definition is a whole `appmixer flow export` file (an object with \"name\" and \"flow\"); " +
			"the descriptor is its \"flow\". Use, for example:\n\n" +
			"  definition = jsonencode(jsondecode(file(\"x.json\")).flow)\n\n" +
			"or, with Terraform 1.8+ or OpenTofu 1.7+, provider::appmixer::flow_from_export(file(\"x.json\"))."}
	}
	var problems []string
	for _, id := range sortedKeys(def) {
		comp, ok := def[id].(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("Component %q must be a JSON object, got %s.", id, jsonKindName(def[id])))
			continue
		}
		problems = append(problems, componentProblems(id, comp)...)
	}
	return problems
}

// definitionWarnings lists what the plan should point out without refusing it, in a stable order.
func definitionWarnings(s string) []string {
	def, err := decodeDefinition(s)
	if err != nil {
		return nil
	}
	var warnings []string
	for _, id := range sortedKeys(def) {
		comp, _ := def[id].(map[string]any)
		warnings = append(warnings, danglingSources(def, id, comp)...)
		if typ, ok := comp["type"].(string); ok && serviceLevelType.MatchString(typ) {
			warnings = append(warnings, fmt.Sprintf("Component %q has the service-level type %q (vendor.service.Component). "+
				"Appmixer ships such components, but the official CLI's flow schema expects vendor.service.module.Component; "+
				"check that the tenant has it installed.", id, typ))
		}
	}
	return warnings
}

// danglingSources names the links of comp from components the definition lacks. Exports of Appmixer's
// own test flows hold such links, and the engine is not known to refuse them, so they are warnings.
func danglingSources(def map[string]any, id string, comp map[string]any) []string {
	ports, _ := comp["source"].(map[string]any)
	var warnings []string
	for _, port := range sortedKeys(ports) {
		links, _ := ports[port].(map[string]any)
		for _, up := range sortedKeys(links) {
			if _, known := def[up]; !known {
				warnings = append(warnings, fmt.Sprintf("Component %q: in-port %q takes input from %q, which is not a "+
					"component of this definition; that link carries nothing.", id, port, up))
			}
		}
	}
	return warnings
}

// isFlowExport reports whether a definition certainly is the wrapper `appmixer flow export` writes
// ({name, flow, ...}) rather than a descriptor: "name" is a string, which no descriptor can hold under
// a component id, and "flow" is an object that is not itself a component with a type.
func isFlowExport(def map[string]any) bool {
	_, named := def["name"].(string)
	flow, isObject := def["flow"].(map[string]any)
	if !named || !isObject {
		return false
	}
	_, typed := flow["type"].(string)
	return !typed
}

func componentProblems(id string, comp map[string]any) []string {
	var problems []string
	switch typ, ok := comp["type"].(string); {
	case comp["type"] == nil:
		problems = append(problems, fmt.Sprintf("Component %q has no \"type\"; every component needs one, such as \"appmixer.utils.email.SendEmail\".", id))
	case !ok || !componentTypePattern.MatchString(typ):
		problems = append(problems, fmt.Sprintf("Component %q has type %s, which is not of the form vendor.service.module.Component "+
			"(or vendor.service.Component).", id, compactJSON(comp["type"])))
	}
	if l, ok := comp["label"]; ok {
		if _, isString := l.(string); !isString {
			problems = append(problems, fmt.Sprintf("Component %q: \"label\" must be a string.", id))
		}
	}
	for _, k := range layoutComponentKeys {
		if v, ok := comp[k]; ok {
			if _, isNumber := v.(float64); !isNumber {
				problems = append(problems, fmt.Sprintf("Component %q: %q must be a number.", id, k))
			}
		}
	}
	src, ok := comp["source"]
	if !ok || src == nil {
		return problems
	}
	ports, ok := src.(map[string]any)
	if !ok {
		return append(problems, fmt.Sprintf("Component %q: \"source\" must be an object keyed by in-port, such as {\"in\": {\"<component id>\": [\"out\"]}}.", id))
	}
	for _, port := range sortedKeys(ports) {
		links, ok := ports[port].(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("Component %q: source of in-port %q must be an object keyed by upstream component id.", id, port))
			continue
		}
		for _, up := range sortedKeys(links) {
			if !isStringArray(links[up]) {
				problems = append(problems, fmt.Sprintf("Component %q: in-port %q: the out-ports of %q must be an array of strings, such as [\"out\"].", id, port, up))
			}
		}
	}
	return problems
}

// definitionComponentIDs returns the component ids of a valid descriptor, or nil.
func definitionComponentIDs(s string) map[string]bool {
	def, err := decodeDefinition(s)
	if err != nil {
		return nil
	}
	ids := make(map[string]bool, len(def))
	for id := range def {
		ids[id] = true
	}
	return ids
}

// flowDefinitionValidator reports every problem of a configured descriptor at plan time.
type flowDefinitionValidator struct{}

func (flowDefinitionValidator) Description(context.Context) string {
	return "must be a JSON object of components, each with a vendor.service.module.Component (or vendor.service.Component) type and sources keyed by in-port"
}

func (v flowDefinitionValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (flowDefinitionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, p := range definitionProblems(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid flow definition", p)
	}
	if !resp.Diagnostics.HasError() {
		for _, w := range definitionWarnings(req.ConfigValue.ValueString()) {
			resp.Diagnostics.AddAttributeWarning(req.Path, "Unusual flow definition", w)
		}
	}
}
