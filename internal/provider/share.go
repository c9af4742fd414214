// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// shared_with, the sharedWith list of a flow or of an integration's template, is one schema, model and
// conversion for both resources.

// sharePermissions are the permissions a sharedWith entry can grant (Appmixer's docs and UI know these).
var sharePermissions = []string{"read", "start", "stop"}

// shareKinds name who an entry shares with; each entry has exactly one.
var shareKinds = []string{"scope", "domain", "email", "user_id"}

// shareModel is one entry of shared_with.
type shareModel struct {
	Scope       types.String `tfsdk:"scope"`
	Domain      types.String `tfsdk:"domain"`
	Email       types.String `tfsdk:"email"`
	UserID      types.String `tfsdk:"user_id"`
	Permissions types.Set    `tfsdk:"permissions"`
}

var shareAttrTypes = map[string]attr.Type{
	"scope": types.StringType, "domain": types.StringType, "email": types.StringType, "user_id": types.StringType,
	"permissions": types.SetType{ElemType: types.StringType},
}

var shareObjectType = types.ObjectType{AttrTypes: shareAttrTypes}

// sharedWithAttribute is the shared_with schema; what says what the list means for the resource.
func sharedWithAttribute(what string) schema.ListNestedAttribute {
	who := func(d string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: d, Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}}
	}
	return schema.ListNestedAttribute{
		MarkdownDescription: what + " Each entry names exactly one of `scope`, `domain`, `email` or `user_id`, " +
			"with `permissions`. `scope`/`domain` entries are portable between tenants; `email`/`user_id` entries name " +
			"users that may not exist elsewhere.",
		Optional: true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"scope":   who("Everybody with this user scope, e.g. `user` (every user of the tenant)."),
				"domain":  who("Everybody whose e-mail address is at this domain, e.g. `acme.com`."),
				"email":   who("The user with this e-mail address."),
				"user_id": who("The user with this id."),
				"permissions": schema.SetAttribute{
					MarkdownDescription: "What they may do: `read`, `start`, `stop`. Default `[\"read\"]`.",
					ElementType:         types.StringType,
					Optional:            true,
					Computed:            true,
					Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, []attr.Value{types.StringValue("read")})),
					Validators: []validator.Set{
						setvalidator.SizeAtLeast(1),
						setvalidator.ValueStringsAre(stringvalidator.OneOf(sharePermissions...)),
					},
				},
			},
			Validators: []validator.Object{shareEntryValidator{}},
		},
	}
}

// shareEntryValidator requires exactly one of the kinds in an entry.
type shareEntryValidator struct{}

func (shareEntryValidator) Description(context.Context) string {
	return "must set exactly one of scope, domain, email or user_id"
}

func (v shareEntryValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (shareEntryValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	var set []string
	for _, k := range shareKinds {
		v := attrs[k]
		if v == nil || v.IsNull() {
			continue
		}
		if v.IsUnknown() {
			return // known at apply; the server judges it then
		}
		set = append(set, k)
	}
	if len(set) != 1 {
		got := "none"
		if len(set) > 1 {
			got = strings.Join(set, " and ")
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid shared_with entry",
			fmt.Sprintf("%s must name exactly one of scope, domain, email or user_id (such as scope = \"user\"); it sets %s.", req.Path, got))
	}
}

// sharesFromModel reads shared_with for a request: nil when null (not sent), empty when [].
func sharesFromModel(ctx context.Context, list types.List) ([]appmixer.Share, diag.Diagnostics) {
	if list.IsNull() || list.IsUnknown() {
		return nil, nil
	}
	var entries []shareModel
	diags := list.ElementsAs(ctx, &entries, false)
	out := make([]appmixer.Share, 0, len(entries))
	for _, e := range entries {
		s := appmixer.Share{Scope: e.Scope.ValueString(), Domain: e.Domain.ValueString(), Email: e.Email.ValueString(),
			UserID: e.UserID.ValueString(), Permissions: []string{}}
		diags.Append(e.Permissions.ElementsAs(ctx, &s.Permissions, false)...)
		slices.Sort(s.Permissions)
		out = append(out, s)
	}
	return out, diags
}

// sharesToModel is the server's list as state holds it. An empty list is null when prior is null and
// [] otherwise, so that leaving shared_with out and `shared_with = []` both plan empty.
func sharesToModel(shares []appmixer.Share, prior types.List) types.List {
	if len(shares) == 0 {
		if prior.IsNull() || prior.IsUnknown() {
			return types.ListNull(shareObjectType)
		}
		return types.ListValueMust(shareObjectType, []attr.Value{})
	}
	elems := make([]attr.Value, len(shares))
	for i, s := range shares {
		perms := make([]attr.Value, len(s.Permissions))
		for j, p := range s.Permissions {
			perms[j] = types.StringValue(p)
		}
		elems[i] = types.ObjectValueMust(shareAttrTypes, map[string]attr.Value{
			"scope": optionalString(s.Scope), "domain": optionalString(s.Domain), "email": optionalString(s.Email),
			"user_id": optionalString(s.UserID), "permissions": types.SetValueMust(types.StringType, perms),
		})
	}
	if samePrior := inPriorOrder(elems, prior); samePrior != nil {
		return *samePrior
	}
	return types.ListValueMust(shareObjectType, elems)
}

// inPriorOrder returns prior when it holds exactly the entries elems holds, in another order: the
// order of sharedWith means nothing to Appmixer, so a server that stores it otherwise is no drift.
func inPriorOrder(elems []attr.Value, prior types.List) *types.List {
	if prior.IsNull() || prior.IsUnknown() || len(prior.Elements()) != len(elems) {
		return nil
	}
	left := slices.Clone(elems)
	for _, p := range prior.Elements() {
		i := slices.IndexFunc(left, p.Equal)
		if i < 0 {
			return nil
		}
		left = slices.Delete(left, i, i+1)
	}
	return &prior
}

// sharesPublished reports a non-empty shared_with: an integration with one is published.
func sharesPublished(list types.List) bool {
	return !list.IsNull() && !list.IsUnknown() && len(list.Elements()) > 0
}

// sharesEqual compares two shared_with values as the server stores them: null and [] are both no one.
func sharesEqual(a, b types.List) bool {
	if !sharesPublished(a) && !sharesPublished(b) {
		return true
	}
	return a.Equal(b)
}

// integrationFlowType reports the flow types appmixer_integration manages.
func integrationFlowType(t string) bool {
	return t == appmixer.FlowTypeDraft || t == appmixer.FlowTypeTemplate || t == appmixer.FlowTypeInstance
}
