// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// userGroupIDDescription says what a user group's import ID is.
const userGroupIDDescription = "a user group id"

type userGroupModel struct {
	ID       types.String   `tfsdk:"id"`
	Name     types.String   `tfsdk:"name"`
	Members  types.Set      `tfsdk:"members"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// userGroupFromAPI rebuilds the whole model from the server's group.
func userGroupFromAPI(g *appmixer.UserGroup, prior userGroupModel, diags *diag.Diagnostics) userGroupModel {
	members, d := types.SetValueFrom(context.Background(), types.StringType, g.Members)
	diags.Append(d...)
	return userGroupModel{ID: types.StringValue(g.ID), Name: types.StringValue(g.Name), Members: members, Timeouts: prior.Timeouts}
}

// memberList is the set's user ids, sorted; nil when the set is null or unknown.
func memberList(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	slices.Sort(out)
	return out
}

// memberChanges are the ids to add to and remove from have to get want.
func memberChanges(have, want []string) (add, remove []string) {
	for _, id := range want {
		if !slices.Contains(have, id) {
			add = append(add, id)
		}
	}
	for _, id := range have {
		if !slices.Contains(want, id) {
			remove = append(remove, id)
		}
	}
	return add, remove
}

// mongoID is the form of Appmixer's user ids (§1.2): 24 hex digits.
var mongoID = regexp.MustCompile(`^[0-9a-f]{24}$`)

// userIDValidator refuses what cannot be an id at all and warns about values that do not look like
// Appmixer's user ids, e.g. a username given where the id belongs.
type userIDValidator struct{}

func (userIDValidator) Description(context.Context) string {
	return "must be a user id such as appmixer_user.x.id"
}

func (v userIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (userIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	switch {
	case strings.TrimSpace(id) == "" || strings.ContainsAny(id, " \t\n/"):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid user id",
			fmt.Sprintf("members holds %q, which cannot be a user id: give user ids, e.g. appmixer_user.ops.id.", id))
	case !mongoID.MatchString(id):
		resp.Diagnostics.AddAttributeWarning(req.Path, "Unusual user id",
			fmt.Sprintf("members holds %q, which does not look like an Appmixer user id (24 hex digits, e.g. "+
				"5c88f0e2a1b2c3d4e5f60718); a username or e-mail address is not an id. Use appmixer_user.x.id. The "+
				"apply goes on, and Appmixer decides.", id))
	}
}
