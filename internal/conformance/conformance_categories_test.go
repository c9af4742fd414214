// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"net/http"
	"testing"
)

// category creates an integration category as the admin and deletes it at the end.
func category(t *testing.T, admin *session, description string) (string, string) {
	t.Helper()
	name := uniqueName("category")
	id, _ := admin.must(t, http.StatusOK, "POST", "/categories", map[string]any{"name": name, "description": description}).object(t)["id"].(string)
	if id == "" {
		t.Fatal("POST /categories answered no id")
	}
	t.Cleanup(func() { admin.do(t, "DELETE", "/categories/"+id, nil) })
	return id, name
}

// flowCategories are the categories a flow names, read by its owner.
func flowCategories(t testing.TB, s *session, id string) []any {
	cats, _ := s.must(t, http.StatusOK, "GET", "/flows/"+id, nil).object(t)["categories"].([]any)
	return cats
}

// TestConformanceCategories covers the Automation Hub's integration categories and flow notes
// (appmixer-api.md §10).
func TestConformanceCategories(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	alice := tn.customer(t)
	docs := evidence{section: "§10", source: "docs integration-categories", confidence: "high"}

	t.Run("GET /categories lists {id, name, description, created, mtime}, for every user", func(t *testing.T) {
		c := cite(t, docs)
		id, name := category(c.T, admin, "For the conformance suite")
		for who, s := range map[string]*session{"admin": admin, "customer": alice} {
			var found map[string]any
			for _, v := range s.must(c, http.StatusOK, "GET", "/categories", nil).array(c) {
				if m, _ := v.(map[string]any); m["id"] == id {
					found = m
				}
			}
			if found == nil || found["name"] != name || found["description"] != "For the conformance suite" || found["created"] == nil || found["mtime"] == nil {
				c.Errorf("the %s's GET /categories: %v, want the category %s with its keys", who, found, id)
			}
		}
		if got := alice.must(c, http.StatusOK, "GET", "/categories/"+id, nil).object(c); got["name"] != name {
			c.Errorf("a customer's GET /categories/%s: %v", id, got)
		}
	})
	t.Run("only admins create, change and delete categories", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "docs integration-categories (POST is admin); §5 403 for a missing scope", confidence: "high"})
		id, _ := category(c.T, admin, "")
		for _, r := range []reply{
			alice.do(c, "POST", "/categories", map[string]any{"name": uniqueName("mine")}),
			alice.do(c, "PUT", "/categories/"+id, map[string]any{"name": uniqueName("mine")}),
			alice.do(c, "DELETE", "/categories/"+id, nil),
		} {
			if r.status != http.StatusForbidden {
				c.Errorf("a customer writing categories: %d %s, want 403", r.status, r.raw)
			}
		}
	})
	t.Run("names are unique and 1 to 100 characters", func(t *testing.T) {
		c := cite(t, docs)
		_, name := category(c.T, admin, "")
		if r := admin.do(c, "POST", "/categories", map[string]any{"name": name}); r.status/100 == 2 {
			c.Errorf("a second category named %q: %d %s, want a refusal", name, r.status, r.raw)
		}
		long := make([]byte, 101)
		for i := range long {
			long[i] = 'x'
		}
		if r := admin.do(c, "POST", "/categories", map[string]any{"name": string(long)}); r.status != http.StatusBadRequest {
			c.Errorf("a 101-character name: %d %s, want 400", r.status, r.raw)
		}
	})
	t.Run("a taken name is 409", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "docs integration-categories (unique); the status is not documented", confidence: "low", guess: true})
		_, name := category(c.T, admin, "")
		if r := admin.do(c, "POST", "/categories", map[string]any{"name": name}); r.status != http.StatusConflict {
			c.Errorf("a second category named %q: %d %s, want 409", name, r.status, r.raw)
		}
	})
	t.Run("drafts and templates carry categories set by PUT; deleting a category removes it from them", func(t *testing.T) {
		c := cite(t, docs)
		draft, tpl := publishedTemplate(c.T, admin)
		gone, _ := category(c.T, admin, "")
		kept, _ := category(c.T, admin, "")
		for _, id := range []string{draft, tpl} {
			admin.must(c, http.StatusOK, "PUT", "/flows/"+id, map[string]any{"categories": []any{gone, kept}})
		}
		admin.must(c, http.StatusOK, "DELETE", "/categories/"+gone, nil)
		for _, id := range []string{draft, tpl} {
			if got := flowCategories(c, admin, id); len(got) != 1 || got[0] != kept {
				c.Errorf("flow %s after deleting category %s: categories %v, want [%s]", id, gone, got, kept)
			}
		}
	})
	t.Run("the clone's additional refuses categories", func(t *testing.T) {
		c := cite(t, evidence{section: "§7", source: "staff notes, publish-integration.js", confidence: "med-high"})
		draft, _ := publishedTemplate(c.T, admin)
		id, _ := category(c.T, admin, "")
		if r := admin.do(c, "POST", "/flows/"+draft+"/clone", map[string]any{"additional": map[string]any{"type": "integration-template", "categories": []any{id}}}); r.status != http.StatusBadRequest {
			c.Errorf("a clone with additional.categories: %d %s, want 400", r.status, r.raw)
		}
	})
	t.Run("the Hub lists a category's shared templates", func(t *testing.T) {
		c := cite(t, docs)
		_, shown := publishedTemplate(c.T, admin)
		_, hidden := publishedTemplate(c.T, admin)
		id, _ := category(c.T, admin, "")
		for _, tpl := range []string{shown, hidden} {
			admin.must(c, http.StatusOK, "PUT", "/flows/"+tpl, map[string]any{"categories": []any{id}})
		}
		admin.must(c, http.StatusOK, "PUT", "/flows/"+hidden, map[string]any{"sharedWith": []any{}})
		got := admin.must(c, http.StatusOK, "GET", "/flows?filter=type:integration-template&filter=categories:"+id+
			"&filter=sharedWith:![]&projection=flowId", nil).array(c)
		if len(got) != 1 || got[0].(map[string]any)["flowId"] != shown {
			c.Errorf("the Hub's query: %v, want only the shared template %s", got, shown)
		}
	})
	t.Run("flows keep notes as sent", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "staff notes, connectors repo templates", confidence: "med-high"})
		draft, _ := publishedTemplate(c.T, admin)
		notes := map[string]any{"n1": map[string]any{"x": 10.0, "y": 20.0, "width": 200.0, "height": 80.0, "content": "**Note**"}}
		admin.must(c, http.StatusOK, "PUT", "/flows/"+draft, map[string]any{"notes": notes})
		got, _ := admin.must(c, http.StatusOK, "GET", "/flows/"+draft, nil).object(c)["notes"].(map[string]any)
		n1, _ := got["n1"].(map[string]any)
		if n1["content"] != "**Note**" || n1["width"] != 200.0 || n1["x"] != 10.0 {
			c.Errorf("notes read back: %v, want %v", got, notes)
		}
	})
}
