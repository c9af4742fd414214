// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure      = &aclResource{}
	_ resource.ResourceWithModifyPlan     = &aclResource{}
	_ resource.ResourceWithImportState    = &aclResource{}
	_ resource.ResourceWithValidateConfig = &aclResource{}
)

// NewACLResource manages the whole rule list of one ACL type.
func NewACLResource() resource.Resource { return &aclResource{} }

type aclResource struct{ pd *providerData }

const (
	aclRoutesText = "GET /acl-types and GET and POST /acl/{type}"
	// aclPriorKey keeps in private state the rules Terraform took over, which destroy puts back.
	aclPriorKey = "prior_rules"
)

func (r *aclResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_acl"
}

func (r *aclResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stringList := schema.ListAttribute{ElementType: types.StringType, Required: true}
	action, attributes := stringList, stringList
	action.MarkdownDescription = "What the rule allows: for components `use` or `*`; for routes `*`, `read` and the other actions " +
		"`GET /acl/routes/actions` lists."
	attributes.MarkdownDescription = "For components `non-private` (components without `private: true`), `private` or `*`; " +
		"for routes usually `*`."
	resp.Schema = schema.Schema{
		MarkdownDescription: "The access control list of one type, `components` (who may use which connectors) or " +
			"`routes` (who may call which API routes). Authoritative: the configured rules replace the whole list of " +
			"that type (`POST /acl/{type}`), and a rule added or changed by hand, for example in the Backoffice, shows " +
			"in the plan. The provider must log in as an admin.\n\n" +
			"~> **An empty `components` list locks every user out of every component**, admins included. The plan " +
			"warns about it.\n\n" +
			"Destroy never empties the list. By default it puts back Appmixer's default list for the type (for " +
			"`components`, `admin`, `user` and `tester` may use every non-private component; for `routes`, the same " +
			"roles may use every route). With `destroy_restores = \"previous\"` it puts back the list Terraform took " +
			"over when it created or imported the resource (kept in private state), for a tenant whose access was " +
			"narrowed before Terraform came. A list that would be empty is replaced by the other one.\n\n" +
			"Import with the type: `components` or `routes`.",
		Attributes: map[string]schema.Attribute{
			"id": computedID("Same as `type`."),
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`components` or `routes`. Appmixer says other types may be added; another type is " +
					"accepted when the tenant's `GET /acl-types` lists it. Changing it replaces the resource.",
				Validators:    []validator.String{stringvalidator.RegexMatches(aclTypePattern, "must be an ACL type such as components or routes")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"rules": schema.SetNestedAttribute{
				Required:            true,
				MarkdownDescription: "Every rule of the type. Order does not matter.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"role": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "Who the rule is for: a scope (`admin`, `user`, `tester`, ...), an e-mail address " +
							"or an e-mail domain such as `acme.com`.",
					},
					"resource": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "What the rule covers: for components a type prefix ending in `*` (`appmixer.google.gmail*`, " +
							"`*` for all); for routes a route resource such as `flows` or `*`.",
					},
					"action":     action,
					"attributes": attributes,
				}},
			},
			"destroy_restores": schema.StringAttribute{
				MarkdownDescription: "What destroy puts back: `defaults` (default), Appmixer's default list for the type; or " +
					"`previous`, the list Terraform took over. Neither is ever empty: an empty or unknown one gives way to " +
					"the other. Import sets `defaults`.",
				Optional: true, Computed: true, Default: stringdefault.StaticString(aclRestoreDefaults),
				Validators: []validator.String{stringvalidator.OneOf(aclRestoreDefaults, aclRestorePrevious)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *aclResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig warns about lists Appmixer accepts but that lock users out or match nothing.
func (r *aclResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg aclModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Type.IsUnknown() || cfg.Rules.IsUnknown() || cfg.Rules.IsNull() {
		return
	}
	rules, diags := aclRules(ctx, cfg.Rules)
	if diags.HasError() {
		return // unknown values inside the rules: nothing to check yet
	}
	resp.Diagnostics.Append(aclWarnings(cfg.Type.ValueString(), rules)...)
}

// aclWarnings are the doubts about a components list: Appmixer takes it, but users may be locked out.
func aclWarnings(aclType string, rules []appmixer.ACLRule) diag.Diagnostics {
	var diags diag.Diagnostics
	if aclType != aclComponents {
		return diags
	}
	if len(rules) == 0 {
		diags.AddAttributeWarning(path.Root("rules"), "Empty components ACL locks everyone out",
			"With no rules for components, no user (admins included) can use any component: flows stop working and "+
				"the designer shows no connectors. Appmixer accepts it; add at least a rule such as "+
				"{ role = \"admin\", resource = \"*\", action = [\"*\"], attributes = [\"non-private\"] }.")
	}
	unusual := func(rule appmixer.ACLRule, attr string, got []string, known ...string) {
		for _, v := range got {
			if !slices.Contains(known, v) {
				diags.AddAttributeWarning(path.Root("rules"), "Unusual components ACL value",
					fmt.Sprintf("The rule for role %q and resource %q has %s %q; for components Appmixer knows %s, so "+
						"the rule may match nothing.", rule.Role, rule.Resource, attr, v, strings.Join(known, ", ")))
			}
		}
	}
	for _, rule := range rules {
		unusual(rule, "action", rule.Action, "use", "*")
		unusual(rule, "attributes", rule.Attributes, "private", "non-private", "*")
	}
	return diags
}

// ModifyPlan checks a type this provider does not know against the tenant's own list of types.
func (r *aclResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !tenantAdminGuards(r.pd, &resp.Diagnostics, "appmixer_acl", aclRoutesText) || req.Plan.Raw.IsNull() {
		return
	}
	var t types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("type"), &t)...)
	if t.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), t)...)
	if aclType := t.ValueString(); aclType != aclComponents && aclType != aclRoutes && r.pd != nil {
		known, err := r.pd.client.ACLTypes(ctx)
		if err == nil && !slices.Contains(known, aclType) {
			resp.Diagnostics.AddAttributeError(path.Root("type"), "Unknown ACL type",
				fmt.Sprintf("type is %q, but this Appmixer tenant has the ACL types %s (GET /acl-types).", aclType, strings.Join(known, ", ")))
		}
	}
}

// Create keeps the list it takes over, then replaces it; once the write is sent, a failure keeps the
// resource in state so that destroy still puts that list back.
func (r *aclResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	createSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, "The Appmixer ACL", func(m aclModel) timeoutGetter { return m.Timeouts.Create },
		func(ctx context.Context, m *aclModel, mayExist func()) {
			prior, err := r.pd.client.ACL(ctx, m.Type.ValueString())
			if err != nil {
				addAPIError(&resp.Diagnostics, fmt.Sprintf("Cannot read the Appmixer %s ACL", m.Type.ValueString()), err)
				return
			}
			resp.Diagnostics.Append(setPrivateJSON(ctx, resp.Private, aclPriorKey, prior)...)
			if resp.Diagnostics.HasError() {
				return
			}
			mayExist()
			r.replace(ctx, m, &resp.Diagnostics)
		})
}

func (r *aclResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	writeSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, func(m aclModel) timeoutGetter { return m.Timeouts.Update },
		func(ctx context.Context, m *aclModel) { r.replace(ctx, m, &resp.Diagnostics) })
}

// replace sends the planned rules and refreshes m from what the server then lists.
func (r *aclResource) replace(ctx context.Context, m *aclModel, diags *diag.Diagnostics) {
	aclType := m.Type.ValueString()
	rules, d := aclRules(ctx, m.Rules)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	if err := r.pd.client.SetACL(ctx, aclType, rules); err != nil {
		diags.AddAttributeError(path.Root("rules"), fmt.Sprintf("Cannot set the Appmixer %s ACL", aclType), err.Error()+timeoutAdvice(err))
		return
	}
	listed, err := r.pd.client.ACL(ctx, aclType)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("The Appmixer %s ACL was set but cannot be read back", aclType), err)
		return
	}
	got, d := aclFromAPI(*m, aclType, listed)
	diags.Append(d...)
	*m = got
}

func (r *aclResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state aclModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	aclType := state.Type.ValueString()
	listed, err := r.pd.client.ACL(ctx, aclType)
	if !readFound(ctx, resp, "the Appmixer "+aclType+" ACL", err) {
		return
	}
	// Imported: the list found now is what Terraform took over, and what destroy puts back.
	keepTakenOver(ctx, req.Private, resp.Private, aclPriorKey, listed, &resp.Diagnostics)
	got, d := aclFromAPI(state, aclType, listed)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &got)...)
}

// Delete puts back the type's default list or the list Terraform took over (destroy_restores), never an empty one.
func (r *aclResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state aclModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, state.Timeouts.Delete, defaultTenantAdminTimeout, &resp.Diagnostics)
	defer cancel()
	aclType := state.Type.ValueString()
	var prior []appmixer.ACLRule
	_, d := getPrivateJSON(ctx, req.Private, aclPriorKey, &prior) // not recorded: prior stays empty
	resp.Diagnostics.Append(d...)
	mode := state.Restores.ValueString()
	restore, fellBack, ok := aclRestoreList(mode, aclType, prior)
	if !ok {
		resp.Diagnostics.AddWarning(fmt.Sprintf("The %s ACL is left in place", aclType),
			"The list Terraform took over was empty or is not recorded, and this provider knows no default list "+
				"for this type; destroy never empties an ACL, so the current rules stay.")
		return
	}
	if fellBack {
		tflog.Info(ctx, "ACL destroy falls back from destroy_restores", map[string]any{"type": aclType, "destroy_restores": mode})
	}
	addDeleteError(&resp.Diagnostics, fmt.Sprintf("Appmixer %s ACL (putting back its earlier rules)", aclType),
		r.pd.client.SetACL(ctx, aclType, restore))
}

func (r *aclResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	aclType, err := parseACLImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error()+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("type"), aclType)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), aclType)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("destroy_restores"), aclRestoreDefaults)...)
}
