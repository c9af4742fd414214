// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &unprocessedMessagesDataSource{}

// NewUnprocessedMessagesDataSource reads GET /unprocessed-messages.
func NewUnprocessedMessagesDataSource() datasource.DataSource {
	return &unprocessedMessagesDataSource{}
}

type unprocessedMessagesDataSource struct{ client *appmixer.Client }

type unprocessedMessagesModel struct {
	FlowIDs     []types.String     `tfsdk:"flow_ids"`
	NewestLimit types.Int64        `tfsdk:"newest_limit"`
	Total       types.Int64        `tfsdk:"total"`
	Counts      types.Map          `tfsdk:"counts"`
	Newest      []unprocessedModel `tfsdk:"newest"`
}

type unprocessedModel struct {
	MessageID   types.String `tfsdk:"message_id"`
	FlowID      types.String `tfsdk:"flow_id"`
	ComponentID types.String `tfsdk:"component_id"`
	Created     types.String `tfsdk:"created"`
	Error       types.String `tfsdk:"error"`
}

func (d *unprocessedMessagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_unprocessed_messages"
}

func (d *unprocessedMessagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Messages that components failed on and the engine kept (`errorHandling.onError = " +
			"\"storeUnprocessed\"`), per flow, from one `GET /unprocessed-messages`. Made for a `check` block: messages " +
			"piling up after a promotion give a warning. `appmixer_unprocessed_messages_retry` sends them again once a fix " +
			"is promoted. Messages are those of the provider's user's flows. Not available in the contract API dialect.",
		Attributes: map[string]schema.Attribute{
			"flow_ids": schema.ListAttribute{
				MarkdownDescription: "The flows (`flowId`) to look at; unset: every flow with waiting messages.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"newest_limit": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many of the newest messages to return in `newest`, 0 to 100. Default %d.", defaultLatestErrors),
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 100)},
			},
			"total": schema.Int64Attribute{MarkdownDescription: "Waiting messages of the flows, in all.", Computed: true},
			"counts": schema.MapAttribute{
				MarkdownDescription: "Flow id => waiting messages; every flow of `flow_ids` is there, with 0 when none waits.",
				ElementType:         types.Int64Type,
				Computed:            true,
			},
			"newest": schema.ListNestedAttribute{
				MarkdownDescription: "The newest waiting messages, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"message_id":   schema.StringAttribute{MarkdownDescription: "The message (`messageId`).", Computed: true},
					"flow_id":      schema.StringAttribute{MarkdownDescription: "Its flow.", Computed: true},
					"component_id": schema.StringAttribute{MarkdownDescription: "The component that failed on it.", Computed: true},
					"created":      schema.StringAttribute{MarkdownDescription: "When it was stored.", Computed: true},
					"error":        schema.StringAttribute{MarkdownDescription: "Why it failed (`err`); null when the server does not say.", Computed: true},
				}},
			},
		},
	}
}

func (d *unprocessedMessagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *unprocessedMessagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m unprocessedMessagesModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() ||
		!requireRealAPI(d.client, &resp.Diagnostics, "data.appmixer_unprocessed_messages") {
		return
	}
	if m.NewestLimit.IsNull() {
		m.NewestLimit = types.Int64Value(defaultLatestErrors)
	}
	all, err := d.client.ListUnprocessedMessages(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list the Appmixer unprocessed messages (GET /unprocessed-messages)", err)
		return
	}
	flowIDs := configuredStrings(m.FlowIDs)
	counts := map[string]int64{}
	for _, id := range flowIDs {
		counts[id] = 0
	}
	var kept []appmixer.UnprocessedMessage
	for _, msg := range all {
		if len(flowIDs) == 0 || slices.Contains(flowIDs, msg.FlowID) {
			kept = append(kept, msg)
			counts[msg.FlowID]++
		}
	}
	// ISO 8601 times in UTC sort as text; the message id breaks ties so the order is stable.
	slices.SortStableFunc(kept, func(a, b appmixer.UnprocessedMessage) int {
		if c := strings.Compare(b.Created, a.Created); c != 0 {
			return c
		}
		return strings.Compare(b.MessageID, a.MessageID)
	})
	m.Total = types.Int64Value(int64(len(kept)))
	countValues := map[string]attr.Value{}
	for id, n := range counts {
		countValues[id] = types.Int64Value(n)
	}
	m.Counts = types.MapValueMust(types.Int64Type, countValues)
	m.Newest = []unprocessedModel{}
	for _, msg := range kept[:min(len(kept), int(m.NewestLimit.ValueInt64()))] {
		m.Newest = append(m.Newest, unprocessedModel{
			MessageID: types.StringValue(msg.MessageID), FlowID: types.StringValue(msg.FlowID),
			ComponentID: types.StringValue(msg.ComponentID), Created: optionalString(msg.Created), Error: optionalString(msg.Err),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
