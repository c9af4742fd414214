// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &peopleTasksDataSource{}

// NewPeopleTasksDataSource reads GET /people-task/tasks.
func NewPeopleTasksDataSource() datasource.DataSource { return &peopleTasksDataSource{} }

type peopleTasksDataSource struct{ client *appmixer.Client }

type peopleTasksModel struct {
	Role   types.String      `tfsdk:"role"`
	Status types.String      `tfsdk:"status"`
	Count  types.Int64       `tfsdk:"task_count"`
	Tasks  []peopleTaskModel `tfsdk:"tasks"`
}

type peopleTaskModel struct {
	ID          types.String `tfsdk:"id"`
	Title       types.String `tfsdk:"title"`
	Description types.String `tfsdk:"description"`
	Requester   types.String `tfsdk:"requester"`
	Approver    types.String `tfsdk:"approver"`
	Status      types.String `tfsdk:"status"`
	DecisionBy  types.String `tfsdk:"decision_by"`
}

func (d *peopleTasksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_people_tasks"
}

func (d *peopleTasksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The provider's user's people tasks (approvals that flows ask for) in one role " +
			"(`GET /people-task/tasks?role=...&filter=status:...`, page by page). In a `check` block it warns about " +
			"approvals waiting on the promotion's user. Not available in the contract API dialect.",
		Attributes: map[string]schema.Attribute{
			"role": schema.StringAttribute{
				MarkdownDescription: "`approver`: tasks the user must decide; `requester`: tasks the user asked for.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf("approver", "requester")},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "`pending` (default), `approved` or `rejected`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.OneOf("pending", "approved", "rejected")},
			},
			"task_count": schema.Int64Attribute{MarkdownDescription: "The number of tasks.", Computed: true},
			"tasks": schema.ListNestedAttribute{
				MarkdownDescription: "The tasks, in the server's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.StringAttribute{MarkdownDescription: "The task id.", Computed: true},
					"title":       schema.StringAttribute{MarkdownDescription: "Its title.", Computed: true},
					"description": schema.StringAttribute{MarkdownDescription: "Its description; null when empty.", Computed: true},
					"requester":   schema.StringAttribute{MarkdownDescription: "Who asked (an e-mail address).", Computed: true},
					"approver":    schema.StringAttribute{MarkdownDescription: "Who decides (an e-mail address).", Computed: true},
					"status":      schema.StringAttribute{MarkdownDescription: "`pending`, `approved` or `rejected`.", Computed: true},
					"decision_by": schema.StringAttribute{MarkdownDescription: "The deadline (`decisionBy`); null when none.", Computed: true},
				}},
			},
		},
	}
}

func (d *peopleTasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *peopleTasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m peopleTasksModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() ||
		!requireRealAPI(d.client, &resp.Diagnostics, "data.appmixer_people_tasks") {
		return
	}
	if m.Status.IsNull() {
		m.Status = types.StringValue("pending")
	}
	tasks, err := d.client.ListPeopleTasks(ctx, m.Role.ValueString(), m.Status.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Cannot list the Appmixer people tasks of role %q (GET /people-task/tasks)", m.Role.ValueString()), err)
		return
	}
	m.Tasks = []peopleTaskModel{}
	for _, t := range tasks {
		// The filter is the server's; a server that ignores it must not put other tasks in a check.
		if t.Status != "" && t.Status != m.Status.ValueString() {
			continue
		}
		m.Tasks = append(m.Tasks, peopleTaskModel{
			ID: types.StringValue(t.ID), Title: types.StringValue(t.Title), Description: optionalString(t.Description),
			Requester: types.StringValue(t.Requester), Approver: types.StringValue(t.Approver),
			Status: types.StringValue(t.Status), DecisionBy: optionalString(t.DecisionBy),
		})
	}
	m.Count = types.Int64Value(int64(len(m.Tasks)))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
