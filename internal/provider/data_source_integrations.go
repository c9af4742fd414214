// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &integrationsDataSource{}

// NewIntegrationsDataSource lists a tenant's integrations, to adopt a tenant or promote from it.
func NewIntegrationsDataSource() datasource.DataSource { return &integrationsDataSource{} }

type integrationsDataSource struct{ client *appmixer.Client }

type integrationsModel struct {
	Pattern      types.String              `tfsdk:"pattern"`
	Integrations []integrationSummaryModel `tfsdk:"integrations"`
}

type integrationSummaryModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	TemplateID    types.String `tfsdk:"template_id"`
	Published     types.Bool   `tfsdk:"published"`
	InstanceCount types.Int64  `tfsdk:"instance_count"`
}

func (d *integrationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integrations"
}

func (d *integrationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant's integrations (drafts), sorted by name and then id, each with its template " +
			"and how many instances end users made from it: three listings (drafts, templates, instances), whatever the " +
			"number of integrations. Feed `id` to an `import` block of `appmixer_integration` to adopt one.",
		Attributes: map[string]schema.Attribute{
			"pattern": schema.StringAttribute{
				MarkdownDescription: "Only drafts the server's `pattern` search matches: a part of the name or the id.",
				Optional:            true,
			},
			"integrations": schema.ListNestedAttribute{
				MarkdownDescription: "The integrations.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":             schema.StringAttribute{MarkdownDescription: "The draft's id, the integration's id.", Computed: true},
					"name":           schema.StringAttribute{MarkdownDescription: "The draft's name.", Computed: true},
					"template_id":    schema.StringAttribute{MarkdownDescription: "Its template; null when never published.", Computed: true},
					"published":      schema.BoolAttribute{MarkdownDescription: "Whether the template is shared with anyone.", Computed: true},
					"instance_count": schema.Int64Attribute{MarkdownDescription: "Instances of the template, as the provider's user sees them.", Computed: true},
				}},
			},
		},
	}
}

func (d *integrationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg integrationsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	list := func(flowType, pattern, projection string) []appmixer.Flow {
		if resp.Diagnostics.HasError() {
			return nil
		}
		flows, err := d.client.ListAllFlows(ctx, appmixer.ListFlowsOptions{Pattern: pattern, Projection: projection,
			Filters: []string{"type:" + flowType}})
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot list Appmixer flows of type "+flowType, err)
		}
		return flows
	}
	drafts := list(appmixer.FlowTypeDraft, cfg.Pattern.ValueString(), "flowId,name,type")
	templates := list(appmixer.FlowTypeTemplate, "", "flowId,originFlowId,sharedWith,type")
	instances := list(appmixer.FlowTypeInstance, "", "flowId,originFlowId,type")
	if resp.Diagnostics.HasError() {
		return
	}
	byDraft := map[string][]appmixer.Flow{}
	for _, t := range templates {
		byDraft[t.OriginFlowID] = append(byDraft[t.OriginFlowID], t)
	}
	counts := map[string]int{}
	for _, i := range instances {
		counts[i.OriginFlowID]++
	}
	sort.SliceStable(drafts, func(i, j int) bool {
		if drafts[i].Name != drafts[j].Name {
			return drafts[i].Name < drafts[j].Name
		}
		return drafts[i].ID < drafts[j].ID
	})
	cfg.Integrations = []integrationSummaryModel{}
	for _, dr := range drafts {
		s := integrationSummaryModel{ID: types.StringValue(dr.ID), Name: types.StringValue(dr.Name),
			TemplateID: types.StringNull(), Published: types.BoolValue(false), InstanceCount: types.Int64Value(0)}
		if t := pickTemplate(byDraft[dr.ID]); t != nil {
			s.TemplateID, s.Published = types.StringValue(t.ID), types.BoolValue(len(t.SharedWith) > 0)
			s.InstanceCount = types.Int64Value(int64(counts[t.ID]))
		}
		cfg.Integrations = append(cfg.Integrations, s)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
