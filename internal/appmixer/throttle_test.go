// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"
)

// arrivals is a server that records when each request reached it; answer decides the status of the
// n-th request (0-based), with Retry-After: 1 on a 429.
type arrivals struct {
	*httptest.Server
	mu    sync.Mutex
	times []time.Time
}

func newArrivals(t *testing.T, answer func(n int) int) *arrivals {
	t.Helper()
	a := &arrivals{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		a.mu.Lock()
		n := len(a.times)
		a.times = append(a.times, time.Now())
		a.mu.Unlock()
		status := answer(n)
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"version":"6.1.0"}`))
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *arrivals) sorted() []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]time.Time(nil), a.times...)
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// mostWithin is the most arrivals in any window of length d.
func mostWithin(ts []time.Time, d time.Duration) int {
	most := 0
	for i := range ts {
		j := i
		for j < len(ts) && ts[j].Sub(ts[i]) < d {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

func throttleClient(t *testing.T, url string, perSecond float64, retries int) *Client {
	t.Helper()
	return throttleClientVia(t, url, perSecond, retries, nil)
}

// departures records when each request left the process, after the throttle: what the network sees,
// without the server's own scheduling delays.
type departures struct {
	mu    sync.Mutex
	times []time.Time
}

func (d *departures) RoundTrip(req *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.times = append(d.times, time.Now())
	d.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (d *departures) sorted() []time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := append([]time.Time(nil), d.times...)
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func throttleClientVia(t *testing.T, url string, perSecond float64, retries int, via *departures) *Client {
	t.Helper()
	var hc *http.Client
	if via != nil {
		hc = &http.Client{Transport: via}
	}
	c, err := New(Config{BaseURL: url, Token: "t", MaxRequestsPerSecond: perSecond, MaxRetries: retries,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 5 * time.Second, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Two clients of one base URL and rate (as two resources of a process share the provider's, or two
// provider instances in one test process) fire 30 requests at once: the server sees them spaced at the
// rate, never a burst.
func TestThrottleSpacesRequestsOfAllClients(t *testing.T) {
	t.Parallel()
	srv := newArrivals(t, func(int) int { return http.StatusOK })
	const rate, n = 20.0, 30
	var sent departures
	clients := []*Client{throttleClientVia(t, srv.URL, rate, -1, &sent), throttleClientVia(t, srv.URL, rate, -1, &sent)}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := clients[i%2].Info(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := len(srv.sorted()); got != n {
		t.Fatalf("the server saw %d requests, want %d", got, n)
	}
	// Evenly spaced at 50 ms or more: at most 20 leave in any second, however late some wake.
	ts := sent.sorted()
	if most := mostWithin(ts, time.Second); most > int(rate) {
		t.Errorf("%d requests left within one second, want at most %d", most, int(rate))
	}
	if span, least := ts[n-1].Sub(ts[0]), time.Duration(float64(n-1)/rate*float64(time.Second))*9/10; span < least {
		t.Errorf("%d requests took %s, want at least %s at %v per second", n, span, least, rate)
	}
}

// Without a rate the client paces nothing: 30 requests at once leave far faster than any budget of 20
// a second would let them.
func TestThrottleUnsetAddsNoWait(t *testing.T) {
	t.Parallel()
	srv := newArrivals(t, func(int) int { return http.StatusOK })
	var sent departures
	c := throttleClientVia(t, srv.URL, 0, -1, &sent)
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() { _, _ = c.Info(context.Background()) })
	}
	wg.Wait()
	if most := mostWithin(sent.sorted(), time.Second); most <= 20 {
		t.Errorf("only %d of 30 unthrottled requests left within one second", most)
	}
}

// A 429 with Retry-After: 1 that one client gets holds the next request of another client of the
// same server for that second, and does not hold a client of another server.
func TestThrottle429PausesEveryClientOfTheServer(t *testing.T) {
	t.Parallel()
	srv := newArrivals(t, func(n int) int {
		if n == 0 {
			return http.StatusTooManyRequests
		}
		return http.StatusOK
	})
	other := newArrivals(t, func(int) int { return http.StatusOK })
	limited, sibling, elsewhere := throttleClient(t, srv.URL, 0, -1), throttleClient(t, srv.URL, 0, -1), throttleClient(t, other.URL, 0, -1)
	ctx := context.Background()
	if _, err := limited.Info(ctx); err == nil {
		t.Fatal("the first request should have failed with 429 (no retries)")
	}
	got429 := srv.sorted()[0]
	if _, err := elsewhere.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := sibling.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := srv.sorted()[1].Sub(got429); waited < time.Second {
		t.Errorf("another client's request reached the server %s after its 429 with Retry-After: 1", waited)
	}
	if waited := other.sorted()[0].Sub(got429); waited > 500*time.Millisecond {
		t.Errorf("a client of another server waited %s for this server's 429", waited)
	}
}

// Requests held by a pause go at the rate when it ends, not all at once.
func TestThrottleAfterPauseKeepsTheRate(t *testing.T) {
	t.Parallel()
	srv := newArrivals(t, func(n int) int {
		if n == 0 {
			return http.StatusTooManyRequests
		}
		return http.StatusOK
	})
	const rate = 10.0
	first := throttleClient(t, srv.URL, rate, -1)
	if _, err := first.Info(context.Background()); err == nil {
		t.Fatal("the first request should have failed with 429")
	}
	c := throttleClient(t, srv.URL, rate, -1)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { _, _ = c.Info(context.Background()) })
	}
	wg.Wait()
	ts := srv.sorted()[1:]
	if most := mostWithin(ts, 500*time.Millisecond); most > 6 {
		t.Errorf("%d requests reached the server within 500 ms after the pause, want at most 6 at %v per second", most, rate)
	}
}

// cannedTransport answers every request with the same 200 without a network, allocating nothing, so
// that the benchmarks below measure the throttle alone.
type cannedTransport struct{ resp *http.Response }

func (c cannedTransport) RoundTrip(*http.Request) (*http.Response, error) { return c.resp, nil }

var canned = cannedTransport{&http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody}}

// What the throttle adds to a request when max_requests_per_second is unset and no 429 was seen:
// compare with BenchmarkTransportBare (go test -bench Transport ./internal/appmixer).
func BenchmarkTransportThrottleUnset(b *testing.B) {
	rt := newThrottledTransport(canned, "http://bench.invalid", Config{RetryWaitMin: time.Millisecond, RetryWaitMax: time.Second})
	req, _ := http.NewRequest(http.MethodGet, "http://bench.invalid/", nil)
	for b.Loop() {
		_, _ = rt.RoundTrip(req)
	}
}

func BenchmarkTransportBare(b *testing.B) {
	var rt http.RoundTripper = canned
	req, _ := http.NewRequest(http.MethodGet, "http://bench.invalid/", nil)
	for b.Loop() {
		_, _ = rt.RoundTrip(req)
	}
}
