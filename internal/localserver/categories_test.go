// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"reflect"
	"strings"
	"testing"
)

// TestCategoriesLifecycle: admins write, everyone reads, names are unique and 1-100 characters,
// and a deleted category leaves every draft and template that named it (appmixer-api.md §10).
func TestCategoriesLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	_, ann := h.signUp("ann@example.com")

	crm := h.must(200, "POST", "/categories", admin, map[string]any{"name": "CRM", "description": "Sales tools"}).obj()
	id := str(crm["id"])
	if crm["name"] != "CRM" || crm["description"] != "Sales tools" || id == "" || crm["created"] == nil || crm["mtime"] == nil {
		t.Fatalf("created: %v", crm)
	}
	other := str(h.must(200, "POST", "/categories", admin, map[string]any{"name": "Marketing"}).obj()["id"])

	// Everyone reads; only admins write.
	list := h.must(200, "GET", "/categories", ann, nil).arr()
	if len(list) != 2 || list[0].(map[string]any)["id"] != id || list[1].(map[string]any)["name"] != "Marketing" {
		t.Fatalf("list as a user: %v", list)
	}
	h.must(200, "GET", "/categories/"+id, ann, nil)
	for _, r := range []resp{
		h.do("POST", "/categories", ann, map[string]any{"name": "Mine"}),
		h.do("PUT", "/categories/"+id, ann, map[string]any{"name": "Mine"}),
		h.do("DELETE", "/categories/"+id, ann, nil),
	} {
		if r.status != 403 {
			t.Errorf("a user writing categories: %d %s", r.status, r.raw)
		}
	}

	// Unique names, on create and rename; a rename to its own name is no conflict.
	assertBoom(t, h.do("POST", "/categories", admin, map[string]any{"name": "CRM"}), 409, "Category name already exists.")
	assertBoom(t, h.do("PUT", "/categories/"+other, admin, map[string]any{"name": "CRM"}), 409, "Category name already exists.")
	h.must(200, "PUT", "/categories/"+id, admin, map[string]any{"name": "CRM"})
	assertBoom(t, h.do("POST", "/categories", admin, map[string]any{"name": ""}), 400, "")
	assertBoom(t, h.do("POST", "/categories", admin, map[string]any{"description": "x"}), 400, `"name" is required`)
	assertBoom(t, h.do("POST", "/categories", admin, map[string]any{"name": strings.Repeat("x", 101)}), 400, "")
	h.must(200, "POST", "/categories", admin, map[string]any{"name": strings.Repeat("é", 100)})

	// PUT changes what it is sent.
	h.must(200, "PUT", "/categories/"+id, admin, map[string]any{"description": ""})
	if got := h.must(200, "GET", "/categories/"+id, admin, nil).obj(); got["name"] != "CRM" || got["description"] != "" {
		t.Errorf("after PUT of the description: %v", got)
	}

	// A draft and a template in both categories, a plain flow of another user in one.
	draft := h.createFlow(admin, "Draft", map[string]any{})
	h.must(200, "PUT", "/flows/"+draft, admin, map[string]any{"type": typeDraft, "categories": []string{id, other}})
	tpl := str(h.must(200, "POST", "/flows/"+draft+"/clone", admin, map[string]any{"projection": "-sharedWith", "setOriginFlowId": true,
		"additional": map[string]any{"type": typeTemplate, "sharedWith": []any{map[string]any{"scope": "user", "permissions": []string{"read"}}}}}).obj()["cloneId"])
	h.must(200, "PUT", "/flows/"+tpl, admin, map[string]any{"categories": []string{id, other}})
	annFlow := h.createFlow(ann, "Ann's", map[string]any{})
	h.must(200, "PUT", "/flows/"+annFlow, ann, map[string]any{"categories": []string{id}})

	h.must(200, "DELETE", "/categories/"+id, admin, nil)
	assertBoom(t, h.do("GET", "/categories/"+id, admin, nil), 404, "Category not found.")
	assertBoom(t, h.do("DELETE", "/categories/"+id, admin, nil), 404, "Category not found.")
	for _, f := range []struct{ id, token string }{{draft, admin}, {tpl, admin}, {annFlow, ann}} {
		got := h.must(200, "GET", "/flows/"+f.id, f.token, nil).obj()["categories"]
		want := []any{other}
		if f.id == annFlow {
			want = []any{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("flow %s categories after the delete: %v, want %v", f.id, got, want)
		}
	}
}

// TestCategoriesAreTheHubsTabs: the Hub's query (§10) lists the shared templates of a category;
// an unshared one and another category's are not in it, and notes are kept as sent.
func TestCategoriesAreTheHubsTabs(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	_, ann := h.signUp("ann@example.com")
	crm := str(h.must(200, "POST", "/categories", admin, map[string]any{"name": "CRM"}).obj()["id"])
	other := str(h.must(200, "POST", "/categories", admin, map[string]any{"name": "Other"}).obj()["id"])
	notes := map[string]any{"n1": map[string]any{"x": 1, "y": 2, "width": 200, "height": 100, "content": "# Read me"}}
	template := func(name, category string, shared bool) string {
		d := h.createFlow(admin, name, map[string]any{})
		h.must(200, "PUT", "/flows/"+d, admin, map[string]any{"type": typeDraft, "notes": notes})
		share := []any{}
		if shared {
			share = []any{map[string]any{"scope": "user", "permissions": []string{"read"}}}
		}
		tpl := str(h.must(200, "POST", "/flows/"+d+"/clone", admin, map[string]any{"projection": "-sharedWith", "setOriginFlowId": true,
			"additional": map[string]any{"type": typeTemplate, "sharedWith": share}}).obj()["cloneId"])
		h.must(200, "PUT", "/flows/"+tpl, admin, map[string]any{"categories": []string{category}})
		return tpl
	}
	shown := template("Shown", crm, true)
	template("Hidden", crm, false)
	template("Elsewhere", other, true)

	hub := "/flows?filter=type:integration-template&filter=categories:" + crm + "&filter=sharedWith:![]&sharedWithPermissions=read"
	for _, tok := range []string{admin, ann} {
		got := h.must(200, "GET", hub, tok, nil).arr()
		if len(got) != 1 || got[0].(map[string]any)["flowId"] != shown {
			t.Errorf("the Hub's CRM tab: %v", got)
		}
	}
	if got := h.must(200, "GET", "/flows/"+shown, admin, nil).obj()["notes"]; mustJSON(got) != mustJSON(notes) {
		t.Errorf("the template's notes: %v, want the draft's %v", got, notes)
	}
	assertBoom(t, h.do("PUT", "/flows/"+shown, admin, map[string]any{"notes": "text"}), 400, `"notes" must be an object`)
	assertBoom(t, h.do("PUT", "/flows/"+shown, admin, map[string]any{"categories": crm}), 400, `"categories" must be an array`)
}
