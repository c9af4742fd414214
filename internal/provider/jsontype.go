// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// JSON attributes (a flow definition, a wizard, service config values, the modifiers document, ...)
// are strings holding a JSON document, compared semantically: whitespace, key order and the spelling
// of numbers (1 vs 1.0) never count as a change. What else an attribute ignores is its jsonSemantics:
// plainJSON ignores nothing more; flowDefinitionSemantics (flow_definition.go) also ignores the fields
// the server owns.
//
// Semantic equality runs where the server answers (after Create, Update and Read): the state keeps the
// prior text when the server's document means the same, so the next plan compares the configuration
// with its own text. At plan time Terraform compares configuration and state as text, so reformatting a
// configured document plans one harmless update; values are never rewritten in a plan modifier, since
// Terraform rejects a planned value that differs from the configuration. Read stores the server's
// document with jsonForState, which keeps the prior text when it is equivalent and otherwise shows
// the server's.

// jsonSemantics decides when two decoded documents (numbers as float64) are the same value.
type jsonSemantics interface {
	// kind names the document in type names and diagnostics, e.g. "flow definition".
	kind() string
	equal(a, b any) bool
}

// plainJSON is the semantics of a JSON attribute whose every field is the user's.
type plainJSON struct{}

func (plainJSON) kind() string        { return "JSON document" }
func (plainJSON) equal(a, b any) bool { return reflect.DeepEqual(a, b) }

// jsonType is the attribute type of a JSON string compared under S.
type jsonType[S jsonSemantics] struct {
	basetypes.StringType
}

var _ basetypes.StringTypable = jsonType[plainJSON]{}

func (t jsonType[S]) String() string {
	var s S
	return "provider.jsonType[" + s.kind() + "]"
}

func (t jsonType[S]) ValueType(context.Context) attr.Value { return jsonValue[S]{} }

func (t jsonType[S]) Equal(o attr.Type) bool {
	other, ok := o.(jsonType[S])
	return ok && t.StringType.Equal(other.StringType)
}

func (t jsonType[S]) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return jsonValue[S]{StringValue: in}, nil
}

func (t jsonType[S]) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return jsonValue[S]{StringValue: s}, nil
}

// jsonValue is a JSON string compared under S.
type jsonValue[S jsonSemantics] struct {
	basetypes.StringValue
}

var _ basetypes.StringValuableWithSemanticEquals = jsonValue[plainJSON]{}

// newJSONValue wraps known text.
func newJSONValue[S jsonSemantics](s string) jsonValue[S] {
	return jsonValue[S]{StringValue: basetypes.NewStringValue(s)}
}

// nullJSON is a null JSON attribute.
func nullJSON[S jsonSemantics]() jsonValue[S] {
	return jsonValue[S]{StringValue: basetypes.NewStringNull()}
}

func (v jsonValue[S]) Type(context.Context) attr.Type { return jsonType[S]{} }

func (v jsonValue[S]) Equal(o attr.Value) bool {
	other, ok := o.(jsonValue[S])
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals runs on plan (config against state), after apply and after Read.
func (v jsonValue[S]) StringSemanticEquals(_ context.Context, other basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	o, ok := other.(jsonValue[S])
	if !ok {
		var s S
		diags.AddError("Semantic equality check error",
			fmt.Sprintf("Expected a %s value, got %T. This is a bug in the provider; please report it.", s.kind(), other))
		return false, diags
	}
	return jsonEqual[S](v.ValueString(), o.ValueString()), diags
}

// jsonEqual compares two documents under S; text that does not parse is compared as text.
func jsonEqual[S jsonSemantics](a, b string) bool {
	if a == b {
		return true
	}
	da, errA := decodeJSON(a)
	db, errB := decodeJSON(b)
	if errA != nil || errB != nil {
		return false
	}
	var s S
	return s.equal(da, db)
}

// jsonForState is what state holds for the server's document: prior's exact text when the two are
// the same value under S, so formatting and ignored fields cause no noise, else the server's document
// normalised (sorted keys, compact), which the plan then shows as drift.
func jsonForState[S jsonSemantics](prior jsonValue[S], server []byte) jsonValue[S] {
	candidate := normalizedJSON(server)
	if !prior.IsNull() && !prior.IsUnknown() && jsonEqual[S](prior.ValueString(), candidate) {
		return prior
	}
	return newJSONValue[S](candidate)
}

// decodeJSON parses one JSON document into generic values, numbers as float64 so that 1 and 1.0
// compare equal.
func decodeJSON(s string) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not valid JSON: unexpected data after the top-level value")
	}
	return v, nil
}

// normalizeJSON renders a document the way Terraform's jsonencode does: compact, keys sorted, "<", ">"
// and "&" escaped, numbers in plain decimal. State written in that form is what a configuration
// generated from it (-generate-config-out, terraform query) evaluates to, so such a configuration plans
// empty. Terraform shows JSON strings in plans as structures, so the escapes never reach the reader.
func normalizeJSON(raw []byte) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	b, err := json.Marshal(terraformNumbers(v))
	return string(b), err
}

// terraformNumbers rewrites every number in plain decimal, as Terraform prints a number value
// (1e3 becomes 1000, 1.50 becomes 1.5).
func terraformNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = terraformNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = terraformNumbers(e)
		}
	case json.Number:
		f, _, err := big.ParseFloat(t.String(), 10, 512, big.ToNearestEven)
		if err == nil {
			return json.Number(f.Text('f', -1))
		}
	}
	return v
}

// normalizedJSON is normalizeJSON for a server's answer: an absent document reads as an empty object
// and one that is not JSON is kept as it came.
func normalizedJSON(server []byte) string {
	if len(server) == 0 {
		return "{}"
	}
	n, err := normalizeJSON(server)
	if err != nil {
		return string(server)
	}
	return n
}

func encodeJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// "<" and ">" are common in lambdas and templates; escaping them would make plans hard to read.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// jsonValidator checks at plan time that a JSON attribute parses and, with object, is a JSON object.
type jsonValidator struct {
	object bool
}

func (v jsonValidator) Description(context.Context) string {
	if v.object {
		return "must be a JSON object, e.g. from jsonencode({...})"
	}
	return "must be valid JSON, e.g. from jsonencode(...)"
}

func (v jsonValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v jsonValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	doc, err := decodeJSON(req.ConfigValue.ValueString())
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON", fmt.Sprintf("%s is %v.", req.Path, err))
	case v.object:
		if _, ok := doc.(map[string]any); !ok {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON",
				fmt.Sprintf("%s must be a JSON object, got %s.", req.Path, jsonKindName(doc)))
		}
	}
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
