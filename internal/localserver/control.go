// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// requestStats counts API requests by route template for GET /_local/stats; tests use it to see
// how many calls (and retries) a client really made.
type requestStats struct {
	mu         sync.Mutex
	total      int
	byRoute    map[string]int
	limited429 int
	second     int64 // the Unix second being counted for peakPerSecond
	inSecond   int
	peak       int
	first      time.Time
	last       time.Time
}

func newRequestStats() *requestStats { return &requestStats{byRoute: map[string]int{}} }

func (rs *requestStats) count(route string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.total++
	rs.byRoute[route]++
}

// arrived counts an API request in its Unix second, for the peak rate.
func (rs *requestStats) arrived(now time.Time) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if sec := now.Unix(); sec != rs.second {
		rs.second, rs.inSecond = sec, 0
	}
	rs.inSecond++
	rs.peak = max(rs.peak, rs.inSecond)
	if rs.first.IsZero() {
		rs.first = now
	}
	rs.last = now
}

// limited counts a request answered 429 by the rate limit.
func (rs *requestStats) limited() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.limited429++
}

// Stats returns the request counts since the start or the last reset. Requests that match no
// route are counted as "unmatched"; the /_local routes are not counted.
func (s *Server) Stats() Stats {
	if s.localOnly("request statistics (Stats)") {
		return Stats{}
	}
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return Stats{Total: s.stats.total, Requests: maps.Clone(s.stats.byRoute), RateLimited: s.stats.limited429, PeakPerSecond: s.stats.peak,
		SpanSeconds: s.stats.last.Sub(s.stats.first).Seconds()}
}

// ResetStats sets every request count back to zero.
func (s *Server) ResetStats() {
	if s.localOnly("request statistics (ResetStats)") {
		return
	}
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	s.stats.total = 0
	s.stats.byRoute = map[string]int{}
	s.stats.limited429, s.stats.second, s.stats.inSecond, s.stats.peak = 0, 0, 0, 0
	s.stats.first, s.stats.last = time.Time{}, time.Time{}
}

func (s *Server) getStats(*call) (any, error) { return s.Stats(), nil }

func (s *Server) deleteStats(*call) (any, error) {
	s.ResetStats()
	return map[string]any{}, nil
}

// createLocalAccount is POST /_local/accounts: Appmixer's POST /accounts body, for the caller or
// for userId. It exists because real accounts come from OAuth flows a test cannot run.
func (s *Server) createLocalAccount(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "service", "name", "displayName", "token", "profileInfo", "userId"); err != nil {
		return nil, err
	}
	owner := c.user
	if id, ok, err := optString(body, "userId"); err != nil {
		return nil, err
	} else if ok {
		if owner, err = s.visibleUser(id); err != nil {
			return nil, err
		}
	}
	a, err := s.createAccount(owner.id, body)
	if err != nil {
		return nil, err
	}
	return s.accountView(a), nil
}

// upgradeComponentRoute is POST /_local/components/upgrade {"type", "version"}.
func (s *Server) upgradeComponentRoute(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	typ, err := requiredString(body, "type")
	if err != nil {
		return nil, err
	}
	version, err := requiredString(body, "version")
	if err != nil {
		return nil, err
	}
	newest, err := s.upgradeComponent(typ, version)
	if err != nil {
		return nil, err
	}
	return map[string]any{"type": typ, "version": newest}, nil
}

// UpgradeComponent installs another version of a component type, in the built-ins and in every
// user's copies that have it, and, like a server-side connector upgrade, rewrites that type's version in every stored flow without touching mtime.
func (s *Server) UpgradeComponent(componentType, version string) error {
	if s.localOnly("upgrading a built-in component (UpgradeComponent)") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.upgradeComponent(componentType, version)
	return err
}

func (s *Server) upgradeComponent(componentType, version string) (string, error) {
	var holders []*catalog // the built-ins and every user's copies that have the type
	for _, cat := range append([]*catalog{s.builtins}, slices.Collect(maps.Values(s.copies))...) {
		if _, ok := cat.components[componentType]; ok {
			holders = append(holders, cat)
		}
	}
	if len(holders) == 0 {
		return "", notFound("Component")
	}
	if !bundleVersionPattern.MatchString(version) {
		return "", badRequest(`"version" must be a semantic version such as "1.2.0"`)
	}
	for _, cat := range holders {
		cat.addVersion(componentType, version)
	}
	newest := ""
	for _, f := range s.flows {
		for _, v := range f.components() {
			if comp, ok := v.(map[string]any); ok && comp["type"] == componentType {
				comp["version"], _ = s.runtimeCatalog(f.owner()).newestVersion(componentType)
			}
		}
	}
	for _, cat := range holders {
		if v, _ := cat.newestVersion(componentType); compareVersions(v, newest) > 0 {
			newest = v
		}
	}
	return newest, nil
}
