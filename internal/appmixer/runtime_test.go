// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"net/http"
	"reflect"
	"testing"
)

// TestSearchLogs: one GET /logs with repeated flowId, the query, sort and size; hits are read in
// both shapes §10 reports (_source and flattened), err objects by their message, and Count sums the
// buckets, not the page.
func TestSearchLogs(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"hits":[
		  {"_id":"1","_source":{"gridTimestamp":"2026-01-02T03:00:00.000Z","flowId":"f1","componentId":"c1","componentType":"a.b.c.D","severity":"error","msg":"boom","err":{"message":"SMTP refused","code":"E1"}}},
		  {"gridTimestamp":"2026-01-02T02:00:00.000Z","flowId":"f2","componentId":"c2","severity":"error","msg":{"text":"x"},"err":"plain"}],
		 "buckets":[{"key_as_string":"2026-01-01T00:00:00.000Z","doc_count":3},{"key_as_string":"2026-01-02T00:00:00.000Z","doc_count":4}]}`)
	})
	c := newTestClient(t, f.URL)
	got, err := c.SearchLogs(ctxT(t), LogQuery{FlowIDs: []string{"f1", "f2"}, Query: "severity:error AND gridTimestamp:>now-1h", Size: 2})
	mustNil(t, err)
	assertReq(t, only(t, f), "GET", "/logs", "flowId=f1&flowId=f2&query=severity%3Aerror+AND+gridTimestamp%3A%3Enow-1h&sort=gridTimestamp%3Adesc&size=2")
	want := []LogEntry{
		{Time: "2026-01-02T03:00:00.000Z", FlowID: "f1", ComponentID: "c1", ComponentType: "a.b.c.D", Severity: "error", Message: "boom", Err: "SMTP refused"},
		{Time: "2026-01-02T02:00:00.000Z", FlowID: "f2", ComponentID: "c2", Severity: "error", Message: `{"text":"x"}`, Err: "plain"},
	}
	if got.Count != 7 || !reflect.DeepEqual(got.Entries, want) {
		t.Fatalf("SearchLogs = %d %+v, want 7 %+v", got.Count, got.Entries, want)
	}
}

// TestUnprocessedMessageCalls: the list, a retry on the docs' route, the CLI's route when the docs'
// one is missing, and delete.
func TestUnprocessedMessageCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.Method == http.MethodGet:
			replyRaw(w, 200, `[{"messageId":"m1","flowId":"f1","componentId":"c1","messages":{"in":[{}]},"created":"2026-01-02T03:00:00.000Z","err":{"message":"bad"}}]`)
		case r.URL.Path == "/unprocessed-messages/old":
			boom(w, 404, "Not Found")
		default:
			replyRaw(w, 200, `{}`)
		}
	})
	c := newTestClient(t, f.URL)
	ctx := ctxT(t)
	list, err := c.ListUnprocessedMessages(ctx)
	mustNil(t, err)
	if want := []UnprocessedMessage{{MessageID: "m1", FlowID: "f1", ComponentID: "c1", Created: "2026-01-02T03:00:00.000Z", Err: "bad"}}; !reflect.DeepEqual(list, want) {
		t.Fatalf("list = %+v", list)
	}
	mustNil(t, c.RetryUnprocessedMessage(ctx, "m1"))
	mustNil(t, c.RetryUnprocessedMessage(ctx, "old"))
	mustNil(t, c.DeleteUnprocessedMessage(ctx, "m1"))
	reqs := f.requests()
	var got []string
	for _, r := range reqs {
		got = append(got, r.Method+" "+r.Path)
	}
	want := []string{"GET /unprocessed-messages", "POST /unprocessed-messages/m1", "POST /unprocessed-messages/old",
		"POST /unprocessed-messages/old/retry", "DELETE /unprocessed-messages/m1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("requests = %v, want %v", got, want)
	}
}

func TestListPeopleTasks(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Query().Get("offset") != "0" {
			replyRaw(w, 200, `[]`)
			return
		}
		replyRaw(w, 200, `[{"id":"t1","title":"Refund","requester":"a@b.c","approver":"me@b.c","status":"pending","decisionBy":null,"public":false}]`)
	})
	c := newTestClient(t, f.URL)
	tasks, err := c.ListPeopleTasks(ctxT(t), "approver", "pending")
	mustNil(t, err)
	if want := []PeopleTask{{ID: "t1", Title: "Refund", Requester: "a@b.c", Approver: "me@b.c", Status: "pending"}}; !reflect.DeepEqual(tasks, want) {
		t.Fatalf("tasks = %+v", tasks)
	}
	assertReq(t, f.requests()[0], "GET", "/people-task/tasks", "role=approver&filter=status%3Apending&limit=100&offset=0&sort=id%3A1")
}

func TestTestAccount(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"tok1":"valid","tok2":{"message":"invalid_auth"}}`)
	})
	c := newTestClient(t, f.URL)
	got, err := c.TestAccount(ctxT(t), "acc 1")
	mustNil(t, err)
	assertReq(t, only(t, f), "POST", "/accounts/acc%201/test", "")
	if want := map[string]string{"tok1": "valid", "tok2": "invalid_auth"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("TestAccount = %v", got)
	}
}
