// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"reflect"
	"testing"
)

func groupMembers(r resp) []any {
	m, _ := r.obj()["members"].([]any)
	return m
}

func TestUserGroupsLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	me := str(h.must(200, "GET", "/user", admin, nil).obj()["id"])
	ann, _ := h.signUp("ann@example.com")
	bob, _ := h.signUp("bob@example.com")

	// Admins are in the "admin" group from the start (§10).
	list := h.must(200, "GET", "/user-groups", admin, nil).arr()
	if len(list) != 1 || list[0].(map[string]any)["name"] != "admin" || !reflect.DeepEqual(list[0].(map[string]any)["members"], []any{me}) {
		t.Fatalf("initial groups: %v", list)
	}

	id := str(h.must(200, "POST", "/user-groups", admin, map[string]any{"name": "ops"}).obj()["id"])
	r := h.must(200, "POST", "/user-groups/"+id+"/members", admin, map[string]any{"userIds": []string{ann, bob, ann}})
	if !reflect.DeepEqual(groupMembers(r), []any{ann, bob}) {
		t.Errorf("members after adding: %v", groupMembers(r))
	}
	assertBoom(t, h.do("POST", "/user-groups/"+id+"/members", admin, map[string]any{"userIds": []string{"nobody"}}), 404, "User not found.")
	assertBoom(t, h.do("POST", "/user-groups", admin, map[string]any{"name": "x", "members": []string{}}), 400, `"members" is not allowed`)

	h.must(200, "PUT", "/user-groups/"+id, admin, map[string]any{"name": "ops team", "members": []string{bob}})
	g := h.must(200, "GET", "/user-groups/"+id, admin, nil)
	if g.obj()["name"] != "ops team" || !reflect.DeepEqual(groupMembers(g), []any{bob}) {
		t.Errorf("after PUT: %s", g.raw)
	}
	h.must(200, "DELETE", "/user-groups/"+id, admin, nil)
	assertBoom(t, h.do("GET", "/user-groups/"+id, admin, nil), 404, "User group not found.")
	assertBoom(t, h.do("DELETE", "/user-groups/"+id, admin, nil), 404, "User group not found.")
}
