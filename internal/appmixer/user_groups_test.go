// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

func TestUserGroupCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Method + " " + r.URL.Path {
		case "POST /user-groups":
			reply(w, http.StatusOK, map[string]any{"id": "g1", "name": "ops", "members": []string{}})
		case "GET /user-groups":
			reply(w, http.StatusOK, []any{map[string]any{"_id": "g2", "name": "legacy"}})
		case "GET /user-groups/g1":
			reply(w, http.StatusOK, map[string]any{"id": "g1", "name": "ops", "members": []string{"u1", "u2"}})
		default:
			reply(w, http.StatusOK, map[string]any{})
		}
	})
	c := newTestClient(t, f.URL)
	ctx := context.Background()
	id, err := c.CreateUserGroup(ctx, "ops")
	if err != nil || id != "g1" {
		t.Fatalf("CreateUserGroup = %q, %v", id, err)
	}
	g, err := c.GetUserGroup(ctx, "g1")
	if err != nil || !reflect.DeepEqual(*g, UserGroup{ID: "g1", Name: "ops", Members: []string{"u1", "u2"}}) {
		t.Errorf("GetUserGroup = %+v, %v", g, err)
	}
	list, err := c.ListUserGroups(ctx)
	if err != nil || !reflect.DeepEqual(list, []UserGroup{{ID: "g2", Name: "legacy", Members: []string{}}}) {
		t.Errorf("ListUserGroups = %+v, %v", list, err)
	}
	mustNil(t, c.AddUserGroupMembers(ctx, "g1", []string{"u3"}))
	mustNil(t, c.UpdateUserGroup(ctx, "g1", "ops 2", []string{"u1"}))
	mustNil(t, c.UpdateUserGroup(ctx, "g1", "ops 3", nil))
	mustNil(t, c.DeleteUserGroup(ctx, "g1"))
	want := []struct{ method, path, body string }{
		{"POST", "/user-groups", `{"name":"ops"}`},
		{"GET", "/user-groups/g1", ``},
		{"GET", "/user-groups", ``},
		{"POST", "/user-groups/g1/members", `{"userIds":["u3"]}`},
		{"PUT", "/user-groups/g1", `{"members":["u1"],"name":"ops 2"}`},
		{"PUT", "/user-groups/g1", `{"name":"ops 3"}`},
		{"DELETE", "/user-groups/g1", ``},
	}
	reqs := f.requests()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d: %+v", len(reqs), len(want), reqs)
	}
	for i, w := range want {
		if r := reqs[i]; r.Method != w.method || r.Path != w.path || string(r.Body) != w.body {
			t.Errorf("request %d: %s %s %s, want %s %s %s", i, r.Method, r.Path, r.Body, w.method, w.path, w.body)
		}
	}
}
