// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"archive/zip"
	"bytes"
	"strings"
)

// SameFiles reports whether a package and a zip the server serves back (`appmixer download`) hold the
// same files: every entry of pkg with the same bytes under the same path, and nothing more than what
// packing leaves out (node_modules/, the lock file, artifacts/, test flows, which a server may keep).
// Zip metadata (times, modes, compression, order) does not count. A zip that cannot be read is never
// the same.
func SameFiles(pkg, served []byte) bool {
	a, ok := zipFiles(pkg)
	if !ok {
		return false
	}
	b, ok := zipFiles(served)
	if !ok {
		return false
	}
	for name, data := range b {
		if excludedPath(name) {
			delete(b, name)
			continue
		}
		if want, ok := a[name]; !ok || !bytes.Equal(want, data) {
			return false
		}
	}
	return len(a) == len(b)
}

// zipFiles reads a zip's files by path. A path may be there twice: Appmixer appends a copy of the
// files each time a frozen version is published again, and its runtime uses the first
// (appmixer-api.md §1.6), so the first copy is the one kept.
func zipFiles(raw []byte) (map[string][]byte, bool) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, false
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		if _, seen := out[f.Name]; seen || f.FileInfo().IsDir() {
			continue
		}
		data, err := readZipEntry(f)
		if err != nil {
			return nil, false
		}
		out[f.Name] = data
	}
	return out, true
}

// excludedPath reports a zip path that packing would have left out, in any folder.
func excludedPath(name string) bool {
	parts := strings.Split(name, "/")
	for i := range parts {
		if excludedFromPack(strings.Join(parts[:i+1], "/"), i < len(parts)-1) {
			return true
		}
	}
	return false
}
