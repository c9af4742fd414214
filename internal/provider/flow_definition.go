package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A flow descriptor is a JSON object keyed by component id (appmixer-api.md §3). This file parses,
// validates and compares descriptors. The comparison decides what counts as drift:
//
//   - whitespace, key order and number spelling (1 vs 1.0) never do;
//   - a component's "version" never does: the server rewrites it on every save to the newest installed
//     version of the component's type, so a configured version is only advisory. It is the one
//     server-owned field of a descriptor (serverOwnedComponentKeys);
//   - "x"/"y" (the canvas position) do, unless the resource sets ignore_layout, which Read applies
//     because a semantic-equality function cannot see other attributes;
//   - everything else (type, label, source, config, components added or removed) does.

// serverOwnedComponentKeys are the per-component keys the server rewrites; they are ignored when
// comparing descriptors. Keep this list short: every entry hides a kind of edit from drift detection.
var serverOwnedComponentKeys = []string{"version"}

// layoutComponentKeys are the keys that moving a box on the canvas changes.
var layoutComponentKeys = []string{"x", "y"}

// componentTypePattern is the engine's rule for a component type, vendor.service.module.Component.
var componentTypePattern = regexp.MustCompile(`^\w+\.\w+\.\w+\.\w+$`)

// decodeDefinition parses a descriptor into generic JSON values (numbers as float64, so that 1 and 1.0
// compare equal). It fails unless the document is a single JSON object.
func decodeDefinition(s string) (map[string]any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not valid JSON: unexpected data after the top-level object")
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
	var problems []string
	for _, id := range sortedKeys(def) {
		comp, ok := def[id].(map[string]any)
		if !ok {
			problems = append(problems, fmt.Sprintf("Component %q must be a JSON object, got %s.", id, jsonKindName(def[id])))
			continue
		}
		problems = append(problems, componentProblems(def, id, comp)...)
	}
	return problems
}

func componentProblems(def map[string]any, id string, comp map[string]any) []string {
	var problems []string
	switch typ, ok := comp["type"].(string); {
	case comp["type"] == nil:
		problems = append(problems, fmt.Sprintf("Component %q has no \"type\"; every component needs one, such as \"appmixer.utils.email.SendEmail\".", id))
	case !ok || !componentTypePattern.MatchString(typ):
		problems = append(problems, fmt.Sprintf("Component %q has type %s, which is not of the form vendor.service.module.Component.", id, compactJSON(comp["type"])))
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
			if _, known := def[up]; !known {
				problems = append(problems, fmt.Sprintf("Component %q: in-port %q takes input from %q, which is not a component of this definition.", id, port, up))
			}
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

// definitionsEqual reports whether two descriptors are the same flow, ignoring the server-owned keys and,
// with ignoreLayout, the canvas position. Text that does not parse is compared as text.
func definitionsEqual(a, b string, ignoreLayout bool) bool {
	if a == b {
		return true
	}
	da, errA := decodeDefinition(a)
	db, errB := decodeDefinition(b)
	if errA != nil || errB != nil {
		return false
	}
	ignored := serverOwnedComponentKeys
	if ignoreLayout {
		ignored = append(append([]string{}, ignored...), layoutComponentKeys...)
	}
	return reflect.DeepEqual(withoutComponentKeys(da, ignored), withoutComponentKeys(db, ignored))
}

// withoutComponentKeys returns a shallow copy of def whose components lack keys.
func withoutComponentKeys(def map[string]any, keys []string) map[string]any {
	out := make(map[string]any, len(def))
	for id, c := range def {
		comp, ok := c.(map[string]any)
		if !ok {
			out[id] = c
			continue
		}
		trimmed := make(map[string]any, len(comp))
		for k, v := range comp {
			trimmed[k] = v
		}
		for _, k := range keys {
			delete(trimmed, k)
		}
		out[id] = trimmed
	}
	return out
}

// withLayoutOf returns server's descriptor with x/y of each component that prior also has taken from
// prior, so that boxes moved on the canvas do not show as drift. New components keep their position.
func withLayoutOf(server, prior map[string]any) map[string]any {
	out := withoutComponentKeys(server, nil)
	for id, c := range out {
		comp, ok := c.(map[string]any)
		priorComp, inPrior := prior[id].(map[string]any)
		if !ok || !inPrior {
			continue
		}
		for _, k := range layoutComponentKeys {
			if v, has := priorComp[k]; has {
				comp[k] = v
			} else {
				delete(comp, k)
			}
		}
	}
	return out
}

// normalizeDefinition renders a descriptor as compact JSON with sorted keys; it is how the server's
// descriptor is stored, so that plans show drift as a JSON diff. Numbers keep their spelling.
func normalizeDefinition(raw []byte) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	return encodeJSON(v)
}

func encodeJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// "<" and ">" are common in lambdas; escaping them would make plans hard to read.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// definitionForState chooses the state's definition for the server's descriptor. When the server's
// value is the same flow as prior (the planned or prior state value), prior's exact text is kept, so
// that neither formatting nor server-owned fields cause noise. With ignoreLayout, the positions are
// taken from prior first. Otherwise the normalised server value is returned and the plan shows drift.
func definitionForState(prior flowDefinitionValue, server json.RawMessage, ignoreLayout bool) flowDefinitionValue {
	if prior.IsNull() || prior.IsUnknown() {
		return newFlowDefinitionValue(normalizedDefinition(server))
	}
	candidate := normalizedDefinition(server)
	if ignoreLayout {
		sv, errS := decodeDefinition(candidate)
		pv, errP := decodeDefinition(prior.ValueString())
		if errS == nil && errP == nil {
			if s, err := encodeJSON(withLayoutOf(sv, pv)); err == nil {
				candidate = normalizedDefinition([]byte(s))
			}
		}
	}
	if definitionsEqual(prior.ValueString(), candidate, false) {
		return prior
	}
	return newFlowDefinitionValue(candidate)
}

// normalizedDefinition is the server's descriptor as state and the data source hold it. The server
// always has one; an absent one reads as an empty flow, and one that is not JSON is kept as is.
func normalizedDefinition(server json.RawMessage) string {
	if len(server) == 0 {
		return "{}"
	}
	n, err := normalizeDefinition(server)
	if err != nil {
		return string(server)
	}
	return n
}

// flowDefinitionType is the type of the resource's definition attribute: a string holding a
// descriptor, compared with definitionsEqual.
type flowDefinitionType struct {
	basetypes.StringType
}

var _ basetypes.StringTypable = flowDefinitionType{}

func (t flowDefinitionType) String() string { return "provider.flowDefinitionType" }

func (t flowDefinitionType) ValueType(context.Context) attr.Value { return flowDefinitionValue{} }

func (t flowDefinitionType) Equal(o attr.Type) bool {
	other, ok := o.(flowDefinitionType)
	return ok && t.StringType.Equal(other.StringType)
}

func (t flowDefinitionType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return flowDefinitionValue{StringValue: in}, nil
}

func (t flowDefinitionType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return flowDefinitionValue{StringValue: s}, nil
}

// flowDefinitionValue is a descriptor string with the semantic equality described at the top of the file.
type flowDefinitionValue struct {
	basetypes.StringValue
}

var _ basetypes.StringValuableWithSemanticEquals = flowDefinitionValue{}

func newFlowDefinitionValue(s string) flowDefinitionValue {
	return flowDefinitionValue{StringValue: basetypes.NewStringValue(s)}
}

func (v flowDefinitionValue) Type(context.Context) attr.Type { return flowDefinitionType{} }

func (v flowDefinitionValue) Equal(o attr.Value) bool {
	other, ok := o.(flowDefinitionValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals lets the framework keep the prior text when the new one is the same flow; it runs
// on plan (config vs state), after apply and after Read. Layout is not ignored here (see definitionForState).
func (v flowDefinitionValue) StringSemanticEquals(_ context.Context, other basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	o, ok := other.(flowDefinitionValue)
	if !ok {
		diags.AddError("Semantic equality check error",
			fmt.Sprintf("Expected a flow definition value, got %T. This is a bug in the provider; please report it.", other))
		return false, diags
	}
	return definitionsEqual(v.ValueString(), o.ValueString(), false), diags
}

// flowDefinitionValidator reports every problem of a configured descriptor at plan time.
type flowDefinitionValidator struct{}

func (flowDefinitionValidator) Description(context.Context) string {
	return "must be a JSON object of components, each with a vendor.service.module.Component type and sources naming components of the flow"
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
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func isStringArray(v any) bool {
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if _, isString := e.(string); !isString {
			return false
		}
	}
	return true
}

func jsonKindName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

func compactJSON(v any) string {
	s, err := encodeJSON(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}
