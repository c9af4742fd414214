// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

// TestLogs: GET /logs filters the caller's entries by flowId, severity and time window (Lucene
// subset), sorts newest first, pages with size/from and counts every match in daily buckets.
func TestLogs(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	orders := h.createFlow(admin, "orders", twoComponents())
	billing := h.createFlow(admin, "billing", twoComponents())
	_, joe := h.signUp("joe")
	now := h.clock.Now()
	add := func(flow, severity, msg string, ago time.Duration) {
		t.Helper()
		h.must(200, "POST", "/_local/logs", admin, map[string]any{
			"flowId": flow, "componentId": "c2", "severity": severity, "msg": msg, "gridTimestamp": now.Add(-ago).Format(time.RFC3339),
		})
	}
	add(orders, "error", "old failure", 30*time.Hour) // yesterday, outside the last hour
	add(orders, "error", "SMTP refused", 10*time.Minute)
	add(orders, "error", "SMTP timeout", 5*time.Minute)
	add(orders, "info", "sent", 2*time.Minute)
	add(billing, "error", "billing down", time.Minute)

	get := func(token string, q url.Values) map[string]any {
		t.Helper()
		return h.must(200, "GET", "/logs?"+q.Encode(), token, nil).obj()
	}
	r := get(admin, url.Values{"flowId": {orders}, "query": {"severity:error AND gridTimestamp:>now-1h"}, "size": {"1"}})
	hits := r["hits"].([]any)
	if len(hits) != 1 {
		t.Fatalf("size=1 answered %d hits", len(hits))
	}
	src := hits[0].(map[string]any)["_source"].(map[string]any)
	if src["msg"] != "SMTP timeout" || src["componentType"] != "appmixer.utils.email.SendEmail" || src["flowId"] != orders {
		t.Errorf("the newest error of orders is %v, want SMTP timeout of the SendEmail component", src)
	}
	if n := bucketTotal(r); n != 2 {
		t.Errorf("buckets count %d errors of orders in the last hour, want 2 (the page holds 1)", n)
	}
	// Both flows (repeatable flowId), every time: 4 errors over two days.
	r = get(admin, url.Values{"flowId": {orders, billing}, "query": {"severity:error"}})
	if n, days := bucketTotal(r), len(r["buckets"].([]any)); n != 4 || days != 2 {
		t.Errorf("errors of both flows: %d in %d daily buckets, want 4 in 2", n, days)
	}
	// Paging and ascending order.
	r = get(admin, url.Values{"flowId": {orders}, "sort": {"gridTimestamp:asc"}, "from": {"1"}, "size": {"1"}})
	if src := r["hits"].([]any)[0].(map[string]any)["_source"].(map[string]any); src["msg"] != "SMTP refused" {
		t.Errorf("the second-oldest entry of orders is %v", src["msg"])
	}
	// Another user sees none of the admin's entries.
	if r := get(joe, url.Values{"flowId": {orders}}); len(r["hits"].([]any)) != 0 || bucketTotal(r) != 0 {
		t.Errorf("joe sees the admin's logs: %v", r)
	}
	assertBoom(t, h.do("GET", "/logs?query="+url.QueryEscape("severity:error OR x"), admin, nil), 400, "")
	assertBoom(t, h.do("GET", "/logs?query="+url.QueryEscape("gridTimestamp:yesterday"), admin, nil), 400, "")
	assertBoom(t, h.do("POST", "/_local/logs", admin, map[string]any{"flowId": "nope", "componentId": "c1"}), 404, "Flow not found.")
	assertBoom(t, h.do("POST", "/_local/logs", joe, map[string]any{"flowId": orders, "componentId": "c1"}), 403, "")
	if got := len(h.s.LogEntries(orders)); got != 4 {
		t.Errorf("LogEntries(orders) = %d entries, want 4", got)
	}
}

func bucketTotal(r map[string]any) int {
	n := 0
	for _, b := range r["buckets"].([]any) {
		n += int(b.(map[string]any)["doc_count"].(float64))
	}
	return n
}

// TestUnprocessedMessages: the list shows the caller's waiting messages; either retry route and
// DELETE take a message out; another user's message is a 404.
func TestUnprocessedMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	flow := h.createFlow(admin, "orders", twoComponents())
	_, joe := h.signUp("joe")
	added := h.must(200, "POST", "/_local/unprocessed-messages", admin, []map[string]any{
		{"flowId": flow, "componentId": "c2", "err": "SMTP refused", "content": map[string]any{"to": "a@b.c"}},
		{"flowId": flow, "componentId": "c2"}, {"flowId": flow, "componentId": "c2"},
	}).arr()
	ids := make([]string, len(added))
	for i, m := range added {
		ids[i] = str(m.(map[string]any)["messageId"])
	}
	list := h.must(200, "GET", "/unprocessed-messages", admin, nil).arr()
	first := list[0].(map[string]any)
	if len(list) != 3 || first["flowId"] != flow || first["err"] != "SMTP refused" || first["created"] == nil {
		t.Fatalf("GET /unprocessed-messages = %v", list)
	}
	if in, _ := first["messages"].(map[string]any)["in"].([]any); len(in) != 1 {
		t.Errorf("messages of the first is %v, want {in: [the message]}", first["messages"])
	}
	assertBoom(t, h.do("GET", "/unprocessed-messages/"+ids[0], joe, nil), 404, "Message not found.")
	if n := len(h.must(200, "GET", "/unprocessed-messages", joe, nil).arr()); n != 0 {
		t.Errorf("joe sees %d of the admin's messages", n)
	}
	h.must(200, "POST", "/unprocessed-messages/"+ids[0], admin, nil)
	h.must(200, "POST", "/unprocessed-messages/"+ids[1]+"/retry", admin, nil)
	if got := h.s.UnprocessedMessageIDs(flow); !slices.Equal(got, ids[2:]) {
		t.Errorf("after two retries the flow holds %v, want %v", got, ids[2:])
	}
	h.must(200, "DELETE", "/unprocessed-messages/"+ids[2], admin, nil)
	assertBoom(t, h.do("DELETE", "/unprocessed-messages/"+ids[2], admin, nil), 404, "Message not found.")
	if n := len(h.must(200, "GET", "/unprocessed-messages", admin, nil).arr()); n != 0 {
		t.Errorf("%d messages left after retry, retry and delete", n)
	}
}

// TestPeopleTasks: role picks the tasks the caller approves or requested, filter narrows by status.
func TestPeopleTasks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	me := h.s.AdminUsername()
	h.must(200, "POST", "/_local/people-tasks", admin, []map[string]any{
		{"title": "Approve refund", "requester": "joe@example.com", "approver": me},
		{"title": "Approve invoice", "requester": "joe@example.com", "approver": me, "status": "approved"},
		{"title": "My request", "requester": me, "approver": "boss@example.com"},
		{"title": "Not mine", "requester": "joe@example.com", "approver": "boss@example.com"},
	})
	titles := func(q string) []string {
		var out []string
		for _, v := range h.must(200, "GET", "/people-task/tasks?"+q, admin, nil).arr() {
			out = append(out, str(v.(map[string]any)["title"]))
		}
		return out
	}
	for q, want := range map[string][]string{
		"role=approver&filter=status:pending": {"Approve refund"},
		"role=approver":                       {"Approve refund", "Approve invoice"},
		"role=requester":                      {"My request"},
		"":                                    {"Approve refund", "Approve invoice", "My request"},
	} {
		if got := titles(q); !slices.Equal(got, want) {
			t.Errorf("GET /people-task/tasks?%s = %v, want %v", q, got, want)
		}
	}
	assertBoom(t, h.do("GET", "/people-task/tasks?role=boss", admin, nil), 400, "")
	assertBoom(t, h.do("POST", "/_local/people-tasks", admin, map[string]any{"title": "x", "requester": "a", "approver": "b", "status": "done"}), 400, "")
}

// TestAccountTest: an account tests valid until its token is marked bad, then the verdict is the
// connector's message under the same token id; the owner alone may test it.
func TestAccountTest(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	id, err := h.s.AddAccount(h.s.AdminUsername(), AccountSeed{Service: "appmixer:slack", Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	r := h.must(200, "POST", "/accounts/"+id+"/test", admin, nil).obj()
	if len(r) != 1 {
		t.Fatalf("the test answers %v, want one token", r)
	}
	var tokenID string
	for k, v := range r {
		if tokenID = k; v != "valid" {
			t.Errorf("a fresh account tests %v", v)
		}
	}
	h.must(200, "PUT", "/_local/accounts/"+id+"/test", admin, map[string]any{"valid": false, "message": "invalid_auth"})
	if r := h.must(200, "POST", "/accounts/"+id+"/test", admin, nil).obj(); r[tokenID] != "invalid_auth" || len(r) != 1 {
		t.Errorf("a bad account tests %v, want {%s: invalid_auth}", r, tokenID)
	}
	_, joe := h.signUp("joe")
	assertBoom(t, h.do("POST", "/accounts/"+id+"/test", joe, nil), 404, "Account not found.")
	assertBoom(t, h.do("PUT", "/_local/accounts/nope/test", admin, map[string]any{"valid": true}), 404, "Account not found.")
	assertBoom(t, h.do("PUT", "/_local/accounts/"+id+"/test", admin, map[string]any{}), 400, "")
	if err := h.s.SetAccountTest(id, true, ""); err != nil {
		t.Fatal(err)
	}
	if r := h.must(200, "POST", "/accounts/"+id+"/test", admin, nil).obj(); r[tokenID] != "valid" {
		t.Errorf("a repaired account tests %v", r)
	}
}
