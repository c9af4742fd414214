// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ datasource.DataSourceWithConfigure        = &integrationInstancesDataSource{}
	_ datasource.DataSourceWithConfigValidators = &integrationInstancesDataSource{}
)

// NewIntegrationInstancesDataSource lists the end users' instances of an integration.
func NewIntegrationInstancesDataSource() datasource.DataSource {
	return &integrationInstancesDataSource{}
}

type integrationInstancesDataSource struct{ client *appmixer.Client }

type integrationInstancesModel struct {
	IntegrationID types.String    `tfsdk:"integration_id"`
	TemplateID    types.String    `tfsdk:"template_id"`
	Revision      types.Int64     `tfsdk:"template_revision"`
	Lagging       types.Int64     `tfsdk:"lagging_count"`
	Instances     []instanceModel `tfsdk:"instances"`
	Count         types.Int64     `tfsdk:"instance_count"`
}

type instanceModel struct {
	ID        types.String `tfsdk:"id"`
	UserID    types.String `tfsdk:"user_id"`
	Name      types.String `tfsdk:"name"`
	Stage     types.String `tfsdk:"stage"`
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
	Type      types.String `tfsdk:"type"`
	Revision  types.Int64  `tfsdk:"revision"`
	Lagging   types.Bool   `tfsdk:"lagging"`
}

func (d *integrationInstancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_instances"
}

func (d *integrationInstancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the instances of an integration **that the provider's user can see**: the flows made " +
			"from its template, linked by `templateId` (the Wizard and the SDK) or by `originFlowId` (a clone made with " +
			"`setOriginFlowId`), whatever their type (an end user's customised copy included): every page of " +
			"`GET /flows?filter=templateId:<template>` and `GET /flows?filter=originFlowId:<template>`, each instance once.\n\n" +
			"`GET /flows` answers a user's own and shared flows; no source shows an admin token listing other users' flows, " +
			"so customers' instances are normally **not** listed here (appmixer-local behaves the same way). Each instance " +
			"shows the template `revision` it was made from or last updated to, and whether it lags the template's.",
		Attributes: map[string]schema.Attribute{
			"integration_id": schema.StringAttribute{
				MarkdownDescription: "The integration's draft id (`appmixer_integration.id`); its published template is used. " +
					"Exactly one of `integration_id` and `template_id`.",
				Optional: true, Computed: true,
			},
			"template_id": schema.StringAttribute{
				MarkdownDescription: "The template's id; found from `integration_id` when that is given (null when the draft has no template).",
				Optional:            true, Computed: true,
			},
			// The issue named it count, which Terraform reserves at the root of a schema.
			"instance_count": schema.Int64Attribute{MarkdownDescription: "How many instances are listed (`length(instances)`).", Computed: true},
			"template_revision": schema.Int64Attribute{
				MarkdownDescription: "The template's `revision`, which its publisher raises on every change (0 when it has none).",
				Computed:            true,
			},
			"lagging_count": schema.Int64Attribute{MarkdownDescription: "How many listed instances lag the template (`lagging`).", Computed: true},
			"instances": schema.ListNestedAttribute{
				MarkdownDescription: "The instances.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         str("The instance's flow id."),
					"user_id":    str("The end user who owns it."),
					"name":       str("Its name."),
					"stage":      str("`running` or `stopped`, mapped as in `appmixer_flow`."),
					"created_at": str("When it was made (`btime`)."),
					"updated_at": str("When it was last saved (`mtime`), e.g. by a rollout."),
					"type":       str("Its flow type: `integration-instance`, `custom-integration-instance` (an end user's customised copy), or what the server reports."),
					"revision": schema.Int64Attribute{
						MarkdownDescription: "The template revision it was made from or last rolled out to (0 when it has none).",
						Computed:            true,
					},
					"lagging": schema.BoolAttribute{
						MarkdownDescription: "Whether its `revision` is lower than `template_revision`, as Appmixer's operations compare them: a rollout (or the end user) has not brought it up to date.",
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *integrationInstancesDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("integration_id"), path.MatchRoot("template_id")),
	}
}

func (d *integrationInstancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationInstancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg integrationInstancesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Instances = []instanceModel{}
	rev := 0
	if cfg.TemplateID.IsNull() {
		templates, err := d.client.FindTemplates(ctx, cfg.IntegrationID.ValueString())
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot find the template of integration "+cfg.IntegrationID.ValueString(), err)
			return
		}
		if t := pickTemplate(templates); t != nil {
			cfg.TemplateID, rev = types.StringValue(t.ID), t.Revision
		}
	} else {
		t, err := d.client.GetFlow(ctx, cfg.TemplateID.ValueString())
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot read integration template "+cfg.TemplateID.ValueString(), err)
			return
		}
		cfg.IntegrationID, rev = optionalString(t.OriginFlowID), t.Revision
	}
	lagging := 0
	if id := cfg.TemplateID.ValueString(); id != "" {
		flows, err := d.client.ListIntegrationInstances(ctx, id)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot list the instances of integration template "+id, err)
			return
		}
		for _, f := range flows {
			cfg.Instances = append(cfg.Instances, instanceModel{
				ID: types.StringValue(f.ID), UserID: optionalString(f.UserID), Name: types.StringValue(f.Name),
				Stage: types.StringValue(flowStageFromAPI(f.Stage)), CreatedAt: optionalString(f.CreatedAt), UpdatedAt: optionalString(f.UpdatedAt),
				Type: optionalString(f.Type), Revision: types.Int64Value(int64(f.Revision)), Lagging: types.BoolValue(f.Revision < rev),
			})
			if f.Revision < rev {
				lagging++
			}
		}
	}
	cfg.Count = types.Int64Value(int64(len(cfg.Instances)))
	cfg.Revision, cfg.Lagging = types.Int64Value(int64(rev)), types.Int64Value(int64(lagging))
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
