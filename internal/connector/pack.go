// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package connector packs Appmixer connectors (services, modules, components) the way the official
// `appmixer pack` does, and checks their manifests before anything is sent. It knows nothing of Terraform.
package connector

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// MaxPackageBytes is the upload limit of POST /components (10 MB, as the official CLI enforces).
const MaxPackageBytes = 10 << 20

// Name patterns of the connector manifests (service, module and component schemas of the official CLI).
var (
	serviceNamePattern   = regexp.MustCompile(`^\w+\.\w+$`)
	componentNamePattern = regexp.MustCompile(`^\w+\.\w+\.\w+\.\w+$`)
	// serviceComponentNamePattern is a component directly under its service, as Appmixer's own
	// connectors have them (appmixer.googleContacts.CreateContact).
	serviceComponentNamePattern = regexp.MustCompile(`^\w+\.\w+\.\w+$`)
	SelectorPattern             = regexp.MustCompile(`^\w+\.\w+(\.\w+){0,2}$`)
)

// zipEpoch is the modification time of every packed entry: the earliest MS-DOS time, so that the same
// files always give the same bytes (and the same source_hash) whatever their mtimes on disk.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Package is a connector package ready to publish.
type Package struct {
	Zip        []byte   // bytes sent to POST /components
	Hash       string   // hex sha256 of Zip
	Components []string // manifest names of the packed components (those under the selector), sorted
	Version    string   // the version the bundle.json nearest to each packed component gives them all; "" when none or they differ
}

// packageFiles is a connector's service directory in memory: slash paths relative to the folder
// holding service.json.
type packageFiles map[string][]byte

// excludedFromPack mirrors what `appmixer pack` leaves out: installed dependencies (the engine installs
// them from package.json), the lock file, build artifacts and local test flows.
func excludedFromPack(rel string, isDir bool) bool {
	base := path.Base(rel)
	if isDir {
		return base == "node_modules" || base == "artifacts"
	}
	if base == "package-lock.json" {
		return true
	}
	ok, _ := path.Match("test-flow*.json", base)
	return ok
}

// PackDir packs the service directory dir for selector. node_modules/ and the other files the
// official tooling skips are left out silently, as `appmixer pack` does. It returns the package and
// the warnings found, or no package when a problem is an Error.
func PackDir(dir, selector string) (*Package, []Problem, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading connector directory: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory; source_dir is the folder holding service.json", dir)
	}
	files := packageFiles{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, walkErr error) error {
		if walkErr != nil {
			return walkErr
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if excludedFromPack(rel, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		// Symlinks to files are packed as the file they point to; anything else (sockets, devices) is not
		// part of a connector.
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !st.Mode().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p) //nolint:gosec // reading the user's own connector sources is the point
		if err != nil {
			return err
		}
		files[rel] = b
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading connector directory: %w", err)
	}

	where := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	layout, problems := inspectPackage(files, selector, where)
	if layout == nil {
		return nil, problems, nil
	}
	if base := filepath.Base(filepath.Clean(dir)); base != layout.service {
		problems = append(problems, Problem{Severity: Warning, File: where("service.json"), Key: "name",
			Message: fmt.Sprintf("%q does not match its folder %q; the package is published as %s/%s/ all the same",
				layout.vendor+"."+layout.service, base, layout.vendor, layout.service)})
	}
	zipBytes, err := deterministicZip(layout.vendor+"/"+layout.service+"/", files, layout.selected)
	if err != nil {
		return nil, nil, err
	}
	return finishPackage(zipBytes, layout, dir, problems)
}

// ReadZip reads a ready-made package. The zip is published as it is, so instead of leaving out
// node_modules/ it is rejected when it carries one. The service published is the one the selector
// names; entries outside its folder are published too, but only warned about.
func ReadZip(file, selector string) (*Package, []Problem, error) {
	raw, err := os.ReadFile(file) //nolint:gosec // the user's own package
	if err != nil {
		return nil, nil, fmt.Errorf("reading connector zip: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		// A broken zip is a problem of the package, reported like the others.
		return nil, []Problem{{File: file, Message: "not a zip archive: " + err.Error()}}, nil //nolint:nilerr
	}

	// The package root is vendor/service/ of the selector, found from its service.json two levels deep.
	want := ""
	if parts := strings.SplitN(selector, ".", 3); len(parts) >= 2 {
		want = parts[0] + "/" + parts[1] + "/"
	}
	var prefixes []string
	for _, f := range zr.File {
		if parts := strings.Split(f.Name, "/"); len(parts) == 3 && parts[2] == "service.json" {
			prefixes = append(prefixes, parts[0]+"/"+parts[1]+"/")
		}
	}
	prefix := ""
	switch {
	case slices.Contains(prefixes, want):
		prefix = want
	case len(prefixes) == 1:
		prefix = prefixes[0] // inspectPackage reports that the selector is not in it
	case len(prefixes) == 0:
		// A service without service.json (Appmixer's mcpservers has none) is the one the selector names.
		prefix = want
		if !slices.ContainsFunc(zr.File, func(f *zip.File) bool { return strings.HasPrefix(f.Name, want) }) {
			return nil, []Problem{{File: file, Message: fmt.Sprintf("holds nothing under %s: the zip must hold the service folder of name %q under its vendor folder", want, selector)}}, nil
		}
	default:
		return nil, []Problem{{File: file, Message: fmt.Sprintf("holds the services %s but none is %s, the service of name %q",
			strings.Join(prefixes, ", "), want, selector)}}, nil
	}

	var problems []Problem
	files := packageFiles{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		where := file + ":" + f.Name
		if slices.Contains(strings.Split(f.Name, "/"), "node_modules") {
			problems = append(problems, Problem{File: where,
				Message: "node_modules must not be packed: the Appmixer engine installs dependencies from package.json"})
			continue
		}
		if !strings.HasPrefix(f.Name, prefix) {
			problems = append(problems, Problem{Severity: Warning, File: where,
				Message: "is outside the service folder " + prefix + "; it is uploaded with the package all the same"})
			continue
		}
		b, err := readZipEntry(f)
		if err != nil {
			problems = append(problems, Problem{File: where, Message: err.Error()})
			continue
		}
		files[strings.TrimPrefix(f.Name, prefix)] = b
	}
	where := func(rel string) string { return file + ":" + prefix + rel }
	layout, more := inspectPackage(files, selector, where)
	problems = append(problems, more...)
	if layout != nil && prefix != layout.vendor+"/"+layout.service+"/" {
		problems = append(problems, Problem{Severity: Warning, File: where("service.json"), Key: "name",
			Message: fmt.Sprintf("%q does not match its folders %q", layout.vendor+"."+layout.service, strings.TrimSuffix(prefix, "/"))})
	}
	if layout == nil || HasErrors(problems) {
		return nil, problems, nil
	}
	return finishPackage(raw, layout, file, problems)
}

// finishPackage enforces the size limit and hashes the bytes to upload; warnings found so far stay.
func finishPackage(zipBytes []byte, layout *packageLayout, origin string, problems []Problem) (*Package, []Problem, error) {
	if len(zipBytes) > MaxPackageBytes {
		return nil, append(problems, Problem{File: origin, Message: fmt.Sprintf("the package is %d bytes packed; Appmixer accepts at most 10 MB (%d bytes)",
			len(zipBytes), MaxPackageBytes)}), nil
	}
	sum := sha256.Sum256(zipBytes)
	return &Package{
		Zip:        zipBytes,
		Hash:       hex.EncodeToString(sum[:]),
		Components: layout.components,
		Version:    layout.version,
	}, problems, nil
}
