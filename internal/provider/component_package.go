package provider

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// maxPackageBytes is the upload limit of POST /components (10 MB, as the official CLI enforces).
const maxPackageBytes = 10 << 20

// Name patterns of the connector manifests (service, module and component schemas of the official CLI).
var (
	serviceNamePattern   = regexp.MustCompile(`^\w+\.\w+$`)
	moduleNamePattern    = regexp.MustCompile(`^\w+\.\w+\.\w+$`)
	componentNamePattern = regexp.MustCompile(`^\w+\.\w+\.\w+\.\w+$`)
	selectorPattern      = regexp.MustCompile(`^\w+\.\w+(\.\w+){0,2}$`)
)

// zipEpoch is the modification time of every packed entry: the earliest MS-DOS time, so that the same
// files always give the same bytes (and the same source_hash) whatever their mtimes on disk.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// componentPackage is a connector package ready to publish.
type componentPackage struct {
	Zip        []byte   // bytes sent to POST /components
	Hash       string   // hex sha256 of Zip
	Components []string // full names of the packed components (within the selector), sorted
	Version    string   // version in bundle.json; "" when the package has none
}

// packageProblem is one reason a package cannot be published. File is the offending file as the user
// knows it (a path on disk or "archive.zip:entry"); empty for problems with the selector itself.
type packageProblem struct {
	File    string
	Message string
}

func (p packageProblem) String() string {
	if p.File == "" {
		return p.Message
	}
	return p.File + ": " + p.Message
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

// packDirectory packs the service directory dir for selector. node_modules/ and the other files the
// official tooling skips are left out silently, as `appmixer pack` does.
func packDirectory(dir, selector string) (*componentPackage, []packageProblem, error) {
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
		problems = append(problems, packageProblem{where("service.json"),
			fmt.Sprintf("name %q does not match its folder %q: the folder holding service.json must be named %q",
				layout.vendor+"."+layout.service, base, layout.service)})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	zipBytes, err := deterministicZip(layout.vendor+"/"+layout.service+"/", files, layout.selected)
	if err != nil {
		return nil, nil, err
	}
	return finishPackage(zipBytes, layout, dir)
}

// readPackageZip reads a ready-made package. The zip is published as it is, so instead of leaving out
// node_modules/ it is rejected when it carries one.
func readPackageZip(file, selector string) (*componentPackage, []packageProblem, error) {
	raw, err := os.ReadFile(file) //nolint:gosec // the user's own package
	if err != nil {
		return nil, nil, fmt.Errorf("reading connector zip: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		// A broken zip is a problem of the package, reported like the others.
		return nil, []packageProblem{{file, "not a zip archive: " + err.Error()}}, nil //nolint:nilerr
	}

	// The package root is vendor/service/, found from the one service.json two levels deep.
	var prefix string
	for _, f := range zr.File {
		parts := strings.Split(f.Name, "/")
		if len(parts) == 3 && parts[2] == "service.json" {
			if prefix != "" {
				return nil, []packageProblem{{file, "holds more than one service.json; a package publishes one service"}}, nil
			}
			prefix = parts[0] + "/" + parts[1] + "/"
		}
	}
	if prefix == "" {
		return nil, []packageProblem{{file, "no vendor/service/service.json entry: the zip must hold the service folder under its vendor folder"}}, nil
	}

	var problems []packageProblem
	files := packageFiles{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		where := file + ":" + f.Name
		if !strings.HasPrefix(f.Name, prefix) {
			problems = append(problems, packageProblem{where, "is outside the service folder " + prefix})
			continue
		}
		rel := strings.TrimPrefix(f.Name, prefix)
		if slices.Contains(strings.Split(rel, "/"), "node_modules") {
			problems = append(problems, packageProblem{where,
				"node_modules must not be packed: the Appmixer engine installs dependencies from package.json"})
			continue
		}
		b, err := readZipEntry(f)
		if err != nil {
			problems = append(problems, packageProblem{where, err.Error()})
			continue
		}
		files[rel] = b
	}
	where := func(rel string) string { return file + ":" + prefix + rel }
	layout, more := inspectPackage(files, selector, where)
	problems = append(problems, more...)
	if layout != nil && prefix != layout.vendor+"/"+layout.service+"/" {
		problems = append(problems, packageProblem{where("service.json"),
			fmt.Sprintf("name %q does not match its folders %q", layout.vendor+"."+layout.service, strings.TrimSuffix(prefix, "/"))})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	return finishPackage(raw, layout, file)
}

func readZipEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > 4*maxPackageBytes {
		return nil, errors.New("entry is too large to be part of a connector")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 4*maxPackageBytes+1))
}

func finishPackage(zipBytes []byte, layout *packageLayout, origin string) (*componentPackage, []packageProblem, error) {
	if len(zipBytes) > maxPackageBytes {
		return nil, []packageProblem{{origin, fmt.Sprintf("the package is %d bytes packed; Appmixer accepts at most 10 MB (%d bytes)",
			len(zipBytes), maxPackageBytes)}}, nil
	}
	sum := sha256.Sum256(zipBytes)
	return &componentPackage{
		Zip:        zipBytes,
		Hash:       hex.EncodeToString(sum[:]),
		Components: layout.components,
		Version:    layout.version,
	}, nil, nil
}

// deterministicZip writes the selected files under prefix in byte order of their paths, with fixed
// times and modes, so identical content always yields identical bytes.
func deterministicZip(prefix string, files packageFiles, selected []string) ([]byte, error) {
	paths := append([]string(nil), selected...)
	sort.Strings(paths)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range paths {
		h := &zip.FileHeader{Name: prefix + p, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[p]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

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
func inspectPackage(files packageFiles, selector string, where func(string) string) (*packageLayout, []packageProblem) {
	var problems []packageProblem
	bad := func(rel, format string, args ...any) {
		problems = append(problems, packageProblem{where(rel), fmt.Sprintf(format, args...)})
	}

	svc, ok := files["service.json"]
	if !ok {
		return nil, []packageProblem{{where("service.json"), "missing: the package root must hold service.json"}}
	}
	serviceName, err := manifestName(svc)
	if err != nil {
		return nil, []packageProblem{{where("service.json"), err.Error()}}
	}
	if !serviceNamePattern.MatchString(serviceName) {
		return nil, []packageProblem{{where("service.json"), fmt.Sprintf("name %q must match %s (vendor.service)", serviceName, serviceNamePattern)}}
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
	case !selectorPattern.MatchString(selector):
		problems = append(problems, packageProblem{"", fmt.Sprintf("name %q must be vendor.service, vendor.service.module or vendor.service.module.Component", selector)})
	case selector != serviceName && !strings.HasPrefix(selector, serviceName+"."):
		problems = append(problems, packageProblem{"", fmt.Sprintf("name %q is not part of the package, which holds the service %q", selector, serviceName)})
	}
	for _, c := range all {
		if c == selector || strings.HasPrefix(c, selector+".") {
			layout.components = append(layout.components, c)
		}
	}
	if len(problems) == 0 && len(layout.components) == 0 {
		if len(all) == 0 {
			problems = append(problems, packageProblem{where("."), "the package holds no component (<module>/<Component>/component.json)"})
		} else {
			problems = append(problems, packageProblem{"", fmt.Sprintf("name %q matches no component of the package; it holds %s", selector, strings.Join(all, ", "))})
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
