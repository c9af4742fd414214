// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// createSetting is a tenant setting's Create. write calls mayExist just before the first request that
// may change the tenant. When the create fails after that (the answer to the write was lost, or the
// read-back failed), the planned model is stored all the same: Terraform keeps it, tainted, with the
// private record of what was taken over, so that destroy puts that back and the next apply replaces
// the resource instead of demanding an import of what this apply wrote.
func createSetting[M any](ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics,
	what string, timeout func(M) timeoutGetter, write func(ctx context.Context, m *M, mayExist func())) {
	var m M
	diags.Append(plan.Get(ctx, &m)...)
	if diags.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, timeout(m), defaultTenantAdminTimeout, diags)
	defer cancel()
	mayExist := false
	write(ctx, &m, func() { mayExist = true })
	switch {
	case !diags.HasError():
		diags.Append(state.Set(ctx, &m)...)
	case mayExist:
		saveUnconfirmed(ctx, state, diags, &m)
		diags.AddWarning(what+" kept in state, tainted",
			fmt.Sprintf("The write may have reached Appmixer although the create failed, so Terraform keeps %s in "+
				"state, tainted: the next apply replaces it, and destroy puts back what was there before.", what))
	}
}

// saveUnconfirmed stores m with the values still unknown (those only the server's answer would give)
// as null, since state cannot hold unknowns; the next refresh fills them in.
func saveUnconfirmed[M any](ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics, m *M) {
	planned := tfsdk.Plan{Schema: state.Schema}
	d := planned.Set(ctx, m)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	raw, err := tftypes.Transform(planned.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		diags.AddError("Cannot save the resource after a failed create", err.Error())
		return
	}
	state.Raw = raw
}
