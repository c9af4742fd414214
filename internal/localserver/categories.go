// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"net/http"
	"slices"
	"time"
	"unicode/utf8"
)

// Integration categories (appmixer-api.md §10, docs "integration categories"): the Automation Hub's
// tabs. GET /categories → [{id, name, description, created, mtime}]; POST /categories {name (1-100
// chars, unique), description?} (admin); GET|PUT|DELETE /categories/{id}. They are global and every
// user reads them; drafts and templates name them in `categories: [<id>]`, and deleting a category
// removes it from those.

type category struct {
	seq               int
	id, name, desc    string
	created, modified time.Time
}

func (cat *category) view() map[string]any {
	return map[string]any{"id": cat.id, "name": cat.name, "description": cat.desc,
		"created": isoTime(cat.created), "mtime": isoTime(cat.modified)}
}

const maxCategoryName = 100

var _ = guess("categories", `a name already taken by another category is 409 "Category name already exists."`,
	"§10 says names are unique, not which status or message a second POST or a rename to a taken name gets")

var _ = guess("categories", "POST answers the whole category; PUT {name?, description?} changes the keys it is sent and answers the category; DELETE answers {}",
	"§10 lists the routes and the list's shape, not the write bodies' answers or whether PUT is partial")

var _ = guess("categories", "flows may name category ids that do not exist; they are stored as sent",
	"§10 does not say whether PUT /flows checks categories")

func (s *Server) findCategory(c *call) (*category, error) {
	cat := s.categories[c.param("id")]
	if cat == nil {
		return nil, notFound("Category")
	}
	return cat, nil
}

// listCategories is GET /categories: every category, oldest first, for every user.
func (s *Server) listCategories(*call) (any, error) {
	all := make([]*category, 0, len(s.categories))
	for _, cat := range s.categories {
		all = append(all, cat)
	}
	slices.SortFunc(all, func(a, b *category) int { return a.seq - b.seq })
	out := make([]any, 0, len(all))
	for _, cat := range all {
		out = append(out, cat.view())
	}
	return out, nil
}

func (s *Server) getCategory(c *call) (any, error) {
	cat, err := s.findCategory(c)
	if err != nil {
		return nil, err
	}
	return cat.view(), nil
}

// categoryFields reads {name, description}; a name, when given, is 1-100 characters and not another
// category's (self is the category being changed, nil on create).
func (s *Server) categoryFields(c *call, self *category) (name string, hasName bool, desc string, hasDesc bool, err error) {
	body, err := c.object()
	if err != nil {
		return
	}
	if err = onlyKeys(body, "name", "description"); err != nil {
		return
	}
	if name, hasName, err = optString(body, "name"); err != nil {
		return
	}
	if desc, hasDesc, err = optString(body, "description"); err != nil {
		return
	}
	switch n := utf8.RuneCountInString(name); {
	case !hasName && self == nil:
		err = badRequest(`"name" is required`)
	case hasName && n == 0:
		err = badRequest(`"name" is not allowed to be empty`)
	case n > maxCategoryName:
		err = badRequest(`"name" length must be less than or equal to %d characters long`, maxCategoryName)
	}
	if err != nil || !hasName {
		return
	}
	for _, other := range s.categories {
		if other != self && other.name == name {
			err = errorf(http.StatusConflict, "Category name already exists.")
			return
		}
	}
	return
}

// createCategory is POST /categories (admin).
func (s *Server) createCategory(c *call) (any, error) {
	name, _, desc, _, err := s.categoryFields(c, nil)
	if err != nil {
		return nil, err
	}
	if s.categories == nil {
		s.categories = map[string]*category{}
	}
	s.seq++
	cat := &category{seq: s.seq, id: objectID(), name: name, desc: desc, created: c.now, modified: c.now}
	s.categories[cat.id] = cat
	return cat.view(), nil
}

// updateCategory is PUT /categories/{id} (admin).
func (s *Server) updateCategory(c *call) (any, error) {
	cat, err := s.findCategory(c)
	if err != nil {
		return nil, err
	}
	name, hasName, desc, hasDesc, err := s.categoryFields(c, cat)
	if err != nil {
		return nil, err
	}
	if hasName {
		cat.name = name
	}
	if hasDesc {
		cat.desc = desc
	}
	cat.modified = c.now
	return cat.view(), nil
}

// deleteCategory is DELETE /categories/{id} (admin): the category also leaves every flow that names
// it, whoever owns the flow (§10).
func (s *Server) deleteCategory(c *call) (any, error) {
	cat, err := s.findCategory(c)
	if err != nil {
		return nil, err
	}
	delete(s.categories, cat.id)
	for _, f := range s.flows {
		ids, ok := f.doc["categories"].([]any)
		if !ok {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(ids), func(v any) bool { return v == cat.id })
		if len(kept) != len(ids) {
			f.doc["categories"] = kept
		}
	}
	return map[string]any{}, nil
}
