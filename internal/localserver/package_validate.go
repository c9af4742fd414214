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
)

// maxPackageBytes is Appmixer's upload limit for a component package.
const maxPackageBytes = 10 << 20

// maxManifestBytes bounds what is read of one manifest, so a zip bomb cannot exhaust memory.
const maxManifestBytes = 1 << 20

var (
	serviceNamePattern   = regexp.MustCompile(`^\w+\.\w+$`)
	moduleNamePattern    = regexp.MustCompile(`^\w+\.\w+\.\w+$`)
	authServicePattern   = regexp.MustCompile(`^[\w-]+:[\w-]+$`)
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
	services   map[string]appMeta        // from service.json, by service name
	modules    map[string]appMeta        // from module.json, by module name
	components map[string]map[string]any // component.json by component name
	versions   map[string]string         // bundle.json version by service name
}

// fieldKind is the JSON type a manifest key must have.
type fieldKind int

const (
	kindAny fieldKind = iota
	kindString
	kindBool
	kindNumber
	kindArray
	kindObject
)

// manifestSchema mirrors the JSON schemas the official CLI checks manifests with.
type manifestSchema struct {
	namePattern *regexp.Regexp
	required    []string
	fields      map[string]fieldKind // every allowed key; others are additional properties
}

var appManifestFields = map[string]fieldKind{
	"name": kindString, "label": kindString, "category": kindString, "icon": kindString, "description": kindString,
	"private": kindBool, "categoryIndex": kindNumber, "index": kindNumber,
}

var (
	serviceSchema   = manifestSchema{serviceNamePattern, []string{"name", "label", "category", "icon", "description"}, appManifestFields}
	moduleSchema    = manifestSchema{moduleNamePattern, []string{"name", "label", "category", "icon", "description"}, appManifestFields}
	componentSchema = manifestSchema{componentTypePattern, []string{"name"}, map[string]fieldKind{
		"name": kindString, "label": kindString, "author": kindString, "description": kindString, "icon": kindString,
		"marker": kindString, "private": kindBool, "trigger": kindBool, "tick": kindBool, "webhook": kindBool,
		"inPorts": kindArray, "outPorts": kindArray, "firePatterns": kindAny, "auth": kindObject, "authConfig": kindObject,
		"config": kindObject, "continuityScope": kindAny, "shape": kindAny, "state": kindObject, "quota": kindObject,
		"properties": kindObject, "localization": kindObject, "version": kindString, "dependencies": kindObject,
	}}
)

// packageValidator collects the problems of one package, the way `appmixer publish` would report them.
type packageValidator struct {
	pkg         *parsedPackage
	problems    []problem
	serviceJSON map[string]bool // services whose service.json is in the package, valid or not
}

func (v *packageValidator) add(dataPath, format string, args ...any) {
	v.problems = append(v.problems, problem{DataPath: dataPath, Message: fmt.Sprintf(format, args...)})
}

// validatePackage unpacks and checks a component package. installed reports whether a service is
// already on the server, so a package without its own service.json can still publish into it.
func validatePackage(archive []byte, installed func(service string) bool) (*parsedPackage, []problem) {
	v := &packageValidator{serviceJSON: map[string]bool{}, pkg: &parsedPackage{
		services: map[string]appMeta{}, modules: map[string]appMeta{},
		components: map[string]map[string]any{}, versions: map[string]string{},
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
	servicesSeen := map[string]bool{}
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
		if strings.HasPrefix(name, "/") || slices.Contains(parts, "..") || len(parts) < 3 {
			v.add(name, "File must be inside a <vendor>/<service>/ folder.")
			continue
		}
		servicesSeen[parts[0]+"."+parts[1]] = true
		v.file(f, name, parts)
	}
	if len(v.pkg.components) == 0 && len(v.problems) == 0 {
		v.add("", "Package contains no components (<vendor>/<service>/<module>/<Component>/component.json).")
	}
	for _, service := range sortedKeys(servicesSeen) {
		if !v.serviceJSON[service] && !installed(service) {
			v.add(strings.Replace(service, ".", "/", 1)+"/service.json", "service.json is required for a service that is not installed yet.")
		}
	}
	if len(v.problems) > 0 {
		slices.SortStableFunc(v.problems, func(a, b problem) int { return strings.Compare(a.DataPath, b.DataPath) })
		return nil, v.problems
	}
	return v.pkg, nil
}

// file checks one zip entry that sits at a manifest's place in the vendor/service/module/Component tree.
func (v *packageValidator) file(f *zip.File, name string, parts []string) {
	base := path.Base(name)
	expected := strings.Join(parts[:len(parts)-1], ".")
	switch {
	case base == "service.json" && len(parts) == 3:
		v.serviceJSON[expected] = true
		if m, ok := v.manifest(f, name, serviceSchema, expected); ok {
			v.pkg.services[expected] = appMetaOf(m)
		}
	case base == "module.json" && len(parts) == 4:
		if m, ok := v.manifest(f, name, moduleSchema, expected); ok {
			v.pkg.modules[expected] = appMetaOf(m)
		}
	case base == "component.json" && len(parts) == 5:
		m, ok := v.manifest(f, name, componentSchema, expected)
		if m != nil && v.component(name, m) && ok {
			v.pkg.components[expected] = m
		}
	case base == "bundle.json" && len(parts) == 3:
		v.bundle(f, name, expected)
	case base == "service.json", base == "module.json", base == "component.json":
		v.add(name, "%s is misplaced: service.json belongs in <vendor>/<service>/, module.json in <vendor>/<service>/<module>/ and component.json in <vendor>/<service>/<module>/<Component>/.", base)
	}
}

// manifest reads and schema-checks a manifest. It returns the manifest when it is a JSON object
// (so deeper checks can still report) and whether it passed.
func (v *packageValidator) manifest(f *zip.File, name string, schema manifestSchema, expected string) (map[string]any, bool) {
	m := v.readJSON(f, name)
	if m == nil {
		return nil, false
	}
	before := len(v.problems)
	for _, key := range schema.required {
		if _, ok := m[key]; !ok {
			v.add(name+" ."+key, "should have required property '%s'", key)
		}
	}
	for _, key := range sortedKeys(m) {
		kind, ok := schema.fields[key]
		if !ok {
			v.add(name+" ."+key, "should NOT have additional properties")
			continue
		}
		if msg := kindProblem(m[key], kind); msg != "" {
			v.add(name+" ."+key, "%s", msg)
		}
	}
	if n, ok := m["name"].(string); ok {
		switch {
		case !schema.namePattern.MatchString(n):
			v.add(name+" .name", "should match pattern \"%s\"", schema.namePattern)
		case n != expected:
			v.add(name+" .name", "name %q does not match its folder; expected %q", n, expected)
		}
	}
	return m, len(v.problems) == before
}

// component checks the parts of component.json the CLI's schema describes below the top level and
// reports whether they passed.
func (v *packageValidator) component(name string, m map[string]any) bool {
	before := len(v.problems)
	for _, key := range []string{"inPorts", "outPorts"} {
		ports, _ := m[key].([]any)
		for i, p := range ports {
			switch port := p.(type) {
			case string:
			case map[string]any:
				if _, ok := port["name"].(string); !ok {
					v.add(fmt.Sprintf("%s .%s[%d].name", name, key, i), "should have required property 'name'")
				}
			default:
				v.add(fmt.Sprintf("%s .%s[%d]", name, key, i), "should be string,object")
			}
		}
	}
	if auth, ok := m["auth"].(map[string]any); ok {
		service, isString := auth["service"].(string)
		switch {
		case !isString:
			v.add(name+" .auth.service", "should have required property 'service'")
		case !authServicePattern.MatchString(service):
			v.add(name+" .auth.service", "should match pattern \"%s\"", authServicePattern)
		}
	}
	return len(v.problems) == before
}

func (v *packageValidator) bundle(f *zip.File, name, service string) {
	m := v.readJSON(f, name)
	if m == nil {
		return
	}
	if n, ok := m["name"].(string); ok && n != service {
		v.add(name+" .name", "name %q does not match its folder; expected %q", n, service)
	}
	version, _ := m["version"].(string)
	if !bundleVersionPattern.MatchString(version) {
		v.add(name+" .version", "should be a semantic version such as \"1.2.3\"")
		return
	}
	v.pkg.versions[service] = version
}

func (v *packageValidator) readJSON(f *zip.File, name string) map[string]any {
	rc, err := f.Open()
	if err != nil {
		v.add(name, "Cannot read the file: %v", err)
		return nil
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxManifestBytes+1))
	if err != nil {
		v.add(name, "Cannot read the file: %v", err)
		return nil
	}
	if len(data) > maxManifestBytes {
		v.add(name, "File is larger than 1 MiB.")
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		v.add(name, "Invalid JSON: the file must hold a JSON object.")
		return nil
	}
	return m
}

// kindProblem is the ajv-style message for a value of the wrong JSON type, or "".
func kindProblem(val any, kind fieldKind) string {
	ok := true
	switch kind {
	case kindString:
		_, ok = val.(string)
	case kindBool:
		_, ok = val.(bool)
	case kindNumber:
		_, ok = val.(json.Number)
	case kindArray:
		_, ok = val.([]any)
	case kindObject:
		_, ok = val.(map[string]any)
	}
	if ok {
		return ""
	}
	return "should be " + [...]string{"", "string", "boolean", "number", "array", "object"}[kind]
}

func appMetaOf(m map[string]any) appMeta {
	return appMeta{name: str(m["name"]), label: str(m["label"]), category: str(m["category"]), description: str(m["description"]), icon: str(m["icon"])}
}
