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

// fakeInstances is a tenant's integration instances behind FlowSource, counting calls.
type fakeInstances struct {
	mu        sync.Mutex
	instances []Flow // listing order
	countErr  error
	counts    int // all-instance counts
	singles   int // per-template counts
	lists     int
}

func newFakeInstances(perTemplate map[string]int) *fakeInstances {
	f := &fakeInstances{}
	for _, tpl := range []string{"t1", "t2", "t3"} {
		for i := range perTemplate[tpl] {
			f.instances = append(f.instances, Flow{ID: fmt.Sprintf("%s-i%d", tpl, i), Type: FlowTypeInstance, OriginFlowID: tpl})
		}
	}
	return f
}

func (f *fakeInstances) CountFlowsDirect(_ context.Context, o ListFlowsOptions) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	origin := ""
	for _, flt := range o.Filters {
		if v, ok := strings.CutPrefix(flt, "originFlowId:"); ok {
			origin = v
		}
	}
	if origin == "" {
		f.counts++
		return len(f.instances), f.countErr
	}
	f.singles++
	n := 0
	for _, i := range f.instances {
		if i.OriginFlowID == origin {
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
	// Two single counts, then one count of all four instances and two pages of two.
	if src.singles != 2 || src.counts != 1 || src.lists != 2 {
		t.Fatalf("singles %d, counts %d, lists %d", src.singles, src.counts, src.lists)
	}
}

func TestInstanceCounterFallsBack(t *testing.T) {
	for name, tc := range map[string]struct {
		max      int
		countErr error
	}{
		"too many instances": {max: 3},
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
			if src.counts != 1 || src.lists != 0 || src.singles != 3 {
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
	if n, _ := ic.Count(ctxT(t), "t1"); n != 1 || src.singles != 1 || src.lists != 1 {
		t.Fatalf("after MaxAge: %d, singles %d, lists %d", n, src.singles, src.lists)
	}
}
