package connector

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// packageLayout is what inspectPackage learned from the manifests.
type packageLayout struct {
	vendor, service string
	version         string
	components      []string // full names within the selector, sorted
	selected        []string // file paths to pack for the selector
}

// inspectPackage checks the manifests the way `appmixer pack` does before packing: every name matches
// its pattern and its folders, and selector names the service or a module or component in it. where
// turns a relative path into what the user should look at.
func inspectPackage(files packageFiles, selector string, where func(string) string) (*packageLayout, []Problem) {
	var problems []Problem
	bad := func(rel, format string, args ...any) {
		problems = append(problems, Problem{where(rel), fmt.Sprintf(format, args...)})
	}

	svc, ok := files["service.json"]
	if !ok {
		return nil, []Problem{{where("service.json"), "missing: the package root must hold service.json"}}
	}
	serviceName, err := manifestName(svc)
	if err != nil {
		return nil, []Problem{{where("service.json"), err.Error()}}
	}
	if !serviceNamePattern.MatchString(serviceName) {
		return nil, []Problem{{where("service.json"), fmt.Sprintf("name %q must match %s (vendor.service)", serviceName, serviceNamePattern)}}
	}
	layout := &packageLayout{}
	layout.vendor, layout.service, _ = strings.Cut(serviceName, ".")

	if b, ok := files["bundle.json"]; ok {
		var bundle struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		}
		if err := json.Unmarshal(b, &bundle); err != nil {
			bad("bundle.json", "invalid JSON: %v", err)
		} else {
			if bundle.Name != "" && bundle.Name != serviceName {
				bad("bundle.json", "name %q does not match the service %q of service.json", bundle.Name, serviceName)
			}
			layout.version = bundle.Version
		}
	}

	var all []string
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		parts := strings.Split(rel, "/")
		switch {
		case len(parts) == 2 && parts[1] == "module.json":
			checkNamed(files[rel], moduleNamePattern, serviceName+"."+parts[0], rel, bad)
		case len(parts) == 3 && parts[2] == "component.json":
			if checkNamed(files[rel], componentNamePattern, serviceName+"."+parts[0]+"."+parts[1], rel, bad) {
				all = append(all, serviceName+"."+parts[0]+"."+parts[1])
			}
		case path.Base(rel) == "component.json":
			bad(rel, "misplaced: a component's manifest belongs at <module>/<Component>/component.json under the service folder")
		}
	}

	switch {
	case !SelectorPattern.MatchString(selector):
		problems = append(problems, Problem{"", fmt.Sprintf("name %q must be vendor.service, vendor.service.module or vendor.service.module.Component", selector)})
	case selector != serviceName && !strings.HasPrefix(selector, serviceName+"."):
		problems = append(problems, Problem{"", fmt.Sprintf("name %q is not part of the package, which holds the service %q", selector, serviceName)})
	}
	for _, c := range all {
		if c == selector || strings.HasPrefix(c, selector+".") {
			layout.components = append(layout.components, c)
		}
	}
	if len(problems) == 0 && len(layout.components) == 0 {
		if len(all) == 0 {
			problems = append(problems, Problem{where("."), "the package holds no component (<module>/<Component>/component.json)"})
		} else {
			problems = append(problems, Problem{"", fmt.Sprintf("name %q matches no component of the package; it holds %s", selector, strings.Join(all, ", "))})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	layout.selected = selectFiles(files, strings.Split(selector, ".")[2:])
	return layout, nil
}

// checkNamed verifies a module or component manifest; it reports whether the manifest is usable.
func checkNamed(b []byte, pattern *regexp.Regexp, want, rel string, bad func(string, string, ...any)) bool {
	name, err := manifestName(b)
	switch {
	case err != nil:
		bad(rel, "%v", err)
	case !pattern.MatchString(name):
		bad(rel, "name %q must match %s", name, pattern)
	case name != want:
		bad(rel, "name %q does not match its folders: expected %q", name, want)
	default:
		return true
	}
	return false
}

func manifestName(b []byte) (string, error) {
	var m struct {
		Name *string `json:"name"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("invalid JSON: %w", err)
	}
	if m.Name == nil || *m.Name == "" {
		return "", errors.New(`"name" is required`)
	}
	return *m.Name, nil
}

// selectFiles picks what a pack of a module or a component holds: the service-level files, then for a
// module its whole folder, and for a component the module-level files plus the component's folder.
func selectFiles(files packageFiles, below []string) []string {
	var out []string
	for rel := range files {
		parts := strings.Split(rel, "/")
		keep := false
		switch {
		case len(parts) == 1 || len(below) == 0:
			keep = true
		case parts[0] != below[0]:
		case len(below) == 1 || len(parts) == 2:
			keep = true
		default:
			keep = parts[1] == below[1]
		}
		if keep {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}
