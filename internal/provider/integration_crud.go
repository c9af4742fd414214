// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// flowGetter reads one flow: the client directly, or the process's batched FlowReader in Read.
type flowGetter func(ctx context.Context, id string) (*appmixer.Flow, error)

// fetch reads what the server holds of the integration prior describes. The template is the one in
// state; when that is gone, or on import, the draft's templates are looked up (a published one first,
// as the official CLI does). found is false when neither draft nor template exists.
func (r *integrationResource) fetch(ctx context.Context, get flowGetter, prior integrationModel, count func(context.Context, string) (int, error)) (integrationFlows, bool, error) {
	var fl integrationFlows
	id := prior.ID.ValueString()
	d, err := get(ctx, id)
	switch {
	case appmixer.IsNotFound(err):
	case err != nil:
		return fl, false, err
	case d.Type != appmixer.FlowTypeDraft:
		return fl, false, notADraft(d)
	default:
		fl.draft = d
	}
	if tid := prior.TemplateID.ValueString(); tid != "" {
		t, err := get(ctx, tid)
		switch {
		case appmixer.IsNotFound(err):
		case err != nil:
			return fl, false, err
		case t.Type == appmixer.FlowTypeTemplate && t.OriginFlowID == id:
			fl.template = t
		}
	}
	if fl.template == nil && (prior.TemplateID.ValueString() != "" || prior.Definition.IsNull()) {
		templates, err := r.pd.client.FindTemplates(ctx, id)
		if err != nil {
			return fl, false, err
		}
		fl.template = pickTemplate(templates)
	}
	if fl.draft == nil && fl.template == nil {
		return fl, false, nil
	}
	if fl.template != nil {
		if fl.instances, err = count(ctx, fl.template.ID); err != nil {
			return fl, false, err
		}
	}
	return fl, true, nil
}

// pickTemplate chooses among a draft's templates: the first published one, else the first.
func pickTemplate(templates []appmixer.Flow) *appmixer.Flow {
	for i := range templates {
		if len(templates[i].SharedWith) > 0 {
			return &templates[i]
		}
	}
	if len(templates) > 0 {
		return &templates[0]
	}
	return nil
}

func notADraft(f *appmixer.Flow) error {
	switch f.Type {
	case appmixer.FlowTypeTemplate:
		return fmt.Errorf("flow %s is an integration template, not a draft: import its draft, %s", f.ID, f.OriginFlowID)
	case appmixer.FlowTypeInstance:
		return fmt.Errorf("flow %s is an end user's integration instance, not a draft", f.ID)
	}
	return fmt.Errorf("flow %s is a plain flow (type %q), not an integration draft: manage it with appmixer_flow", f.ID, flowTypeOf(f))
}

func (r *integrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan integrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Create, defaultIntegrationCreateTimeout, &resp.Diagnostics)
	defer cancel()
	in, diags := draftInput(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if checkInstalledTypes(ctx, r.pd.componentTypes, r.pd.client.BaseURL(), plan.Definition.ValueString(), &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	id, err := r.pd.client.CreateFlow(ctx, in)
	if err != nil && id != "" {
		// Unconfirmed: the draft may exist all the same (appmixer.Client.CreateFlow).
		if _, gerr := r.pd.client.GetFlow(ctx, id); gerr == nil {
			err = nil
		}
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot create Appmixer integration draft", err)
		return
	}
	plan.ID, plan.TemplateID = types.StringValue(id), types.StringNull()
	if sharesPublished(plan.SharedWith) {
		tid, err := r.publish(ctx, plan)
		if tid != "" {
			plan.TemplateID = types.StringValue(tid) // published, whatever failed after
		}
		if err != nil {
			// The draft exists: keep it in state (tainted), so that the next apply replaces it.
			r.saveAfterFailure(ctx, &resp.State, plan, &resp.Diagnostics)
			addAPIError(&resp.Diagnostics, "Cannot publish Appmixer integration "+id, err)
			return
		}
		plan.TemplateID = types.StringValue(tid)
	}
	r.finish(ctx, &resp.State, plan, plan.LastRollout, &resp.Diagnostics)
	recordTenantSize(ctx, resp.Private, r.pd.flows.CountOnce(ctx), &resp.Diagnostics)
}

// publish clones the draft into a template. A clone whose answer was lost may have happened, so then
// the draft's templates are looked up before giving up: a second clone would be a second template.
func (r *integrationResource) publish(ctx context.Context, plan integrationModel) (string, error) {
	shares, diags := sharesFromModel(ctx, plan.SharedWith)
	if diags.HasError() {
		return "", diagError(diags)
	}
	id := plan.ID.ValueString()
	tid, err := r.pd.client.PublishIntegration(ctx, id, shares)
	if code := appmixer.StatusCode(err); err != nil && (code == 0 || code >= 500) {
		if templates, ferr := r.pd.client.FindTemplates(ctx, id); ferr == nil && len(templates) > 0 {
			tid, err = pickTemplate(templates).ID, nil
		}
	}
	if err != nil {
		return tid, err
	}
	// The clone's additional refuses categories (appmixer-api.md §7), and no source says whether a clone
	// copies the draft's categories and notes: a PUT after the clone sets both, as Appmixer's publish
	// script does.
	if len(categoryIDs(plan.Categories)) > 0 || !wizardEmpty(wizardOrEmpty(plan.Notes)) {
		in := appmixer.FlowInput{Name: plan.Name.ValueString(), Notes: wizardOrEmpty(plan.Notes), Categories: categoryIDs(plan.Categories)}
		if perr := r.pd.client.UpdateFlow(ctx, tid, in, false); perr != nil {
			return tid, fmt.Errorf("the template %s was published, but setting its categories and notes failed (the next apply "+
				"sets them): %w", tid, perr)
		}
	}
	return tid, nil
}

func (r *integrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state integrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Drafts and templates are flows: a refresh of many is answered from the process's listing of all
	// flows (appmixer.FlowReader), instance counts from one listing of all instances.
	r.pd.flows.NoteTenantSize(tenantSizeFrom(ctx, req.Private))
	fl, found, err := r.fetch(ctx, r.pd.flows.Get, state, r.pd.instances.Count)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read Appmixer integration "+state.ID.ValueString(), err)
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	m, diags := integrationFromAPI(ctx, state, fl)
	resp.Diagnostics.Append(diags...)
	m.LastRollout = r.refreshPendingRollout(ctx, resp.Private, m.LastRollout, &resp.Diagnostics)
	recordTenantSize(ctx, resp.Private, r.pd.flows.TenantSize(), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *integrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state integrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := operationContext(ctx, plan.Timeouts.Update, defaultIntegrationUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	plan.ID, plan.TemplateID = state.ID, state.TemplateID
	changed := templateContentChanged(plan, state)
	// Categories place the Hub card: saved on draft and template, but neither a revision nor a rollout.
	moved := !plan.Categories.Equal(state.Categories)
	if changed || moved || state.Name.IsNull() {
		// PUT is an upsert: a draft deleted by hand comes back at the same id.
		in, diags := draftInput(ctx, plan)
		resp.Diagnostics.Append(diags...)
		if !plan.Definition.Equal(state.Definition) {
			checkInstalledTypes(ctx, r.pd.componentTypes, r.pd.client.BaseURL(), plan.Definition.ValueString(), &resp.Diagnostics)
		}
		if resp.Diagnostics.HasError() {
			return
		}
		if err := r.pd.client.UpdateFlow(ctx, id, in, false); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot save the draft of Appmixer integration "+id, err)
			return
		}
	}
	var diags diag.Diagnostics
	last := state.LastRollout
	switch tid := state.TemplateID.ValueString(); {
	case tid != "" && (changed || moved || !sharesEqual(plan.SharedWith, state.SharedWith)):
		if err := r.saveTemplate(ctx, plan, state, tid, changed); err != nil {
			addAPIError(&diags, "Cannot save the template of Appmixer integration "+id, err)
			break
		}
		if plan.InstanceUpdate.ValueString() == instanceUpdateOnChange {
			last = r.rollout(ctx, plan, tid, changed, resp.Private, timeout, &diags)
		}
	case tid != "" && plan.InstanceUpdate.ValueString() == instanceUpdateOnChange:
		last = r.rollout(ctx, plan, tid, false, resp.Private, timeout, &diags) // one owed from an earlier apply
	case tid == "" && sharesPublished(plan.SharedWith):
		newID, err := r.publish(ctx, plan)
		if newID != "" {
			plan.TemplateID = types.StringValue(newID) // published, whatever failed after
		}
		if err != nil {
			addAPIError(&diags, "Cannot publish Appmixer integration "+id, err)
		}
	}
	// The draft (and maybe the template) changed: state records it even when a later step failed.
	r.finish(ctx, &resp.State, plan, last, &resp.Diagnostics)
	resp.Diagnostics.Append(diags...)
	recordTenantSize(ctx, resp.Private, r.pd.flows.CountOnce(ctx), &resp.Diagnostics)
}

// saveTemplate makes the template equal to the plan's draft, in the template's own component ids.
// When its content changes it raises the template's revision by one, as Appmixer's publish script and
// the Designer's Publish do: instances keep the revision they were made from, which is how outdated
// ones are found (appmixer-api.md §7). A change of sharing alone leaves the revision alone.
func (r *integrationResource) saveTemplate(ctx context.Context, plan, state integrationModel, templateID string, contentChanged bool) error {
	in, _, diags := templateInput(ctx, plan, templateID, stringMap(state.ComponentIDMap))
	if diags.HasError() {
		return diagError(diags)
	}
	if contentChanged {
		t, err := r.pd.client.GetFlow(ctx, templateID)
		if err != nil {
			if appmixer.IsNotFound(err) {
				return fmt.Errorf("the template %s was deleted after the plan was made; apply again to publish anew: %w", templateID, err)
			}
			return err
		}
		in.Revision = new(t.Revision + 1)
	}
	err := r.pd.client.UpdateFlow(ctx, templateID, in, false)
	if appmixer.IsNotFound(err) {
		return fmt.Errorf("the template %s was deleted after the plan was made; apply again to publish anew: %w", templateID, err)
	}
	return err
}

// finish reads the integration back into state. It runs after the operation's own deadline too (a
// rollout may have used it up), so that state always records what was saved.
func (r *integrationResource) finish(ctx context.Context, st *tfsdk.State, plan integrationModel, last types.Object, diags *diag.Diagnostics) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	fl, found, err := r.fetch(ctx, r.pd.client.GetFlow, plan, r.pd.client.CountIntegrationInstances)
	if err == nil && !found {
		err = errors.New("the integration was not found right after it was saved")
	}
	if err != nil {
		r.saveAfterFailure(ctx, st, plan, diags)
		addAPIError(diags, "Cannot read Appmixer integration "+plan.ID.ValueString()+" back", err)
		return
	}
	m, more := integrationFromAPI(ctx, plan, fl)
	diags.Append(more...)
	if !last.IsUnknown() {
		m.LastRollout = last
	}
	diags.Append(st.Set(ctx, &m)...)
}

// saveAfterFailure stores the plan with its unknown computed values cleared, so that Terraform keeps
// track of what exists (marking it tainted when a create fails).
func (r *integrationResource) saveAfterFailure(ctx context.Context, st *tfsdk.State, plan integrationModel, diags *diag.Diagnostics) {
	if plan.TemplateID.IsUnknown() {
		plan.TemplateID = types.StringNull()
	}
	if plan.ComponentIDMap.IsUnknown() {
		plan.ComponentIDMap = types.MapNull(types.StringType)
	}
	if plan.InstanceCount.IsUnknown() {
		plan.InstanceCount = types.Int64Null()
	}
	if plan.LastRollout.IsUnknown() {
		plan.LastRollout = types.ObjectNull(rolloutAttrTypes)
	}
	diags.Append(st.Set(ctx, &plan)...)
}

func (r *integrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state integrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := operationContext(ctx, state.Timeouts.Delete, defaultIntegrationDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	what := fmt.Sprintf("Appmixer integration %q (%s)", state.Name.ValueString(), id)
	templates, err := r.pd.client.FindTemplates(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot delete "+what, err)
		return
	}
	instances := 0
	for _, t := range templates {
		n, err := r.pd.client.CountIntegrationInstances(ctx, t.ID)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot delete "+what, err)
			return
		}
		instances += n
	}
	if !state.ForceDestroy.ValueBool() {
		if published := publishedTemplate(templates); published != "" || instances > 0 {
			resp.Diagnostics.AddError("Cannot delete "+what+" without force_destroy", destroyRefusal(published, instances))
			return
		}
		for _, t := range templates {
			if err := r.pd.client.DeleteFlow(ctx, t.ID); err != nil && !appmixer.IsNotFound(err) {
				addAPIError(&resp.Diagnostics, "Cannot delete the template of "+what, err)
				return
			}
		}
		addDeleteError(&resp.Diagnostics, what, r.pd.client.DeleteFlow(ctx, id))
		return
	}
	targets := []string{id}
	if _, err := r.pd.client.GetFlow(ctx, id); appmixer.IsNotFound(err) {
		targets = nil // the draft is gone: each template goes with its instances
		for _, t := range templates {
			targets = append(targets, t.ID)
		}
	}
	for _, target := range targets {
		if err := r.deleteWhole(ctx, target, timeout); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot delete "+what+" with its instances", err)
			return
		}
	}
}

// deleteWhole is DELETE /integrations/{id}, waited for.
func (r *integrationResource) deleteWhole(ctx context.Context, id string, timeout time.Duration) error {
	ticket, err := r.pd.client.DeleteIntegration(ctx, id)
	if appmixer.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var st *appmixer.IntegrationStatus
	err = appmixer.Poll(ctx, func(ctx context.Context) (bool, error) {
		s, err := r.pd.client.GetIntegrationStatus(ctx, ticket)
		st = s
		return err == nil && (s.Completed() || s.Failed()), err
	})
	switch {
	case err != nil:
		return errors.New(timeoutHint(err, timeout, "delete"))
	case st.Failed():
		return fmt.Errorf("the server reports: %s (%d of %d steps done)", st.Error, st.StepsCompleted, st.StepsTotal)
	}
	return nil
}

// publishedTemplate is the id of a published (shared) template among templates, or "".
func publishedTemplate(templates []appmixer.Flow) string {
	for _, t := range templates {
		if len(t.SharedWith) > 0 {
			return t.ID
		}
	}
	return ""
}

// destroyRefusal says why a destroy without force_destroy is refused. A published template may have
// instances the provider's user cannot see: GET /flows shows a user its own and shared flows, and no
// source shows an admin listing its customers' (appmixer-api.md §7), so a count of 0 proves nothing.
func destroyRefusal(published string, visible int) string {
	why := fmt.Sprintf("The integration has %d instances the provider's user can see: end users' flows made from its template.", visible)
	if published != "" {
		why = fmt.Sprintf("Its template %s is published, so end users may have instances of it that the provider's user "+
			"cannot see (it sees %d): Appmixer shows a user, admins included, only their own and shared flows.", published, visible)
	}
	return why + " Deleting the integration would leave those instances behind, or with force_destroy delete them " +
		"(DELETE /integrations/{draft}). To delete it with every instance, set force_destroy = true, apply, and destroy " +
		"again; to keep customers' instances, unpublish it (shared_with = []) first and destroy once no instances remain."
}
