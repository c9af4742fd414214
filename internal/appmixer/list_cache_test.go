// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type cached struct{ id, v string }

// fakeList counts listings and single reads of a fixed set of objects.
type fakeList struct {
	lists, singles atomic.Int64
	items          []cached
	fail           bool
	gate           chan struct{} // when set, listing waits for it
}

func (f *fakeList) list(context.Context) ([]cached, error) {
	f.lists.Add(1)
	if f.gate != nil {
		<-f.gate
	}
	if f.fail {
		return nil, errors.New("403 Forbidden")
	}
	return f.items, nil
}

func (f *fakeList) single(_ context.Context, id string) (*cached, error) {
	f.singles.Add(1)
	for _, it := range f.items {
		if it.id == id {
			return &cached{id: id, v: "single"}, nil
		}
	}
	return nil, notFound("/x/"+id, "gone")
}

func newFakeCache(f *fakeList) *ListCache[cached] {
	return NewListCache(f.list, func(c cached) string { return c.id })
}

func TestListCacheListsOnceForConcurrentReads(t *testing.T) {
	f := &fakeList{items: []cached{{"a", "listed"}, {"b", "listed"}}, gate: make(chan struct{})}
	lc := newFakeCache(f)
	var wg sync.WaitGroup
	results := make([]string, 20)
	for i := range results {
		wg.Go(func() {
			it, err := lc.Get(context.Background(), []string{"a", "b"}[i%2], f.single)
			if err == nil {
				results[i] = it.v
			}
		})
	}
	close(f.gate)
	wg.Wait()
	for i, r := range results {
		if r != "listed" {
			t.Fatalf("read %d got %q", i, r)
		}
	}
	if f.lists.Load() != 1 || f.singles.Load() != 0 {
		t.Fatalf("%d listings and %d single reads, want 1 and 0", f.lists.Load(), f.singles.Load())
	}
}

func TestListCacheFallsBackToSingleReads(t *testing.T) {
	ctx := context.Background()
	f := &fakeList{items: []cached{{"a", "listed"}}}
	lc := newFakeCache(f)
	// Missing from the listing: the server's own answer decides (here a 404).
	if _, err := lc.Get(ctx, "gone", f.single); !IsNotFound(err) || f.singles.Load() != 1 {
		t.Fatalf("missing object: %v, %d single reads", err, f.singles.Load())
	}
	// Written by this process: never from the listing again.
	lc.Forget("a")
	if it, err := lc.Get(ctx, "a", f.single); err != nil || it.v != "single" {
		t.Fatalf("forgotten object: %+v %v", it, err)
	}
	// Without a single read, missing from a fresh listing is a 404, and a forgotten object lists again.
	if _, err := lc.Get(ctx, "gone", nil); !IsNotFound(err) {
		t.Fatalf("missing, no single read: %v", err)
	}
	before := f.lists.Load()
	if it, err := lc.Get(ctx, "a", nil); err != nil || it.v != "listed" || f.lists.Load() != before+1 {
		t.Fatalf("forgotten, no single read: %+v %v", it, err)
	}
	// An old listing is made again.
	lc.now = func() time.Time { return time.Now().Add(time.Hour) }
	lists := f.lists.Load()
	if _, err := lc.Get(ctx, "b", f.single); !IsNotFound(err) || f.lists.Load() != lists+1 {
		t.Fatalf("stale listing: %v, listings %d -> %d", err, lists, f.lists.Load())
	}
}

func TestListCacheFailedListingLeavesTheErrorToSingleReads(t *testing.T) {
	f := &fakeList{items: []cached{{"a", "x"}}, fail: true}
	lc := newFakeCache(f)
	for range 3 {
		if it, err := lc.Get(context.Background(), "a", f.single); err != nil || it.v != "single" {
			t.Fatalf("%+v %v", it, err)
		}
	}
	if f.lists.Load() != 1 {
		t.Fatalf("a failed listing is not tried again in the process: %d listings", f.lists.Load())
	}
	if _, err := lc.Get(context.Background(), "a", nil); err == nil || err.Error() != "403 Forbidden" {
		t.Fatalf("without single reads the listing's error is reported: %v", err)
	}
}
