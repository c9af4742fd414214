// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeInstances is a tenant's visible flows behind FlowSource, counting calls. Its instances are
// linked to their template the three ways real clients make them (appmixer-api.md §7): templateId
// only (the SDK), originFlowId only (the CLI) and both (the staff recipe); a template and a plain
// flow are no instance of anything.
type fakeInstances struct {
	mu        sync.Mutex
	instances []Flow // listing order
	countErr  error
	counts    int // counts of every flow
	singles   int // counts with a link filter
	lists     int
}

func newFakeInstances(perTemplate map[string]int) *fakeInstances {
	f := &fakeInstances{instances: []Flow{
		{ID: "tpl", Type: FlowTypeTemplate, OriginFlowID: "draft"},
		{ID: "plain", Type: FlowTypeAutomation},
	}}
	for _, tpl := range []string{"t1", "t2", "t3"} {
		for i := range perTemplate[tpl] {
			inst := Flow{ID: fmt.Sprintf("%s-i%d", tpl, i), Type: FlowTypeInstance}
			switch i % 3 {
			case 0:
				inst.TemplateID, inst.Type = tpl, "custom-integration-instance"
			case 1:
				inst.OriginFlowID = tpl
			default:
				inst.TemplateID, inst.OriginFlowID = tpl, tpl
			}
			f.instances = append(f.instances, inst)
		}
	}
	return f
}

func (f *fakeInstances) CountFlowsDirect(_ context.Context, o ListFlowsOptions) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(o.Filters) == 0 {
		f.counts++
		return len(f.instances), f.countErr
	}
	f.singles++
	n := 0
	for _, i := range f.instances {
		match := true
		for _, flt := range o.Filters { // ANDed, as Appmixer does
			key, val, _ := strings.Cut(flt, ":")
			match = match && map[string]string{"templateId": i.TemplateID, "originFlowId": i.OriginFlowID}[key] == val
		}
		if match {
			n++
		}
	}
	return n, nil
}

func (f *fakeInstances) ListFlows(_ context.Context, o ListFlowsOptions) ([]Flow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	end := min(o.Offset+o.Limit, len(f.instances))
	return append([]Flow(nil), f.instances[min(o.Offset, end):end]...), nil
}

func (f *fakeInstances) GetFlow(context.Context, string) (*Flow, error) {
	return nil, errors.New("not used")
}

func TestInstanceCounterBatches(t *testing.T) {
	src := newFakeInstances(map[string]int{"t1": 3, "t2": 1})
	ic := NewInstanceCounter(src, BatchPolicy{SingleReads: 2, MaxFlows: 100, PageSize: 2, MaxAge: time.Hour})
	want := map[string]int{"t1": 3, "t2": 1, "t3": 0}
	for _, tpl := range []string{"t1", "t2", "t3", "t1", "t2", "t3"} {
		n, err := ic.Count(ctxT(t), tpl)
		if err != nil || n != want[tpl] {
			t.Fatalf("Count(%s) = %d, %v; want %d", tpl, n, err, want[tpl])
		}
	}
	// Two single counts (three requests each), then one count of all six flows and three pages of two.
	if src.singles != 6 || src.counts != 1 || src.lists != 3 {
		t.Fatalf("singles %d, counts %d, lists %d", src.singles, src.counts, src.lists)
	}
}

func TestInstanceCounterFallsBack(t *testing.T) {
	for name, tc := range map[string]struct {
		max      int
		countErr error
	}{
		"too many instances": {max: 5},
		"count fails":        {max: 100, countErr: errors.New("no count route")},
	} {
		t.Run(name, func(t *testing.T) {
			src := newFakeInstances(map[string]int{"t1": 3, "t2": 1})
			src.countErr = tc.countErr
			ic := NewInstanceCounter(src, BatchPolicy{SingleReads: 0, MaxFlows: tc.max, PageSize: 2, MaxAge: time.Hour})
			for range 3 {
				if n, err := ic.Count(ctxT(t), "t1"); err != nil || n != 3 {
					t.Fatalf("Count = %d, %v", n, err)
				}
			}
			if src.counts != 1 || src.lists != 0 || src.singles != 9 {
				t.Fatalf("counts %d, lists %d, singles %d", src.counts, src.lists, src.singles)
			}
		})
	}
}

func TestInstanceCounterExpires(t *testing.T) {
	src := newFakeInstances(map[string]int{"t1": 1})
	ic := NewInstanceCounter(src, BatchPolicy{SingleReads: 0, MaxFlows: 100, PageSize: 10, MaxAge: time.Minute})
	now := time.Now()
	ic.now = func() time.Time { return now }
	if n, _ := ic.Count(ctxT(t), "t1"); n != 1 || src.lists != 1 {
		t.Fatalf("first count %d, lists %d", n, src.lists)
	}
	now = now.Add(2 * time.Minute)
	if n, _ := ic.Count(ctxT(t), "t1"); n != 1 || src.singles != 3 || src.lists != 1 {
		t.Fatalf("after MaxAge: %d, singles %d, lists %d", n, src.singles, src.lists)
	}
}
