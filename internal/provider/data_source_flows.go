// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &flowsDataSource{}

// NewFlowsDataSource lists flows, e.g. to find what a tenant runs or to feed for_each.
func NewFlowsDataSource() datasource.DataSource { return &flowsDataSource{} }

type flowsDataSource struct {
	client *appmixer.Client
}

type flowsDataModel struct {
	Pattern      types.String       `tfsdk:"pattern"`
	Stage        types.String       `tfsdk:"stage"`
	CustomFields types.Map          `tfsdk:"custom_fields"`
	Type         types.String       `tfsdk:"type"`
	Flows        []flowSummaryModel `tfsdk:"flows"`
}

type flowSummaryModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Stage        types.String `tfsdk:"stage"`
	UpdatedAt    types.String `tfsdk:"updated_at"`
	CustomFields types.Map    `tfsdk:"custom_fields"`
	Type         types.String `tfsdk:"type"`
}

func (d *flowsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flows"
}

func (d *flowsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the user's flows (all pages), optionally filtered, sorted by name and then id. " +
			"Descriptors are left out; read one flow with the `appmixer_flow` data source.",
		Attributes: map[string]schema.Attribute{
			"pattern": schema.StringAttribute{
				MarkdownDescription: "Only flows the server's `pattern` search matches: a part of the name or the id.",
				Optional:            true,
			},
			"stage": schema.StringAttribute{
				MarkdownDescription: "Only flows in this stage, `running` or `stopped`, mapped as in the resource " +
					"(`starting` counts as `running`; `stopping`, `paused` and `paused-by-user` as `stopped`).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(stageRunning, stageStopped)},
			},
			"custom_fields": schema.MapAttribute{
				MarkdownDescription: "Only flows whose custom fields have all these values (sent as " +
					"`filter=customFields.<key>:<value>` and checked again here).",
				ElementType: types.StringType,
				Optional:    true,
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only flows of this type: `automation` (plain flows, also those the server stores " +
					"without a type), `integration-draft`, `integration-template` or `integration-instance`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(flowTypes...)},
			},
			"flows": schema.ListNestedAttribute{
				MarkdownDescription: "The matching flows.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         schema.StringAttribute{MarkdownDescription: "The flow id.", Computed: true},
						"name":       schema.StringAttribute{MarkdownDescription: "The flow's name.", Computed: true},
						"stage":      schema.StringAttribute{MarkdownDescription: "`running` or `stopped`.", Computed: true},
						"updated_at": schema.StringAttribute{MarkdownDescription: "When the flow was last saved (`mtime`).", Computed: true},
						"type": schema.StringAttribute{MarkdownDescription: "The flow's type; `automation` for a plain flow. " +
							"Null in the contract API dialect, which has no types.", Computed: true},
						"custom_fields": schema.MapAttribute{
							MarkdownDescription: "The flow's custom fields; null when it has none.",
							ElementType:         types.StringType,
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *flowsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *flowsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg flowsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sel := flowSelection{pattern: cfg.Pattern.ValueString(), stage: cfg.Stage.ValueString(),
		fields: stringMap(cfg.CustomFields), flowType: cfg.Type.ValueString()}
	flows, err := sel.list(ctx, d.client, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer flows", err)
		return
	}
	cfg.Flows = []flowSummaryModel{}
	for i := range flows {
		f := &flows[i]
		fields, diags := customFieldsFromAPI(ctx, f.CustomFields, types.MapNull(types.StringType))
		resp.Diagnostics.Append(diags...)
		cfg.Flows = append(cfg.Flows, flowSummaryModel{
			ID:           types.StringValue(f.ID),
			Name:         types.StringValue(f.Name),
			Stage:        types.StringValue(flowStageFromAPI(f.Stage)),
			UpdatedAt:    optionalString(f.UpdatedAt),
			CustomFields: fields,
			Type:         optionalString(flowTypeOf(f)),
		})
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
	}
}
