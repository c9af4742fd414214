// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// InstanceCounter batches the instance counts of appmixer_integration refreshes, as FlowReader
// batches flow reads: the first SingleReads counts ask GET /flows/count for their template; after
// that one GET /flows/count of all visible flows decides, and when there are at most MaxFlows, one
// listing of every flow (projected to its id, type and links) answers all later counts. A plan of
// many integrations then costs a few requests instead of one per integration. Above MaxInstances, or
// when counting or listing fails, counts are asked one by one. A listing older than MaxAge is dropped.
type InstanceCounter struct {
	src    FlowSource
	policy BatchPolicy
	now    func() time.Time

	listMu   sync.Mutex // serialises the listing, so that concurrent counts wait for one
	mu       sync.Mutex // guards the fields below
	reads    int
	mode     readMode
	counts   map[string]int // instances by template id, once listed
	listedAt time.Time
}

// NewInstanceCounter returns a counter over src; SingleReads, MaxFlows (here: instances), PageSize
// and MaxAge of policy apply.
func NewInstanceCounter(src FlowSource, policy BatchPolicy) *InstanceCounter {
	return &InstanceCounter{src: src, policy: policy, now: time.Now}
}

// Count returns how many instances the template has.
func (ic *InstanceCounter) Count(ctx context.Context, templateID string) (int, error) {
	ic.mu.Lock()
	ic.reads++
	if ic.mode == modeListed && ic.now().Sub(ic.listedAt) > ic.policy.MaxAge {
		ic.mode, ic.counts = modeOff, nil
	}
	listing := ic.mode == modeCounting && ic.reads > ic.policy.SingleReads
	ic.mu.Unlock()
	if listing {
		ic.listOnce(ctx)
	}
	ic.mu.Lock()
	n, listed := ic.counts[templateID], ic.mode == modeListed
	ic.mu.Unlock()
	if listed {
		return n, nil
	}
	return countLinked(ctx, ic.src.CountFlowsDirect, templateID)
}

// listOnce lists unless another count already did (or gave up).
func (ic *InstanceCounter) listOnce(ctx context.Context) {
	ic.listMu.Lock()
	defer ic.listMu.Unlock()
	ic.mu.Lock()
	todo := ic.mode == modeCounting
	ic.mu.Unlock()
	if !todo {
		return
	}
	counts := ic.list(ctx)
	ic.mu.Lock()
	defer ic.mu.Unlock()
	ic.mode, ic.counts, ic.listedAt = modeOff, counts, ic.now()
	if counts != nil {
		ic.mode = modeListed
	}
}

// list counts and, when that pays, lists every instance; nil when it does not.
func (ic *InstanceCounter) list(ctx context.Context) map[string]int {
	// Instances are found by their links whatever their type, so every visible flow is listed.
	all := ListFlowsOptions{}
	total, err := ic.src.CountFlowsDirect(ctx, all)
	if err != nil || total > ic.policy.MaxFlows {
		tflog.Debug(ctx, "integration refresh: counting instances one template at a time", map[string]any{"instances": total})
		return nil
	}
	if total == 0 {
		return map[string]int{}
	}
	instances, err := walkPages(ctx, pageWalk[Flow]{
		end: total, size: ic.policy.PageSize,
		fetch: func(ctx context.Context, limit, offset int) ([]Flow, error) {
			page := all
			page.Limit, page.Offset, page.Projection = limit, offset, "flowId,originFlowId,templateId,type"
			return ic.src.ListFlows(ctx, page)
		},
		key: func(f Flow) string { return f.ID },
	})
	if err != nil {
		tflog.Debug(ctx, "integration refresh: listing instances failed", map[string]any{"error": err.Error()})
		return nil
	}
	counts := map[string]int{}
	for _, f := range instances {
		if f.IsInstanceOf(f.TemplateID) {
			counts[f.TemplateID]++
		}
		if f.OriginFlowID != f.TemplateID && f.IsInstanceOf(f.OriginFlowID) {
			counts[f.OriginFlowID]++ // a flow linked to one template both ways counts once
		}
	}
	return counts
}
