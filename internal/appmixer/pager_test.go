// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// listServer is a list of n items served the way a given server pages it.
type listServer struct {
	n            int
	maxPage      int  // the server's own cap on a page, 0 for none
	ignoreLimit  bool // answers everything from offset on
	ignoreOffset bool // always starts at 0
	calls        []string
}

func (s *listServer) fetch(_ context.Context, limit, offset int) ([]string, error) {
	s.calls = append(s.calls, fmt.Sprintf("%d+%d", offset, limit))
	if s.ignoreOffset {
		offset = 0
	}
	if s.ignoreLimit {
		limit = s.n
	}
	if s.maxPage > 0 {
		limit = min(limit, s.maxPage)
	}
	var page []string
	for i := offset; i < s.n && i < offset+limit; i++ {
		page = append(page, fmt.Sprintf("item-%03d", i))
	}
	return page, nil
}

func items(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("item-%03d", i))
	}
	return out
}

func TestWalkPages(t *testing.T) {
	cases := []struct {
		name       string
		srv        listServer
		start, end int
		size       int
		want       []string
		wantCalls  []string
	}{
		{name: "exact pages end with an empty one", srv: listServer{n: 200}, size: 100,
			want: items(0, 200), wantCalls: []string{"0+100", "100+100", "200+100"}},
		{name: "short last page after full ones ends at once", srv: listServer{n: 150}, size: 100,
			want: items(0, 150), wantCalls: []string{"0+100", "100+100"}},
		{name: "a server capping pages at 50 is walked to its end", srv: listServer{n: 120, maxPage: 50}, size: 100,
			want: items(0, 120), wantCalls: []string{"0+100", "50+100", "100+100"}},
		{name: "a short first page costs one more request", srv: listServer{n: 7}, size: 100,
			want: items(0, 7), wantCalls: []string{"0+100", "7+100"}},
		{name: "empty list", srv: listServer{n: 0}, size: 100, want: nil, wantCalls: []string{"0+100"}},
		{name: "a server ignoring limit sends everything at once", srv: listServer{n: 130, ignoreLimit: true}, size: 100,
			want: items(0, 130), wantCalls: []string{"0+100"}},
		{name: "a server ignoring offset does not loop", srv: listServer{n: 100, ignoreOffset: true}, size: 100,
			want: items(0, 100), wantCalls: []string{"0+100", "100+100"}},
		{name: "a known range under a cap is asked again until its end", srv: listServer{n: 500, maxPage: 30}, start: 100, end: 200, size: 100,
			want: items(100, 200), wantCalls: []string{"100+100", "130+70", "160+40", "190+10"}},
		{name: "a range past the end of the list stops at the empty page", srv: listServer{n: 120}, start: 100, end: 200, size: 100,
			want: items(100, 120), wantCalls: []string{"100+100", "120+80"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := c.srv
			got, err := walkPages(context.Background(), pageWalk[string]{start: c.start, end: c.end, size: c.size, fetch: srv.fetch,
				key: func(s string) string { return s }})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %d items %v, want %d items", len(got), got, len(c.want))
			}
			if !slices.Equal(srv.calls, c.wantCalls) {
				t.Errorf("requests (offset+limit) %v, want %v", srv.calls, c.wantCalls)
			}
		})
	}
}

func TestWalkPagesStopAndError(t *testing.T) {
	srv := listServer{n: 300}
	got, err := walkPages(context.Background(), pageWalk[string]{size: 100, fetch: srv.fetch,
		stop: func(s string) bool { return s == "item-150" }})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 200 || len(srv.calls) != 2 {
		t.Errorf("stop after the page holding item-150: got %d items in %d requests, want 200 in 2", len(got), len(srv.calls))
	}

	boom := errors.New("boom")
	_, err = walkPages(context.Background(), pageWalk[string]{fetch: func(context.Context, int, int) ([]string, error) { return nil, boom }})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the fetch error", err)
	}
}
