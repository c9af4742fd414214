// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"sync"
	"time"
)

// ListCache answers the refresh of many objects of one kind from one listing per provider process, as
// FlowReader does for flows but without its rules: service configs, data stores and accounts are few
// enough per tenant that listing them all always costs about what one single read does.
//
// The first Get lists; Gets arriving meanwhile wait for it. An object the listing holds is answered
// from it. One it lacks, one this process has written (Forget), or any object once listing failed or
// the listing is older than maxAge (then it lists again) goes to the single read, so a 404 still comes
// from the server and a failure to list (say, a 403) is reported by the read that follows, not hidden.
type ListCache[T any] struct {
	list   func(ctx context.Context) ([]T, error)
	key    func(T) string
	maxAge time.Duration
	now    func() time.Time

	mu       sync.Mutex
	items    map[string]T
	listedAt time.Time
	failed   bool
	written  map[string]bool
	flight   chan struct{} // closed when the listing in progress ends
}

// NewListCache caches what list returns, keyed by key.
func NewListCache[T any](list func(ctx context.Context) ([]T, error), key func(T) string) *ListCache[T] {
	return &ListCache[T]{list: list, key: key, maxAge: 5 * time.Minute, now: time.Now, written: map[string]bool{}}
}

// Get returns object id from the listing, or from single when the listing cannot answer. A nil single
// (a kind without a route that reads one object) makes an object missing from a fresh listing a 404.
func (lc *ListCache[T]) Get(ctx context.Context, id string, single func(ctx context.Context, id string) (*T, error)) (*T, error) {
	item, ok, listed := lc.lookup(ctx, id)
	switch {
	case ok:
		return &item, nil
	case single != nil:
		return single(ctx, id)
	case listed:
		return nil, notFound("(listing)", "not in the listing")
	}
	// Neither a listing nor a single read: list afresh once more, uncached.
	items, err := lc.list(ctx)
	if err != nil {
		return nil, err
	}
	for i := range items {
		if lc.key(items[i]) == id {
			return &items[i], nil
		}
	}
	return nil, notFound("(listing)", "not in the listing")
}

// lookup finds id in the listing, listing first when there is none; listed reports that a fresh
// listing was consulted.
func (lc *ListCache[T]) lookup(ctx context.Context, id string) (item T, ok, listed bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for {
		if lc.written[id] || lc.failed {
			return item, false, false
		}
		if lc.items != nil && lc.now().Sub(lc.listedAt) <= lc.maxAge {
			item, ok = lc.items[id]
			return item, ok, true
		}
		if lc.flight == nil {
			break
		}
		done := lc.flight
		lc.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			lc.mu.Lock()
			return item, false, false
		}
		lc.mu.Lock()
	}
	lc.flight = make(chan struct{})
	lc.mu.Unlock()
	items, err := lc.list(ctx)
	lc.mu.Lock()
	close(lc.flight)
	lc.flight = nil
	if err != nil {
		lc.failed = true
		return item, false, false
	}
	lc.items = make(map[string]T, len(items))
	for _, it := range items {
		lc.items[lc.key(it)] = it
	}
	lc.listedAt = lc.now()
	if lc.written[id] {
		return item, false, false
	}
	item, ok = lc.items[id]
	return item, ok, true
}

// Written reports whether this process has written object id (called Forget for it).
func (lc *ListCache[T]) Written(id string) bool {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.written[id]
}

// Forget is called before each write of object id: it is never answered from a listing again.
func (lc *ListCache[T]) Forget(id string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.written[id] = true
	delete(lc.items, id)
}
