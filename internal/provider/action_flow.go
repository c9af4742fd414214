// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Actions (Terraform 1.14+) are imperative steps: `terraform apply -invoke=action.<type>.<name>`, or
// a resource's lifecycle action_trigger. They change nothing in state.

var _ action.ActionWithConfigure = &flowStageAction{}

// flowStageAction starts or stops a flow: appmixer_flow_start and appmixer_flow_stop.
type flowStageAction struct {
	pd    *providerData
	stage string // what the flow is afterwards: stageRunning or stageStopped
}

// NewFlowStartAction starts a flow now.
func NewFlowStartAction() action.Action { return &flowStageAction{stage: stageRunning} }

// NewFlowStopAction stops a flow now.
func NewFlowStopAction() action.Action { return &flowStageAction{stage: stageStopped} }

type flowStageActionModel struct {
	FlowID types.String `tfsdk:"flow_id"`
}

func (a *flowStageAction) verb() string {
	if a.stage == stageRunning {
		return "start"
	}
	return "stop"
}

func (a *flowStageAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow_" + a.verb()
}

func (a *flowStageAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: fmt.Sprintf("%ss a flow now (`POST /flows/{id}/coordinator` with `{\"command\": %q}`) and "+
			"reads it back to check that it is %s; doing so to a flow that already is %s changes nothing. Invoke it with "+
			"`terraform apply -invoke=action.appmixer_flow_%s.<name>`, or from a resource's `lifecycle` `action_trigger`. "+
			"An `appmixer_flow` that manages the same flow still wants its configured `stage`: the next plan shows a "+
			"flow this action left in another stage as drift.",
			capitalized(a.verb()), a.verb(), a.stage, a.stage, a.verb()),
		Attributes: map[string]actionschema.Attribute{
			"flow_id": actionschema.StringAttribute{
				MarkdownDescription: "The flow id (`flowId`), e.g. `appmixer_flow.x.id`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (a *flowStageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *flowStageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg flowStageActionModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...); resp.Diagnostics.HasError() || !actionConfigured(a.pd, &resp.Diagnostics) {
		return
	}
	id := cfg.FlowID.ValueString()
	c := a.pd.client
	run := c.StopFlow
	if a.stage == stageRunning {
		run = c.StartFlow
	}
	if err := run(ctx, id); err != nil {
		addAttributeAPIError(&resp.Diagnostics, "flow_id", fmt.Sprintf("Cannot %s Appmixer flow %s", a.verb(), id), err)
		return
	}
	f, err := c.GetFlow(ctx, id)
	if err != nil {
		addAttributeAPIError(&resp.Diagnostics, "flow_id", "Cannot read Appmixer flow "+id+" back", err)
		return
	}
	if got := flowStageFromAPI(f.Stage); got != a.stage {
		resp.Diagnostics.AddAttributeError(path.Root("flow_id"), fmt.Sprintf("Appmixer flow %s did not %s", id, a.verb()),
			fmt.Sprintf("After the %s command the server reports the flow %q as %q.", a.verb(), f.Name, f.Stage))
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Flow %q (%s) is %s.", f.Name, id, a.stage)})
}

// addAttributeAPIError reports a failed API call about what the attribute names, on that attribute.
func addAttributeAPIError(diags *diag.Diagnostics, attr, summary string, err error) {
	diags.AddAttributeError(path.Root(attr), summary, err.Error()+timeoutAdvice(err))
}

func capitalized(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// actionConfigured reports whether the provider was configured, which an invoked action needs.
func actionConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd == nil {
		diags.AddError("Provider not configured", "The appmixer provider must be configured before an action can run.")
		return false
	}
	return true
}
