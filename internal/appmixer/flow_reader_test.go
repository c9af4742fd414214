// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeFlows is a tenant of flows behind the FlowSource interface, counting calls.
type fakeFlows struct {
	mu       sync.Mutex
	ids      []string // listing order
	names    map[string]string
	pageCap  int   // the most flows one page returns; 0 = no cap
	countErr error // answer of the count, when set
	counts   int
	lists    int
	gets     int
	queries  []ListFlowsOptions
}

func newFakeFlows(n int) *fakeFlows {
	f := &fakeFlows{names: map[string]string{}}
	for i := range n {
		f.add(fmt.Sprintf("f%04d", i))
	}
	return f
}

func (f *fakeFlows) add(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ids = append(f.ids, id)
	f.names[id] = "name of " + id
}

func (f *fakeFlows) rename(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names[id] = name
}

func (f *fakeFlows) CountFlowsDirect(context.Context, ListFlowsOptions) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts++
	return len(f.ids), f.countErr
}

func (f *fakeFlows) ListFlows(_ context.Context, opts ListFlowsOptions) ([]Flow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	f.queries = append(f.queries, opts)
	limit := opts.Limit
	if f.pageCap > 0 && limit > f.pageCap {
		limit = f.pageCap
	}
	var out []Flow
	for i := opts.Offset; i < len(f.ids) && len(out) < limit; i++ {
		out = append(out, Flow{ID: f.ids[i], Name: f.names[f.ids[i]]})
	}
	return out, nil
}

func (f *fakeFlows) GetFlow(_ context.Context, id string) (*Flow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if _, ok := f.names[id]; !ok {
		return nil, &Error{StatusCode: 404, ErrorText: "Not Found", Message: "Flow not found."}
	}
	return &Flow{ID: id, Name: f.names[id]}, nil
}

func (f *fakeFlows) calls() (counts, lists, gets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts, f.lists, f.gets
}

// readAll reads ids concurrently, as Terraform's walk does, and checks each answer.
func readAll(t *testing.T, fr *FlowReader, ids []string, parallel int) {
	t.Helper()
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			f, err := fr.Get(context.Background(), id)
			switch {
			case err != nil:
				errs <- fmt.Errorf("Get(%s): %w", id, err)
			case f.ID != id:
				errs <- fmt.Errorf("Get(%s) returned flow %s", id, f.ID)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func firstIDs(f *fakeFlows, n int) []string { return append([]string(nil), f.ids[:n]...) }

func expectCalls(t *testing.T, f *fakeFlows, counts, lists, gets int) {
	t.Helper()
	if c, l, g := f.calls(); c != counts || l != lists || g != gets {
		t.Fatalf("calls: %d counts, %d lists, %d gets; want %d, %d, %d", c, l, g, counts, lists, gets)
	}
}

func TestFlowReaderFewReadsStaySingle(t *testing.T) {
	src := newFakeFlows(500)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, firstIDs(src, 2), 10)
	expectCalls(t, src, 0, 0, 2)
}

// 1000 flows, all managed: 2 single reads, one count, ten pages, and nothing else.
func TestFlowReaderListsSmallTenant(t *testing.T) {
	src := newFakeFlows(1000)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, firstIDs(src, 1000), 10)
	expectCalls(t, src, 1, 10, 2)
	for _, q := range src.queries {
		if q.Projection != batchProjection || q.Limit != 100 || q.Offset%100 != 0 {
			t.Fatalf("page query %+v", q)
		}
	}
}

// 10 managed flows beside 2000 others: never listed.
func TestFlowReaderSmallConfigOnLargeTenant(t *testing.T) {
	src := newFakeFlows(2010)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, src.ids[2000:], 10)
	expectCalls(t, src, 1, 0, 10)
}

// 300 managed flows among 2500: single reads until they cost as much as the 25 pages, then the listing.
func TestFlowReaderRentOrBuy(t *testing.T) {
	src := newFakeFlows(2500)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, src.ids[2200:], 1)
	expectCalls(t, src, 1, 25, 25)
}

// With the tenant's size recorded in private state, the small configuration needs no count: a login
// and one read per flow.
func TestFlowReaderHintSparesTheCount(t *testing.T) {
	src := newFakeFlows(2010)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	fr.NoteTenantSize(2010)
	readAll(t, fr, src.ids[2000:], 10)
	expectCalls(t, src, 0, 0, 10)
	if fr.TenantSize() != 0 {
		t.Fatalf("a hint is not a count: tenantSize %d", fr.TenantSize())
	}

	// Once single reads cost as much as the listing would, the size is counted before listing: the
	// tenant has grown since the hint (2500 now), and the listing must reach its end.
	src = newFakeFlows(2500)
	fr = NewFlowReader(src, DefaultBatchPolicy())
	fr.NoteTenantSize(2010)
	readAll(t, fr, src.ids[2200:], 1)
	expectCalls(t, src, 1, 25, 25)
	if fr.TenantSize() != 2500 {
		t.Fatalf("tenantSize %d after counting, want 2500", fr.TenantSize())
	}

	// A hint above the listing bound turns batching off without a request.
	src = newFakeFlows(6000)
	fr = NewFlowReader(src, DefaultBatchPolicy())
	fr.NoteTenantSize(6000)
	readAll(t, fr, firstIDs(src, 50), 10)
	expectCalls(t, src, 0, 0, 50)

	// A small recorded size changes nothing: the count still decides (and is fresh).
	src = newFakeFlows(1000)
	fr = NewFlowReader(src, DefaultBatchPolicy())
	fr.NoteTenantSize(300)
	readAll(t, fr, firstIDs(src, 1000), 10)
	expectCalls(t, src, 1, 10, 2)
}

// Apply records the size with one count per process, however many flows it creates.
func TestFlowReaderCountOnce(t *testing.T) {
	src := newFakeFlows(42)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if n := fr.CountOnce(context.Background()); n != 42 {
				t.Errorf("countOnce = %d, want 42", n)
			}
		})
	}
	wg.Wait()
	expectCalls(t, src, 1, 0, 0)

	failing := newFakeFlows(3)
	failing.countErr = errors.New("no count route")
	fr = NewFlowReader(failing, DefaultBatchPolicy())
	// Asked twice: the failure is remembered, not retried.
	for range 2 {
		if n := fr.CountOnce(context.Background()); n != 0 {
			t.Fatalf("a failed count gave size %d, want none", n)
		}
	}
	expectCalls(t, failing, 1, 0, 0)
}

// batch_refresh = false: every Read is a single GET, and neither a Read nor an apply counts.
func TestFlowReaderDisabled(t *testing.T) {
	src := newFakeFlows(300)
	policy := DefaultBatchPolicy()
	policy.Disabled = true
	fr := NewFlowReader(src, policy)
	fr.NoteTenantSize(300)
	readAll(t, fr, firstIDs(src, 300), 10)
	if n := fr.CountOnce(context.Background()); n != 0 {
		t.Fatalf("CountOnce = %d with batching off, want 0", n)
	}
	expectCalls(t, src, 0, 0, 300)
}

func TestFlowReaderNeverListsHugeTenant(t *testing.T) {
	src := newFakeFlows(6000)
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, firstIDs(src, 200), 10)
	expectCalls(t, src, 1, 0, 200)
}

// A server capping pages at 30 flows must not leave the listing short.
func TestFlowReaderPageCap(t *testing.T) {
	src := newFakeFlows(250)
	src.pageCap = 30
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, firstIDs(src, 250), 10)
	// Each 100-flow range takes four pages (30+30+30+10), the last 50-flow range two.
	expectCalls(t, src, 1, 4+4+2, 2)
}

// A server that cannot count is asked twice (a passing fault is retried once), then never again.
func TestFlowReaderCountFailureReadsSingly(t *testing.T) {
	src := newFakeFlows(50)
	src.countErr = errors.New("GET /flows/count: 404 Not Found")
	fr := NewFlowReader(src, DefaultBatchPolicy())
	readAll(t, fr, firstIDs(src, 50), 10)
	expectCalls(t, src, 2, 0, 50)
}

// A count that fails once sends its Read to a single GET; a later Read counts again and lists.
func TestFlowReaderRetriesAFailedCountOnce(t *testing.T) {
	src := newFakeFlows(10)
	src.countErr = errors.New("502 Bad Gateway")
	fr := NewFlowReader(src, BatchPolicy{SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 100, Concurrency: 1, MaxAge: time.Hour})
	readAll(t, fr, firstIDs(src, 1), 1)
	expectCalls(t, src, 1, 0, 1)
	src.mu.Lock()
	src.countErr = nil
	src.mu.Unlock()
	readAll(t, fr, []string{"f0001", "f0002", "f0003"}, 1)
	expectCalls(t, src, 2, 1, 1)
}

// The Read that starts the listing may be cancelled while others wait for it: the listing goes on
// and answers them.
func TestFlowReaderListingOutlivesTheFirstRead(t *testing.T) {
	src := newFakeFlows(10)
	fr := NewFlowReader(src, BatchPolicy{SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 100, Concurrency: 1, MaxAge: time.Hour})
	blocking := &blockingFlows{fakeFlows: src, release: make(chan struct{}), listing: make(chan struct{})}
	fr.src = blocking
	ctx, cancel := context.WithCancel(context.Background())
	leader := make(chan struct{})
	go func() {
		defer close(leader)
		_, _ = fr.Get(ctx, "f0000")
	}()
	<-blocking.listing
	waiter := make(chan error, 1)
	go func() {
		_, err := fr.Get(context.Background(), "f0001")
		waiter <- err
	}()
	cancel()
	close(blocking.release)
	<-leader
	if err := <-waiter; err != nil {
		t.Fatal(err)
	}
	expectCalls(t, src, 1, 1, 0)
}

// A flow missing from the listing is read singly, so a deleted flow is still a 404 and a flow created
// after the listing is still found.
func TestFlowReaderFallsBackOutsideListing(t *testing.T) {
	src := newFakeFlows(20)
	fr := NewFlowReader(src, BatchPolicy{SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 10, Concurrency: 2, MaxAge: time.Hour})
	readAll(t, fr, firstIDs(src, 1), 1)
	expectCalls(t, src, 1, 2, 0)
	src.add("late")
	readAll(t, fr, []string{"late"}, 1)
	if _, err := fr.Get(context.Background(), "gone"); !IsNotFound(err) {
		t.Fatalf("Get(gone) = %v, want a 404", err)
	}
	expectCalls(t, src, 1, 2, 2)
}

// Listed data is handed out once, never for a flow this process wrote, and not after maxAge.
func TestFlowReaderFreshness(t *testing.T) {
	src := newFakeFlows(30)
	now := time.Unix(1000, 0)
	fr := NewFlowReader(src, BatchPolicy{SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 100, Concurrency: 1, MaxAge: time.Minute})
	fr.now = func() time.Time { return now }
	get := func(id string) *Flow {
		t.Helper()
		f, err := fr.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	get("f0000")
	expectCalls(t, src, 1, 1, 0)

	// Read again after a change (as after an Update): asked again, not the listed copy.
	src.rename("f0000", "renamed")
	if f := get("f0000"); f.Name != "renamed" {
		t.Fatalf("second read got %q", f.Name)
	}
	// Written by this process before its first read: the listed copy is stale.
	fr.Forget("f0001")
	src.rename("f0001", "updated")
	if f := get("f0001"); f.Name != "updated" {
		t.Fatalf("read after a write got %q", f.Name)
	}
	expectCalls(t, src, 1, 1, 2)
	get("f0002")
	expectCalls(t, src, 1, 1, 2)

	now = now.Add(2 * time.Minute)
	src.rename("f0003", "later")
	if f := get("f0003"); f.Name != "later" {
		t.Fatalf("read after maxAge got %q", f.Name)
	}
	expectCalls(t, src, 1, 1, 3)
}

// A write racing with the listing must not let the listing's copy through.
func TestFlowReaderWriteDuringListing(t *testing.T) {
	src := newFakeFlows(10)
	fr := NewFlowReader(src, BatchPolicy{SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 100, Concurrency: 1, MaxAge: time.Hour})
	blocking := &blockingFlows{fakeFlows: src, release: make(chan struct{}), listing: make(chan struct{})}
	fr.src = blocking
	done := make(chan error, 1)
	go func() {
		_, err := fr.Get(context.Background(), "f0000")
		done <- err
	}()
	<-blocking.listing
	fr.Forget("f0005")
	src.rename("f0005", "updated")
	close(blocking.release)
	if err := <-done; err != nil {
		t.Fatalf("the listing Read failed: %v", err)
	}
	if f, err := fr.Get(context.Background(), "f0005"); err != nil || f.Name != "updated" {
		t.Fatalf("Get = %+v, %v", f, err)
	}
}

// blockingFlows holds the first page until released.
type blockingFlows struct {
	*fakeFlows
	once    sync.Once
	listing chan struct{}
	release chan struct{}
}

func (b *blockingFlows) ListFlows(ctx context.Context, opts ListFlowsOptions) ([]Flow, error) {
	page, err := b.fakeFlows.ListFlows(ctx, opts)
	b.once.Do(func() { close(b.listing) })
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return page, err
}

// A Read waiting for another's listing gives up with its own context.
func TestFlowReaderWaiterCancelled(t *testing.T) {
	src := newFakeFlows(10)
	fr := NewFlowReader(src, BatchPolicy{SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 100, Concurrency: 1, MaxAge: time.Hour})
	blocking := &blockingFlows{fakeFlows: src, release: make(chan struct{}), listing: make(chan struct{})}
	fr.src = blocking
	leader := make(chan error, 1)
	go func() {
		_, err := fr.Get(context.Background(), "f0000")
		leader <- err
	}()
	<-blocking.listing
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fr.Get(ctx, "f0001"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(blocking.release)
	// The waiter's cancellation must not fail the Read that was listing.
	if err := <-leader; err != nil {
		t.Fatalf("the listing Read failed: %v", err)
	}
}
