// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestWriteOnlyDiagnosticsNeverPointAtTheSecret: Terraform prints the configuration line of the
// attribute a diagnostic names, and password_wo's line holds the password. Every problem of the pair is
// reported on the version's line (or the conflicting attribute's), and no message quotes the value.
func TestWriteOnlyDiagnosticsNeverPointAtTheSecret(t *testing.T) {
	const secretValue = "hunter2-not-json"
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"secret_wo":         schema.StringAttribute{Optional: true, WriteOnly: true, Sensitive: true},
		"secret_wo_version": schema.Int64Attribute{Optional: true},
		"secret":            schema.StringAttribute{Optional: true, Sensitive: true},
	}}
	checks := writeOnlyChecks{secret: "secret_wo", version: "secret_wo_version", jsonObject: true, conflicts: "secret"}
	str := func(v *string) tftypes.Value {
		if v == nil {
			return tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(tftypes.String, *v)
	}
	num := func(v *int) tftypes.Value {
		if v == nil {
			return tftypes.NewValue(tftypes.Number, nil)
		}
		return tftypes.NewValue(tftypes.Number, *v)
	}
	secret, one, object := secretValue, 1, `{"key":"value"}`
	cases := []struct {
		name          string
		wo            *string
		version       *int
		stored        *string
		wantAt        path.Path
		wantInSummary string
	}{
		{"secret without version", &object, nil, nil, path.Root("secret_wo_version"), "Missing secret_wo_version"},
		{"version without secret", nil, &one, nil, path.Root("secret_wo_version"), "Missing secret_wo"},
		{"secret not a JSON object", &secret, &one, nil, path.Root("secret_wo_version"), "Invalid secret_wo"},
		{"secret and its stored alternative", &object, &one, &object, path.Root("secret"), "Conflicting attributes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			typ := s.Type().TerraformType(context.Background())
			raw := tftypes.NewValue(typ, map[string]tftypes.Value{
				"secret_wo": str(tc.wo), "secret_wo_version": num(tc.version), "secret": str(tc.stored)})
			var resp resource.ValidateConfigResponse
			checks.ValidateResource(context.Background(), resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: s, Raw: raw}}, &resp)
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("want one error, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			withPath, ok := d.(diag.DiagnosticWithPath)
			if !ok || !withPath.Path().Equal(tc.wantAt) {
				t.Errorf("%q points at %v, want %v", d.Summary(), pathOf(d), tc.wantAt)
			}
			if !strings.Contains(d.Summary(), tc.wantInSummary) {
				t.Errorf("summary %q, want %q", d.Summary(), tc.wantInSummary)
			}
			if strings.Contains(d.Summary()+d.Detail(), secretValue) {
				t.Errorf("the diagnostic quotes the secret: %s %s", d.Summary(), d.Detail())
			}
		})
	}
}

func pathOf(d diag.Diagnostic) any {
	if p, ok := d.(diag.DiagnosticWithPath); ok {
		return p.Path()
	}
	return "no attribute"
}
