// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// What appmixer_acl, appmixer_config, appmixer_modifiers and appmixer_public_file share: tenant
// settings behind admin-only routes of the real API, each changed with a request or two.

const defaultTenantAdminTimeout = 2 * time.Minute

// tenantAdminGuards fails the plan of a tenant setting in the contract dialect, which lacks its
// routes, and for a provider user without the admin scope, before anything changes. pd is nil
// while Terraform validates, before the provider is configured.
func tenantAdminGuards(pd *providerData, diags *diag.Diagnostics, typeName, routes string) bool {
	if pd == nil {
		return true
	}
	return requireRealAPI(pd.client, diags, typeName) && pd.requireAdmin(diags, typeName, routes)
}

// writeSetting is a tenant setting's Update, and the end of its Create: the planned model, bounded by
// the operation's timeout, is written by write, which refreshes it from the server, and stored.
func writeSetting[M any](ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics,
	timeout func(M) timeoutGetter, write func(ctx context.Context, m *M)) {
	var m M
	diags.Append(plan.Get(ctx, &m)...)
	if diags.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, timeout(m), defaultTenantAdminTimeout, diags)
	defer cancel()
	write(ctx, &m)
	if !diags.HasError() {
		diags.Append(state.Set(ctx, &m)...)
	}
}

// keepTakenOver records, the first time a resource sees its object (created or imported), what the
// tenant held before Terraform took it over, for destroy to put back. Later calls leave it alone.
func keepTakenOver(ctx context.Context, recorded privateGetter, into privateSetter, key string, current any, diags *diag.Diagnostics) {
	var prior json.RawMessage
	has, d := getPrivateJSON(ctx, recorded, key, &prior)
	diags.Append(d...)
	if !has {
		diags.Append(setPrivateJSON(ctx, into, key, current)...)
	}
}
