// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// LogQuery is a GET /logs search (appmixer-api.md §1.10, §10).
type LogQuery struct {
	FlowIDs []string // repeatable flowId; none = every flow of the user
	Query   string   // Lucene, e.g. "severity:error AND gridTimestamp:>now-1h"
	Size    int      // hits to return; 0 sends size=0, which asks for the buckets alone
	Sort    string   // default gridTimestamp:desc
}

// LogEntry is one hit: an engine log entry.
type LogEntry struct {
	Time          string // gridTimestamp, as the server wrote it
	FlowID        string
	ComponentID   string
	ComponentType string
	Severity      string
	Message       string // msg, or the JSON of a msg that is not a string
	Err           string // err's message, or its JSON
}

// LogResult is what a search answers: the page of hits and Count, the number of all matches, from
// the daily histogram (buckets) that the server computes over every match, not just the page.
type LogResult struct {
	Entries []LogEntry
	Count   int64
}

// SearchLogs is one GET /logs.
func (c *Client) SearchLogs(ctx context.Context, q LogQuery) (*LogResult, error) {
	v := url.Values{}
	for _, id := range q.FlowIDs {
		v.Add("flowId", id)
	}
	if q.Query != "" {
		v.Set("query", q.Query)
	}
	if q.Sort == "" {
		q.Sort = "gridTimestamp:desc"
	}
	v.Set("sort", q.Sort)
	v.Set("size", strconv.Itoa(q.Size))
	var w struct {
		Hits    []map[string]json.RawMessage `json:"hits"`
		Buckets []struct {
			DocCount int64 `json:"doc_count"`
		} `json:"buckets"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/logs", query: v}, &w); err != nil {
		return nil, err
	}
	out := &LogResult{Entries: make([]LogEntry, 0, len(w.Hits))}
	for _, h := range w.Hits {
		out.Entries = append(out.Entries, logEntryOf(h))
	}
	for _, b := range w.Buckets {
		out.Count += b.DocCount
	}
	return out, nil
}

// logEntryOf reads a hit, which is Elasticsearch's {_source: {...}} or the entry itself (§10 says
// both are seen).
func logEntryOf(hit map[string]json.RawMessage) LogEntry {
	src := hit
	if raw, ok := hit["_source"]; ok {
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil && inner != nil {
			src = inner
		}
	}
	return LogEntry{
		Time: textOf(src["gridTimestamp"]), FlowID: textOf(src["flowId"]), ComponentID: textOf(src["componentId"]),
		ComponentType: textOf(src["componentType"]), Severity: textOf(src["severity"]), Message: textOf(src["msg"]),
		Err: errText(src["err"]),
	}
}

// textOf is a string value as it is, anything else as compact JSON, and null or absent as "".
func textOf(raw json.RawMessage) string {
	var s flexString
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return string(s)
}

// errText is an error's message when it is an object with one, else textOf.
func errText(raw json.RawMessage) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Message != "" {
		return e.Message
	}
	return textOf(raw)
}
