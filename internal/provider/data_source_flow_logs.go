// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"

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

// appmixer_flow_logs, appmixer_unprocessed_messages and appmixer_people_tasks read what a running
// tenant produces, for `check` blocks after a promotion: did the flows start cleanly, are messages
// piling up, who must approve something.

var _ datasource.DataSourceWithConfigure = &flowLogsDataSource{}

const (
	defaultLogWindow    = "1h"
	defaultLatestErrors = 5
)

// logWindowPattern is Elasticsearch date math's "<n><unit>" for the seconds to weeks that a check looks back.
var (
	logWindowPattern = regexp.MustCompile(`^[1-9][0-9]*[smhdw]$`)
	severityPattern  = regexp.MustCompile(`^[A-Za-z]+$`)
)

// NewFlowLogsDataSource reads GET /logs.
func NewFlowLogsDataSource() datasource.DataSource { return &flowLogsDataSource{} }

type flowLogsDataSource struct{ client *appmixer.Client }

type flowLogsModel struct {
	FlowIDs      []types.String  `tfsdk:"flow_ids"`
	Since        types.String    `tfsdk:"since"`
	Severities   []types.String  `tfsdk:"severities"`
	LatestLimit  types.Int64     `tfsdk:"latest_errors_limit"`
	Counts       types.Map       `tfsdk:"counts"`
	ErrorCount   types.Int64     `tfsdk:"error_count"`
	LatestErrors []logEntryModel `tfsdk:"latest_errors"`
}

type logEntryModel struct {
	Time          types.String `tfsdk:"time"`
	FlowID        types.String `tfsdk:"flow_id"`
	ComponentID   types.String `tfsdk:"component_id"`
	ComponentType types.String `tfsdk:"component_type"`
	Message       types.String `tfsdk:"message"`
	Error         types.String `tfsdk:"error"`
}

func (d *flowLogsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow_logs"
}

func (d *flowLogsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "What the engine logged for some flows in a recent window (`GET /logs`, Appmixer's Insights): " +
			"the number of entries per severity and the latest errors. Made for a `check` block after a promotion: a flow " +
			"that logs errors gives a warning in the apply that deployed it. One request per severity counted (the one for " +
			"`error` also brings the latest errors); the counts come from the daily histogram the server computes over every " +
			"match. Entries are those of the provider's user's flows. Not available in the contract API dialect.",
		Attributes: map[string]schema.Attribute{
			"flow_ids": schema.ListAttribute{
				MarkdownDescription: "The flows (`flowId`), e.g. `[appmixer_flow.orders.id]`; unset: every flow of the provider's user.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"since": schema.StringAttribute{
				MarkdownDescription: "How far back to look: a number and a unit, `s`, `m`, `h`, `d` or `w` (`30m`, `1h`, `2d`). " +
					"Default `" + defaultLogWindow + "`: the window is `gridTimestamp:>now-<since>` on the server's clock.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{stringvalidator.RegexMatches(logWindowPattern,
					`must be a number and a unit of s, m, h, d or w, such as "30m" or "1h"`)},
			},
			"severities": schema.ListAttribute{
				MarkdownDescription: "The severities to count, e.g. `[\"error\", \"info\"]`; each costs one request. Default `[\"error\"]`.",
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(severityPattern, `must be a severity word such as "error"`))},
			},
			"latest_errors_limit": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many of the newest errors to return in `latest_errors`, 0 to 100. Default %d.", defaultLatestErrors),
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 100)},
			},
			"counts": schema.MapAttribute{
				MarkdownDescription: "Severity => number of entries in the window, for each of `severities`.",
				ElementType:         types.Int64Type,
				Computed:            true,
			},
			"error_count": schema.Int64Attribute{
				MarkdownDescription: "Entries of severity `error` in the window: what a `check` usually asserts is 0.",
				Computed:            true,
			},
			"latest_errors": schema.ListNestedAttribute{
				MarkdownDescription: "The newest errors in the window, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"time":           schema.StringAttribute{MarkdownDescription: "When it was logged (`gridTimestamp`).", Computed: true},
					"flow_id":        schema.StringAttribute{MarkdownDescription: "The flow.", Computed: true},
					"component_id":   schema.StringAttribute{MarkdownDescription: "The component in the flow.", Computed: true},
					"component_type": schema.StringAttribute{MarkdownDescription: "Its type, e.g. `appmixer.utils.email.SendEmail`; null when not logged.", Computed: true},
					"message":        schema.StringAttribute{MarkdownDescription: "The entry's `msg` (JSON when it is not text); null when empty.", Computed: true},
					"error":          schema.StringAttribute{MarkdownDescription: "The entry's `err` message; null when empty.", Computed: true},
				}},
			},
		},
	}
}

func (d *flowLogsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *flowLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m flowLogsModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() ||
		!requireRealAPI(d.client, &resp.Diagnostics, "data.appmixer_flow_logs") {
		return
	}
	if m.Since.IsNull() {
		m.Since = types.StringValue(defaultLogWindow)
	}
	if m.Severities == nil {
		m.Severities = []types.String{types.StringValue("error")}
	}
	if m.LatestLimit.IsNull() {
		m.LatestLimit = types.Int64Value(defaultLatestErrors)
	}
	flowIDs := configuredStrings(m.FlowIDs)
	severities := configuredStrings(m.Severities)
	if !slices.Contains(severities, "error") {
		severities = append(severities, "error") // error_count and latest_errors need it
	}
	counts := map[string]attr.Value{}
	m.LatestErrors = []logEntryModel{}
	for _, sev := range severities {
		size := 0
		if sev == "error" {
			size = int(m.LatestLimit.ValueInt64())
		}
		res, err := d.client.SearchLogs(ctx, appmixer.LogQuery{
			FlowIDs: flowIDs, Size: size,
			Query: fmt.Sprintf("severity:%s AND gridTimestamp:>now-%s", sev, m.Since.ValueString()),
		})
		if err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Cannot read the Appmixer logs of severity %q (GET /logs)", sev), err)
			return
		}
		if sev == "error" {
			m.ErrorCount = types.Int64Value(res.Count)
			for _, e := range res.Entries[:min(len(res.Entries), size)] {
				m.LatestErrors = append(m.LatestErrors, logEntryModel{
					Time: types.StringValue(e.Time), FlowID: types.StringValue(e.FlowID), ComponentID: types.StringValue(e.ComponentID),
					ComponentType: optionalString(e.ComponentType), Message: optionalString(e.Message), Error: optionalString(e.Err),
				})
			}
		}
		if slices.ContainsFunc(m.Severities, func(s types.String) bool { return s.ValueString() == sev }) {
			counts[sev] = types.Int64Value(res.Count)
		}
	}
	m.Counts = types.MapValueMust(types.Int64Type, counts)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// configuredStrings turns a configured list of strings into Go strings.
func configuredStrings(in []types.String) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, s.ValueString())
	}
	return out
}
