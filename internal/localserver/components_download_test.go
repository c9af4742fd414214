// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"testing"
)

// unzip reads a downloaded zip as path -> content.
func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip (%v): %.200s", err, b)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}

func TestDownloadComponents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	files := acmePackage("1.2.0")
	// numbers/ holds a component of module core, as plivo's numbers/ListFromNumbers is one of sms.
	files["acme/tools/numbers/List/component.json"] = `{"name":"acme.tools.core.List"}`
	files["acme/tools/numbers/List/List.js"] = `module.exports = {};`
	files["acme/tools/numbers/Other/component.json"] = `{"name":"acme.tools.numbers.Other"}`
	files["acme/tools/core/lib.js"] = `module.exports = {};`
	if final := publish(t, h, tok, makeZip(t, files)); final["err"] != nil {
		t.Fatalf("publish: %v", final)
	}
	entries := func(selector string) string {
		r := h.must(200, "GET", "/components/"+selector, tok, nil)
		if ct := r.header.Get("Content-Type"); ct != "application/zip" {
			t.Fatalf("%s: content type %q", selector, ct)
		}
		return fmt.Sprint(sortedKeys(unzip(t, r.raw)))
	}
	if got, want := entries("acme.tools"), fmt.Sprint(sortedKeys(files)); got != want {
		t.Errorf("service download:\n got %s\nwant %s", got, want)
	}
	if got := entries("acme.tools.core"); got != "[acme/tools/core/OnTick/component.json acme/tools/core/Ping/Ping.js acme/tools/core/Ping/component.json "+
		"acme/tools/core/lib.js acme/tools/core/module.json acme/tools/numbers/List/List.js acme/tools/numbers/List/component.json]" {
		t.Errorf("module download: %s", got)
	}
	if got := entries("acme.tools.core.List"); got != "[acme/tools/numbers/List/List.js acme/tools/numbers/List/component.json]" {
		t.Errorf("component download: %s", got)
	}
	if got := entries("appmixer.utils.email.SendEmail"); got != "[appmixer/utils/email/SendEmail/component.json]" {
		t.Errorf("built-in download: %s", got)
	}

	// One file of the folder a selector names, as `appmixer download acme.tools/auth.js` asks.
	if r := h.must(200, "GET", "/components/acme.tools/auth.js", tok, nil); string(r.raw) != files["acme/tools/auth.js"] {
		t.Errorf("service file: %s", r.raw)
	}
	if r := h.must(200, "GET", "/components/acme.tools.core.List/List.js", tok, nil); string(r.raw) != files["acme/tools/numbers/List/List.js"] {
		t.Errorf("component file: %s", r.raw)
	}
	assertBoom(t, h.do("GET", "/components/acme.tools/nope.js", tok, nil), 404, "File not found.")
	assertBoom(t, h.do("GET", "/components/acme.nothing", tok, nil), 404, "Component not found.")
	assertBoom(t, h.do("GET", "/components/acme", tok, nil), 400, `Invalid selector "acme": expected vendor.service, vendor.service.module or vendor.service.module.Component.`)

	// Only developers of the vendor (and admins) may download, and only their own copies
	// (appmixer-api.md §1.6): a developer of acme finds nothing until he publishes acme.tools himself.
	_, joe := h.signUp("joe")
	assertBoom(t, h.do("GET", "/components/acme.tools", joe, nil), 403, `You are not a developer of the vendor "acme".`)
	h.must(200, "PUT", "/users/"+userID(t, h, joe), tok, map[string]any{"vendor": []string{"acme"}})
	assertBoom(t, h.do("GET", "/components/acme.tools", joe, nil), 404, "Component not found.")
	if final := publish(t, h, joe, makeZip(t, acmePackage("1.2.0"))); final["err"] != nil {
		t.Fatalf("joe's publish: %v", final)
	}
	h.must(200, "GET", "/components/acme.tools", joe, nil)

	// Removing a module takes its folders with it; the rest of the service stays downloadable.
	h.must(200, "DELETE", "/components/acme.tools.core", tok, nil)
	if got := entries("acme.tools"); got != "[acme/tools/auth.js acme/tools/bundle.json acme/tools/numbers/Other/component.json acme/tools/service.json]" {
		t.Errorf("after removing the module: %s", got)
	}
	h.must(200, "DELETE", "/components/acme.tools", tok, nil)
	assertBoom(t, h.do("GET", "/components/acme.tools", tok, nil), 404, "Component not found.")
}

func userID(t *testing.T, h *harness, token string) string {
	t.Helper()
	return str(h.must(200, "GET", "/user", token, nil).obj()["id"])
}
