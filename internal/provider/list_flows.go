// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// The list resources of flows and integrations: both are flows on the server, told apart by type.

// NewFlowList lists the provider's user's plain flows (automations).
func NewFlowList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_flow",
		description: "The plain flows (automations) the provider's user owns, sorted by name: never integration drafts, " +
			"templates or end users' instances (those are `appmixer_integration`), nor flows only shared with the user. " +
			"With `include_resource`, each is the `appmixer_flow` an import by its id produces; account bindings are " +
			"then not managed (`accounts` is left out), as after `terraform import`.",
		keyAttr: "id",
		filters: map[string]listschema.Attribute{
			"pattern": stringFilter("Only flows the server's `pattern` search matches: a part of the name or the id."),
			"stage": listschema.StringAttribute{
				MarkdownDescription: "Only flows in this stage, `running` or `stopped`, read as the resource reads it " +
					"(`starting` is `running`; `stopping`, `paused` and `paused-by-user` are `stopped`).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(stageRunning, stageStopped)},
			},
			"custom_fields": listschema.MapAttribute{
				MarkdownDescription: "Only flows whose custom fields have all these values (sent as " +
					"`filter=customFields.<key>:<value>` and checked again by the provider).",
				ElementType: types.StringType,
				Optional:    true,
			},
		},
		list:     listFlows,
		imported: importByID,
	})()
}

func listFlows(ctx context.Context, pd *providerData, cfg tfsdk.Config, include bool) ([]listedObject, diag.Diagnostics) {
	var diags diag.Diagnostics
	var fields types.Map
	diags.Append(cfg.GetAttribute(ctx, path.Root("custom_fields"), &fields)...)
	flows := ownFlows(ctx, pd, flowSelection{pattern: filterValue(ctx, cfg, "pattern", &diags), stage: filterValue(ctx, cfg, "stage", &diags),
		fields: stringMap(fields), flowType: appmixer.FlowTypeAutomation}, include, &diags)
	if diags.HasError() {
		return nil, diags
	}
	out := make([]listedObject, 0, len(flows))
	for i := range flows {
		f := &flows[i]
		out = append(out, listedObject{display: f.Name, key: f.ID, state: fromImported(func(prior flowResourceModel, diags *diag.Diagnostics) flowResourceModel {
			m, err := flowFromAPI(ctx, f, prior)
			if err != nil {
				diags.AddError("Cannot read Appmixer flow "+f.ID, err.Error())
			}
			return m
		})})
	}
	return out, diags
}

// ownFlows lists the provider's user's flows that sel selects; without the resource, only what a
// result shows is asked for.
func ownFlows(ctx context.Context, pd *providerData, sel flowSelection, include bool, diags *diag.Diagnostics) []appmixer.Flow {
	if diags.HasError() {
		return nil
	}
	me, err := pd.me()
	if err != nil {
		addAPIError(diags, "Cannot read the provider's Appmixer user", err)
		return nil
	}
	sel.owner = me.ID
	flows, err := sel.list(ctx, pd.client, !include)
	if err != nil {
		addAPIError(diags, "Cannot list Appmixer flows", err)
	}
	return flows
}

// NewIntegrationList lists the provider's user's integrations, one result per draft.
func NewIntegrationList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_integration",
		description: "The integrations the provider's user owns, one result per draft (`type` `integration-draft`), " +
			"sorted by name. With `include_resource`, each is the `appmixer_integration` an import by the draft's id " +
			"produces: its published template, sharing and instance count, and the provider-only settings at their " +
			"defaults. End users' instances are never listed.",
		keyAttr: "id",
		filters: map[string]listschema.Attribute{
			"pattern": stringFilter("Only drafts the server's `pattern` search matches: a part of the name or the id."),
		},
		list:     listIntegrations,
		imported: importIntegration,
	})()
}

func listIntegrations(ctx context.Context, pd *providerData, cfg tfsdk.Config, include bool) ([]listedObject, diag.Diagnostics) {
	var diags diag.Diagnostics
	drafts := ownFlows(ctx, pd, flowSelection{pattern: filterValue(ctx, cfg, "pattern", &diags), flowType: appmixer.FlowTypeDraft}, include, &diags)
	if diags.HasError() {
		return nil, diags
	}
	var templates map[string][]appmixer.Flow
	var counts map[string]int
	if include && len(drafts) > 0 {
		var err error
		if templates, counts, err = templatesAndCounts(ctx, pd.client); err != nil {
			addAPIError(&diags, "Cannot list Appmixer integration templates and instances", err)
			return nil, diags
		}
	}
	out := make([]listedObject, 0, len(drafts))
	for i := range drafts {
		d := &drafts[i]
		out = append(out, listedObject{display: d.Name, key: d.ID, state: fromImported(func(prior integrationModel, diags *diag.Diagnostics) integrationModel {
			fl := integrationFlows{draft: d, template: pickTemplate(templates[d.ID])}
			if fl.template != nil {
				fl.instances = counts[fl.template.ID]
			}
			m, more := integrationFromAPI(ctx, prior, fl)
			diags.Append(more...)
			return m
		})})
	}
	return out, diags
}

// templatesAndCounts lists every integration template by its draft's id, in the server's order as
// FindTemplates returns them, and counts every template's instances from one listing of them.
func templatesAndCounts(ctx context.Context, c *appmixer.Client) (map[string][]appmixer.Flow, map[string]int, error) {
	all, err := c.ListAllFlows(ctx, appmixer.ListFlowsOptions{Filters: []string{"type:" + appmixer.FlowTypeTemplate}})
	if err != nil {
		return nil, nil, err
	}
	templates := map[string][]appmixer.Flow{}
	for _, t := range all {
		if t.Type == appmixer.FlowTypeTemplate {
			templates[t.OriginFlowID] = append(templates[t.OriginFlowID], t)
		}
	}
	instances, err := c.ListAllFlows(ctx, appmixer.ListFlowsOptions{Filters: []string{"type:" + appmixer.FlowTypeInstance},
		Projection: "flowId,originFlowId,type"})
	if err != nil {
		return nil, nil, err
	}
	counts := map[string]int{}
	for _, f := range instances {
		if f.Type == appmixer.FlowTypeInstance {
			counts[f.OriginFlowID]++
		}
	}
	return templates, counts, nil
}

// sortedByName sorts listed objects by display name, then key.
func sortedByName(out []listedObject) []listedObject {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].display != out[j].display {
			return out[i].display < out[j].display
		}
		return out[i].key < out[j].key
	})
	return out
}
