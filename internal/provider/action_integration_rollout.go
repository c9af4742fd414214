// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ action.ActionWithConfigure = &rolloutAction{}

// NewIntegrationRolloutAction pushes an integration's template to its instances now.
func NewIntegrationRolloutAction() action.Action { return &rolloutAction{} }

type rolloutAction struct{ pd *providerData }

type rolloutActionModel struct {
	IntegrationID  types.String `tfsdk:"integration_id"`
	InProgressData types.String `tfsdk:"in_progress_data"`
	Timeout        types.String `tfsdk:"timeout"`
}

func (a *rolloutAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_rollout"
}

func (a *rolloutAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Pushes an integration's published template to every end user's instance now " +
			"(`POST /integrations/{template}/update-integration-instances`) and waits for the rollout, reporting its " +
			"progress (instances updated of the total) while it runs. A rollout the server reports failed fails the " +
			"action with the server's error. Use it where `appmixer_integration`'s `instance_update = \"none\"` leaves " +
			"rollouts to a person, e.g. `terraform apply -invoke=action.appmixer_integration_rollout.<name>` after a " +
			"review.",
		Attributes: map[string]actionschema.Attribute{
			"integration_id": actionschema.StringAttribute{
				MarkdownDescription: "The integration's draft id, as `appmixer_integration.x.id`; its published template is " +
					"rolled out. A template's own id is taken too.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"in_progress_data": actionschema.StringAttribute{
				MarkdownDescription: "What happens to the data instances are processing: `keep` (default) or `delete`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(inProgressKeep, inProgressDelete)},
			},
			"timeout": actionschema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long to wait for the rollout, a Go duration; default `%s`. The "+
					"rollout goes on on the server after the action gives up.", defaultIntegrationUpdateTimeout),
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
		},
	}
}

func (a *rolloutAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *rolloutAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg rolloutActionModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...); resp.Diagnostics.HasError() || !actionConfigured(a.pd, &resp.Diagnostics) ||
		!requireRealAPI(a.pd.client, &resp.Diagnostics, "appmixer_integration_rollout") {
		return
	}
	timeout := defaultIntegrationUpdateTimeout
	if !cfg.Timeout.IsNull() {
		timeout, _ = parsePositiveDuration(cfg.Timeout.ValueString()) // validated
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	mode := inProgressKeep
	if !cfg.InProgressData.IsNull() {
		mode = cfg.InProgressData.ValueString()
	}
	id := cfg.IntegrationID.ValueString()
	tpl, err := a.template(ctx, id)
	if err != nil {
		addAttributeAPIError(&resp.Diagnostics, "integration_id", "Cannot roll out Appmixer integration "+id, err)
		return
	}
	ticket, err := a.pd.client.UpdateIntegrationInstances(ctx, tpl.ID, mode)
	if err != nil {
		addAttributeAPIError(&resp.Diagnostics, "integration_id", "Cannot roll out Appmixer integration "+id, err)
		return
	}
	progress := func(msg string) { resp.SendProgress(action.InvokeProgressEvent{Message: msg}) }
	progress(fmt.Sprintf("Rolling out template %s of integration %q (ticket %s, in-progress data: %s).", tpl.ID, tpl.Name, ticket, mode))
	st, err := a.await(ctx, ticket, progress)
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Rollout of integration "+id+" did not finish",
			fmt.Sprintf("Waiting for ticket %s: %v. The rollout may still be running on the server; raise timeout "+
				"(now %s) to wait longer.", ticket, err, timeout))
	case st.Failed():
		resp.Diagnostics.AddError("Rollout of integration "+id+" failed",
			fmt.Sprintf("Appmixer reports: %s\n\n%d of %d instances were updated (ticket %s).", st.Error, st.StepsCompleted, st.StepsTotal, ticket))
	default:
		progress(fmt.Sprintf("Rollout completed: %d of %d instances updated.", st.StepsCompleted, st.StepsTotal))
	}
}

// template is what a rollout of id pushes: the published template of the draft id, or id itself
// when it is a template.
func (a *rolloutAction) template(ctx context.Context, id string) (*appmixer.Flow, error) {
	c := a.pd.client
	f, err := c.GetFlow(ctx, id)
	switch {
	case err != nil:
		return nil, err
	case f.Type == appmixer.FlowTypeTemplate:
		return f, nil
	case f.Type != appmixer.FlowTypeDraft:
		return nil, notADraft(f)
	}
	templates, err := c.FindTemplates(ctx, id)
	if err != nil {
		return nil, err
	}
	if t := pickTemplate(templates); t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("integration %q (%s) has no template, so there is nothing to roll out: publish it first "+
		"(shared_with of appmixer_integration)", f.Name, id)
}

// await polls the rollout's ticket until it ends or ctx does, telling progress each change it sees.
func (a *rolloutAction) await(ctx context.Context, ticket string, progress func(string)) (*appmixer.IntegrationStatus, error) {
	var st, last *appmixer.IntegrationStatus
	err := appmixer.Poll(ctx, func(ctx context.Context) (bool, error) {
		s, err := a.pd.client.GetIntegrationStatus(ctx, ticket)
		if err != nil {
			return false, err
		}
		st = s
		if done := s.Completed() || s.Failed(); done {
			return true, nil
		}
		if last == nil || *last != *s {
			progress(fmt.Sprintf("%d of %d instances updated (%s).", s.StepsCompleted, s.StepsTotal, s.Status))
		}
		last = s
		return false, nil
	})
	if err == nil && st == nil {
		err = errors.New("no status was read")
	}
	return st, err
}
