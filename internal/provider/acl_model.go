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
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// aclModel is an appmixer_acl: the whole rule list of one ACL type.
type aclModel struct {
	ID       types.String   `tfsdk:"id"`
	Type     types.String   `tfsdk:"type"`
	Rules    types.Set      `tfsdk:"rules"`
	Restores types.String   `tfsdk:"destroy_restores"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type aclRuleModel struct {
	Role       types.String `tfsdk:"role"`
	Resource   types.String `tfsdk:"resource"`
	Action     types.List   `tfsdk:"action"`
	Attributes types.List   `tfsdk:"attributes"`
}

var aclRuleType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"role":       types.StringType,
	"resource":   types.StringType,
	"action":     types.ListType{ElemType: types.StringType},
	"attributes": types.ListType{ElemType: types.StringType},
}}

// ACL types Appmixer 6.x has. GET /acl-types says others may be added, so another type is checked
// against the server at plan time rather than refused.
const (
	aclComponents = "components"
	aclRoutes     = "routes"
)

// What destroy puts back (destroy_restores): Appmixer's default list for the type, or the list
// Terraform took over.
const (
	aclRestoreDefaults = "defaults"
	aclRestorePrevious = "previous"
)

// aclRestoreList picks the list destroy writes. It is never empty: a list that would be empty (a
// previous list taken over empty or never recorded, or a type without known defaults) gives way to
// the other choice, and ok is false when neither is known.
func aclRestoreList(mode, aclType string, previous []appmixer.ACLRule) (rules []appmixer.ACLRule, fellBack, ok bool) {
	defaults, known := aclDefaults(aclType)
	switch {
	case mode == aclRestorePrevious && len(previous) > 0:
		return previous, false, true
	case mode != aclRestorePrevious && known:
		return defaults, false, true
	case known:
		return defaults, true, true
	case len(previous) > 0:
		return previous, true, true
	}
	return nil, true, false
}

// aclDefaults is the list a type has on a new tenant, which destroy puts back when the list
// Terraform took over was empty. For components it is Appmixer's documented default (every role may
// use every non-private component); for routes Appmixer documents only that everyone may use every
// route, which these rules say. A type this provider does not know has no known default.
func aclDefaults(aclType string) ([]appmixer.ACLRule, bool) {
	attributes := map[string]string{aclComponents: "non-private", aclRoutes: "*"}[aclType]
	if attributes == "" {
		return nil, false
	}
	var rules []appmixer.ACLRule
	for _, role := range []string{"admin", "user", "tester"} {
		rules = append(rules, appmixer.ACLRule{Role: role, Resource: "*", Action: []string{"*"}, Attributes: []string{attributes}})
	}
	return rules, true
}

// aclFromAPI rebuilds the model from the server's list.
func aclFromAPI(prior aclModel, aclType string, rules []appmixer.ACLRule) (aclModel, diag.Diagnostics) {
	m := prior
	defaultString(&m.Restores, aclRestoreDefaults)
	m.ID = types.StringValue(aclType)
	m.Type = types.StringValue(aclType)
	elems := make([]attr.Value, 0, len(rules))
	var diags diag.Diagnostics
	for _, r := range rules {
		obj, d := types.ObjectValueFrom(context.Background(), aclRuleType.AttrTypes, aclRuleModel{
			Role: types.StringValue(r.Role), Resource: types.StringValue(r.Resource),
			Action: stringListOrNull(r.Action), Attributes: stringListOrNull(r.Attributes),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	set, d := types.SetValue(aclRuleType, elems)
	diags.Append(d...)
	m.Rules = set
	return m, diags
}

// stringListOrNull is a rule's list as the server sent it: absent is null, not empty.
func stringListOrNull(values []string) types.List {
	if values == nil {
		return types.ListNull(types.StringType)
	}
	return stringList(values)
}

// aclRules turns the planned set into the API's list, in a stable order.
func aclRules(ctx context.Context, set types.Set) ([]appmixer.ACLRule, diag.Diagnostics) {
	var models []aclRuleModel
	diags := set.ElementsAs(ctx, &models, false)
	out := make([]appmixer.ACLRule, 0, len(models))
	for _, m := range models {
		r := appmixer.ACLRule{Role: m.Role.ValueString(), Resource: m.Resource.ValueString()}
		diags.Append(m.Action.ElementsAs(ctx, &r.Action, false)...)
		diags.Append(m.Attributes.ElementsAs(ctx, &r.Attributes, false)...)
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b appmixer.ACLRule) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out, diags
}

// aclTypePattern is what an ACL type, a path segment of /acl/{type}, looks like.
var aclTypePattern = regexp.MustCompile(`^[A-Za-z][\w-]*$`)

// parseACLImportID takes the ACL type.
func parseACLImportID(id string) (string, error) {
	if id == "" || !aclTypePattern.MatchString(id) {
		return "", fmt.Errorf("got %q, expected an ACL type: %s or %s", id, aclComponents, aclRoutes)
	}
	return id, nil
}
