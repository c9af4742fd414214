// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// listBundles is GET /bundles: the installed connector bundles as [{name, version}]. The real shape
// is unknown (appmixer-api.md §7); the official CLI accepts an array of such objects, and its
// transfer looks each flow component up by module (the type minus its last part).
func (s *Server) listBundles(c *call) (any, error) {
	out := []any{}
	for _, b := range s.listedCatalog(c.user.id).bundleList() {
		out = append(out, map[string]any{"name": b[0], "version": b[1]})
	}
	return out, nil
}

// bundleList is every bundle as {name, version}, sorted by name: the bundle.json of each installed
// package while a component under it is installed, and for the built-in connectors, which came
// without one, a bundle per module at the newest version of its components.
func (c *catalog) bundleList() [][2]string {
	versions := map[string]string{}
	for name, b := range c.bundles {
		if slices.ContainsFunc(sortedKeys(c.components), func(comp string) bool { return connector.UnderSelector(comp, name) }) {
			versions[name] = b.version
		}
	}
	for name, e := range c.components {
		packaged := slices.ContainsFunc(sortedKeys(c.bundles), func(b string) bool { return connector.UnderSelector(name, b) })
		if packaged || len(e.versions) == 0 {
			continue
		}
		module, newest := selectorPrefix(name, 3), e.versions[len(e.versions)-1]
		if v, ok := versions[module]; !ok || compareVersions(newest, v) > 0 {
			versions[module] = newest
		}
	}
	out := make([][2]string, 0, len(versions))
	for _, name := range sortedKeys(versions) {
		out = append(out, [2]string{name, versions[name]})
	}
	return out
}
