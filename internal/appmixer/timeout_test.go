// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// stall answers nothing until the client gives up (or 5s pass).
func stall(_ http.ResponseWriter, r *http.Request, _ []byte) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func TestTimeoutIsNamed(t *testing.T) {
	f := newFake(t, stall)
	c := newTestClient(t, f.URL, func(cfg *Config) {
		cfg.RequestTimeout = 100 * time.Millisecond
		cfg.MaxRetries = 1
	})
	_, err := c.GetFlow(ctxT(t), "f1")
	if !IsTimeout(err) || !strings.Contains(err.Error(), "GET /flows/f1: request timed out after 100ms") ||
		!strings.Contains(err.Error(), "giving up after 2 attempts") {
		t.Fatalf("err = %v", err)
	}
	// Callers that only know net.Error still see a timeout.
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("not a net.Error timeout: %v", err)
	}
	if n := f.count("GET", "/flows/f1"); n != 2 {
		t.Fatalf("hits = %d, want 2", n)
	}
}

func TestTimeoutWhileReadingBody(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"flowId":`))
		w.(http.Flusher).Flush()
		stall(w, r, nil)
	})
	c := newTestClient(t, f.URL, func(cfg *Config) {
		cfg.RequestTimeout = 100 * time.Millisecond
		cfg.MaxRetries = -1
	})
	_, err := c.GetFlow(ctxT(t), "f1")
	if !IsTimeout(err) || !strings.Contains(err.Error(), "GET /flows/f1: reading response: request timed out after 100ms") {
		t.Fatalf("err = %v", err)
	}
}

func TestCreatePostNotResentAfterTimeout(t *testing.T) {
	var hits atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, b []byte) {
		hits.Add(1)
		stall(w, r, b)
	})
	c := newTestClient(t, f.URL, withDialect(DialectContract), func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	// The server may have stored the flow before it stalled, so sending it again could duplicate it.
	if _, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A"}); !IsTimeout(err) {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("POST /flows hits = %d, want 1", hits.Load())
	}
}

func TestCallerDeadlineIsNotAClientTimeout(t *testing.T) {
	f := newFake(t, stall)
	c := newTestClient(t, f.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.GetFlow(ctx, "f1")
	if err == nil || IsTimeout(err) || !strings.Contains(err.Error(), "context deadline exceeded") {
		t.Fatalf("err = %v", err)
	}
}
