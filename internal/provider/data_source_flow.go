// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ datasource.DataSourceWithConfigure        = &flowDataSource{}
	_ datasource.DataSourceWithConfigValidators = &flowDataSource{}
)

// NewFlowDataSource reads one flow, e.g. a dev tenant's flow to promote to another tenant.
func NewFlowDataSource() datasource.DataSource { return &flowDataSource{} }

type flowDataSource struct {
	client *appmixer.Client
}

func (d *flowDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow"
}

func (d *flowDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one flow by `id` or by exact `name`, with every attribute the `appmixer_flow` resource " +
			"has. This is how a flow built in a dev tenant's designer is read to be promoted: pass its `definition` " +
			"to an `appmixer_flow` resource of another provider configuration. No flow with the name, or several, is " +
			"an error that lists them.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The flow id. Exactly one of `id` and `name` is required.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The flow's exact name.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the flow; null when it has none (always in the contract API dialect).",
				Computed:            true,
			},
			"definition": schema.StringAttribute{
				MarkdownDescription: "The flow descriptor as normalised JSON (compact, keys sorted), including the " +
					"components' `version` as the server set it.",
				Computed: true,
			},
			"stage": schema.StringAttribute{
				MarkdownDescription: "`running` or `stopped`, mapped as in the resource (`starting` is `running`; " +
					"`stopping`, `paused`, `paused-by-user` are `stopped`).",
				Computed: true,
			},
			"custom_fields": schema.MapAttribute{
				MarkdownDescription: "The flow's custom fields; null when it has none.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"accounts": schema.MapAttribute{
				MarkdownDescription: "Bound accounts, keyed by component id. Account ids differ between tenants, so " +
					"look them up per tenant with `appmixer_account` when promoting. Null in the contract API dialect.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"account_services": schema.MapAttribute{
				MarkdownDescription: "For each component that takes a connected account, bound or not, its service " +
					"(`vendor:service`), keyed by component id. Promotion uses it to bind the target tenant's own " +
					"account of the same service: `{ for id, svc in data.appmixer_flow.x.account_services : id => " +
					"local.prod_accounts[svc] }`. Null in the contract API dialect.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"user_id":    schema.StringAttribute{MarkdownDescription: "Id of the owning user; null in the contract API dialect.", Computed: true},
			"created_at": schema.StringAttribute{MarkdownDescription: "When the flow was created (`btime`).", Computed: true},
			"updated_at": schema.StringAttribute{MarkdownDescription: "When the flow was last saved (`mtime`).", Computed: true},
		},
	}
}

func (d *flowDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *flowDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *flowDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg flowDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := cfg.ID.ValueString()
	if cfg.ID.IsNull() {
		var ok bool
		if id, ok = d.findByName(ctx, cfg.Name.ValueString(), resp); !ok {
			return
		}
	}
	f, err := d.client.GetFlow(ctx, id)
	if appmixer.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "No such Appmixer flow",
			fmt.Sprintf("No flow with id %q is visible to this user.", id))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read Appmixer flow "+id, err)
		return
	}
	auth, err := d.client.FlowAuth(ctx, f.ID)
	if err != nil && !bindingsUnsupported(err) {
		addAPIError(&resp.Diagnostics, "Cannot read the account bindings of Appmixer flow "+id, err)
		return
	}
	if err != nil {
		auth = nil
	}
	state, diags := flowDataModelFromAPI(ctx, f, auth)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

// plainPattern is a name the server's pattern search can take as is; others are listed in full, since the
// server may read pattern as a regular expression.
var plainPattern = regexp.MustCompile(`^[\w\s-]+$`)

// findByName returns the id of the one flow named name, or reports the zero or several it found.
func (d *flowDataSource) findByName(ctx context.Context, name string, resp *datasource.ReadResponse) (string, bool) {
	// The look-up needs names, ids and stages only, not every descriptor.
	opts := appmixer.ListFlowsOptions{Summary: true}
	if plainPattern.MatchString(name) {
		opts.Pattern = name
	}
	flows, err := d.client.ListAllFlows(ctx, opts)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer flows", err)
		return "", false
	}
	var matches []appmixer.Flow
	for _, f := range flows {
		if f.Name == name {
			matches = append(matches, f)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0].ID, true
	case 0:
		// The pattern search may have found nothing; list what the tenant has instead.
		if all, err := d.client.ListAllFlows(ctx, appmixer.ListFlowsOptions{Summary: true}); err == nil {
			flows = all
		}
		detail := fmt.Sprintf("No flow is named exactly %q.", name)
		if len(flows) == 0 {
			detail += " This user has no flows."
		} else {
			detail += " This user's flows:" + describeFlows(flows, 20)
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "No matching Appmixer flow", detail)
	default:
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Several matching Appmixer flows",
			fmt.Sprintf("%d flows are named %q; select one by id:%s", len(matches), name, describeFlows(matches, 20)))
	}
	return "", false
}
