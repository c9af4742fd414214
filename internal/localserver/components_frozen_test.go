// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// zipPaths lists a zip's entries in order with their contents.
func zipPaths(t *testing.T, raw []byte) (paths []string, data []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		_ = rc.Close()
		paths, data = append(paths, f.Name), append(data, string(b))
	}
	return paths, data
}

// copiesOf is every content a zip holds for path, in order.
func copiesOf(t *testing.T, raw []byte, path string) []string {
	paths, data := zipPaths(t, raw)
	var out []string
	for i, p := range paths {
		if p == path {
			out = append(out, data[i])
		}
	}
	return out
}

// A (component, version) is frozen at its first publish: the same bundle.json version again changes
// neither manifests nor code, yet succeeds and appends a copy of the files to the download, after the
// first (appmixer-api.md §1.6). A new version replaces both.
func TestPublishFrozenVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	const code = "acme/tools/core/Ping/Ping.js"
	pkg := func(version, label, js string) []byte {
		files := acmePackage(version)
		files["acme/tools/core/Ping/component.json"] = `{"name":"acme.tools.core.Ping","label":"` + label + `","inPorts":["in"]}`
		files[code] = js
		return makeZip(t, files)
	}
	label := func() any {
		for _, m := range h.must(200, "GET", "/components?selector=acme.tools.core.Ping&manifest=yes", tok, nil).arr() {
			return m.(map[string]any)["label"]
		}
		return nil
	}
	if final := publish(t, h, tok, pkg("1.0.0", "First", "v1")); final["installed"] != true {
		t.Fatalf("first publish: %v", final)
	}
	if final := publish(t, h, tok, pkg("1.0.0", "Second", "v1 changed")); final["installed"] != true || final["err"] != nil {
		t.Fatalf("re-publish of the same version must succeed: %v", final)
	}
	if got := label(); got != "First" {
		t.Errorf("manifest after re-publishing 1.0.0: label %v, want the frozen First", got)
	}
	download := h.must(200, "GET", "/components/acme.tools", tok, nil).raw
	if got := copiesOf(t, download, code); len(got) != 2 || got[0] != "v1" || got[1] != "v1 changed" {
		t.Errorf("download holds %q for %s, want the first copy then the appended one", got, code)
	}
	if got := string(h.must(200, "GET", "/components/acme.tools.core.Ping/Ping.js", tok, nil).raw); got != "v1" {
		t.Errorf("single-file download %q, want the first copy", got)
	}

	if final := publish(t, h, tok, pkg("1.1.0", "Third", "v2")); final["installed"] != true {
		t.Fatalf("new version: %v", final)
	}
	if got := label(); got != "Third" {
		t.Errorf("manifest after publishing 1.1.0: label %v, want Third", got)
	}
	if got := copiesOf(t, h.must(200, "GET", "/components/acme.tools", tok, nil).raw, code); len(got) != 1 || got[0] != "v2" {
		t.Errorf("after a new version the download holds %q, want only v2", got)
	}

	// Removing and publishing again is the other way to change a version.
	h.must(200, "DELETE", "/components/acme.tools", tok, nil)
	publish(t, h, tok, pkg("1.1.0", "Fourth", "v3"))
	if got := label(); got != "Fourth" {
		t.Errorf("after remove and publish: label %v, want Fourth", got)
	}
	if got := copiesOf(t, h.must(200, "GET", "/components/acme.tools", tok, nil).raw, code); len(got) != 1 || got[0] != "v3" {
		t.Errorf("after remove and publish the download holds %q, want only v3", got)
	}
}

// A component new to a frozen version is still added.
func TestPublishFrozenVersion_newComponent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	publish(t, h, tok, makeZip(t, acmePackage("1.0.0")))
	files := acmePackage("1.0.0")
	files["acme/tools/core/Echo/component.json"] = `{"name":"acme.tools.core.Echo","inPorts":["in"]}`
	publish(t, h, tok, makeZip(t, files))
	if got := h.must(200, "GET", "/components?selector=acme.tools.core.Echo", tok, nil).arr(); len(got) != 1 {
		t.Fatalf("a new component of a frozen version is not listed: %v", got)
	}
}
