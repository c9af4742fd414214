// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// FlowReader batches the refresh of appmixer_flow resources.
//
// Terraform refreshes each resource with its own Read call, so a plan of N flows would cost N
// requests of GET /flows/{id}; against a real tenant (50-150 ms away, rate-limited) that is what
// users wait for. A FlowReader, one per provider process (per Configure), can instead answer the
// Reads from one paged GET /flows. Whether that pays depends on numbers the provider cannot know
// up front: how many flows this process will read (Terraform does not say) and how many the
// tenant holds (the listing downloads all of them). The rule:
//
//  1. The first BatchPolicy.SingleReads Reads (2) are single GETs: a configuration of one or two
//     flows, an import, or an apply that reads back a flow never pays more than before.
//  2. The next Read asks GET /flows/count (T flows; Reads arriving meanwhile wait for the outcome).
//  3. T <= EagerMaxFlows (1000, ten pages): list now. The listing costs ceil(T/100) requests,
//     fetched a few pages at a time, and serves every later Read; that is how a no-change plan of
//     1000 flows stays at 1 login + 2 + 1 count + 10 pages = 14 requests.
//  4. EagerMaxFlows < T <= MaxFlows (5000): keep reading singly, and list once the single reads
//     already made cost as much as the listing (ceil(T/100) requests): the rent-or-buy rule, which
//     never spends more than about twice what the cheaper choice would have. A small configuration
//     on a tenant with thousands of other flows thus never downloads them (10 flows beside 2000
//     others: 10 reads + 1 count), while a large one still switches to the listing early.
//  5. T > MaxFlows: never list; the download and the memory to hold it would be out of proportion.
//
// The count itself is one request that serves no Read when listing does not pay, which would make
// a small configuration on a big tenant cost N + 2. So each flow keeps the tenant's size in its
// private state (the provider's flow_private.go), written at apply time and by refreshes that counted or listed.
// When a Read brings a size above EagerMaxFlows, rule 2 uses it instead of asking: the plan stays at
// a login and one read per flow, and the count is asked only once listing pays (rule 4).
//
// Whatever the listing lacks (a flow created after it, not visible to the user, deleted by hand)
// falls back to GET /flows/{id}, so a 404 still removes the flow from state. A count or listing that
// fails sends the Reads that waited for it to single reads, which report real errors; a later Read
// tries once more, and a second failure switches batching off. The count and the listing run on a
// context of their own (bounded by ListTimeout), so the Read that started them cannot cut them short.
//
// Freshness: a listed flow is handed out once and dropped, so a second Read of the same flow in a
// process (say, after an Update) asks the server. A flow this process writes (create, update,
// start, stop, delete: see Config.FlowWritten) is never served from the listing again,
// and a listing older than MaxAge is discarded. Create and Update read their result back with a
// direct GET, never through here.
type FlowReader struct {
	src    FlowSource
	policy BatchPolicy
	now    func() time.Time

	mu      sync.Mutex
	mode    readMode
	reads   int  // Reads asked so far
	singles int  // single GETs made
	total   int  // the tenant's flow count, once asked (or taken from a hint)
	counted bool // total came from GET /flows/count in this process
	hint    int  // the tenant's size as recorded in a Read's private state, 0 when none
	failed  int  // counts or listings that failed; listFailuresMax switches batching off

	countMu     sync.Mutex // serialises countOnce
	countFailed bool       // countOnce found that the server cannot count
	cache       map[string]*Flow
	listedAt    time.Time
	written     map[string]bool
	flight      chan struct{} // closed when the count or listing in progress ends
}

// FlowSource is what the reader needs of the client; tests pass a fake.
type FlowSource interface {
	CountFlowsDirect(ctx context.Context, opts ListFlowsOptions) (int, error)
	ListFlows(ctx context.Context, opts ListFlowsOptions) ([]Flow, error)
	GetFlow(ctx context.Context, id string) (*Flow, error)
}

// BatchPolicy holds the numbers of the rule above.
type BatchPolicy struct {
	SingleReads   int           // Reads served singly before the count is asked
	EagerMaxFlows int           // list at once up to this many flows
	MaxFlows      int           // never list above this many flows
	PageSize      int           // flows per GET /flows
	Concurrency   int           // pages fetched at a time
	MaxAge        time.Duration // a listing older than this is discarded
	// Disabled reads every flow singly and never counts or lists (provider setting batch_refresh = false).
	Disabled bool
}

// DefaultBatchPolicy is the rule described on FlowReader with the numbers BENCHMARKS.md measured.
func DefaultBatchPolicy() BatchPolicy {
	return BatchPolicy{SingleReads: 2, EagerMaxFlows: 1000, MaxFlows: 5000, PageSize: 100, Concurrency: 4, MaxAge: 5 * time.Minute}
}

type readMode int

const (
	modeCounting readMode = iota // the count has not been asked yet
	modeSingle                   // counted, too many flows to list at once: single reads, rent-or-buy
	modeListed                   // the listing is in cache
	modeOff                      // batching is off for the rest of the process
)

// batchProjection leaves out what the flow resource never reads and can be large: the thumbnail
// image and the engine's runtime errors.
const batchProjection = "-thumbnail,-runtimeErrors"

// NewFlowReader returns a reader of src's flows; one serves a whole provider process.
func NewFlowReader(src FlowSource, policy BatchPolicy) *FlowReader {
	fr := &FlowReader{src: src, policy: policy, now: time.Now, written: map[string]bool{}}
	if policy.Disabled {
		fr.mode = modeOff
	}
	return fr
}

// Forget is the client's FlowWritten hook: id is never served from the listing again.
func (fr *FlowReader) Forget(id string) {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	fr.written[id] = true
	delete(fr.cache, id)
}

// Get returns flow id like client.GetFlow, from the listing when the rule above allows.
func (fr *FlowReader) Get(ctx context.Context, id string) (*Flow, error) {
	fr.mu.Lock()
	fr.reads++
	for {
		if f := fr.take(id); f != nil {
			fr.mu.Unlock()
			return f, nil
		}
		if fr.flight != nil {
			// Another Read is counting or listing; its outcome may answer this one too.
			done, failed := fr.flight, fr.failed
			fr.mu.Unlock()
			select {
			case <-done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			fr.mu.Lock()
			if fr.failed > failed {
				return fr.single(ctx, id) // it failed: a later Read tries again
			}
			continue
		}
		count, list := fr.next()
		if !count && !list {
			return fr.single(ctx, id)
		}
		fr.flight = make(chan struct{})
		fr.mu.Unlock()
		ok := fr.fetchOwn(ctx, count)
		fr.mu.Lock()
		close(fr.flight)
		fr.flight = nil
		if !ok {
			return fr.single(ctx, id)
		}
	}
}

// single reads flow id by itself. Called with mu held, which it releases.
func (fr *FlowReader) single(ctx context.Context, id string) (*Flow, error) {
	fr.singles++
	fr.mu.Unlock()
	return fr.src.GetFlow(ctx, id)
}

// fetchOwn is fetch on a context of its own: the values (logging) of the Read that starts it, not its end.
func (fr *FlowReader) fetchOwn(ctx context.Context, count bool) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ListTimeout)
	defer cancel()
	return fr.fetch(ctx, count)
}

// take hands out and drops a listed flow; nil when it must be read singly. Called with mu held.
func (fr *FlowReader) take(id string) *Flow {
	if fr.mode != modeListed || fr.written[id] {
		return nil
	}
	if fr.now().Sub(fr.listedAt) > fr.policy.MaxAge {
		fr.cache, fr.mode = nil, modeOff
		return nil
	}
	f := fr.cache[id]
	delete(fr.cache, id)
	return f
}

// NoteTenantSize records the tenant size a Read found in its flow's private state.
func (fr *FlowReader) NoteTenantSize(flows int) {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if flows > 0 {
		fr.hint = flows
	}
}

// TenantSize is the tenant's flow count as this process knows it from counting or listing; 0 when
// it has neither.
func (fr *FlowReader) TenantSize() int {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if !fr.counted {
		return 0
	}
	return fr.total
}

// CountOnce returns the tenant's flow count, asking the server at most once per process; apply uses
// it to record the hint. 0 when the server cannot count.
func (fr *FlowReader) CountOnce(ctx context.Context) int {
	if fr.policy.Disabled {
		return 0 // the size only serves batching
	}
	// Parallel creates wait for one count rather than each asking.
	fr.countMu.Lock()
	defer fr.countMu.Unlock()
	if n := fr.TenantSize(); n > 0 || fr.countFailed {
		return n
	}
	n, err := fr.src.CountFlowsDirect(ctx, ListFlowsOptions{})
	if err != nil {
		fr.countFailed = true
		return 0
	}
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if !fr.counted {
		fr.total, fr.counted = n, true
	}
	return n
}

// next decides whether this Read counts or lists first; neither means a single read. Called with
// mu held.
func (fr *FlowReader) next() (count, list bool) {
	switch fr.mode {
	case modeCounting:
		if fr.reads <= fr.policy.SingleReads {
			return false, false
		}
		if fr.hint > fr.policy.EagerMaxFlows {
			// A big tenant, as recorded: read singly without asking (rule 2 with a hint).
			fr.total = fr.hint
			if fr.hint > fr.policy.MaxFlows {
				fr.mode = modeOff
				return false, false
			}
			fr.mode = modeSingle
			return false, fr.singles >= fr.pages(fr.total)
		}
		return true, false
	case modeSingle:
		if fr.singles >= fr.pages(fr.total) {
			// Listing pays; a size taken from a hint is checked first, since the listing stops there.
			return !fr.counted, true
		}
	}
	return false, false
}

func (fr *FlowReader) pages(flows int) int {
	return (flows + fr.policy.PageSize - 1) / fr.policy.PageSize
}

// fetch counts (when asked to) and lists when the rule says so, then records the outcome; false when
// the count or the listing failed. It runs without mu, while other Reads wait for fr.flight.
func (fr *FlowReader) fetch(ctx context.Context, count bool) bool {
	fr.mu.Lock()
	total := fr.total
	fr.mu.Unlock()
	if count {
		n, err := fr.src.CountFlowsDirect(ctx, ListFlowsOptions{})
		if err != nil {
			tflog.Debug(ctx, "flow refresh: cannot count the flows, reading them one by one", map[string]any{"error": err.Error()})
			fr.fail()
			return false
		}
		total = n
		fr.mu.Lock()
		fr.total, fr.counted = n, true
		fr.mu.Unlock()
		switch {
		case n > fr.policy.MaxFlows:
			tflog.Debug(ctx, "flow refresh: too many flows to list, reading them one by one", map[string]any{"flows": n})
			fr.setMode(modeOff)
			return true
		case n > fr.policy.EagerMaxFlows:
			tflog.Debug(ctx, "flow refresh: reading flows one by one until listing pays", map[string]any{"flows": n, "pages": fr.pages(n)})
			fr.setMode(modeSingle)
			return true
		}
	}
	cache, err := fr.listAll(ctx, total)
	if err != nil {
		tflog.Debug(ctx, "flow refresh: listing the flows failed, reading them one by one", map[string]any{"error": err.Error()})
		fr.fail()
		return false
	}
	tflog.Debug(ctx, "flow refresh: listed the flows", map[string]any{"flows": len(cache), "pages": fr.pages(total)})
	fr.mu.Lock()
	defer fr.mu.Unlock()
	for id := range fr.written {
		delete(cache, id)
	}
	fr.cache, fr.listedAt, fr.mode = cache, fr.now(), modeListed
	return true
}

// fail records a failed count or listing; the second switches batching off.
func (fr *FlowReader) fail() {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if fr.failed++; fr.failed >= listFailuresMax {
		fr.mode = modeOff
	}
}

func (fr *FlowReader) setMode(m readMode) {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	fr.mode = m
}

// listAll lists the tenant's total flows, one page per range of positions, a few at a time.
func (fr *FlowReader) listAll(ctx context.Context, total int) (map[string]*Flow, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
		sem      = make(chan struct{}, max(fr.policy.Concurrency, 1))
		out      = make(map[string]*Flow, total)
	)
	for start := 0; start < total; start += fr.policy.PageSize {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				return
			}
			flows, err := fr.listRange(ctx, start, start+fr.policy.PageSize, total)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			for i := range flows {
				if flows[i].ID != "" {
					out[flows[i].ID] = &flows[i]
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return out, firstErr
}

// listRange lists the flows at positions [start, end) of the tenant's total; walkPages asks again
// where a server caps the page size below ours, since a listing that stopped at the first short page
// would silently lack flows.
func (fr *FlowReader) listRange(ctx context.Context, start, end, total int) ([]Flow, error) {
	return walkPages(ctx, pageWalk[Flow]{
		start: start, end: min(end, total), size: fr.policy.PageSize,
		fetch: func(ctx context.Context, limit, offset int) ([]Flow, error) {
			return fr.src.ListFlows(ctx, ListFlowsOptions{Limit: limit, Offset: offset, Projection: batchProjection})
		},
		key: func(f Flow) string { return f.ID },
	})
}
