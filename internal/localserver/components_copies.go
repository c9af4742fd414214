// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"maps"
	"slices"
)

// Components are per-user copies (appmixer-api.md §1.6): publish and remove act on the copies of
// the logged-in user. The built-in connectors are one catalog everybody sees; each user who publishes
// gets a catalog of their own copies on top of it. What a user lists (GET /components, /apps,
// /bundles, downloads) is the built-ins under their own copies; the frozen-version rule looks at
// their own copies only, so two users may publish different code under one (component, version).

var _ = guess("components", "GET /components, /apps, /bundles and downloads show the built-in connectors and the caller's own copies, never another user's",
	"appmixer-api.md §1.6 says only that publish and remove act on the logged-in user's copies; whether another user's copies are listed (ACL permitting) is not said")

var _ = guess("components", "the frozen-version rule compares a publish with the publisher's own copies only: another user's copy or a built-in of the same (component, version) does not freeze it, and the new copy shadows the built-in for its owner",
	"appmixer-api.md §1.6 gives the rule and that components are per-user copies, not how the two combine")

var _ = guess("components", "DELETE /components/{selector} removes the caller's copies under the selector; an admin's also removes the built-in components under it, for everyone; 404 when nothing was removed",
	"appmixer-api.md §1.6 says remove acts on the logged-in user's copies; who may remove the connectors a tenant comes with is not said")

var _ = guess("components", "a flow resolves a component type (stamped version, in-ports checked at start, account service) through its owner's copies, then the built-ins, then the copies of other users, earliest publisher first",
	"appmixer-api.md §1.6, §7: components are per-user copies, yet end users run instances of templates built on an admin's connector; how the engine picks a copy is not said")

var _ = guess("accounts", "POST /accounts and OAuth detection find a service's auth.js in the caller's copies, then the built-ins, then other users' copies, earliest publisher first",
	"appmixer-api.md §8 says the service's auth.js must be installed; with per-user copies (§1.6) whose copy counts is not said")

// ownCopies is userID's catalog of published copies, made on first publish.
func (s *Server) ownCopies(userID string) *catalog {
	c := s.copies[userID]
	if c == nil {
		c = emptyCatalog()
		s.copies[userID] = c
		s.copyOrder = append(s.copyOrder, userID)
	}
	return c
}

// listedCatalog is what userID lists and downloads: the built-ins under their own copies.
func (s *Server) listedCatalog(userID string) *catalog {
	return overlay(s.builtins, s.copies[userID])
}

// runtimeCatalog is how flows and accounts of userID resolve component types and services: their own
// copies first, then the built-ins, then other users' copies by first publish.
func (s *Server) runtimeCatalog(userID string) *catalog {
	layers := make([]*catalog, 0, len(s.copyOrder)+2)
	for _, id := range slices.Backward(s.copyOrder) {
		if id != userID {
			layers = append(layers, s.copies[id])
		}
	}
	return overlay(append(layers, s.builtins, s.copies[userID])...)
}

// removeUserCopies forgets a deleted user's copies.
func (s *Server) removeUserCopies(userID string) {
	delete(s.copies, userID)
	s.copyOrder = slices.DeleteFunc(s.copyOrder, func(id string) bool { return id == userID })
}

func emptyCatalog() *catalog {
	return &catalog{services: map[string]appMeta{}, modules: map[string]appMeta{}, components: map[string]*componentEntry{},
		bundles: map[string]bundleMeta{}, files: map[string][]byte{}}
}

// overlay merges catalogs into a read-only view in which later layers win, name by name; nil layers
// are skipped. Entries are shared with the layers, so the view must not be installed into.
func overlay(layers ...*catalog) *catalog {
	out := emptyCatalog()
	for _, l := range layers {
		if l == nil {
			continue
		}
		maps.Copy(out.services, l.services)
		maps.Copy(out.modules, l.modules)
		maps.Copy(out.components, l.components)
		maps.Copy(out.bundles, l.bundles)
		maps.Copy(out.files, l.files)
		out.dupes = append(out.dupes, l.dupes...)
	}
	return out
}
