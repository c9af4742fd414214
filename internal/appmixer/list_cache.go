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
// The first Get lists; Gets arriving meanwhile wait for it. The listing runs on a context of its own,
// bounded by ListTimeout, so that the Read that happened to start it cannot cut it short for the others.
// An object the listing holds is answered from it. One it lacks, one this process has written (Forget),
// or any object while listing fails or once the listing is older than maxAge (then it lists again) goes
// to the single read, so a 404 still comes from the server and a failure to list (say, a 403) is
// reported by the read that follows, not hidden. A failed listing is tried once more, by a Get that
// comes after it; after a second failure the process stops listing this kind.
type ListCache[T any] struct {
	list    func(ctx context.Context) ([]T, error)
	key     func(T) string
	maxAge  time.Duration
	timeout time.Duration
	now     func() time.Time

	mu       sync.Mutex
	items    map[string]T
	listedAt time.Time
	failures int   // listings that failed; listFailuresMax stops listing
	err      error // the last listing's error
	written  map[string]bool
	flight   chan struct{} // closed when the listing in progress ends
	waiting  int           // Gets waiting for the listing in progress (tests watch it)
}

// ListTimeout bounds one listing of a ListCache.
const ListTimeout = 2 * time.Minute

// listFailuresMax is how many failed listings make a ListCache stop listing: a passing fault is
// retried once, a lasting one (no permission to list) costs no more than two listings.
const listFailuresMax = 2

// NewListCache caches what list returns, keyed by key.
func NewListCache[T any](list func(ctx context.Context) ([]T, error), key func(T) string) *ListCache[T] {
	return &ListCache[T]{list: list, key: key, maxAge: 5 * time.Minute, timeout: ListTimeout, now: time.Now, written: map[string]bool{}}
}

// Get returns object id from the listing, or from single when the listing cannot answer. A nil single
// (a kind without a route that reads one object) makes an object missing from a fresh listing a 404,
// and a failed listing that listing's error.
func (lc *ListCache[T]) Get(ctx context.Context, id string, single func(ctx context.Context, id string) (*T, error)) (*T, error) {
	item, ok, listed, err := lc.lookup(ctx, id)
	switch {
	case ok:
		return &item, nil
	case single != nil:
		return single(ctx, id)
	case listed:
		return nil, notFound("(listing)", "not in the listing")
	case err != nil:
		return nil, err
	}
	// Written by this process (or the wait was cut short): list afresh once more, uncached.
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
// listing was consulted, err that the listing this Get depends on failed.
func (lc *ListCache[T]) lookup(ctx context.Context, id string) (item T, ok, listed bool, err error) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for {
		if lc.written[id] {
			return item, false, false, nil
		}
		if lc.items != nil && lc.now().Sub(lc.listedAt) <= lc.maxAge {
			item, ok = lc.items[id]
			return item, ok, true, nil
		}
		if lc.failures >= listFailuresMax {
			return item, false, false, lc.err
		}
		if lc.flight == nil {
			break
		}
		done, failures := lc.flight, lc.failures
		lc.waiting++
		lc.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
		}
		lc.mu.Lock()
		lc.waiting--
		if ctx.Err() != nil {
			return item, false, false, nil
		}
		if lc.failures > failures {
			// The listing this Get waited for failed: it reads singly; a later Get lists again.
			return item, false, false, lc.err
		}
	}
	lc.flight = make(chan struct{})
	lc.mu.Unlock()
	items, err := lc.listOwn(ctx)
	lc.mu.Lock()
	close(lc.flight)
	lc.flight = nil
	if err != nil {
		lc.failures++
		lc.err = err
		return item, false, false, err
	}
	lc.items = make(map[string]T, len(items))
	for _, it := range items {
		lc.items[lc.key(it)] = it
	}
	lc.listedAt = lc.now()
	if lc.written[id] {
		return item, false, false, nil
	}
	item, ok = lc.items[id]
	return item, ok, true, nil
}

// listOwn lists on a context of its own: the values (logging) of the Get that starts it, not its end.
func (lc *ListCache[T]) listOwn(ctx context.Context) ([]T, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lc.timeout)
	defer cancel()
	return lc.list(ctx)
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
