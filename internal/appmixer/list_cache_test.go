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

func (f *fakeList) list(ctx context.Context) ([]cached, error) {
	f.lists.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
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

// The listing is held until every caller has either started a listing of its own or is waiting for
// one, so the callers really overlap: a broken single-flight lists more than once on every run.
func TestListCacheListsOnceForConcurrentReads(t *testing.T) {
	const callers = 20
	f := &fakeList{items: []cached{{"a", "listed"}, {"b", "listed"}}, gate: make(chan struct{})}
	lc := newFakeCache(f)
	var wg sync.WaitGroup
	results := make([]string, callers)
	for i := range results {
		wg.Go(func() {
			it, err := lc.Get(context.Background(), []string{"a", "b"}[i%2], f.single)
			if err == nil {
				results[i] = it.v
			}
		})
	}
	waitUntil(t, "every caller listing or waiting for the listing", func() bool {
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return int(f.lists.Load())+lc.waiting == callers
	})
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

// waitUntil yields until cond holds; the deadline only ends a test that would otherwise hang.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never reached: %s", what)
		}
		time.Sleep(time.Millisecond)
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

// A failed listing sends its Get to the single read, which reports the server's own answer; the next
// Get lists once more, and after a second failure no Get lists again, not even one without a single
// read, which gets the listing's error.
func TestListCacheFailedListingLeavesTheErrorToSingleReads(t *testing.T) {
	f := &fakeList{items: []cached{{"a", "x"}}, fail: true}
	lc := newFakeCache(f)
	for range 3 {
		if it, err := lc.Get(context.Background(), "a", f.single); err != nil || it.v != "single" {
			t.Fatalf("%+v %v", it, err)
		}
	}
	if f.lists.Load() != listFailuresMax {
		t.Fatalf("a failing listing is tried %d times in the process, want %d", f.lists.Load(), listFailuresMax)
	}
	for range 3 {
		if _, err := lc.Get(context.Background(), "a", nil); err == nil || err.Error() != "403 Forbidden" {
			t.Fatalf("without single reads the listing's error is reported: %v", err)
		}
	}
	if f.lists.Load() != listFailuresMax {
		t.Fatalf("reads without a single read listed the whole kind again: %d listings", f.lists.Load())
	}
}

// A listing that fails once (a passing fault) is made again by the next Get, which the listing answers.
func TestListCacheRetriesAFailedListingOnce(t *testing.T) {
	f := &fakeList{items: []cached{{"a", "listed"}}, fail: true}
	lc := newFakeCache(f)
	if it, err := lc.Get(context.Background(), "a", f.single); err != nil || it.v != "single" {
		t.Fatalf("the failing listing's read: %+v %v", it, err)
	}
	f.fail = false
	for range 3 {
		if it, err := lc.Get(context.Background(), "a", f.single); err != nil || it.v != "listed" {
			t.Fatalf("after a passing fault: %+v %v", it, err)
		}
	}
	if f.lists.Load() != 2 || f.singles.Load() != 1 {
		t.Fatalf("%d listings and %d single reads, want 2 and 1", f.lists.Load(), f.singles.Load())
	}
}

// The Get that starts the listing may end (its Read cancelled or timed out) while others wait for the
// listing: the listing goes on for them.
func TestListCacheListingOutlivesTheFirstCaller(t *testing.T) {
	f := &fakeList{items: []cached{{"a", "listed"}}, gate: make(chan struct{})}
	lc := newFakeCache(f)
	first, cancel := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() {
		_, err := lc.Get(first, "a", func(ctx context.Context, id string) (*cached, error) { return nil, ctx.Err() })
		firstDone <- err
	}()
	waitUntil(t, "the first caller listing", func() bool { return f.lists.Load() == 1 })
	second := make(chan *cached, 1)
	go func() {
		it, _ := lc.Get(context.Background(), "a", f.single)
		second <- it
	}()
	waitUntil(t, "the second caller waiting", func() bool {
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return lc.waiting == 1
	})
	cancel()
	close(f.gate)
	<-firstDone
	if it := <-second; it == nil || it.v != "listed" || f.lists.Load() != 1 || f.singles.Load() != 0 {
		t.Fatalf("second caller got %+v after %d listings and %d single reads, want the listed object, 1 and 0", it, f.lists.Load(), f.singles.Load())
	}
}
