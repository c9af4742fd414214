// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"path"
	"sort"
	"strings"
)

// selectFiles picks what a pack for selector holds. A service takes every file. A module or a component
// takes the service-level files and folders that hold no component (helpers such as lib/), the folders
// of the components whose manifest name falls under the selector (Appmixer registers components by
// name, whatever their folder), and the other files of those components' module folders and of the
// module folder the selector names. Other components' folders are left out.
func selectFiles(files packageFiles, m *packageManifests, selector string) []string {
	all := selector == m.service
	componentDirs := map[string]bool{}
	selectedDirs := map[string]bool{}
	moduleFolders := map[string]bool{}
	hostsComponents := map[string]bool{}
	for name, dir := range m.componentDirs {
		componentDirs[dir] = true
		top, _, nested := strings.Cut(dir, "/")
		if nested {
			hostsComponents[top] = true
		}
		if UnderSelector(name, selector) {
			selectedDirs[dir] = true
			if nested {
				moduleFolders[top] = true
			}
		}
	}
	if parts := strings.Split(selector, "."); len(parts) == 3 {
		moduleFolders[parts[2]] = true
	}

	var out []string
	for rel := range files {
		keep := all
		if !keep {
			parts := strings.Split(rel, "/")
			switch dir, inComponent := innermostComponentDir(rel, componentDirs); {
			case inComponent:
				keep = selectedDirs[dir]
			case len(parts) == 1:
				keep = true
			default:
				keep = moduleFolders[parts[0]] || !hostsComponents[parts[0]]
			}
		}
		if keep {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

// innermostComponentDir finds the deepest component folder holding rel.
func innermostComponentDir(rel string, componentDirs map[string]bool) (string, bool) {
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if componentDirs[dir] {
			return dir, true
		}
	}
	return "", false
}
