package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
