// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// contractServer mimics the contract: no PUT upsert, no coordinator, no
// /flows/count, no /users or /auth routes, JSON component publish.
func contractServer(w http.ResponseWriter, r *http.Request, _ []byte) {
	switch {
	case r.Method == "POST" && r.URL.Path == "/flows":
		replyRaw(w, 200, `{"id":"c-1","name":"A","flow":{},"stage":"stopped"}`)
	case r.Method == "PUT" && (strings.HasSuffix(r.URL.Path, "/start") || strings.HasSuffix(r.URL.Path, "/stop")):
		replyRaw(w, 200, `{}`)
	case r.Method == "PUT" && strings.HasPrefix(r.URL.Path, "/flows/"):
		boom(w, 404, "Flow not found.")
	case r.Method == "GET" && r.URL.Path == "/flows":
		replyRaw(w, 200, `[{"id":"a"},{"id":"b"},{"id":"c"}]`)
	case r.Method == "POST" && r.URL.Path == "/components":
		if r.Header.Get("Content-Type") != "application/json" {
			boom(w, 415, "Unsupported Media Type")
			return
		}
		replyRaw(w, 200, `{}`)
	case strings.HasPrefix(r.URL.Path, "/users"):
		boom(w, 405, "Method Not Allowed")
	default:
		boom(w, 404, "Not Found")
	}
}

func TestAutoCreateFlowFallsBackAndRemembers(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	in := FlowInput{Name: "A", Description: strPtr("d"), Definition: json.RawMessage(flowDef)}
	id, err := c.CreateFlow(ctxT(t), in)
	if err != nil || id != "c-1" {
		t.Fatalf("id=%q err=%v", id, err)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Method != "PUT" || reqs[1].Method != "POST" || reqs[1].Path != "/flows" {
		t.Fatalf("requests = %+v", reqs)
	}
	assertJSON(t, reqs[1].Body, `{"name":"A","flow":`+flowDef+`}`)

	// A second client for the same server (as after a provider re-configure)
	// goes straight to the contract route.
	c2, err := New(Config{BaseURL: f.URL + "/", Username: "u", Password: "p", Dialect: DialectAuto})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.CreateFlow(ctxT(t), in); err != nil {
		t.Fatal(err)
	}
	reqs = f.requests()
	if len(reqs) != 3 || reqs[2].Method != "POST" {
		t.Fatalf("requests = %+v", reqs)
	}
	// Now known as a contract server: updates leave out the description.
	if err := c2.UpdateFlow(ctxT(t), "c-1", in, false); err == nil {
		t.Fatal("the fake answers 404 to PUT; want that error")
	}
	assertJSON(t, f.requests()[3].Body, `{"name":"A","flow":`+flowDef+`}`)
}

func TestAutoStartStopFallsBackAndRemembers(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	if err := c.StartFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if err := c.StopFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("requests = %+v", reqs)
	}
	assertReq(t, reqs[0], "POST", "/flows/f1/coordinator", "")
	assertReq(t, reqs[1], "PUT", "/flows/f1/start", "")
	assertReq(t, reqs[2], "PUT", "/flows/f1/stop", "")
}

func TestAutoCountFlowsFallsBack(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	for range 2 {
		n, err := c.CountFlows(ctxT(t), ListFlowsOptions{Pattern: "x"})
		if err != nil || n != 3 {
			t.Fatalf("n=%d err=%v", n, err)
		}
	}
	if got := f.count("GET", "/flows/count"); got != 1 {
		t.Fatalf("GET /flows/count hits = %d, want 1 (then remembered)", got)
	}
	assertReq(t, f.requests()[1], "GET", "/flows", "limit=100&pattern=x")
}

func TestContractCountFlowsLists(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	n, err := c.CountFlows(ctxT(t), ListFlowsOptions{})
	if err != nil || n != 3 || f.count("GET", "/flows/count") != 0 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func TestAppmixerDialectNeverFallsBack(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectAppmixer))
	if _, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A"}); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
	if err := c.StartFlow(ctxT(t), "f1"); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
	if len(f.requests()) != 2 {
		t.Fatalf("requests = %+v", f.requests())
	}
}

func TestAutoUsersAdminProbe(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	_, err := c.GetUser(ctxT(t), "u1")
	if !errors.Is(err, ErrNotSupported) || StatusCode(err) != 405 {
		t.Fatalf("err = %v", err)
	}
	if f.count("GET", "/users/count") != 1 {
		t.Fatal("want one probe of GET /users/count")
	}
	before := len(f.requests())
	if _, err := c.FindUserByUsername(ctxT(t), "joe"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("err = %v", err)
	}
	if len(f.requests()) != before {
		t.Fatal("the missing /users routes must be remembered")
	}
	// Lacking the admin routes proves no contract: flow bodies stay whole.
	if c.contractish() {
		t.Fatal("missing /users routes must not switch the flow and binding routes to the contract")
	}
}

func TestAutoGetUserRealNotFound(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path == "/users/count" {
			replyRaw(w, 200, `{"count":3}`)
			return
		}
		boom(w, 404, "User not found.")
	})
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	_, err := c.GetUser(ctxT(t), "gone")
	if !IsNotFound(err) || errors.Is(err, ErrNotSupported) || !strings.Contains(err.Error(), "User not found.") {
		t.Fatalf("err = %v", err)
	}
	if c.useContract(featureUsersAdmin) {
		t.Fatal("a real 404 must not be remembered as a missing route")
	}
}

func TestAutoPublishFallsBackOn415(t *testing.T) {
	f := newFake(t, contractServer)
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	z := testZip(t)
	for range 2 {
		ticket, err := c.PublishComponent(ctxT(t), "appmixer.myservice", z)
		if err != nil || ticket != "" {
			t.Fatalf("ticket=%q err=%v", ticket, err)
		}
	}
	reqs := f.requests()
	if len(reqs) != 3 || reqs[0].ContentType != "application/octet-stream" ||
		reqs[1].ContentType != "application/json" || reqs[2].ContentType != "application/json" {
		t.Fatalf("requests = %+v", reqs)
	}
}

func TestDialectCacheIsPerBaseURL(t *testing.T) {
	resetDialectCache()
	a := mustNew(t, Config{BaseURL: "http://a.example", Token: "t", Dialect: DialectAuto})
	b := mustNew(t, Config{BaseURL: "http://b.example", Token: "t", Dialect: DialectAuto})
	a.rememberContract(featureCreateFlow)
	if !a.useContract(featureCreateFlow) || a.useContract(featureStartStop) || b.useContract(featureCreateFlow) {
		t.Fatal("cache must be keyed by base URL and feature")
	}
	if !a.contractish() || b.contractish() {
		t.Fatal("contractish must follow the base URL")
	}
	p := mustNew(t, Config{BaseURL: "http://a.example", Token: "t", Dialect: DialectAppmixer})
	if p.useContract(featureCreateFlow) || p.contractish() {
		t.Fatal("the appmixer dialect ignores the cache")
	}
	resetDialectCache()
}
