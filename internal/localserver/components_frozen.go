// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"archive/zip"
	"bytes"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// A (component, version) is frozen at its first publish (appmixer-api.md §1.6): publishing the same
// bundle.json version again refreshes neither manifests nor code, only adds components and versions
// that are new, and appends another copy of the package's files to what a download serves, so that a
// zip can hold one path twice; the runtime uses the first.

// zipEntry is one appended copy of a published file.
type zipEntry struct {
	path string
	data []byte
}

// install adds a validated package. Like Appmixer's own publish it is an upsert: the manifests and
// files it carries replace their namesakes (unless frozen) and nothing else is removed, so publishing
// one module of a service (whose pack also carries service.json) leaves the service's other modules
// alone. Components are registered under their manifest's name with the version of their nearest
// bundle.json.
func (c *catalog) install(pkg *parsedPackage) {
	frozen := map[string]bool{} // components already installed at the version this package gives them
	var frozenDirs, freshDirs []string
	for name, pc := range pkg.components {
		e := c.components[name]
		if e != nil && slices.Contains(e.versions, pkg.version(pc)) {
			frozen[name] = true
			frozenDirs = append(frozenDirs, pc.dir)
			continue
		}
		freshDirs = append(freshDirs, pc.dir)
		if e != nil {
			e.manifest, e.dir = pc.manifest, pc.dir
			c.addVersion(name, pkg.version(pc))
			continue
		}
		c.components[name] = &componentEntry{manifest: pc.manifest, versions: []string{pkg.version(pc)}, dir: pc.dir}
	}
	// Metadata and files outside the components' folders (service.json, auth.js, bundle.json) belong
	// to the version being published: frozen as soon as one of its components is.
	anyFrozen := len(frozen) > 0
	underFrozen := func(name string, _ any) bool {
		return anyFrozen && slices.ContainsFunc(sortedKeys(frozen), func(comp string) bool { return connector.UnderSelector(comp, name) })
	}
	copyUnfrozen(c.services, pkg.services, underFrozen)
	copyUnfrozen(c.modules, pkg.modules, underFrozen)
	copyUnfrozen(c.bundles, pkg.bundles, underFrozen)
	for _, p := range sortedKeys(pkg.files) {
		data := pkg.files[p]
		_, stored := c.files[p]
		keep := inFolder(p, frozenDirs) || (anyFrozen && !inFolder(p, freshDirs))
		switch {
		case !stored:
			c.files[p] = data
		case keep:
			c.dupes = append(c.dupes, zipEntry{path: p, data: data})
		default:
			// A new version swaps the files: earlier copies of the path go with the old ones.
			c.files[p] = data
			c.dupes = slices.DeleteFunc(c.dupes, func(d zipEntry) bool { return d.path == p })
		}
	}
}

func copyUnfrozen[V any](dst, src map[string]V, frozen func(string, any) bool) {
	for name, v := range src {
		if !frozen(name, v) {
			dst[name] = v
		}
	}
}

// dupesUnder are the appended copies among the paths a download selects.
func (c *catalog) dupesUnder(selected map[string][]byte) []zipEntry {
	var out []zipEntry
	for _, d := range c.dupes {
		if _, ok := selected[d.path]; ok {
			out = append(out, d)
		}
	}
	return out
}

// forgetDupes drops the appended copies of paths that are no longer stored.
func (c *catalog) forgetDupes() {
	c.dupes = slices.DeleteFunc(c.dupes, func(d zipEntry) bool { _, ok := c.files[d.path]; return !ok })
}

// zipWithCopies zips files (sorted, fixed times) and then the appended copies in the order they
// came, so the first entry of a path is the one the runtime uses.
func zipWithCopies(files map[string][]byte, copies []zipEntry) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := make([]zipEntry, 0, len(files)+len(copies))
	for _, p := range slices.Sorted(maps.Keys(files)) {
		entries = append(entries, zipEntry{path: p, data: files[p]})
	}
	for _, e := range append(entries, copies...) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: strings.TrimPrefix(e.path, "/"), Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
