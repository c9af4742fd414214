// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"strconv"
	"strings"
)

// appIcon is a small SVG data URI; Appmixer serves icons as data URIs too.
const appIcon = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxNiAxNiI+PGNpcmNsZSBjeD0iOCIgY3k9IjgiIHI9IjgiLz48L3N2Zz4="

// appMeta is what service.json or module.json says about a service or module.
type appMeta struct {
	name, label, category, description, icon string
}

type componentEntry struct {
	manifest map[string]any // component.json as installed
	versions []string       // installed versions, ascending
	dir      string         // zip folder it was published in ("appmixer/plivo/numbers/ListFromNumbers"); "" for built-ins
}

// catalog is the installed connectors: service and module metadata, component manifests, the
// bundles and the files that were published.
type catalog struct {
	services   map[string]appMeta // "appmixer.slack"
	modules    map[string]appMeta // "appmixer.utils.email"; only modules that came with a module.json
	components map[string]*componentEntry
	// bundles are the installed bundle.json files by name, service level ("appmixer.utils") and module
	// level ("appmixer.utils.ai"): what GET /bundles lists. Filled by install, emptied by removeUnder.
	bundles map[string]bundleMeta
	files   map[string][]byte // published files by zip path ("appmixer/plivo/auth.js"), for download
	dupes   []zipEntry        // copies appended by re-publishing a frozen version, in order (components_frozen.go)
}

// builtinSpec keeps the built-in components readable.
type builtinSpec struct {
	name, label string
	trigger     bool
	in, out     []string
	auth        string
	versions    []string
}

func builtinCatalog() *catalog {
	c := emptyCatalog()
	for _, m := range []appMeta{
		{name: "appmixer.utils", label: "Utilities", category: "utilities", description: "Controls, email and timers."},
		{name: "appmixer.slack", label: "Slack", category: "applications", description: "Team messaging."},
		{name: "appmixer.google", label: "Google", category: "applications", description: "Google Workspace."},
	} {
		m.icon = appIcon
		c.services[m.name] = m
	}
	for _, m := range []appMeta{
		{name: "appmixer.utils.controls", label: "Controls", category: "utilities", description: "Flow control."},
		{name: "appmixer.utils.email", label: "Email", category: "utilities", description: "Send email without an account."},
		{name: "appmixer.utils.timers", label: "Timers", category: "utilities", description: "Scheduled triggers."},
		{name: "appmixer.utils.storage", label: "Storage", category: "utilities", description: "Records of data stores."},
		{name: "appmixer.google.gmail", label: "Gmail", category: "applications", description: "Gmail messages."},
	} {
		m.icon = appIcon
		c.modules[m.name] = m
	}
	for _, b := range []builtinSpec{
		{name: "appmixer.utils.controls.OnStart", label: "On Start", trigger: true, out: []string{"out"}, versions: []string{"1.0.0", "1.1.0"}},
		{name: "appmixer.utils.email.SendEmail", label: "Send Email", in: []string{"in"}, out: []string{"out"}, versions: []string{"1.0.0", "1.1.0"}},
		{name: "appmixer.utils.timers.Timer", label: "Timer", trigger: true, out: []string{"out"}, versions: []string{"1.0.0"}},
		// Names its data store in config.properties.storeId, an id that differs per tenant.
		{name: "appmixer.utils.storage.Set", label: "Set", in: []string{"in"}, out: []string{"out"}, versions: []string{"1.0.0"}},
		{name: "appmixer.slack.list.SendChannelMessage", label: "Send Channel Message", in: []string{"in"}, out: []string{"out"}, auth: "appmixer:slack", versions: []string{"1.0.0", "1.2.3"}},
		{name: "appmixer.slack.list.NewChannelMessage", label: "New Channel Message", trigger: true, out: []string{"out"}, auth: "appmixer:slack", versions: []string{"1.2.3"}},
		{name: "appmixer.google.gmail.SendEmail", label: "Send Email", in: []string{"in"}, out: []string{"out"}, auth: "appmixer:google", versions: []string{"1.0.0", "1.0.1"}},
	} {
		c.components[b.name] = &componentEntry{manifest: b.manifest(), versions: b.versions}
	}
	return c
}

func (b builtinSpec) manifest() map[string]any {
	ports := func(names []string) []any {
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = map[string]any{"name": n}
		}
		return out
	}
	m := map[string]any{
		"name": b.name, "label": b.label, "description": b.label + ".", "icon": appIcon,
		"inPorts": ports(b.in), "outPorts": ports(b.out),
	}
	if b.trigger {
		m["trigger"] = true
	}
	if b.auth != "" {
		m["auth"] = map[string]any{"service": b.auth}
	}
	return m
}

func (c *catalog) newestVersion(componentType string) (string, bool) {
	e := c.components[componentType]
	if e == nil || len(e.versions) == 0 {
		return "", false
	}
	return e.versions[len(e.versions)-1], true
}

// authService is the account service ("vendor:service") a component type needs, or "".
func (c *catalog) authService(componentType string) string {
	e := c.components[componentType]
	if e == nil {
		return ""
	}
	auth, _ := e.manifest["auth"].(map[string]any)
	return str(auth["service"])
}

// addVersion installs one more version of a component type, keeping versions ascending.
func (c *catalog) addVersion(componentType, version string) {
	e := c.components[componentType]
	if !slices.Contains(e.versions, version) {
		e.versions = append(e.versions, version)
		slices.SortFunc(e.versions, compareVersions)
	}
}

// apps lists one app per module that has components, named after the module and described by its
// module.json, or by its service's service.json when the module came without one.
func (c *catalog) apps() []appMeta {
	seen := map[string]bool{}
	var out []appMeta
	for name := range c.components {
		module := selectorPrefix(name, 3)
		if module == name {
			module = selectorPrefix(name, 2) // a component directly under its service belongs to the service's app
		}
		if seen[module] {
			continue
		}
		seen[module] = true
		meta, ok := c.modules[module]
		if !ok {
			meta = c.services[selectorPrefix(name, 2)]
			meta.name = module
		}
		out = append(out, meta)
	}
	slices.SortFunc(out, func(a, b appMeta) int { return strings.Compare(a.name, b.name) })
	return out
}

// serviceOfAccount is the service metadata behind an account service id like "appmixer:slack", or
// the module's for a module with its own auth ("appmixer:utils:ftp").
func (c *catalog) serviceOfAccount(service string) appMeta {
	name := strings.ReplaceAll(service, ":", ".")
	if m, ok := c.modules[name]; ok {
		return m
	}
	return c.services[name]
}

// selectorPrefix keeps the first n dot-separated parts of a component name.
func selectorPrefix(name string, n int) string {
	parts := strings.SplitN(name, ".", n+1)
	return strings.Join(parts[:min(n, len(parts))], ".")
}

func (s *Server) listApps(c *call) (any, error) {
	apps := s.listedCatalog(c.user.id).apps()
	if s.contract {
		out := make([]any, len(apps))
		for i, a := range apps {
			out[i] = contractApp(a)
		}
		return out, nil
	}
	out := map[string]any{}
	for _, a := range apps {
		out[a.name] = map[string]any{"name": a.name, "label": a.label, "category": a.category, "description": a.description, "icon": a.icon}
	}
	return out, nil
}

// compareVersions orders dotted versions numerically part by part ("1.10.0" > "1.9.0").
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y string
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		nx, errX := strconv.Atoi(x)
		ny, errY := strconv.Atoi(y)
		if errX == nil && errY == nil {
			if c := cmpOrdered(nx, ny); c != 0 {
				return c
			}
			continue
		}
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}
