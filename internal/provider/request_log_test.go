// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// requestLog keeps the request lines a local server logs (Options.Logf), so that a test can check
// what the provider asked for, not only what it made of the answers.
type requestLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *requestLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// queries returns the query of every logged request of method whose path is exactly path.
func (l *requestLog) queries(method, path string) ([]url.Values, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []url.Values
	for _, line := range l.lines {
		// The server logs "<METHOD> <request URI> -> <status> (<duration>)".
		m, rest, _ := strings.Cut(line, " ")
		uri, _, _ := strings.Cut(rest, " ")
		if m != method {
			continue
		}
		u, err := url.ParseRequestURI(uri)
		if err != nil {
			return nil, fmt.Errorf("logged request %q: %w", line, err)
		}
		if u.Path == path {
			out = append(out, u.Query())
		}
	}
	return out, nil
}
