// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestCountFlowsDirect(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"count":7}`)
	})
	c := newTestClient(t, f.URL)
	n, err := c.CountFlowsDirect(ctxT(t), ListFlowsOptions{Limit: 5, Filters: []string{"stage:running"}})
	if err != nil || n != 7 {
		t.Fatalf("CountFlowsDirect = %d, %v", n, err)
	}
	// Paging parameters mean nothing to a count and are not sent.
	assertReq(t, only(t, f), "GET", "/flows/count", "filter=stage%3Arunning")
}

// A server without the count route gets no listing in its place: the caller asked for the cheap answer.
func TestCountFlowsDirectNeverLists(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		boom(w, 404, "Not Found")
	})
	c := newTestClient(t, f.URL)
	if _, err := c.CountFlowsDirect(ctxT(t), ListFlowsOptions{}); !IsNotFound(err) {
		t.Fatalf("err = %v, want a 404", err)
	}
	assertReq(t, only(t, f), "GET", "/flows/count", "")

	contract := newTestClient(t, f.URL, withDialect(DialectContract))
	before := len(f.requests())
	if _, err := contract.CountFlowsDirect(ctxT(t), ListFlowsOptions{}); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("contract err = %v, want ErrNotSupported", err)
	}
	if len(f.requests()) != before {
		t.Fatalf("the contract dialect sent a request: %+v", f.requests()[before:])
	}
}

func TestCountFlowsDirectRejectsAnswerWithoutCount(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{}`)
	})
	c := newTestClient(t, f.URL)
	if _, err := c.CountFlowsDirect(ctxT(t), ListFlowsOptions{}); err == nil || !strings.Contains(err.Error(), "no count") {
		t.Fatalf("err = %v", err)
	}
}

// FlowWritten hears of every request that may change a flow, and of nothing that only reads.
func TestFlowWrittenHook(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/flows":
			replyRaw(w, 200, `[]`)
		case r.Method == http.MethodGet:
			replyRaw(w, 200, `{"flowId":"f1","name":"A"}`)
		case r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/flows/"):
			replyRaw(w, 200, `{"flowId":"`+strings.TrimPrefix(r.URL.Path, "/flows/")+`"}`)
		default:
			replyRaw(w, 200, `{}`)
		}
	})
	var mu sync.Mutex
	var got []string
	c := newTestClient(t, f.URL, func(cfg *Config) {
		cfg.FlowWritten = func(id string) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, id)
		}
	})
	ctx := ctxT(t)
	mustNil := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.GetFlow(ctx, "f1")
	mustNil(err)
	_, err = c.ListFlows(ctx, ListFlowsOptions{})
	mustNil(err)
	if len(got) != 0 {
		t.Fatalf("reads reported writes: %v", got)
	}
	mustNil(c.UpdateFlow(ctx, "f1", FlowInput{Name: "A"}, false))
	mustNil(c.StartFlow(ctx, "f2"))
	mustNil(c.StopFlow(ctx, "f3"))
	mustNil(c.DeleteFlow(ctx, "f4"))
	created, err := c.CreateFlow(ctx, FlowInput{Name: "B"})
	mustNil(err)
	if want := []string{"f1", "f2", "f3", "f4", created}; !reflect.DeepEqual(got, want) {
		t.Fatalf("FlowWritten saw %v, want %v", got, want)
	}
}
