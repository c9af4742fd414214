// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ action.ActionWithConfigure = &unprocessedRetryAction{}

// unprocessedRetryAction is appmixer_unprocessed_messages_retry: every waiting message of a flow is
// sent again (or dropped), one request each after one listing.
type unprocessedRetryAction struct{ pd *providerData }

// NewUnprocessedMessagesRetryAction retries or deletes a flow's unprocessed messages now.
func NewUnprocessedMessagesRetryAction() action.Action { return &unprocessedRetryAction{} }

type unprocessedRetryModel struct {
	FlowID types.String `tfsdk:"flow_id"`
	Delete types.Bool   `tfsdk:"delete"`
}

func (a *unprocessedRetryAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_unprocessed_messages_retry"
}

func (a *unprocessedRetryAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Sends every unprocessed message of a flow to its component again " +
			"(`POST /unprocessed-messages/{id}`, or the official CLI's `.../retry` on servers without the first), or " +
			"with `delete = true` drops them (`DELETE /unprocessed-messages/{id}`): the step after a fix is promoted. " +
			"A message that fails again is stored again as a new one. Messages that are gone meanwhile are skipped. " +
			"Invoke it with `terraform apply -invoke=action.appmixer_unprocessed_messages_retry.<name>`, or from a " +
			"resource's `lifecycle` `action_trigger`. Not available in the contract API dialect.",
		Attributes: map[string]actionschema.Attribute{
			"flow_id": actionschema.StringAttribute{
				MarkdownDescription: "The flow (`flowId`), e.g. `appmixer_flow.orders.id`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"delete": actionschema.BoolAttribute{
				MarkdownDescription: "Drop the messages instead of retrying them. Default `false`.",
				Optional:            true,
			},
		},
	}
}

func (a *unprocessedRetryAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *unprocessedRetryAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg unprocessedRetryModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...); resp.Diagnostics.HasError() || !actionConfigured(a.pd, &resp.Diagnostics) ||
		!requireRealAPI(a.pd.client, &resp.Diagnostics, "action.appmixer_unprocessed_messages_retry") {
		return
	}
	c, flowID := a.pd.client, cfg.FlowID.ValueString()
	verb, run := "retry", c.RetryUnprocessedMessage
	if cfg.Delete.ValueBool() {
		verb, run = "delete", c.DeleteUnprocessedMessage
	}
	all, err := c.ListUnprocessedMessages(ctx)
	if err != nil {
		addAttributeAPIError(&resp.Diagnostics, "flow_id", "Cannot list the Appmixer unprocessed messages", err)
		return
	}
	done := 0
	for _, m := range all {
		if m.FlowID != flowID {
			continue
		}
		if err := run(ctx, m.MessageID); err != nil && !appmixer.IsNotFound(err) {
			addAttributeAPIError(&resp.Diagnostics, "flow_id",
				fmt.Sprintf("Cannot %s unprocessed message %s of Appmixer flow %s (%d done before it)", verb, m.MessageID, flowID, done), err)
			return
		}
		done++
	}
	past := map[string]string{"retry": "Retried", "delete": "Deleted"}[verb]
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%s %d unprocessed messages of flow %s.", past, done, flowID)})
}
