// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// GET /logs is Appmixer's Insights search (appmixer-api.md §1.10, §10): Elasticsearch hits of the
// engine's log entries, filtered by repeatable flowId, portType and a Lucene query, sorted by
// gridTimestamp, paged by size and from, with a daily histogram of all matches in buckets.

type logEntry struct {
	LogEntry
	id     string
	userID string // the flow's owner: a user sees the logs of their own flows
}

var _ = guess("logs", "GET /logs without size answers 50 hits",
	"§1.10 shows size=50 in an example; the default is not documented (Elasticsearch's own is 10)")

var _ = guess("logs", "a hit is {_id, _source: {gridTimestamp, flowId, componentId, componentType, severity, msg, err?, portType?, userId}}",
	"§10 says hits are _source objects \"or flattened\"; which one a given version sends is open")

var _ = guess("logs", "buckets are daily {key, key_as_string, doc_count} for the days that have matching entries, oldest first, over all matches (not just the page)",
	"§10 names daily buckets of {key_as_string, doc_count}; whether empty days appear is not documented")

func (s *Server) addLogEntry(in LogEntry, now time.Time) error {
	f := s.flows[in.FlowID]
	if f == nil {
		return notFound("Flow")
	}
	if in.ComponentID == "" {
		return badRequest(`"componentId" is required`)
	}
	if in.ComponentType == "" {
		comp, _ := f.components()[in.ComponentID].(map[string]any)
		in.ComponentType = str(comp["type"])
	}
	if in.Severity == "" {
		in.Severity = "info"
	}
	if in.Time.IsZero() {
		in.Time = now
	}
	rt := s.rt()
	rt.logSeq++
	rt.logs = append(rt.logs, &logEntry{LogEntry: in, id: "log-" + strconv.Itoa(rt.logSeq), userID: f.owner()})
	return nil
}

func (e *logEntry) source() map[string]any {
	src := map[string]any{
		"gridTimestamp": isoTime(e.Time), "flowId": e.FlowID, "componentId": e.ComponentID,
		"componentType": e.ComponentType, "severity": e.Severity, "msg": e.Message, "userId": e.userID,
	}
	if e.Err != "" {
		src["err"] = e.Err
	}
	if e.PortType != "" {
		src["portType"] = e.PortType
	}
	return src
}

// getLogs is GET /logs.
func (s *Server) getLogs(c *call) (any, error) {
	q := c.query()
	size, err := intParam(q, "size", 50)
	if err != nil {
		return nil, err
	}
	from, err := intParam(q, "from", 0)
	if err != nil {
		return nil, err
	}
	desc := true
	switch sort := q.Get("sort"); sort {
	case "", "gridTimestamp:desc", "gridTimestamp:-1":
	case "gridTimestamp:asc", "gridTimestamp:1":
		desc = false
	default:
		return nil, badRequest("Invalid sort %q: appmixer-local sorts logs by gridTimestamp:desc or gridTimestamp:asc.", sort)
	}
	match, err := parseLucene(q.Get("query"), c.now)
	if err != nil {
		return nil, err
	}
	flowIDs, portType := q["flowId"], q.Get("portType")
	var hits []*logEntry
	for _, e := range s.rt().logs {
		if e.userID != c.user.id || (len(flowIDs) > 0 && !slices.Contains(flowIDs, e.FlowID)) ||
			(portType != "" && e.PortType != portType) || !match(e.source()) {
			continue
		}
		hits = append(hits, e)
	}
	slices.SortStableFunc(hits, func(a, b *logEntry) int {
		if desc {
			return b.Time.Compare(a.Time)
		}
		return a.Time.Compare(b.Time)
	})
	page := []any{}
	for _, e := range hits[min(from, len(hits)):min(from+size, len(hits))] {
		page = append(page, map[string]any{"_id": e.id, "_source": e.source()})
	}
	return map[string]any{"hits": page, "buckets": dailyBuckets(hits)}, nil
}

func dailyBuckets(hits []*logEntry) []any {
	counts := map[time.Time]int{}
	for _, e := range hits {
		counts[e.Time.UTC().Truncate(24*time.Hour)]++
	}
	days := make([]time.Time, 0, len(counts))
	for d := range counts {
		days = append(days, d)
	}
	slices.SortFunc(days, time.Time.Compare)
	out := []any{}
	for _, d := range days {
		out = append(out, map[string]any{"key": d.UnixMilli(), "key_as_string": isoTime(d), "doc_count": counts[d]})
	}
	return out
}

var _ = guess("logs", "the query parameter understands only field:value terms joined by AND (values may be quoted or end in *), "+
	"and gridTimestamp:>now-1h style ranges (>, >=, <, <= against now-<n><s|m|h|d|w> or an ISO time); anything else answers 400",
	"real Appmixer hands query to Elasticsearch's full Lucene syntax; appmixer-local implements the subset the provider's data sources send")

// parseLucene turns the subset of Lucene query syntax that appmixer-local understands into a predicate.
func parseLucene(query string, now time.Time) (func(map[string]any) bool, error) {
	query = strings.TrimSpace(query)
	if query == "" || query == "*" {
		return func(map[string]any) bool { return true }, nil
	}
	var terms []func(map[string]any) bool
	for _, term := range strings.Split(query, " AND ") {
		term = strings.TrimSpace(term)
		field, value, ok := strings.Cut(term, ":")
		quoted := len(value) > 1 && strings.HasPrefix(value, `"`) && strings.HasSuffix(value, `"`)
		if !ok || field == "" || value == "" || strings.ContainsAny(field, " ()") || (!quoted && strings.ContainsAny(value, " ()")) {
			return nil, badRequest("Unsupported query term %q: appmixer-local understands field:value terms joined by AND.", term)
		}
		if field == "gridTimestamp" {
			t, err := timeRange(value, now)
			if err != nil {
				return nil, err
			}
			terms = append(terms, t)
			continue
		}
		want := strings.Trim(value, `"`)
		prefix := strings.HasSuffix(want, "*") && !quoted
		want = strings.TrimSuffix(want, "*")
		terms = append(terms, func(src map[string]any) bool {
			got := str(src[field])
			if prefix {
				return hasPrefixFold(got, want)
			}
			return strings.EqualFold(got, want)
		})
	}
	return func(src map[string]any) bool {
		for _, t := range terms {
			if !t(src) {
				return false
			}
		}
		return true
	}, nil
}

// timeRange reads ">now-1h", ">=2024-05-01T00:00:00Z" and the like.
func timeRange(value string, now time.Time) (func(map[string]any) bool, error) {
	op := ""
	for _, o := range []string{">=", "<=", ">", "<"} {
		if rest, ok := strings.CutPrefix(value, o); ok {
			op, value = o, rest
			break
		}
	}
	bound, err := dateMath(strings.Trim(value, `"`), now)
	if op == "" || err != nil {
		return nil, badRequest("Unsupported gridTimestamp range %q: use e.g. gridTimestamp:>now-1h.", value)
	}
	return func(src map[string]any) bool {
		t, err := time.Parse(time.RFC3339Nano, str(src["gridTimestamp"]))
		if err != nil {
			return false
		}
		c := t.Compare(bound)
		switch op {
		case ">":
			return c > 0
		case ">=":
			return c >= 0
		case "<":
			return c < 0
		default:
			return c <= 0
		}
	}, nil
}

var dateMathUnits = map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}

// dateMath reads "now", "now-<n><unit>" or an RFC 3339 time.
func dateMath(v string, now time.Time) (time.Time, error) {
	if v == "now" {
		return now, nil
	}
	if rest, ok := strings.CutPrefix(v, "now-"); ok && len(rest) > 1 {
		unit, ok := dateMathUnits[rest[len(rest)-1]]
		n, err := strconv.Atoi(rest[:len(rest)-1])
		if ok && err == nil && n >= 0 {
			return now.Add(-time.Duration(n) * unit), nil
		}
	}
	return time.Parse(time.RFC3339Nano, v)
}
