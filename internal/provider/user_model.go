// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// userModel is an appmixer_user. password_wo is write-only: it is always null here and read from the
// configuration when needed.
type userModel struct {
	ID                types.String   `tfsdk:"id"`
	Username          types.String   `tfsdk:"username"`
	Email             types.String   `tfsdk:"email"`
	Password          types.String   `tfsdk:"password"`
	PasswordWO        types.String   `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64    `tfsdk:"password_wo_version"`
	Scope             types.Set      `tfsdk:"scope"`
	Vendor            types.String   `tfsdk:"vendor"`
	Plan              types.String   `tfsdk:"plan"`
	IsActive          types.Bool     `tfsdk:"is_active"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

// fromAPI refreshes m from a user the admin routes returned, as Read does.
func (m *userModel) fromAPI(u *appmixer.User, diags *diag.Diagnostics) {
	m.applyAPIUser(u, userHasFullView(u))
	warnSeveralVendors(diags, u)
}

// applyAPIUser copies what the server reports into m. Fields a dialect does not report (the contract's
// user has no scope, vendor or isActive) keep their last known value, or become null when unknown.
func (m *userModel) applyAPIUser(u *appmixer.User, full bool) {
	m.ID = types.StringValue(u.ID)
	if u.Username != "" {
		m.Username = types.StringValue(u.Username)
	}
	if u.Email != "" || full {
		m.Email = optionalString(u.Email)
	}
	if u.Plan != "" || full {
		m.Plan = optionalString(u.Plan)
	}
	if u.IsActive != nil {
		m.IsActive = types.BoolValue(*u.IsActive)
	}
	if full {
		m.Scope = stringSet(u.Scope)
		m.Vendor = types.StringNull()
		if len(u.Vendor) > 0 {
			m.Vendor = types.StringValue(u.Vendor[0])
		}
	}
	m.settleUnknowns()
}

// settleUnknowns turns values the server never reported into null, as Terraform requires after apply.
func (m *userModel) settleUnknowns() {
	if m.Email.IsUnknown() {
		m.Email = types.StringNull()
	}
	if m.Plan.IsUnknown() {
		m.Plan = types.StringNull()
	}
	if m.IsActive.IsUnknown() {
		m.IsActive = types.BoolNull()
	}
	if m.Scope.IsUnknown() {
		m.Scope = types.SetNull(types.StringType)
	}
}

func stringSet(values []string) types.Set {
	if values == nil {
		return types.SetNull(types.StringType)
	}
	elems := make([]types.String, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	s, _ := types.SetValueFrom(context.Background(), types.StringType, elems)
	return s
}

func setStrings(s types.Set) []string {
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok {
			out = append(out, v.ValueString())
		}
	}
	sort.Strings(out)
	return out
}

// isEmailAddress accepts a bare address such as "joe@example.com", not "Joe <joe@example.com>".
func isEmailAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// emailDefault plans email = username when email is not configured and the username is an address,
// which is what Appmixer users normally look like.
type emailDefault struct{}

func (emailDefault) Description(context.Context) string {
	return "defaults to username when username is an e-mail address"
}

func (d emailDefault) MarkdownDescription(ctx context.Context) string { return d.Description(ctx) }

func (emailDefault) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var username types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("username"), &username)...)
	if username.IsUnknown() {
		resp.PlanValue = types.StringUnknown()
		return
	}
	if isEmailAddress(username.ValueString()) {
		resp.PlanValue = username
		return
	}
	// Keep whatever the server holds while the username stays; a new username may bring a new address.
	var prior types.String
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("username"), &prior)...)
	}
	if !req.State.Raw.IsNull() && prior.Equal(username) {
		resp.PlanValue = req.StateValue
		return
	}
	resp.PlanValue = types.StringUnknown()
}

// userImportID reads "<id>" or "username:<name>".
func userImportID(id string) (userID, username string, err error) {
	if name, ok := strings.CutPrefix(id, "username:"); ok {
		if name == "" {
			return "", "", errors.New("the username after \"username:\" is empty")
		}
		return "", name, nil
	}
	if id == "" || strings.ContainsAny(id, " /") {
		return "", "", fmt.Errorf("%q is neither a user id nor username:<name>", id)
	}
	return id, "", nil
}

// addUserAPIError explains the errors users hit most: a provider user without the admin scope, and the
// contract API's missing routes.
func addUserAPIError(diags *diag.Diagnostics, attr path.Path, summary string, err error) {
	var detail string
	switch {
	case errors.Is(err, appmixer.ErrBadCredentials):
		// Appmixer answers a refused login with 403 too; that is no missing scope.
		detail = "Appmixer refused the provider's login: check the provider's username and password. If this run " +
			"changed the password of the provider's own user, configure the new one.\n\n" + err.Error()
	case appmixer.IsForbidden(err):
		detail = "The provider's user lacks the admin scope. Reading, changing and deleting other users (GET, PUT and " +
			"DELETE /users/{id}) are admin-only in Appmixer; configure the provider with an admin user.\n\n" + err.Error()
	case errors.Is(err, appmixer.ErrNotSupported):
		detail = "This is not supported by this API: " + err.Error()
	default:
		detail = err.Error() + timeoutAdvice(err)
	}
	if attr.Equal(path.Empty()) {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(attr, summary, detail)
}

// fetchUser reads a user as an admin, and falls back to GET /user when the user is the provider's own:
// the contract has no route that reads another user, and a non-admin may still read itself.
func fetchUser(ctx context.Context, c *appmixer.Client, id string) (*appmixer.User, error) {
	u, err := c.GetUser(ctx, id)
	if err == nil {
		return u, nil
	}
	if !errors.Is(err, appmixer.ErrNotSupported) && !appmixer.IsForbidden(err) {
		return nil, err
	}
	if me, meErr := c.CurrentUser(ctx); meErr == nil && me.ID == id {
		return me, nil
	}
	return nil, err
}

// warnSeveralVendors says when the server holds more vendors than the single `vendor` attribute shows.
func warnSeveralVendors(diags *diag.Diagnostics, u *appmixer.User) {
	if len(u.Vendor) > 1 {
		diags.AddAttributeWarning(path.Root("vendor"), "User has several vendors",
			fmt.Sprintf("Appmixer lists the vendors %q for user %q; vendor shows only the first. Changing vendor "+
				"replaces them all with the one configured.", u.Vendor, u.Username))
	}
}

// userHasFullView reports whether a user object carries the admin fields (scope); the contract's
// GET /user has none, so its absence must not read as "scope removed".
func userHasFullView(u *appmixer.User) bool {
	return u.Scope != nil
}
