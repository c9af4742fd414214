// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// planUserChanges checks, at plan time, the changes Appmixer 6.x cannot make in place. Its PUT
// /users/{id} ignores username and password (appmixer-api.md §1.2): a new username therefore replaces
// the user, and the plan says what that destroys; a new password is set by e-mail address
// (POST /user/reset-password), so a user without one cannot get it. The contract's PUT takes both.
func planUserChanges(prior, plan userModel, passwordChanges, contract bool, resp *resource.ModifyPlanResponse) {
	if contract {
		return
	}
	if !plan.Username.Equal(prior.Username) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("username"))
		resp.Diagnostics.Append(renameWarning(prior.Username.ValueString(), plan.Username)...)
		return // a new user gets its password at creation
	}
	if passwordChanges && plan.Email.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("email"), "A password change needs an e-mail address",
			fmt.Sprintf("Appmixer sets the password of an existing user by e-mail address (POST /user/reset-password "+
				"{email, password}), and user %q has none. Set email in the same change.", prior.Username.ValueString()))
	}
}

// renameWarning says that the planned replacement deletes the user with all their data.
func renameWarning(from string, to interface{ ValueString() string }) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddAttributeWarning(path.Root("username"), "Changing username replaces the Appmixer user and deletes its data",
		fmt.Sprintf("Appmixer cannot rename a user (its PUT /users/{id} ignores username), so user %q is deleted and %q "+
			"is created in its place. Deleting a user stops and deletes all of that user's flows, accounts, data stores "+
			"and files; the new user starts empty, with a new id. To keep them, leave username as it is.", from, to.ValueString()))
	return diags
}

// waitForUserDeletion polls a user deletion's ticket until it ends, logging its progress; a deletion
// that ends failed or cancelled is an error quoting the server.
func waitForUserDeletion(ctx context.Context, c *appmixer.Client, id, username, ticket string) error {
	lastDone := -1
	return appmixer.Poll(ctx, func(ctx context.Context) (bool, error) {
		st, err := c.UserDeleteStatus(ctx, id, ticket)
		if err != nil {
			return false, err
		}
		if st.HasSteps && st.StepsDone != lastDone {
			lastDone = st.StepsDone
			tflog.Info(ctx, fmt.Sprintf("deleting Appmixer user %q: %d of %d steps done", username, st.StepsDone, st.StepsTotal),
				map[string]any{"user_id": id, "ticket": ticket, "status": st.Status, "steps_done": st.StepsDone, "steps_total": st.StepsTotal})
		}
		if st.Err != "" {
			return true, &userDeletionEnded{msg: st.Err}
		}
		return st.Done, nil
	})
}

// userDeletionEnded is a deletion the server ended without success.
type userDeletionEnded struct{ msg string }

func (e *userDeletionEnded) Error() string { return e.msg }
