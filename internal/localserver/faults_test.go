// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLatency(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Latency: 60 * time.Millisecond})
	tok := h.admin()
	start := time.Now()
	h.must(200, "GET", "/flows", tok, nil)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("request took %s, want >= 60ms", d)
	}
	h.s.SetLatency(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req := newRequest(t, ctx, "GET", h.url+"/flows", nil)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatal("a client that gave up still got an answer")
	}
	h.s.SetLatency(0)
	h.must(200, "GET", "/flows", tok, nil)
}

func TestFaultRate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	h.s.SetFaultRate(1)
	for range 5 {
		r := h.do("POST", "/flows", tok, map[string]any{"name": "never stored"})
		if r.status != 502 && r.status != 503 && r.status != 504 {
			t.Fatalf("faulted request answered %d", r.status)
		}
		assertBoom(t, r, r.status, "Simulated upstream failure.")
	}
	h.must(200, "GET", "/", "", nil)             // GET / is exempt
	h.must(200, "GET", "/_local/stats", "", nil) // so are the control routes
	h.s.SetFaultRate(0)
	if n := len(h.must(200, "GET", "/flows", tok, nil).arr()); n != 0 {
		t.Fatalf("faults answered before acting, yet %d flows exist", n)
	}

	// The same seed gives the same faults.
	sequence := func() string {
		s := newHarness(t, Options{FaultRate: 0.5, Seed: 42})
		var b strings.Builder
		for range 20 {
			b.WriteString(http.StatusText(s.do("GET", "/flows", "", nil).status)[:1])
		}
		return b.String()
	}
	if a, b := sequence(), sequence(); a != b || !strings.Contains(a, "U") || !strings.ContainsAny(a, "BSG") {
		t.Fatalf("seeded fault sequences %q and %q", a, b)
	}
	if _, err := New(Options{FaultRate: 2}); err == nil {
		t.Fatal("fault rate 2 accepted")
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{RateLimit: 3})
	var limited resp
	for range 10 {
		if r := h.do("GET", "/", "", nil); r.status == http.StatusTooManyRequests {
			limited = r
			break
		}
	}
	assertBoom(t, limited, 429, "Rate limit exceeded.")
	if limited.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After = %q", limited.header.Get("Retry-After"))
	}
	h.must(200, "GET", "/_local/stats", "", nil) // control routes are not limited
	h.s.SetRateLimit(0)
	for range 10 {
		h.must(200, "GET", "/", "", nil)
	}
}

func TestDropResponses(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	id := h.createFlow(tok, "before", map[string]any{})
	h.s.DropResponses("PUT /flows/{id}", 1)

	req := newRequest(t, context.Background(), "PUT", h.url+"/flows/"+id, strings.NewReader(`{"name":"after"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("dropped response arrived: %d", res.StatusCode)
	}
	// The request took effect even though its answer was lost.
	if name := h.must(200, "GET", "/flows/"+id, tok, nil).obj()["name"]; name != "after" {
		t.Fatalf("name %v after the dropped PUT", name)
	}
	h.must(200, "PUT", "/flows/"+id, tok, map[string]any{"name": "again"}) // only n responses are dropped
}

func TestStats(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	id := h.createFlow(tok, "f", map[string]any{})
	h.must(200, "GET", "/flows/"+id, tok, nil)
	h.must(200, "GET", "/flows/"+id, tok, nil)
	h.do("GET", "/nowhere", "", nil)
	st := h.must(200, "GET", "/_local/stats", "", nil).obj()
	req, _ := st["requests"].(map[string]any)
	if st["total"] != float64(5) || req["GET /flows/{id}"] != float64(2) || req["POST /user/auth"] != float64(1) || req["unmatched"] != float64(1) {
		t.Fatalf("stats %v", st)
	}
	if got := h.s.Stats(); got.Total != 5 || got.Requests["POST /flows"] != 1 {
		t.Fatalf("Stats() = %+v", got)
	}
	h.must(200, "DELETE", "/_local/stats", "", nil)
	if got := h.s.Stats(); got.Total != 0 || len(got.Requests) != 0 {
		t.Fatalf("after reset %+v", got)
	}
	h.s.ResetStats()
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Latency: time.Millisecond})
	tok := h.admin() // before the faults, which could fail the log-in itself
	h.s.SetFaultRate(0.1)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				body := map[string]any{"name": "f", "flow": twoComponents()}
				req, err := http.NewRequestWithContext(context.Background(), "PUT", h.url+"/flows/"+string(rune('a'+i))+string(rune('0'+j)), strings.NewReader(mustJSON(body)))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Authorization", "Bearer "+tok)
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
				}
				h.s.SetFaultRate(0.1)
				_ = h.s.Stats()
			}
		}()
	}
	wg.Wait()
}
