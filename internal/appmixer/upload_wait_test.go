// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// shortPolls makes Poll and the ticket grace fast for one test.
func shortPolls(t *testing.T, grace time.Duration) {
	wait, g := PollWait, UploadTicketGrace
	PollWait.First, PollWait.Max, UploadTicketGrace = time.Millisecond, 5*time.Millisecond, grace
	t.Cleanup(func() { PollWait, UploadTicketGrace = wait, g })
}

// ticketServer answers each status request with the next of answers, repeating the last.
func ticketServer(t *testing.T, answers ...string) (*Client, func() int) {
	var mu sync.Mutex
	n := 0
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		mu.Lock()
		a := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		if a == "404" {
			replyRaw(w, 404, `{"statusCode":404,"error":"Not Found","message":"Ticket not found."}`)
			return
		}
		replyRaw(w, 200, a)
	})
	return newTestClient(t, f.URL), func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// A ticket answers 404 until the uploader has stored it, then {started}, then the verdict
// (appmixer-api.md §1.6): the early 404s are "not yet".
func TestWaitComponentUpload_earlyNotFound(t *testing.T) {
	shortPolls(t, time.Minute)
	c, count := ticketServer(t, "404", "404", `{"started":"t"}`, `{"started":"t","finished":"t","installed":true}`)
	st, err := c.WaitComponentUpload(ctxT(t), "tk")
	if err != nil || !st.Finished || st.Err != "" || count() != 4 {
		t.Fatalf("status %+v, err %v after %d polls; want finished after 4", st, err, count())
	}

	// finished is set on failure too: err decides.
	c, _ = ticketServer(t, "404", `{"started":"t","finished":"t","err":"Validation failed.","data":[{"dataPath":"x","message":"bad"}]}`)
	if st, err := c.WaitComponentUpload(ctxT(t), "tk"); err != nil || st.Err != "Validation failed." || len(st.Problems) != 1 {
		t.Fatalf("refused package: status %+v, err %v", st, err)
	}
}

// The wait for a stored ticket is bounded, and a ticket that vanishes after answering is an error.
func TestWaitComponentUpload_unknownTicket(t *testing.T) {
	shortPolls(t, 20*time.Millisecond)
	c, count := ticketServer(t, "404")
	start := time.Now()
	_, err := c.WaitComponentUpload(ctxT(t), "tk")
	if err == nil || !strings.Contains(err.Error(), "still unknown to the server") || !IsNotFound(err) {
		t.Fatalf("a ticket never stored: err %v", err)
	}
	if time.Since(start) > 10*time.Second || count() < 2 {
		t.Fatalf("gave up after %s and %d polls", time.Since(start), count())
	}

	c, _ = ticketServer(t, `{"started":"t"}`, "404")
	if _, err := c.WaitComponentUpload(ctxT(t), "tk"); !IsNotFound(err) {
		t.Fatalf("a ticket gone after answering: err %v, want the 404", err)
	}
}
