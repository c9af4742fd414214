// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

func TestCategoryCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Method + " " + r.URL.Path {
		case "POST /categories":
			reply(w, http.StatusOK, map[string]any{"id": "c1", "name": "CRM", "description": "", "created": "t0", "mtime": "t0"})
		case "GET /categories":
			reply(w, http.StatusOK, []any{map[string]any{"_id": "c2", "name": "Legacy"}})
		case "GET /categories/c1":
			reply(w, http.StatusOK, map[string]any{"id": "c1", "name": "CRM", "description": "Sales", "created": "t0", "mtime": "t1"})
		default:
			reply(w, http.StatusOK, map[string]any{})
		}
	})
	c := newTestClient(t, f.URL)
	ctx := context.Background()
	id, err := c.CreateCategory(ctx, "CRM", "")
	if err != nil || id != "c1" {
		t.Fatalf("CreateCategory = %q, %v", id, err)
	}
	got, err := c.GetCategory(ctx, "c1")
	if err != nil || !reflect.DeepEqual(*got, Category{ID: "c1", Name: "CRM", Description: "Sales", Created: "t0", Updated: "t1"}) {
		t.Errorf("GetCategory = %+v, %v", got, err)
	}
	list, err := c.ListCategories(ctx)
	if err != nil || !reflect.DeepEqual(list, []Category{{ID: "c2", Name: "Legacy"}}) {
		t.Errorf("ListCategories = %+v, %v", list, err)
	}
	mustNil(t, c.UpdateCategory(ctx, "c1", "CRM 2", ""))
	mustNil(t, c.DeleteCategory(ctx, "c1"))
	want := []struct{ method, path, body string }{
		{"POST", "/categories", `{"description":"","name":"CRM"}`},
		{"GET", "/categories/c1", ``},
		{"GET", "/categories", ``},
		{"PUT", "/categories/c1", `{"description":"","name":"CRM 2"}`},
		{"DELETE", "/categories/c1", ``},
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
