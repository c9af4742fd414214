package provider

import (
	"context"
	"sync"
)

// sharedListing answers the Reads of every resource of one kind from one listing per provider
// process. Terraform refreshes each resource with its own Read, so N config keys or public files
// would cost N requests; their list routes (GET /config, GET /public-files) answer them all at once,
// and the API has no route that reads a single one anyway.
//
// Reads arriving while the listing is fetched wait for it. A failed listing is not kept: the next
// Read asks again and reports its own error. A write by this process (create, update, delete) drops
// the listing, so later Reads in the same process see the change.
type sharedListing[T any] struct {
	fetch func(ctx context.Context) (map[string]T, error)

	mu    sync.Mutex
	items map[string]T // nil until listed
}

func newSharedListing[T any](fetch func(ctx context.Context) (map[string]T, error)) *sharedListing[T] {
	return &sharedListing[T]{fetch: fetch}
}

// get returns the listed item under key and whether the listing has it.
func (l *sharedListing[T]) get(ctx context.Context, key string) (T, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.items == nil {
		items, err := l.fetch(ctx)
		if err != nil {
			var zero T
			return zero, false, err
		}
		if items == nil {
			items = map[string]T{}
		}
		l.items = items
	}
	v, ok := l.items[key]
	return v, ok, nil
}

// forget drops the listing after a write.
func (l *sharedListing[T]) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = nil
}
