// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Steps every resource repeats; docs/new-resources.md says when to use which.

// timeoutGetter is a timeouts.Value method such as plan.Timeouts.Create.
type timeoutGetter func(ctx context.Context, defaultTimeout time.Duration) (time.Duration, diag.Diagnostics)

// operationContext bounds ctx by the operation's configured timeout, or def. Callers check diags
// before going on and always call cancel.
func operationContext(ctx context.Context, timeout timeoutGetter, def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	d, more := timeout(ctx, def)
	diags.Append(more...)
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, d
}

// readFound handles the error of the request with which Read fetches its object. A 404 means the
// object was deleted outside Terraform: it leaves state, so the next plan creates it again. Any other
// error is reported. Read goes on only when it returns true.
func readFound(ctx context.Context, resp *resource.ReadResponse, what string, err error) bool {
	switch {
	case appmixer.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return false
	case err != nil:
		addAPIError(&resp.Diagnostics, "Cannot read "+what, err)
		return false
	}
	return true
}

// addDeleteError reports a failed delete; a 404 is no failure, since the object is gone as wanted.
func addDeleteError(diags *diag.Diagnostics, what string, err error) {
	if err != nil && !appmixer.IsNotFound(err) {
		addAPIError(diags, "Cannot delete "+what, err)
	}
}

// timeoutHint makes an operation's deadline error actionable: it names the timeouts block to raise.
func timeoutHint(err error, timeout time.Duration, block string) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("%v: gave up after %s; raise timeouts.%s if the server is slow.", err, timeout, block)
	}
	return err.Error()
}

// requireRealAPI fails the plan of a resource that only the real Appmixer API has: new resources are
// never served in the contract dialect (docs/new-resources.md). Call it from ModifyPlan.
func requireRealAPI(client *appmixer.Client, diags *diag.Diagnostics, typeName string) bool {
	if client == nil || client.Dialect() != appmixer.DialectContract {
		return true
	}
	diags.AddError(typeName+" is not available in the contract API dialect",
		fmt.Sprintf("%s manages routes of the real Appmixer API that the simplified contract does not have. Use "+
			"api_dialect = \"appmixer\" (or \"auto\") against a real Appmixer API.", typeName))
	return false
}

// requireAdmin fails the plan when the provider's user lacks the admin scope that a resource's routes
// need, so that nothing changes before the error. Call it from ModifyPlan. When the scope cannot be
// read, the apply goes on and the server's own 403 speaks.
func (pd *providerData) requireAdmin(diags *diag.Diagnostics, typeName, routes string) bool {
	if pd == nil {
		return true
	}
	me, err := pd.me()
	if err != nil || me == nil || me.Scope == nil || slices.Contains(me.Scope, "admin") {
		return true
	}
	diags.AddError("Permission denied: "+typeName+" needs an admin",
		fmt.Sprintf("The provider's user %q has scope [%s], without \"admin\". %s are admin-only in Appmixer; "+
			"configure the provider with an admin user.", me.Username, strings.Join(me.Scope, ", "), routes))
	return false
}
