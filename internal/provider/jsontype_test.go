// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPlainJSONSemanticEquality(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[true,null]}`, "{ \"b\": [true, null],\n \"a\": 1.0 }", true},
		{`{"sandbox":true}`, `{"sandbox":"true"}`, false}, // typed values stay typed
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`"x"`, `"x"`, true},
		{`{"a":`, `{"a":`, true}, // the same text is the same, even broken
		{`{"a":`, `{"a": `, false},
		{`{"version":"1"}`, `{"version":"2"}`, false}, // plain JSON has no server-owned keys
	}
	for _, c := range cases {
		got, diags := newJSONValue[plainJSON](c.a).StringSemanticEquals(context.Background(), newJSONValue[plainJSON](c.b))
		if diags.HasError() || got != c.want {
			t.Errorf("%s ~ %s: %v (%v), want %v", c.a, c.b, got, diags, c.want)
		}
	}
	// Another semantics is another type: the framework must never compare them.
	if _, diags := newJSONValue[plainJSON](`{}`).StringSemanticEquals(context.Background(), newFlowDefinitionValue(`{}`)); !diags.HasError() {
		t.Error("comparing a plain JSON value with a flow definition must be reported as a provider bug")
	}
}

func TestJSONForState(t *testing.T) {
	prior := newJSONValue[plainJSON]("{\n  \"b\": 2,\n  \"a\": 1\n}")
	if got := jsonForState(prior, []byte(`{"a":1,"b":2}`)); got.ValueString() != prior.ValueString() {
		t.Errorf("same value: state %q, want the prior text kept", got.ValueString())
	}
	if got := jsonForState(prior, []byte(`{"b":3, "a":1}`)); got.ValueString() != `{"a":1,"b":3}` {
		t.Errorf("changed value: state %q, want the server's document normalised", got.ValueString())
	}
	if got := jsonForState(nullJSON[plainJSON](), []byte(`{"z":1.50,"a":["<b>"]}`)); got.ValueString() != `{"a":["\u003cb\u003e"],"z":1.5}` {
		t.Errorf("import: state %q, want what Terraform's jsonencode writes (sorted keys, escaped <>, plain numbers)", got.ValueString())
	}
	if got := jsonForState(prior, nil); got.ValueString() != `{}` {
		t.Errorf("absent document: %q, want {}", got.ValueString())
	}
}

func TestJSONValidator(t *testing.T) {
	cases := []struct {
		v       jsonValidator
		in      string
		wantErr string
	}{
		{jsonValidator{}, `"a string is JSON"`, ""},
		{jsonValidator{object: true}, `{"clientId":"x"}`, ""},
		{jsonValidator{object: true}, `["x"]`, "values must be a JSON object, got an array."},
		{jsonValidator{}, `{"a":1} trailing`, "values is not valid JSON: unexpected data after the top-level value."},
		{jsonValidator{}, `{`, "values is not valid JSON: unexpected EOF."},
	}
	for _, c := range cases {
		resp := &validator.StringResponse{}
		c.v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("values"), ConfigValue: types.StringValue(c.in)}, resp)
		got := ""
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics.Errors()[0].Detail()
		}
		if got != c.wantErr {
			t.Errorf("%s: error %q, want %q", c.in, got, c.wantErr)
		}
	}
}
