// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import "context"

// pageWalk describes a walk over a limit/offset list such as GET /flows or GET /users.
type pageWalk[T any] struct {
	start, end int // positions [start, end); end 0 walks to the end of the list
	size       int // items asked per page
	fetch      func(ctx context.Context, limit, offset int) ([]T, error)
	key        func(T) string // identity, to drop repeats; nil when items have none
	stop       func(T) bool   // ends the walk after the page holding an item it accepts; nil never stops
}

// walkPages fetches the pages of w and returns their items in order. Appmixer lists are bare arrays
// without a total, and a server may cap the page size below the limit asked, so a short page alone
// proves nothing. The walk therefore ends at w.end; at an empty page; at a page shorter than one
// already seen (a cap is the same for every page, so only the last page is shorter); at a page longer
// than asked (the server ignored limit and offset and sent everything); or at a page that brings
// nothing new (it ignored offset); and after a page holding what w.stop looks for. Without an end, a first page shorter than the limit costs one more
// request, which answers whether the server caps.
func walkPages[T any](ctx context.Context, w pageWalk[T]) ([]T, error) {
	if w.size <= 0 {
		w.size = defaultPageSize
	}
	var (
		all     []T
		seen    = map[string]bool{}
		longest int
	)
	for off := w.start; w.end == 0 || off < w.end; {
		limit := w.size
		if w.end > 0 {
			limit = min(limit, w.end-off)
		}
		page, err := w.fetch(ctx, limit, off)
		if err != nil {
			return nil, err
		}
		added, stop := 0, false
		for _, item := range page {
			if w.key != nil {
				k := w.key(item)
				if k != "" && seen[k] {
					continue
				}
				seen[k] = true
			}
			all = append(all, item)
			added++
			stop = stop || (w.stop != nil && w.stop(item))
		}
		switch {
		case stop, len(page) == 0, added == 0, len(page) > limit:
			return all, nil
		case len(page) < limit && w.end == 0 && len(page) < longest:
			return all, nil
		}
		longest = max(longest, len(page))
		off += len(page)
	}
	return all, nil
}
