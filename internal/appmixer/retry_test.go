// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// failFirst answers the first n hits with fail, then with ok.
func failFirst(n int32, fail, ok func(w http.ResponseWriter, r *http.Request)) func(http.ResponseWriter, *http.Request, []byte) {
	var hits atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if hits.Add(1) <= n {
			fail(w, r)
			return
		}
		ok(w, r)
	}
}

func status(code int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) { boom(w, code, "transient") }
}

func okFlow(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/flows/")
	if id == "/flows" || id == "" {
		id = "created"
	}
	reply(w, 200, map[string]any{"flowId": id, "id": id})
}

func TestRetry503ForGet(t *testing.T) {
	f := newFake(t, failFirst(2, status(503), okFlow))
	c := newTestClient(t, f.URL)
	if _, err := c.GetFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET", "/flows/f1"); n != 3 {
		t.Fatalf("GET hits = %d, want 3", n)
	}
}

func TestRetryGivesUpWithServerMessage(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { boom(w, 502, "upstream down") })
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetFlow(ctxT(t), "f1")
	if StatusCode(err) != 502 || !strings.Contains(err.Error(), "upstream down") {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("GET", "/flows/f1"); n != 3 {
		t.Fatalf("hits = %d, want 1 + 2 retries", n)
	}
}

func TestNoRetriesWhenDisabled(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { boom(w, 503, "busy") })
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	if _, err := c.GetFlow(ctxT(t), "f1"); StatusCode(err) != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("GET", "/flows/f1"); n != 1 {
		t.Fatalf("hits = %d", n)
	}
}

func TestNoRetryOn500Or400(t *testing.T) {
	for _, code := range []int{400, 404, 409, 500} {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { boom(w, code, "no") })
		c := newTestClient(t, f.URL, withDialect(DialectAppmixer))
		if _, err := c.GetFlow(ctxT(t), "f1"); StatusCode(err) != code {
			t.Fatalf("err = %v", err)
		}
		if n := f.count("GET", "/flows/f1"); n != 1 {
			t.Fatalf("%d: hits = %d", code, n)
		}
	}
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	f := newFake(t, failFirst(1, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "1")
		boom(w, 429, "Too many requests")
	}, okFlow))
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryWaitMax = 3 * time.Second })
	start := time.Now()
	if _, err := c.GetFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	// At least the second asked for; that it is not more (RetryWaitMax, jitter) is TestBackoffBounds'
	// to show, without a clock that a loaded machine could stretch.
	if d := time.Since(start); d < 950*time.Millisecond {
		t.Fatalf("waited %v, want at least the 1s of Retry-After", d)
	}
}

func TestRetryAfterIsCappedByRetryWaitMax(t *testing.T) {
	f := newFake(t, failFirst(1, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "60")
		boom(w, 429, "Too many requests")
	}, okFlow))
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryWaitMax = 20 * time.Millisecond })
	start := time.Now()
	if _, err := c.GetFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("waited %v despite RetryWaitMax 20ms", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"Wed, 01 May 2024 10:00:02 GMT", 2 * time.Second, true},
		{"Wed, 01 May 2024 09:59:00 GMT", 0, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	minW, maxW := 10*time.Millisecond, 200*time.Millisecond
	for attempt := range 40 {
		for range 20 {
			d := backoff(minW, maxW, attempt, nil)
			if d < minW || d > maxW {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, minW, maxW)
			}
			if ceil := minW << attempt; attempt < 5 && d > ceil {
				t.Fatalf("attempt %d: %v above exponential ceiling %v", attempt, d, ceil)
			}
		}
	}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"1"}}}
	if d := backoff(minW, 5*time.Second, 0, resp); d != time.Second {
		t.Fatalf("Retry-After: 1 gave %v", d)
	}
	if d := backoff(minW, maxW, 0, resp); d != maxW {
		t.Fatalf("Retry-After above max gave %v", d)
	}
	resp.Header.Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	if d := backoff(minW, maxW, 0, resp); d != maxW {
		t.Fatalf("HTTP-date Retry-After gave %v", d)
	}
}

func TestCreatePostNotResentOn503(t *testing.T) {
	f := newFake(t, failFirst(1, status(503), okFlow))
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	_, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A"})
	if StatusCode(err) != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("POST", "/flows"); n != 1 {
		t.Fatalf("POST /flows hits = %d, want 1", n)
	}
}

func TestCreatePostNotResentAfterDroppedConnection(t *testing.T) {
	f := newFake(t, failFirst(1, func(w http.ResponseWriter, _ *http.Request) { hangUp(w) }, okFlow))
	c := newTestClient(t, f.URL, withDialect(DialectContract), noReuse)
	if _, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A"}); err == nil {
		t.Fatal("want an error")
	}
	if n := f.count("POST", "/flows"); n != 1 {
		t.Fatalf("POST /flows hits = %d, want 1", n)
	}
}

func TestCreatePostResentOn429(t *testing.T) {
	f := newFake(t, failFirst(2, status(429), okFlow))
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	id, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A", Definition: json.RawMessage(flowDef)})
	if err != nil || id != "created" {
		t.Fatalf("id=%q err=%v", id, err)
	}
	reqs := f.requests()
	if len(reqs) != 3 || reqs[2].Method != "POST" {
		t.Fatalf("requests = %+v", reqs)
	}
	// The body is replayed whole on each attempt.
	for _, r := range reqs {
		assertJSON(t, r.Body, `{"name":"A","flow":`+flowDef+`}`)
	}
}

// noReuse disables keep-alive, so that net/http's own transparent retry of
// requests on a reused connection cannot mask (or add to) ours.
func noReuse(cfg *Config) {
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestPutFlowRetriedAfterDroppedConnection(t *testing.T) {
	f := newFake(t, failFirst(1, func(w http.ResponseWriter, _ *http.Request) { hangUp(w) }, okFlow))
	c := newTestClient(t, f.URL, noReuse)
	id, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A", Definition: json.RawMessage(flowDef)})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Path != reqs[1].Path || reqs[1].Path != "/flows/"+id {
		t.Fatalf("requests = %+v (id %s)", reqs, id)
	}
	assertJSON(t, reqs[1].Body, `{"name":"A","flow":`+flowDef+`}`)
}

// dialFailOnce fails the first dial as if the server refused it.
type dialFailOnce struct {
	failed atomic.Bool
	next   http.RoundTripper
}

func (d *dialFailOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	if !d.failed.Swap(true) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return d.next.RoundTrip(r)
}

func TestCreatePostResentWhenNeverConnected(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { okFlow(w, r) })
	rt := &dialFailOnce{next: http.DefaultTransport}
	c := newTestClient(t, f.URL, withDialect(DialectContract), func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: rt}
	})
	if _, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if !rt.failed.Load() || f.count("POST", "/flows") != 1 {
		t.Fatalf("POST hits = %d", f.count("POST", "/flows"))
	}
}

func TestSafePostsRetried(t *testing.T) {
	f := newFake(t, failFirst(1, status(503), func(w http.ResponseWriter, _ *http.Request) { replyRaw(w, 200, `{}`) }))
	c := newTestClient(t, f.URL)
	if err := c.StartFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST", "/flows/f1/coordinator"); n != 2 {
		t.Fatalf("coordinator hits = %d", n)
	}
}

func TestLoginRetriedOn503(t *testing.T) {
	f := newFake(t, nil)
	var hits atomic.Int32
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if hits.Add(1) == 1 {
			boom(w, 503, "starting")
			return
		}
		replyRaw(w, 200, `{"token":"t"}`)
	})
	c := newTestClient(t, f.URL)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Fatalf("login hits = %d", hits.Load())
	}
}

func TestConnectionErrorForGetIsRetriedThenReported(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { hangUp(w) })
	c := newTestClient(t, f.URL, noReuse, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetFlow(ctxT(t), "f1")
	if err == nil || !strings.Contains(err.Error(), "GET /flows/f1") || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("GET", "/flows/f1"); n != 3 {
		t.Fatalf("hits = %d", n)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	var hits atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if hits.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		okFlow(w, r)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	if _, err := c.GetFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Fatalf("hits = %d", hits.Load())
	}
}
