// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// flowSelection is a filtered listing of flows, shared by the appmixer_flows data source and the
// appmixer_flow list resource. Empty fields select everything.
type flowSelection struct {
	pattern  string            // the server's pattern search: part of the name or the id
	stage    string            // running or stopped, as the resource reads stages
	fields   map[string]string // custom fields that must all have these values
	flowType string            // one of flowTypes
	owner    string            // the owner's user id
}

// ownedSummary is a flow summary with its owner, which the owner check needs.
const ownedSummary = "flowId,userId,name,type,stage,mtime,customFields"

// list pages through GET /flows with the filters the server understands and checks every filter
// again here, sorted by name and then id. summary asks only for what a flow's summary shows.
func (s flowSelection) list(ctx context.Context, c *appmixer.Client, summary bool) ([]appmixer.Flow, error) {
	opts := appmixer.ListFlowsOptions{Pattern: s.pattern, Summary: summary}
	if summary && s.owner != "" {
		opts.Projection = ownedSummary
	}
	for _, k := range sortedKeys(s.fields) {
		opts.Filters = append(opts.Filters, "customFields."+k+":"+s.fields[k])
	}
	// A plain flow may be stored without a type, which a server filter on "automation" would miss.
	if s.flowType != "" && s.flowType != appmixer.FlowTypeAutomation {
		opts.Filters = append(opts.Filters, "type:"+s.flowType)
	}
	if s.owner != "" {
		opts.Filters = append(opts.Filters, "userId:"+s.owner)
	}
	// The stage is filtered here only: the server's own filter would miss flows that are starting or paused.
	all, err := c.ListAllFlows(ctx, opts)
	if err != nil {
		return nil, err
	}
	flows := all[:0]
	for i := range all {
		f := &all[i]
		if (s.stage == "" || flowStageFromAPI(f.Stage) == s.stage) && hasCustomFields(f, s.fields) &&
			(s.flowType == "" || flowTypeOf(f) == s.flowType) && (s.owner == "" || f.UserID == s.owner) {
			flows = append(flows, *f)
		}
	}
	sort.SliceStable(flows, func(i, j int) bool {
		if flows[i].Name != flows[j].Name {
			return flows[i].Name < flows[j].Name
		}
		return flows[i].ID < flows[j].ID
	})
	return flows, nil
}

// hasCustomFields re-checks the filter, since a server may ignore it (the contract's filter is free-form).
func hasCustomFields(f *appmixer.Flow, want map[string]string) bool {
	for k, v := range want {
		got, ok := f.CustomFields[k]
		if !ok || customFieldString(got) != v {
			return false
		}
	}
	return true
}

// flowTypes are the values of a flow's type.
var flowTypes = []string{appmixer.FlowTypeAutomation, appmixer.FlowTypeDraft, appmixer.FlowTypeTemplate, appmixer.FlowTypeInstance}

// flowTypeOf is a flow's type; a real-API flow stored without one is an automation, and a flow in the
// contract's shape (recognisable by its missing userId) has none.
func flowTypeOf(f *appmixer.Flow) string {
	if f.Type == "" && f.UserID != "" {
		return appmixer.FlowTypeAutomation
	}
	return f.Type
}
