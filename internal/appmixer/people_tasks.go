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

// PeopleTask is an approval a flow asks a person for (appmixer-api.md §1.9).
type PeopleTask struct {
	ID          string
	Title       string
	Description string
	Requester   string
	Approver    string
	Status      string // pending, approved or rejected
	DecisionBy  string
}

// ListPeopleTasks is GET /people-task/tasks?role=<role>&filter=status:<status>, page by page.
func (c *Client) ListPeopleTasks(ctx context.Context, role, status string) ([]PeopleTask, error) {
	return walkPages(ctx, pageWalk[PeopleTask]{
		key: func(t PeopleTask) string { return t.ID },
		fetch: func(ctx context.Context, limit, offset int) ([]PeopleTask, error) {
			q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}, "sort": {"id:1"}}
			if role != "" {
				q.Set("role", role)
			}
			if status != "" {
				q.Set("filter", "status:"+status)
			}
			var ws []map[string]json.RawMessage
			if err := c.do(ctx, call{method: http.MethodGet, path: "/people-task/tasks", query: q}, &ws); err != nil {
				return nil, err
			}
			out := make([]PeopleTask, 0, len(ws))
			for _, w := range ws {
				out = append(out, PeopleTask{
					ID: textOf(w["id"]), Title: textOf(w["title"]), Description: textOf(w["description"]),
					Requester: textOf(w["requester"]), Approver: textOf(w["approver"]), Status: textOf(w["status"]),
					DecisionBy: textOf(w["decisionBy"]),
				})
			}
			return out, nil
		},
	})
}
