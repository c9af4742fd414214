// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A write-only secret (password_wo, token_wo, secret_values_wo, value_wo) comes with a version
// attribute that makes Terraform send it again. Terraform prints the configuration line of the
// attribute a diagnostic names, and that line may hold the secret itself (`password_wo = "..."`), so
// no check may name the secret's own attribute: writeOnlyChecks reports every problem of the pair on
// the version attribute, or on the block when that is not set, and never quotes the value.

// writeOnlyChecks validates a secret and its version as a pair.
type writeOnlyChecks struct {
	secret, version string
	// jsonObject: the secret must be a JSON object (jsonencode({...})).
	jsonObject bool
	// conflicts names a stored alternative to the secret (password for password_wo), if any.
	conflicts string
}

var _ resource.ConfigValidator = writeOnlyChecks{}

func (c writeOnlyChecks) Description(context.Context) string {
	return fmt.Sprintf("%s and %s are set together", c.secret, c.version)
}

func (c writeOnlyChecks) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c writeOnlyChecks) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var secret types.String
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(c.secret), &secret)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(c.version), &version)...)
	if resp.Diagnostics.HasError() {
		return
	}
	at := path.Root(c.version) // shows the version's line, or the block's when it is not set
	switch {
	case !secret.IsNull() && version.IsNull():
		resp.Diagnostics.AddAttributeError(at, "Missing "+c.version,
			fmt.Sprintf("%s needs %s: set it to any number, and change the number whenever %s changes, so that "+
				"Terraform sends the new value.", c.secret, c.version, c.secret))
	case secret.IsNull() && !version.IsNull() && !version.IsUnknown():
		resp.Diagnostics.AddAttributeError(at, "Missing "+c.secret,
			fmt.Sprintf("%s is set without %s, so there is nothing to send.", c.version, c.secret))
	}
	if c.conflicts != "" && !secret.IsNull() {
		var other types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(c.conflicts), &other)...)
		if !other.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root(c.conflicts), "Conflicting attributes",
				fmt.Sprintf("Set %s or %s, not both.", c.conflicts, c.secret))
		}
	}
	if c.jsonObject && !secret.IsNull() && !secret.IsUnknown() {
		if problem := jsonObjectProblem(secret.ValueString()); problem != "" {
			resp.Diagnostics.AddAttributeError(at, "Invalid "+c.secret,
				fmt.Sprintf("%s %s, e.g. jsonencode({ key = var.secret }). Its value is not shown: it is secret.", c.secret, problem))
		}
	}
}

// jsonObjectProblem says what keeps s from being a JSON object, without quoting any of it.
func jsonObjectProblem(s string) string {
	var v any
	err := json.Unmarshal([]byte(s), &v)
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("is not valid JSON (syntax error at byte %d)", syntax.Offset)
	case err != nil:
		return "is not valid JSON"
	}
	if _, ok := v.(map[string]any); !ok {
		return "must be a JSON object, got " + jsonKindName(v)
	}
	return ""
}
