// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	cases := map[string]Config{
		"no base URL":        {Token: "t"},
		"bad scheme":         {BaseURL: "ftp://x", Token: "t"},
		"no host":            {BaseURL: "http://", Token: "t"},
		"query":              {BaseURL: "http://x/?a=b", Token: "t"},
		"no credentials":     {BaseURL: "http://x"},
		"username only":      {BaseURL: "http://x", Username: "u"},
		"password only":      {BaseURL: "http://x", Password: "p"},
		"unknown dialect":    {BaseURL: "http://x", Token: "t", Dialect: "graphql"},
		"whitespace baseURL": {BaseURL: "  ", Token: "t"},
	}
	for name, cfg := range cases {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New succeeded, want error", name)
		}
	}

	c, err := New(Config{BaseURL: "http://127.0.0.1:2200/api/", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://127.0.0.1:2200/api" || c.Dialect() != DialectAppmixer {
		t.Fatalf("BaseURL=%q Dialect=%q", c.BaseURL(), c.Dialect())
	}
	if c.http.RetryMax != DefaultMaxRetries || c.http.RetryWaitMin != DefaultRetryWaitMin ||
		c.http.RetryWaitMax != DefaultRetryWaitMax || c.http.HTTPClient.Timeout != DefaultRequestTimeout {
		t.Fatalf("defaults not applied: %+v", c.http)
	}
	c = mustNew(t, Config{BaseURL: "http://x", Token: "t", MaxRetries: -1})
	if c.http.RetryMax != 0 {
		t.Fatalf("MaxRetries -1 gave RetryMax %d", c.http.RetryMax)
	}
	base := &http.Client{Timeout: time.Hour}
	c = mustNew(t, Config{BaseURL: "http://x", Token: "t", HTTPClient: base, RequestTimeout: time.Second})
	if base.Timeout != time.Hour || c.http.HTTPClient.Timeout != time.Second {
		t.Fatal("the base HTTP client must be copied, with the per-attempt timeout applied to the copy")
	}
}

func TestInfoIsAnonymousAndSendsUserAgent(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"version":"6.1.0","status":"ok"}`)
	})
	c := newTestClient(t, f.URL+"/", func(cfg *Config) { cfg.UserAgent = "terraform-provider-appmixer/1.2.3 (+test)" })
	info, err := c.Info(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != "6.1.0" || info.Status != "ok" {
		t.Fatalf("info = %+v", info)
	}
	r := only(t, f)
	assertReq(t, r, "GET", "/", "")
	if r.Auth != "" || f.logins.Load() != 0 {
		t.Fatalf("GET / must not authenticate (auth %q, logins %d)", r.Auth, f.logins.Load())
	}
	if r.UserAgent != "terraform-provider-appmixer/1.2.3 (+test)" {
		t.Fatalf("User-Agent = %q", r.UserAgent)
	}
}

func TestDefaultUserAgentAndBearer(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"id":"u1","username":"a"}`)
	})
	c := newTestClient(t, f.URL)
	if _, err := c.CurrentUser(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	r := only(t, f)
	assertReq(t, r, "GET", "/user", "")
	if r.Auth != "Bearer tok-1" || r.UserAgent != DefaultUserAgent {
		t.Fatalf("auth %q, UA %q", r.Auth, r.UserAgent)
	}
}

func TestBasePathIsKept(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `[]`) })
	c := newTestClient(t, f.URL+"/api/", func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", "t" })
	if _, err := c.ListFlows(ctxT(t), ListFlowsOptions{}); err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "GET", "/api/flows", "")
}

func TestContextCancelled(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "30")
		boom(w, 429, "slow down")
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryWaitMax = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListFlows(ctx, ListFlowsOptions{})
	if err == nil || !strings.Contains(err.Error(), "context deadline exceeded") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the backoff wait did not respect the context")
	}
}
