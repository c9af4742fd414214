// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A throttle is what every client of this process that talks to one base URL shares: the pause a 429
// sets for all of them, and the request budgets (pacers) of Config.MaxRequestsPerSecond.
//
// It is keyed by base URL because the limit being respected is the server's: Terraform runs each
// provider configuration in a process of its own, so in a real run one process has one base URL and
// the key changes nothing; terraform-plugin-testing, however, serves many provider instances from one
// process, each test against its own local server, and those must neither wait for each other nor
// inherit another server's Retry-After.
type throttle struct {
	pausedUntil atomic.Int64 // Unix nanoseconds; 0 or past: no pause
	mu          sync.Mutex
	pacers      map[float64]*pacer // by requests per second
}

var throttles sync.Map // normalised base URL -> *throttle

func throttleFor(baseURL string) *throttle {
	if t, ok := throttles.Load(baseURL); ok {
		return t.(*throttle)
	}
	t, _ := throttles.LoadOrStore(baseURL, &throttle{pacers: map[float64]*pacer{}})
	return t.(*throttle)
}

// pacer returns the budget of perSecond requests a second. Clients that asked for the same rate
// share one; a different rate for the same URL in one process (only the test harness does that) gets
// its own, so one test's setting never slows another's.
func (t *throttle) pacer(perSecond float64) *pacer {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.pacers[perSecond]
	if p == nil {
		p = &pacer{interval: time.Duration(float64(time.Second) / perSecond)}
		t.pacers[perSecond] = p
	}
	return p
}

// pause holds every request of the throttle until at least until.
func (t *throttle) pause(until time.Time) {
	n := until.UnixNano()
	for {
		old := t.pausedUntil.Load()
		if n <= old || t.pausedUntil.CompareAndSwap(old, n) {
			return
		}
	}
}

// A pacer spaces requests evenly, interval apart, with no burst: a server that counts requests per
// one-second window (as appmixer-local's -rate-limit does) then never sees more than the rate, rounded
// up, in any window, however the windows fall. Requests book their slots in order (reserve), and each
// then goes no sooner than interval after the one before it really went (depart): a request that
// woke late on a busy machine must not take the next one's slot too, or both would go together.
type pacer struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time // the earliest time the next request may go
	last     time.Time // when the last request went
}

// reserve books the first free slot at or after both now and notBefore.
func (p *pacer) reserve(now, notBefore time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	slot := now
	if p.next.After(slot) {
		slot = p.next
	}
	if notBefore.After(slot) {
		slot = notBefore
	}
	p.next = slot.Add(p.interval)
	return slot
}

// depart records the request as gone and returns 0, or returns how much longer it must wait.
func (p *pacer) depart() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if d := p.last.Add(p.interval).Sub(now); d > 0 {
		return d
	}
	p.last = now
	return 0
}

// throttledTransport makes every attempt (retries and logins included) wait for the shared pause and,
// when a rate is set, for its slot in the budget; a 429 it sees pauses the whole throttle for the
// answer's Retry-After (capped at maxPause; minPause when the answer names none).
type throttledTransport struct {
	base               http.RoundTripper
	shared             *throttle
	pacer              *pacer // nil without a rate: then only the pause costs anything, one atomic load
	minPause, maxPause time.Duration
}

func (tt *throttledTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := tt.wait(req.Context()); err != nil {
		return nil, err
	}
	resp, err := tt.base.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		now := time.Now()
		d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now)
		if !ok {
			d = tt.minPause
		}
		tt.shared.pause(now.Add(min(d, tt.maxPause)))
		logThrottled(req.Context(), min(d, tt.maxPause))
	}
	return resp, err
}

// wait returns when the request may go, or with the context's error.
func (tt *throttledTransport) wait(ctx context.Context) error {
	for {
		until := tt.shared.pausedUntil.Load()
		if tt.pacer == nil && until == 0 {
			return nil // the common case: no rate, never paused
		}
		now := time.Now()
		goAt := time.Unix(0, until)
		if tt.pacer != nil {
			goAt = tt.pacer.reserve(now, goAt)
		}
		if err := sleepCtx(ctx, goAt.Sub(now)); err != nil {
			return err
		}
		// A 429 seen meanwhile may have paused past the slot: book a new one after the pause, so the
		// requests held by it do not all go at once when it ends.
		if tt.shared.pausedUntil.Load() > goAt.UnixNano() {
			continue
		}
		if tt.pacer == nil {
			return nil
		}
		for d := tt.pacer.depart(); d > 0; d = tt.pacer.depart() {
			if err := sleepCtx(ctx, d); err != nil {
				return err
			}
		}
		return nil
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func logThrottled(ctx context.Context, pause time.Duration) {
	tflog.SubsystemDebug(ctx, LogSubsystem, "Appmixer answered 429: every request of the process to this server pauses",
		map[string]any{"pause": pause.String()})
}

// newThrottledTransport wraps base (http.DefaultTransport when nil) in the throttle of baseURL.
func newThrottledTransport(base http.RoundTripper, baseURL string, cfg Config) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	shared := throttleFor(baseURL)
	tt := &throttledTransport{base: base, shared: shared, minPause: cfg.RetryWaitMin, maxPause: cfg.RetryWaitMax}
	if cfg.MaxRequestsPerSecond > 0 {
		tt.pacer = shared.pacer(cfg.MaxRequestsPerSecond)
	}
	return tt
}
