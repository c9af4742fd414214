// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// What Create does when the flow may exist but its setup did not finish: never lose track of it.

// recoverFailedCreate handles a create whose outcome is unknown: the client returns the id it chose
// when the server may have acted before the failure. A flow found under that id is kept in state, so
// that the next apply replaces it instead of creating a second one beside it.
func (r *flowResource) recoverFailedCreate(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics, plan flowResourceModel, id string, cause error) {
	if id == "" {
		addAPIError(diags, "Cannot create Appmixer flow", cause)
		return
	}
	// The operation's deadline may be what failed; the look-up gets a short one of its own.
	lookCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := r.client.GetFlow(lookCtx, id)
	switch {
	case appmixer.IsNotFound(err):
		addAPIError(diags, "Cannot create Appmixer flow", cause)
	case err != nil:
		diags.AddError("Cannot create Appmixer flow",
			fmt.Sprintf("%s\n\nThe flow may have been created as %s, but it cannot be checked (%s). Look for it in Appmixer "+
				"and import it (terraform import) or delete it before the next apply.", cause, id, err))
	default:
		plan.ID = types.StringValue(id)
		r.saveAfterFailure(lookCtx, state, diags, plan, "confirming its creation", cause)
	}
}

// saveAfterFailure records a created flow whose later setup failed. Values still unknown become null,
// since state cannot hold unknowns.
func (r *flowResource) saveAfterFailure(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics, plan flowResourceModel, step string, cause error) {
	m := plan
	if found, err := r.readInto(ctx, &m, plan); err != nil || !found {
		m = plan
	}
	for _, v := range []*types.String{&m.UserID, &m.CreatedAt, &m.UpdatedAt} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	diags.Append(state.Set(ctx, &m)...)
	diags.AddError("Appmixer flow created, but "+step+" failed",
		fmt.Sprintf("Flow %s exists in Appmixer but is not set up as configured; Terraform marks it tainted and "+
			"replaces it on the next apply.\n\n%s", plan.ID.ValueString(), cause.Error()))
}
