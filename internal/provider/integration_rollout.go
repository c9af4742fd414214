// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// A rollout (POST /integrations/{template}/update-integration-instances) pushes the template to every
// instance behind a ticket. One that has not completed is kept in private state: a failed one is
// started again by the next apply, and one still running when the apply gave up (its timeout) is
// polled again by the next apply rather than started a second time. Read looks at a running one, so
// that a rollout that has completed meanwhile leaves nothing to do.

const rolloutKey = "rollout"

// Rollout statuses the provider records besides the server's.
const (
	rolloutRunning = "in-progress"
	rolloutFailed  = "failed"
)

// pendingRollout is a rollout that has not completed.
type pendingRollout struct {
	Ticket     string `json:"ticket,omitempty"` // empty when it could not even be started
	TemplateID string `json:"template_id"`
	Failed     bool   `json:"failed,omitempty"`
}

type privateState interface {
	privateGetter
	privateSetter
}

func pendingRolloutFrom(ctx context.Context, private privateGetter) *pendingRollout {
	raw, diags := private.GetKey(ctx, rolloutKey)
	if diags.HasError() || len(raw) == 0 {
		return nil
	}
	var p pendingRollout
	if json.Unmarshal(raw, &p) != nil || p.TemplateID == "" {
		return nil
	}
	return &p
}

func savePendingRollout(ctx context.Context, private privateSetter, p *pendingRollout, diags *diag.Diagnostics) {
	raw := []byte{}
	if p != nil {
		raw, _ = json.Marshal(p) // a struct of strings always encodes
	}
	diags.Append(private.SetKey(ctx, rolloutKey, raw)...)
}

// refreshPendingRollout looks once at a running rollout during Read and returns last_rollout.
func (r *integrationResource) refreshPendingRollout(ctx context.Context, private privateState, last types.Object, diags *diag.Diagnostics) types.Object {
	p := pendingRolloutFrom(ctx, private)
	if p == nil || p.Failed || p.Ticket == "" {
		return last
	}
	st, err := r.pd.client.GetIntegrationStatus(ctx, p.Ticket)
	switch {
	case appmixer.IsNotFound(err):
		st = &appmixer.IntegrationStatus{Status: rolloutFailed, Error: "the server no longer knows this rollout's ticket"}
	case err != nil:
		tflog.Warn(ctx, "cannot look at the integration rollout", map[string]any{"ticket": p.Ticket, "error": err.Error()})
		return last
	}
	ticket := p.Ticket
	switch {
	case st.Completed():
		p = nil
	case st.Failed():
		p.Failed = true
	}
	savePendingRollout(ctx, private, p, diags)
	return rolloutObject(ticket, st)
}

// rollout runs the rollout an apply owes: it waits for one still running from an earlier apply, and
// starts one when the template's content changed or an earlier one failed. It returns last_rollout;
// a failure or a timeout is an error in diags, and private state keeps what the next apply must do.
func (r *integrationResource) rollout(ctx context.Context, plan integrationModel, templateID string, contentChanged bool,
	private privateState, timeout time.Duration, diags *diag.Diagnostics) types.Object {
	last := plan.LastRollout
	if last.IsUnknown() {
		last = types.ObjectNull(rolloutAttrTypes)
	}
	p := pendingRolloutFrom(ctx, private)
	if p != nil && p.TemplateID != templateID {
		p = nil // a rollout of a template this integration no longer has
	}
	if p != nil && !p.Failed && p.Ticket != "" {
		st, obj := r.await(ctx, plan, p, timeout, private, diags)
		if st == nil || st.Failed() || !contentChanged {
			return obj
		}
	} else if p == nil && !contentChanged {
		return last
	}
	ticket, err := r.pd.client.UpdateIntegrationInstances(ctx, templateID, plan.InProgressData.ValueString())
	if err != nil {
		savePendingRollout(ctx, private, &pendingRollout{TemplateID: templateID, Failed: true}, diags)
		addAPIError(diags, "Cannot roll integration "+plan.ID.ValueString()+" out to its instances", err)
		return rolloutObject("", &appmixer.IntegrationStatus{Status: rolloutFailed, Error: err.Error()})
	}
	p = &pendingRollout{Ticket: ticket, TemplateID: templateID}
	savePendingRollout(ctx, private, p, diags)
	_, obj := r.await(ctx, plan, p, timeout, private, diags)
	return obj
}

// await polls a rollout's ticket until it ends or ctx does, logging its progress.
func (r *integrationResource) await(ctx context.Context, plan integrationModel, p *pendingRollout, timeout time.Duration,
	private privateState, diags *diag.Diagnostics) (*appmixer.IntegrationStatus, types.Object) {
	var st *appmixer.IntegrationStatus
	err := appmixer.Poll(ctx, func(ctx context.Context) (bool, error) {
		s, err := r.pd.client.GetIntegrationStatus(ctx, p.Ticket)
		if err != nil {
			return false, err
		}
		st = s
		tflog.Info(ctx, "Appmixer integration rollout", map[string]any{"integration": plan.ID.ValueString(),
			"template": p.TemplateID, "ticket": p.Ticket, "status": s.Status, "steps_completed": s.StepsCompleted, "steps_total": s.StepsTotal})
		return s.Completed() || s.Failed(), nil
	})
	id := plan.ID.ValueString()
	switch {
	case err != nil:
		// Still running as far as anyone knows: the next apply polls this ticket again.
		diags.AddError("Rollout of integration "+id+" did not finish",
			fmt.Sprintf("Waiting for ticket %s: %s The template is saved; the next apply waits for this rollout "+
				"again instead of starting another.", p.Ticket, timeoutHint(err, timeout, "update")))
		if st == nil {
			st = &appmixer.IntegrationStatus{Status: rolloutRunning}
		}
		return nil, rolloutObject(p.Ticket, st)
	case st.Failed():
		p.Failed = true
		savePendingRollout(ctx, private, p, diags)
		diags.AddError("Rollout of integration "+id+" failed",
			fmt.Sprintf("Appmixer reports: %s\n\nThe new template %s is saved, and %d of %d instances were updated. "+
				"The next apply retries the rollout.", st.Error, p.TemplateID, st.StepsCompleted, st.StepsTotal))
	default:
		savePendingRollout(ctx, private, nil, diags)
	}
	return st, rolloutObject(p.Ticket, st)
}
