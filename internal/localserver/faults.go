// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// faults holds the misbehaviour switches; they can change while requests are in flight.
type faults struct {
	mu        sync.Mutex
	latency   time.Duration
	rate      float64
	rateLimit int
	window    int64 // the Unix second being counted for the rate limit
	inWindow  int
	rnd       *rand.Rand
	drops     map[string]int // route template -> responses still to drop
}

func newFaults(opts Options) *faults {
	seed := uint64(opts.Seed) //nolint:gosec // any bit pattern is a fine seed
	if opts.Seed == 0 {
		seed = uint64(time.Now().UnixNano()) //nolint:gosec // any bit pattern is a fine seed
	}
	return &faults{
		latency: opts.Latency, rate: opts.FaultRate, rateLimit: opts.RateLimit,
		rnd:   rand.New(rand.NewPCG(seed, seed)), //nolint:gosec // fault injection wants reproducibility, not secrecy
		drops: map[string]int{},
	}
}

// delay waits the configured latency, or until the client gives up.
func (f *faults) delay(ctx context.Context) error {
	f.mu.Lock()
	d := f.latency
	f.mu.Unlock()
	if d <= 0 {
		return nil
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

// rateLimited counts a request in the current one-second window and reports whether it is over the limit.
func (f *faults) rateLimited(now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rateLimit <= 0 {
		return false
	}
	if sec := now.Unix(); sec != f.window {
		f.window, f.inWindow = sec, 0
	}
	f.inWindow++
	return f.inWindow > f.rateLimit
}

// fault returns 502, 503 or 504 for the configured share of requests, else 0.
func (f *faults) fault() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rate <= 0 || f.rnd.Float64() >= f.rate {
		return 0
	}
	return []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}[f.rnd.IntN(3)]
}

// takeDrop reports whether this response of route is one to lose, and counts it.
func (f *faults) takeDrop(route string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.drops[route] <= 0 {
		return false
	}
	f.drops[route]--
	return true
}

// SetFaultRate changes the share of API requests answered 502/503/504 before acting (clamped to [0, 1]).
func (s *Server) SetFaultRate(rate float64) {
	if s.localOnly("injected faults (SetFaultRate)") {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rate = min(max(rate, 0), 1)
}

// SetRateLimit changes how many API requests per second are served before 429; 0 turns it off.
func (s *Server) SetRateLimit(perSecond int) {
	if s.localOnly("a rate limit (SetRateLimit)") {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rateLimit = perSecond
}

// SetLatency changes the delay added before each API request.
func (s *Server) SetLatency(d time.Duration) {
	if s.localOnly("added latency (SetLatency)") {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.latency = d
}

// DropResponses makes the next n requests matching a route template (e.g. "PUT /flows/{id}") take
// full effect and then lose their response: the connection is closed without an answer, the way a
// crashed proxy or a network cut looks to the client.
func (s *Server) DropResponses(route string, n int) {
	if s.localOnly("lost responses (DropResponses)") {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.drops[route] = n
}

// dropConnection closes the client's connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	// Without a hijackable connection (HTTP/2, a recorder) aborting the handler is how net/http drops a response.
	panic(http.ErrAbortHandler)
}
