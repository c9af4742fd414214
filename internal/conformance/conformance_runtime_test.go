// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"net/http"
	"net/url"
	"testing"
)

// TestConformanceRuntime covers the runtime routes that the promotion checks read: logs, unprocessed
// messages, people tasks and account tests. On a real tenant the shapes are checked on whatever the
// tenant holds; appmixer-local is given an entry of each first through its /_local routes.
func TestConformanceRuntime(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	r := admin.must(t, http.StatusOK, "POST", "/flows", map[string]any{"name": uniqueName("runtime"), "flow": map[string]any{
		"c1": map[string]any{"type": "appmixer.utils.controls.OnStart", "source": map[string]any{}, "config": map[string]any{}},
	}})
	flowID, _ := r.object(t)["flowId"].(string)
	t.Cleanup(func() { admin.do(t, "DELETE", "/flows/"+flowID, nil) })
	if tn.isLocal() {
		admin.must(t, http.StatusOK, "POST", "/_local/logs", map[string]any{"flowId": flowID, "componentId": "c1", "severity": "error", "msg": "x"})
		admin.must(t, http.StatusOK, "POST", "/_local/unprocessed-messages", map[string]any{"flowId": flowID, "componentId": "c1", "err": "x"})
	}

	t.Run("GET /logs answers hits and daily buckets", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.10, §10", source: "docs /api/insights; ops code", confidence: "high"})
		q := url.Values{"flowId": {flowID}, "query": {"severity:error AND gridTimestamp:>now-1d"}, "sort": {"gridTimestamp:desc"}, "size": {"5"}}
		body := admin.must(c, http.StatusOK, "GET", "/logs?"+q.Encode(), nil).object(c)
		hits, okHits := body["hits"].([]any)
		buckets, okBuckets := body["buckets"].([]any)
		if !okHits || !okBuckets {
			c.Fatalf("GET /logs answered keys %v, want hits and buckets arrays", keys(body))
		}
		for _, b := range buckets {
			bucket, _ := b.(map[string]any)
			if _, ok := bucket["doc_count"].(float64); !ok || bucket["key_as_string"] == nil {
				c.Errorf("a bucket is %v, want {key_as_string, doc_count}", b)
			}
		}
		for _, h := range hits {
			hit, _ := h.(map[string]any)
			src, _ := hit["_source"].(map[string]any)
			if src == nil {
				src = hit // §10: hits may come flattened
			}
			if src["severity"] != "error" || src["flowId"] != flowID || src["gridTimestamp"] == nil {
				c.Errorf("a hit is %v, want an error entry of flow %s with gridTimestamp", h, flowID)
			}
		}
		if tn.isLocal() && len(hits) != 1 {
			c.Errorf("appmixer-local holds one error entry, GET /logs answered %d hits", len(hits))
		}
	})

	t.Run("GET /insights does not exist", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.10", source: "docs /api/insights; CLI routes", confidence: "high"})
		if r := admin.do(c, "GET", "/insights", nil); r.status != http.StatusNotFound {
			c.Errorf("GET /insights answered %d, want 404: %s", r.status, r.raw)
		}
	})

	t.Run("unprocessed messages list, and a missing one is a 404", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.11", source: "docs; CLI routes", confidence: "high"})
		list := admin.must(c, http.StatusOK, "GET", "/unprocessed-messages", nil).array(c)
		for _, m := range list {
			msg, _ := m.(map[string]any)
			for _, k := range []string{"messageId", "flowId", "componentId", "messages", "created"} {
				if _, ok := msg[k]; !ok {
					c.Errorf("an unprocessed message lacks %s: %v", k, m)
				}
			}
		}
		if tn.isLocal() && len(list) != 1 {
			c.Errorf("appmixer-local holds one message, the list has %d", len(list))
		}
		if r := admin.do(c, "GET", "/unprocessed-messages/000000000000000000000000", nil); r.status != http.StatusNotFound {
			c.Errorf("GET of a missing message answered %d, want 404", r.status)
		}
	})

	t.Run("both retry routes take a message out of the list", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.11", source: "docs (POST …/:messageId) vs CLI routes (…/retry)", confidence: "high"})
		if !tn.isLocal() {
			t.Skip("retrying would re-run a real tenant's message; only appmixer-local is given messages to retry")
		}
		for _, suffix := range []string{"", "/retry"} {
			m := admin.must(c, http.StatusOK, "POST", "/_local/unprocessed-messages", map[string]any{"flowId": flowID, "componentId": "c1"}).array(c)
			id, _ := m[0].(map[string]any)["messageId"].(string)
			admin.must(c, http.StatusOK, "POST", "/unprocessed-messages/"+id+suffix, nil)
			if r := admin.do(c, "GET", "/unprocessed-messages/"+id, nil); r.status != http.StatusNotFound {
				c.Errorf("after POST …/%s%s the message still answers %d", id, suffix, r.status)
			}
		}
	})

	t.Run("GET /people-task/tasks answers an array of tasks", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.9", source: "docs /api/people-task", confidence: "high"})
		for _, task := range admin.must(c, http.StatusOK, "GET", "/people-task/tasks?role=approver&filter=status:pending", nil).array(c) {
			m, _ := task.(map[string]any)
			if m["id"] == nil || m["status"] != "pending" {
				c.Errorf("a pending task of the approver is %v", task)
			}
		}
	})

	t.Run("POST /accounts/{id}/test of a missing account is a 404", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.5, §8", source: "docs /api/accounts; CLI routes", confidence: "high"})
		if r := admin.do(c, "POST", "/accounts/000000000000000000000000/test", nil); r.status != http.StatusNotFound {
			c.Errorf("testing a missing account answered %d, want 404: %s", r.status, r.raw)
		}
	})

	t.Run("a bad token's test names the token with the connector's message", func(t *testing.T) {
		c := cite(t, evidence{section: "§8", source: "only {\"<tokenId>\": \"valid\"} is documented", confidence: "low", guess: true})
		if !tn.isLocal() {
			t.Skip("no way to spoil a real account's token on purpose")
		}
		acc := admin.must(c, http.StatusOK, "POST", "/_local/accounts", map[string]any{"service": "appmixer:slack", "token": map[string]any{"accessToken": "x"}}).object(c)
		id, _ := acc["accountId"].(string)
		valid := admin.must(c, http.StatusOK, "POST", "/accounts/"+id+"/test", nil).object(c)
		admin.must(c, http.StatusOK, "PUT", "/_local/accounts/"+id+"/test", map[string]any{"valid": false, "message": "expired"})
		bad := admin.must(c, http.StatusOK, "POST", "/accounts/"+id+"/test", nil).object(c)
		for token, v := range valid {
			if v != "valid" || bad[token] != "expired" || len(bad) != 1 {
				c.Errorf("the test answered %v, then %v after the token went bad", valid, bad)
			}
		}
	})
}
