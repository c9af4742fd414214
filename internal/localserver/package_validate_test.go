// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// withFiles is acmePackage (service acme.tools, module core, components Ping and OnTick) with files
// added, replaced or, given "", removed.
func withFiles(t *testing.T, changes map[string]string) []byte {
	t.Helper()
	files := acmePackage("")
	for k, v := range changes {
		if v == "" {
			delete(files, k)
		} else {
			files[k] = v
		}
	}
	return makeZip(t, files)
}

// The uploader refuses only what real Appmixer certainly refuses, with the {dataPath, message} list.
func TestPublishValidation_refused(t *testing.T) {
	t.Parallel()
	const comp = "acme/tools/core/Ping/component.json"
	cases := []struct {
		name    string
		archive []byte
		want    []problem
	}{
		{"not a zip", []byte("hello"), []problem{{"", "Package is not a valid zip archive."}}},
		{"too large", make([]byte, maxPackageBytes+1), []problem{{"", "Package is 10485761 bytes; the limit is 10 MB (10485760 bytes)."}}},
		{"node_modules", withFiles(t, map[string]string{"acme/tools/node_modules/lodash/index.js": "x", "acme/tools/node_modules/lodash/package.json": "{}"}),
			[]problem{{"acme/tools/node_modules", "node_modules must not be published; the server installs dependencies from package.json."}}},
		{"component.json not JSON", withFiles(t, map[string]string{comp: `{"name":`}), []problem{{comp, "Invalid JSON: the file must hold a JSON object."}}},
		{"component.json an array", withFiles(t, map[string]string{comp: `[]`}), []problem{{comp, "Invalid JSON: the file must hold a JSON object."}}},
		{"service.json not JSON", withFiles(t, map[string]string{"acme/tools/service.json": `{`}), []problem{{"acme/tools/service.json", "Invalid JSON: the file must hold a JSON object."}}},
		{"module.json not JSON", withFiles(t, map[string]string{"acme/tools/core/module.json": `x`}), []problem{{"acme/tools/core/module.json", "Invalid JSON: the file must hold a JSON object."}}},
		{"bundle.json not JSON", withFiles(t, map[string]string{"acme/tools/bundle.json": `1.0`}), []problem{{"acme/tools/bundle.json", "Invalid JSON: the file must hold a JSON object."}}},
		{"component without name", withFiles(t, map[string]string{comp: `{"label":"Ping"}`}), []problem{{comp + " .name", "should have required property 'name'"}}},
		{"component in another service", withFiles(t, map[string]string{comp: `{"name":"acme.other.core.Ping"}`}),
			[]problem{{comp + " .name", `name "acme.other.core.Ping" is outside the service "acme.tools" of its folder`}}},
		{"module of another vendor", withFiles(t, map[string]string{"acme/tools/core/module.json": `{"name":"globex.tools.core"}`}),
			[]problem{{"acme/tools/core/module.json .name", `name "globex.tools.core" is outside the service "acme.tools" of its folder`}}},
	}
	h := newHarness(t, Options{})
	tok := h.admin()
	c := newHarness(t, Options{Dialect: DialectContract})
	ctok := c.admin()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			final := publish(t, h, tok, tc.archive)
			if final["err"] != "Validation failed." || fmt.Sprint(problemsOf(final["data"])) != fmt.Sprint(tc.want) {
				t.Fatalf("appmixer: got %v %v\nwant %v", final["err"], problemsOf(final["data"]), tc.want)
			}
			r := c.do("POST", "/components", ctok, map[string]any{"name": "acme.tools", "archive": base64.StdEncoding.EncodeToString(tc.archive)})
			if r.status != 400 || !strings.HasPrefix(r.msg(), "Validation failed: ") || fmt.Sprint(problemsOf(r.obj()["data"])) != fmt.Sprint(tc.want) {
				t.Fatalf("contract: %s", r.raw)
			}
		})
	}
	if got := fmt.Sprint(h.must(200, "GET", "/components?selector=acme", tok, nil).arr()); got != "[]" {
		t.Fatalf("refused packages installed %s", got)
	}
}

// Every shape of Appmixer's own connectors (appmixer-api.md §9) is accepted and stored as it came,
// components under their manifest's name.
func TestPublishValidation_accepted(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		changes map[string]string
		want    []string // components listed under acme after the publish
	}{
		{"service.json with version and configuration", map[string]string{
			"acme/tools/service.json": `{"name":"acme.tools","label":"T","category":"c","icon":"i","description":"d","version":"1.0.0","configuration":{"properties":{"sandbox":{"type":"boolean","default":false}}}}`,
		}, nil},
		{"module.json with categoryLabel, localization, version", map[string]string{
			"acme/tools/core/module.json": `{"name":"acme.tools.core","label":"Core","category":"utilities","categoryLabel":"Utilities","categoryIndex":1,"index":2,"icon":"i","description":"d","version":"1.0.0","localization":{"cs":{"label":"Jádro"}}}`,
		}, nil},
		{"module.json without the CLI's required keys", map[string]string{"acme/tools/core/module.json": `{"name":"acme.tools.core"}`}, nil},
		{"service.json missing for a new service", map[string]string{"acme/tools/service.json": ""}, nil},
		{"module-level bundle.json with engine", map[string]string{
			"acme/tools/bundle.json": `{"name":"acme.tools","version":"1.0.1"}`, "acme/tools/core/bundle.json": `{"name":"acme.tools.core","version":"2.0.0","engine":">=5.0","changelog":{"2.0.0":["x"]}}`,
		}, nil},
		{"bundle version that is not semver", map[string]string{"acme/tools/bundle.json": `{"name":"acme.tools","version":"latest"}`}, nil},
		{"component directly under the service", map[string]string{"acme/tools/CreateThing/component.json": `{"name":"acme.tools.CreateThing"}`},
			[]string{"acme.tools.CreateThing"}},
		{"name differing from its folder in case", map[string]string{"acme/tools/core/GetNumberofThings/component.json": `{"name":"acme.tools.core.GetNumberOfThings"}`},
			[]string{"acme.tools.core.GetNumberOfThings"}},
		{"name of another module than its folder", map[string]string{"acme/tools/numbers/ListNumbers/component.json": `{"name":"acme.tools.sms.ListNumbers","outPorts":["numbers"]}`},
			[]string{"acme.tools.sms.ListNumbers"}},
		{"component deeper than module/Component", map[string]string{"acme/tools/core/more/Deep/component.json": `{"name":"acme.tools.core.Deep"}`},
			[]string{"acme.tools.core.Deep"}},
		{"three-part auth service, string config, component package.json", map[string]string{
			"acme/tools/ftp/List/component.json": `{"name":"acme.tools.ftp.List","auth":{"service":"acme:tools:ftp"},"config":"acme:tools:tasks","inPorts":[{"name":"in","required":true,"inspector":{"inputs":{"a":{"type":"text","group":"g","when":{"eq":{"b":1}}}},"groups":{"g":{"label":"G"}}}}]}`,
			"acme/tools/ftp/List/package.json":   `{"name":"acme.tools.ftp.List","dependencies":{"lodash":"4.17.21"}}`,
			"acme/tools/ftp/auth.js":             `module.exports = {type: 'pwd'};`,
		}, []string{"acme.tools.ftp.List"}},
		{"unknown keys and values the schema types differently", map[string]string{
			"acme/tools/core/Ping/component.json": `{"name":"acme.tools.core.Ping","colour":"red","trigger":"yes","inPorts":[5]}`,
		}, nil},
		{"files outside a service folder", map[string]string{"README.md": "hi", "acme/notes.txt": "x"}, nil},
	}
	base := []string{"acme.tools.core.OnTick", "acme.tools.core.Ping"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, Options{})
			tok := h.admin()
			if final := publish(t, h, tok, withFiles(t, tc.changes)); final["err"] != nil {
				t.Fatalf("refused: %v %v", final["err"], problemsOf(final["data"]))
			}
			want := append(append([]string{}, base...), tc.want...)
			slices.Sort(want)
			got := h.must(200, "GET", "/components?selector=acme", tok, nil).arr()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("listed %v, want %v", got, want)
			}
		})
	}
}

// The manifests are returned as published, unknown keys included, with the version of the nearest
// bundle.json; the catalog keeps the bundles for GET /bundles.
func TestPublishValidation_storedVerbatim(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	final := publish(t, h, tok, withFiles(t, map[string]string{
		"acme/tools/bundle.json":              `{"name":"acme.tools","version":"1.0.1"}`,
		"acme/tools/core/bundle.json":         `{"name":"acme.tools.core","version":"2.0.0","engine":">=5.0"}`,
		"acme/tools/core/Ping/component.json": `{"name":"acme.tools.core.Ping","colour":{"r":1},"config":"acme:tools:x","auth":{"service":"acme:tools:core"}}`,
		"acme/tools/Direct/component.json":    `{"name":"acme.tools.Direct"}`,
	}))
	if final["err"] != nil {
		t.Fatalf("refused: %v", final)
	}
	byName := map[string]map[string]any{}
	for _, v := range h.must(200, "GET", "/components?selector=acme&manifest=yes", tok, nil).arr() {
		m, _ := v.(map[string]any)
		byName[str(m["name"])] = m
	}
	ping := byName["acme.tools.core.Ping"]
	if mustJSON(ping["colour"]) != `{"r":1}` || ping["config"] != "acme:tools:x" || ping["version"] != "2.0.0" {
		t.Fatalf("Ping as listed: %v", ping)
	}
	if v := byName["acme.tools.Direct"]["version"]; v != "1.0.1" {
		t.Fatalf("service-level component version %v, want the service bundle's 1.0.1", v)
	}
	h.locked(func(s *Server) {
		want := map[string]bundleMeta{"acme.tools": {version: "1.0.1"}, "acme.tools.core": {version: "2.0.0", engine: ">=5.0"}}
		if fmt.Sprint(s.adminCopies().bundles) != fmt.Sprint(want) {
			t.Errorf("bundles %v, want %v", s.adminCopies().bundles, want)
		}
	})
	if apps := h.must(200, "GET", "/apps", tok, nil).obj(); apps["acme.tools"] == nil || apps["acme.tools.Direct"] != nil {
		t.Fatalf("a component directly under the service belongs to the service's app: %v", sortedKeys(apps))
	}
	h.must(200, "DELETE", "/components/acme.tools.core", tok, nil)
	h.locked(func(s *Server) {
		if _, ok := s.adminCopies().bundles["acme.tools.core"]; ok || s.adminCopies().bundles["acme.tools"].version != "1.0.1" {
			t.Errorf("bundles after removing the module: %v", s.adminCopies().bundles)
		}
	})
}
