// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// The uploader refuses only what real Appmixer certainly refuses: a package over 10 MB or not a zip,
// node_modules in it, a manifest that is not a JSON object, a component.json without a name, and a
// manifest naming another vendor or service than the folder it sits in. Everything else that ships
// in Appmixer's own connectors is stored as it came (appmixer-api.md §9): keys the CLI's schemas do
// not list, components directly under the service or in a folder that differs from their name,
// bundle.json at module level, three-part auth services, component-level package.json, a string
// config. Components are registered under their manifest's name, whatever their folder.

// maxPackageBytes is Appmixer's upload limit for a component package.
const maxPackageBytes = 10 << 20

// maxUnpackedBytes bounds what a package may unpack to, so a zip bomb cannot exhaust memory.
const maxUnpackedBytes = 4 * maxPackageBytes

var (
	// authServicePattern is an account service: vendor:service, or vendor:service:module for a module
	// with its own auth.js (appmixer:utils:ftp).
	authServicePattern   = regexp.MustCompile(`^[\w-]+:[\w-]+(:[\w-]+)?$`)
	bundleVersionPattern = regexp.MustCompile(`^\d+\.\d+\.\d+([-+][\w.-]+)?$`)
)

// problem is one validation error, in the {dataPath, message} shape of Appmixer's uploader.
// dataPath is the file followed by a JavaScript-style path into it, e.g. "appmixer/x/y/Z/component.json .name".
type problem struct {
	DataPath string `json:"dataPath"`
	Message  string `json:"message"`
}

// parsedPackage is a component package that passed validation.
type parsedPackage struct {
	services   map[string]appMeta             // from service.json, by the service its folders name
	modules    map[string]appMeta             // from module.json, by module name
	components map[string]*publishedComponent // by manifest name
	bundles    map[string]bundleMeta          // by bundle name
	bundleDirs map[string]string              // zip folder holding a bundle.json -> its version
	files      map[string][]byte              // every entry under a vendor/service/ folder, by zip path
}

// publishedComponent is a component.json as published and the folder it came in.
type publishedComponent struct {
	manifest map[string]any
	dir      string // zip folder holding component.json, e.g. "appmixer/plivo/numbers/ListFromNumbers"
}

// bundleMeta is what a bundle.json (service or module level) says.
type bundleMeta struct {
	version, engine string
}

// packageValidator collects the problems of one package, the way `appmixer publish` reports them.
type packageValidator struct {
	pkg      *parsedPackage
	problems []problem
	unpacked int64
}

func (v *packageValidator) add(dataPath, format string, args ...any) {
	v.problems = append(v.problems, problem{DataPath: dataPath, Message: fmt.Sprintf(format, args...)})
}

// validatePackage unpacks and checks a component package.
func validatePackage(archive []byte) (*parsedPackage, []problem) {
	v := &packageValidator{pkg: &parsedPackage{
		services: map[string]appMeta{}, modules: map[string]appMeta{}, components: map[string]*publishedComponent{},
		bundles: map[string]bundleMeta{}, bundleDirs: map[string]string{}, files: map[string][]byte{},
	}}
	if len(archive) > maxPackageBytes {
		v.add("", "Package is %d bytes; the limit is 10 MB (%d bytes).", len(archive), maxPackageBytes)
		return nil, v.problems
	}
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		v.add("", "Package is not a valid zip archive.")
		return nil, v.problems
	}
	reportedNodeModules := map[string]bool{}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "./")
		if f.FileInfo().IsDir() {
			continue
		}
		parts := strings.Split(name, "/")
		if i := slices.Index(parts, "node_modules"); i >= 0 {
			dir := strings.Join(parts[:i+1], "/")
			if !reportedNodeModules[dir] {
				reportedNodeModules[dir] = true
				v.add(dir, "node_modules must not be published; the server installs dependencies from package.json.")
			}
			continue
		}
		// Entries that are not inside a vendor/service/ folder belong to no connector: not installed.
		if strings.HasPrefix(name, "/") || slices.Contains(parts, "..") || len(parts) < 3 || slices.Contains(parts, "") {
			continue
		}
		data, ok := v.read(f, name)
		if !ok {
			continue
		}
		v.pkg.files[name] = data
		v.manifest(name, parts, data)
	}
	if len(v.problems) > 0 {
		slices.SortStableFunc(v.problems, func(a, b problem) int { return strings.Compare(a.DataPath, b.DataPath) })
		return nil, v.problems
	}
	return v.pkg, nil
}

// manifest checks and records an entry that is one of the four manifests.
func (v *packageValidator) manifest(name string, parts []string, data []byte) {
	base := parts[len(parts)-1]
	if base != "service.json" && base != "module.json" && base != "component.json" && base != "bundle.json" {
		return
	}
	if base == "service.json" && len(parts) != 3 {
		return // only vendor/service/service.json describes a service
	}
	m := v.object(name, data)
	if m == nil {
		return
	}
	service := parts[0] + "." + parts[1]
	dir := path.Dir(name)
	switch base {
	case "service.json":
		v.pkg.services[service] = appMetaOf(m, service)
	case "module.json":
		if n := v.nameInService(name, m, service, false); n != "" {
			v.pkg.modules[n] = appMetaOf(m, n)
		}
	case "component.json":
		if n := v.nameInService(name, m, service, true); n != "" {
			v.pkg.components[n] = &publishedComponent{manifest: m, dir: dir}
		}
	case "bundle.json":
		b := bundleMeta{version: str(m["version"]), engine: str(m["engine"])}
		n := str(m["name"])
		if n == "" {
			n = strings.ReplaceAll(dir, "/", ".")
		}
		v.pkg.bundles[n] = b
		v.pkg.bundleDirs[dir] = b.version
	}
}

// nameInService returns a module's or component's manifest name when it lies in the service of its
// folders. A module.json without a name takes the one its folders spell.
func (v *packageValidator) nameInService(file string, m map[string]any, service string, required bool) string {
	n, _ := m["name"].(string)
	switch {
	case n == "" && required:
		v.add(file+" .name", "should have required property 'name'")
	case n == "":
		return strings.ReplaceAll(path.Dir(file), "/", ".")
	case !connector.UnderSelector(n, service) || n == service:
		v.add(file+" .name", "name %q is outside the service %q of its folder", n, service)
	default:
		return n
	}
	return ""
}

// read returns an entry's bytes, refusing the package once it unpacks to more than maxUnpackedBytes.
func (v *packageValidator) read(f *zip.File, name string) ([]byte, bool) {
	rc, err := f.Open()
	if err != nil {
		v.add(name, "Cannot read the file: %v", err)
		return nil, false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxUnpackedBytes-v.unpacked+1))
	if err != nil {
		v.add(name, "Cannot read the file: %v", err)
		return nil, false
	}
	v.unpacked += int64(len(data))
	if v.unpacked > maxUnpackedBytes {
		v.add(name, "Package unpacks to more than %d bytes.", maxUnpackedBytes)
		return nil, false
	}
	return data, true
}

func (v *packageValidator) object(name string, data []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		v.add(name, "Invalid JSON: the file must hold a JSON object.")
		return nil
	}
	return m
}

// version is the version Appmixer gives a published component: that of the bundle.json nearest to
// its folder (module level before service level), else 1.0.0.
func (p *parsedPackage) version(c *publishedComponent) string {
	for dir := c.dir; strings.Count(dir, "/") >= 1; dir = path.Dir(dir) {
		if v, ok := p.bundleDirs[dir]; ok && v != "" {
			return v
		}
	}
	return "1.0.0"
}

func appMetaOf(m map[string]any, name string) appMeta {
	return appMeta{name: name, label: str(m["label"]), category: str(m["category"]), description: str(m["description"]), icon: str(m["icon"])}
}
