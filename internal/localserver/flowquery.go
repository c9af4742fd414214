// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// defaultListLimit is Appmixer's page size when limit is not given.
const defaultListLimit = 100

// filterParam matches the array spellings of filter that axios and friends send: filter[] and filter[0].
var filterParam = regexp.MustCompile(`^filter\[\d*\]$`)

// listQuery is the MongoDB-flavoured query language of Appmixer's list endpoints (GET /flows,
// GET /users, ...): limit, offset, pattern, sort, projection and filter.
type listQuery struct {
	idKey       string
	patternKeys []string
	limit       int // 0 = no limit, as in MongoDB
	offset      int
	pattern     string
	sort        []sortKey
	projection  projection
	filters     []filter
}

type sortKey struct {
	path []string
	desc bool
}

// filter is one path:value condition; "!value" negates it and "~value" matches a substring.
type filter struct {
	path     []string
	value    string
	negate   bool
	contains bool
}

type projection struct {
	include bool // bare names include, "-name" excludes; a mix is rejected as MongoDB does
	paths   [][]string
	idKey   string // always kept by an inclusion, like MongoDB's _id
}

// listQuery parses a list request's parameters and applies the server's page cap.
func (s *Server) listQuery(c *call, idKey string, patternKeys ...string) (*listQuery, error) {
	lq, err := parseListQuery(c.query(), idKey, patternKeys...)
	if err == nil && s.opts.MaxPageSize > 0 && (lq.limit == 0 || lq.limit > s.opts.MaxPageSize) {
		lq.limit = s.opts.MaxPageSize
	}
	return lq, err
}

// parseListQuery reads the list parameters; pattern matches idKey and patternKeys.
func parseListQuery(q url.Values, idKey string, patternKeys ...string) (*listQuery, error) {
	lq := &listQuery{idKey: idKey, patternKeys: append([]string{idKey}, patternKeys...), pattern: q.Get("pattern")}
	var err error
	if lq.limit, err = intParam(q, "limit", defaultListLimit); err != nil {
		return nil, err
	}
	if lq.offset, err = intParam(q, "offset", 0); err != nil {
		return nil, err
	}
	if lq.sort, err = parseSort(q.Get("sort")); err != nil {
		return nil, err
	}
	if lq.projection, err = parseProjection(q.Get("projection"), idKey); err != nil {
		return nil, err
	}
	if lq.filters, err = parseFilters(q); err != nil {
		return nil, err
	}
	return lq, nil
}

func intParam(q url.Values, name string, def int) (int, error) {
	raw := q.Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, badRequest("%q must be a number", name)
	}
	if n < 0 {
		return 0, badRequest("%q must be greater than or equal to 0", name)
	}
	return n, nil
}

func parseSort(raw string) ([]sortKey, error) {
	var keys []sortKey
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		field, dir, _ := strings.Cut(part, ":")
		if field == "" || (dir != "" && dir != "1" && dir != "-1") {
			return nil, badRequest("Invalid sort %q: expected <field>:1 or <field>:-1.", part)
		}
		keys = append(keys, sortKey{path: strings.Split(field, "."), desc: dir == "-1"})
	}
	return keys, nil
}

func parseProjection(raw, idKey string) (projection, error) {
	p := projection{idKey: idKey}
	var includes, excludes int
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if part == "" || part == "-" {
			continue
		}
		if strings.HasPrefix(part, "-") {
			excludes++
			part = part[1:]
		} else {
			includes++
		}
		p.paths = append(p.paths, strings.Split(part, "."))
	}
	if includes > 0 && excludes > 0 {
		return p, badRequest("Projection cannot have a mix of inclusion and exclusion.")
	}
	p.include = includes > 0
	return p, nil
}

// parseFilters collects filter, filter[] and filter[N]; several filters are ANDed.
func parseFilters(q url.Values) ([]filter, error) {
	var filters []filter
	for _, key := range sortedKeys(q) {
		if key != "filter" && !filterParam.MatchString(key) {
			continue
		}
		for _, raw := range q[key] {
			path, value, ok := strings.Cut(raw, ":")
			if !ok || path == "" {
				return nil, badRequest("Invalid filter %q: expected <path>:<value>.", raw)
			}
			f := filter{path: strings.Split(path, ".")}
			if rest, ok := strings.CutPrefix(value, "!"); ok {
				f.negate, value = true, rest
			}
			if rest, ok := strings.CutPrefix(value, "~"); ok {
				f.contains, value = true, rest
			}
			f.value = value
			filters = append(filters, f)
		}
	}
	return filters, nil
}

// apply filters, sorts, pages and projects docs; the stored documents are never modified.
func (lq *listQuery) apply(docs []map[string]any) []map[string]any {
	out := lq.matching(docs)
	if len(lq.sort) > 0 {
		slices.SortStableFunc(out, func(a, b map[string]any) int {
			for _, k := range lq.sort {
				av, _ := lookup(a, k.path)
				bv, _ := lookup(b, k.path)
				if c := compareValues(av, bv); c != 0 {
					if k.desc {
						return -c
					}
					return c
				}
			}
			return 0
		})
	}
	out = out[min(lq.offset, len(out)):]
	if lq.limit > 0 && len(out) > lq.limit {
		out = out[:lq.limit]
	}
	for i, d := range out {
		out[i] = lq.projection.apply(d)
	}
	return out
}

// count is what /…/count answers: the number of matches, ignoring paging.
func (lq *listQuery) count(docs []map[string]any) int { return len(lq.matching(docs)) }

func (lq *listQuery) matching(docs []map[string]any) []map[string]any {
	out := make([]map[string]any, 0, len(docs))
	for _, d := range docs {
		if lq.matchesPattern(d) && matchesFilters(d, lq.filters) {
			out = append(out, d)
		}
	}
	return out
}

func (lq *listQuery) matchesPattern(doc map[string]any) bool {
	if lq.pattern == "" {
		return true
	}
	for _, k := range lq.patternKeys {
		if strings.Contains(strings.ToLower(str(doc[k])), strings.ToLower(lq.pattern)) {
			return true
		}
	}
	return false
}

func matchesFilters(doc map[string]any, filters []filter) bool {
	for _, f := range filters {
		v, found := lookup(doc, f.path)
		if (found && valueMatches(v, f.value, f.contains)) == f.negate {
			return false
		}
	}
	return true
}

// valueMatches compares a document value with a filter value given as text; an array matches when
// any element does, as in MongoDB.
func valueMatches(v any, want string, contains bool) bool {
	var s string
	switch x := v.(type) {
	case []any:
		if want == "[]" && !contains {
			// "[]" is the empty array, so "sharedWith:![]" is "not empty": how the Automation Hub hides
			// unshared templates (appmixer-api.md §10).
			return len(x) == 0
		}
		return slices.ContainsFunc(x, func(e any) bool { return valueMatches(e, want, contains) })
	case []string:
		return slices.ContainsFunc(x, func(e string) bool { return valueMatches(e, want, contains) })
	case string:
		s = x
	case json.Number:
		s = x.String()
	case bool:
		s = strconv.FormatBool(x)
	case nil:
		s = "null"
	default:
		return false
	}
	if contains {
		return strings.Contains(strings.ToLower(s), strings.ToLower(want))
	}
	return s == want
}

// compareValues orders values like MongoDB: missing/null < numbers < strings < objects < arrays < booleans.
func compareValues(a, b any) int {
	ra, rb := typeRank(a), typeRank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case json.Number:
		y, _ := b.(json.Number)
		xf, _ := x.Float64()
		yf, _ := y.Float64()
		return cmpOrdered(xf, yf)
	case string:
		return strings.Compare(x, str(b))
	case bool:
		y, _ := b.(bool)
		return cmpOrdered(boolRank(x), boolRank(y))
	}
	return 0
}

func typeRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case json.Number:
		return 1
	case string:
		return 2
	case map[string]any:
		return 3
	case []any, []string:
		return 4
	case bool:
		return 5
	}
	return 6
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpOrdered[T int | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (p projection) apply(doc map[string]any) map[string]any {
	if len(p.paths) == 0 {
		return doc
	}
	if !p.include {
		out := maps.Clone(doc)
		for _, path := range p.paths {
			removePath(out, path)
		}
		return out
	}
	out := map[string]any{}
	if v, ok := doc[p.idKey]; ok {
		out[p.idKey] = v
	}
	for _, path := range p.paths {
		if v, ok := lookup(doc, path); ok {
			setPath(out, path, v)
		}
	}
	return out
}

func lookup(doc map[string]any, path []string) (any, bool) {
	var cur any = doc
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// removePath deletes a nested key from m, cloning the maps on the way so shared documents stay intact.
func removePath(m map[string]any, path []string) {
	if len(path) == 1 {
		delete(m, path[0])
		return
	}
	child, ok := m[path[0]].(map[string]any)
	if !ok {
		return
	}
	child = maps.Clone(child)
	m[path[0]] = child
	removePath(child, path[1:])
}

// setPath sets a nested key, cloning maps on the way: they may belong to a stored document.
func setPath(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		child, ok := m[k].(map[string]any)
		if ok {
			child = maps.Clone(child)
		} else {
			child = map[string]any{}
		}
		m[k] = child
		m = child
	}
	m[path[len(path)-1]] = v
}

// str is the string in v, or "" when v is not a string.
func str(v any) string {
	s, _ := v.(string)
	return s
}
