// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"bytes"
	"encoding/json"
	"maps"
	"path"
	"slices"
	"strings"
)

// What the plan checks follows what Appmixer certainly refuses, not the JSON schemas of the official
// CLI: Appmixer's own connectors ship manifests those schemas reject (extra keys in service.json and
// module.json, components directly under the service, names that differ from their folders, no
// labels), `appmixer pack` packs them (it checks only the manifests one folder below the one packed)
// and Appmixer runs them. So only what stops a publish for sure is an error; the rest is a warning
// that names the file and the key.

// componentSchemaKeys are the keys of component.json that the CLI's schema lists.
var componentSchemaKeys = map[string]bool{
	"name": true, "label": true, "author": true, "description": true, "icon": true, "marker": true,
	"private": true, "trigger": true, "tick": true, "webhook": true, "inPorts": true, "outPorts": true,
	"firePatterns": true, "auth": true, "authConfig": true, "config": true, "continuityScope": true,
	"shape": true, "state": true, "quota": true, "properties": true, "localization": true, "version": true,
	"dependencies": true,
}

// appRequiredKeys are required by the CLI's service and module schemas (which allow any other key).
var appRequiredKeys = []string{"label", "category", "icon", "description"}

// packageLayout is what inspectPackage learned from the manifests.
type packageLayout struct {
	vendor, service string
	version         string
	components      []string // full names under the selector, sorted
	selected        []string // file paths to pack for the selector
}

// packageManifests are the manifests of one service folder.
type packageManifests struct {
	service       string            // vendor.service
	componentDirs map[string]string // component name -> folder holding its component.json ("." for the service folder)
	bundleDirs    map[string]string // folder holding a bundle.json -> its version
}

// inspectPackage checks the manifests of a service folder and picks what selector publishes.
func inspectPackage(files packageFiles, selector string, where func(string) string) (*packageLayout, []Problem) {
	f := &findings{where: where}
	if !SelectorPattern.MatchString(selector) {
		f.selectorError("name %q must be vendor.service, vendor.service.module or vendor.service.module.Component", selector)
		return nil, f.problems
	}
	m := f.serviceManifest(files, selector)
	if m == nil {
		return nil, f.problems
	}
	if !UnderSelector(selector, m.service) {
		f.selectorError("name %q is not part of the package, which holds the service %q", selector, m.service)
	}
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		dir := path.Dir(rel)
		switch path.Base(rel) {
		case "bundle.json":
			f.bundle(rel, m, files[rel])
		case "module.json":
			f.module(rel, m, files[rel])
		case "component.json":
			if name := f.component(rel, m, files[rel]); name != "" {
				if prev, dup := m.componentDirs[name]; dup {
					f.warnf(rel, "name", "%q is also the name of %s; Appmixer keeps only one of them", name, path.Join(prev, "component.json"))
				}
				m.componentDirs[name] = dir
			}
		}
	}
	if HasErrors(f.problems) {
		return nil, f.problems
	}

	layout := &packageLayout{}
	layout.vendor, layout.service, _ = strings.Cut(m.service, ".")
	all := slices.Sorted(maps.Keys(m.componentDirs))
	for _, c := range all {
		if UnderSelector(c, selector) {
			layout.components = append(layout.components, c)
		}
	}
	switch {
	case len(all) == 0:
		f.errorf(".", "", "the package holds no component (a folder with component.json)")
	case len(layout.components) == 0:
		f.selectorError("name %q matches no component of the package; it holds %s", selector, strings.Join(all, ", "))
	}
	if HasErrors(f.problems) {
		return nil, f.problems
	}
	layout.version = m.commonVersion(layout.components)
	layout.selected = selectFiles(files, m, selector)
	return layout, f.problems
}

// serviceManifest reads service.json for the service's name. Some of Appmixer's own services have
// none (mcpservers holds only modules), so without one the service is the one the selector names.
func (f *findings) serviceManifest(files packageFiles, selector string) *packageManifests {
	m := &packageManifests{componentDirs: map[string]string{}, bundleDirs: map[string]string{}}
	b, ok := files["service.json"]
	if !ok {
		parts := strings.SplitN(selector, ".", 3)
		m.service = parts[0] + "." + parts[1]
		f.warnf("service.json", "", "is missing, so the service is taken to be %s from name; Appmixer shows the service "+
			"without the label, icon and description service.json gives", m.service)
		return m
	}
	doc := f.object("service.json", b)
	if doc == nil {
		return nil
	}
	name, _ := doc["name"].(string)
	switch {
	case name == "":
		f.errorf("service.json", "name", "is required")
		return nil
	case !serviceNamePattern.MatchString(name):
		f.errorf("service.json", "name", "%q must be vendor.service (letters, digits and _ only)", name)
		return nil
	}
	f.requiredKeys("service.json", doc)
	m.service = name
	return m
}

// component checks a component.json and returns the name Appmixer registers it under, or "".
func (f *findings) component(rel string, m *packageManifests, b []byte) string {
	doc := f.object(rel, b)
	if doc == nil {
		return ""
	}
	name, _ := doc["name"].(string)
	if name == "" {
		f.errorf(rel, "name", "is required: Appmixer registers a component under its manifest's name")
		return ""
	}
	if !f.inService(rel, name, m.service) {
		return ""
	}
	folders := folderName(m.service, path.Dir(rel))
	switch {
	case !componentNamePattern.MatchString(name) && !serviceComponentNamePattern.MatchString(name):
		f.warnf(rel, "name", "%q is not of the form vendor.service.module.Component (letters, digits and _ only), so no flow can use it as its type", name)
	case name != folders:
		f.warnf(rel, "name", "%q does not match its folders (%s); Appmixer registers the component as %q, the type flows use", name, folders, name)
	case serviceComponentNamePattern.MatchString(name):
		f.warnf(rel, "name", "%q sits directly under the service folder, without a module: the CLI's schema expects "+
			"vendor.service.module.Component (`appmixer pack` of the service refuses it), yet Appmixer's own connectors ship such components", name)
	}
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		if !componentSchemaKeys[k] {
			f.warnf(rel, k, "is not in the official CLI's component schema; Appmixer keeps it as published")
		}
	}
	return name
}

// module checks a module.json: its name is optional for a service pack, so only another vendor or
// service in it is an error.
func (f *findings) module(rel string, m *packageManifests, b []byte) {
	doc := f.object(rel, b)
	if doc == nil {
		return
	}
	name, _ := doc["name"].(string)
	folders := folderName(m.service, path.Dir(rel))
	switch {
	case name == "":
		f.warnf(rel, "name", "is missing; the CLI's schema requires %q", folders)
	case !f.inService(rel, name, m.service):
	case name != folders:
		f.warnf(rel, "name", "%q does not match its folders (%s)", name, folders)
	}
	f.requiredKeys(rel, doc)
}

// bundle reads a bundle.json (service or module level) for the version of the components below it.
func (f *findings) bundle(rel string, m *packageManifests, b []byte) {
	doc := f.object(rel, b)
	if doc == nil {
		return
	}
	// Appmixer's own bundles do not always spell their service as service.json does
	// (appmixer.zendesktickets in zendeskTickets), so a different name is only suspicious.
	if name, ok := doc["name"].(string); ok && name != folderName(m.service, path.Dir(rel)) {
		f.warnf(rel, "name", "%q does not match its folders (%s)", name, folderName(m.service, path.Dir(rel)))
	}
	if v, ok := doc["version"].(string); ok {
		m.bundleDirs[path.Dir(rel)] = v
	} else {
		f.warnf(rel, "version", "is missing or not a string; Appmixer versions connectors by it")
	}
}

// inService reports whether a manifest name lies in the service being published; a name in another
// vendor or service would be installed somewhere this package does not own.
func (f *findings) inService(rel, name, service string) bool {
	if UnderSelector(name, service) {
		return true
	}
	f.errorf(rel, "name", "%q is outside the service %q of service.json: a package publishes one service", name, service)
	return false
}

func (f *findings) requiredKeys(rel string, doc map[string]any) {
	for _, k := range appRequiredKeys {
		if _, ok := doc[k]; !ok {
			f.warnf(rel, k, "is missing; the CLI's schema requires it and Appmixer's UI shows it")
		}
	}
}

// object parses a manifest, reporting one that is not a JSON object.
func (f *findings) object(rel string, b []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		f.errorf(rel, "", "invalid JSON: %v", err)
		return nil
	}
	if doc == nil {
		f.errorf(rel, "", "invalid JSON: the manifest must be a JSON object")
	}
	return doc
}

// commonVersion is the version Appmixer reports for every one of names (the nearest bundle.json above
// each component's folder), or "" when they differ or one has none.
func (m *packageManifests) commonVersion(names []string) string {
	version := ""
	for i, name := range names {
		v := ""
		for dir := m.componentDirs[name]; ; dir = path.Dir(dir) {
			if bv, ok := m.bundleDirs[dir]; ok {
				v = bv
				break
			}
			if dir == "." {
				break
			}
		}
		if v == "" || (i > 0 && v != version) {
			return ""
		}
		version = v
	}
	return version
}

// folderName is the name the folders of dir spell under service ("acme.weather.forecast.GetForecast").
func folderName(service, dir string) string {
	if dir == "." {
		return service
	}
	return service + "." + strings.ReplaceAll(dir, "/", ".")
}

// UnderSelector reports whether a component name is selector (a service, module or component) or
// lies below it.
func UnderSelector(name, selector string) bool {
	return name == selector || strings.HasPrefix(name, selector+".")
}
