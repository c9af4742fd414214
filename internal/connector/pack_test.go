// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

func mustPack(t *testing.T, dir, selector string) *Package {
	t.Helper()
	pkg, problems, err := PackDir(dir, selector)
	if err != nil || len(problems) > 0 {
		t.Fatalf("PackDir(%s, %s): err %v, problems %v", dir, selector, err, problems)
	}
	return pkg
}

func zipEntries(t *testing.T, b []byte) []*zip.File {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return zr.File
}

func entryNames(t *testing.T, b []byte) []string {
	var names []string
	for _, f := range zipEntries(t, b) {
		names = append(names, f.Name)
	}
	return names
}

func TestPackDirectory_deterministic(t *testing.T) {
	a, b := testfixture.ExampleConnector(t), testfixture.ExampleConnector(t)
	// Different mtimes, modes and excluded clutter must not change the package.
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(b, "auth.js"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(b, "forecast/GetForecast/GetForecast.js"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, junk := range []string{"node_modules/left-pad/index.js", "package-lock.json", "artifacts/build.log",
		"test-flow.json", "forecast/GetForecast/test-flow-1.json", "forecast/node_modules/x.js"} {
		testfixture.WriteFile(t, filepath.Join(b, junk), "junk")
	}

	pa, pb := mustPack(t, a, "acme.weather"), mustPack(t, b, "acme.weather")
	if !bytes.Equal(pa.Zip, pb.Zip) || pa.Hash != pb.Hash {
		t.Fatalf("packages differ: %v vs %v", entryNames(t, pa.Zip), entryNames(t, pb.Zip))
	}
	want := []string{
		"acme/weather/auth.js", "acme/weather/bundle.json",
		"acme/weather/forecast/GetForecast/GetForecast.js", "acme/weather/forecast/GetForecast/component.json",
		"acme/weather/forecast/WeatherAlert/WeatherAlert.js", "acme/weather/forecast/WeatherAlert/component.json",
		"acme/weather/package.json", "acme/weather/service.json",
	}
	if got := entryNames(t, pa.Zip); !slices.Equal(got, want) {
		t.Fatalf("entries:\n got %v\nwant %v", got, want)
	}
	for _, f := range zipEntries(t, pa.Zip) {
		if !f.Modified.Equal(zipEpoch) || f.Mode() != 0o644 {
			t.Errorf("%s: modified %v mode %v, want fixed", f.Name, f.Modified, f.Mode())
		}
	}
	if !slices.Equal(pa.Components, []string{"acme.weather.forecast.GetForecast", "acme.weather.forecast.WeatherAlert"}) || pa.Version != "1.0.0" {
		t.Fatalf("components %v version %q", pa.Components, pa.Version)
	}

	// Any edit of a packed file changes the hash.
	testfixture.WriteFile(t, filepath.Join(a, "forecast/GetForecast/GetForecast.js"), "// changed\n")
	if mustPack(t, a, "acme.weather").Hash == pb.Hash {
		t.Fatal("editing a file kept the hash")
	}
}

func TestPackDirectory_selectors(t *testing.T) {
	dir := testfixture.ExampleConnector(t)
	testfixture.WriteFile(t, filepath.Join(dir, "other/Ping/component.json"), `{"name":"acme.weather.other.Ping"}`)
	testfixture.WriteFile(t, filepath.Join(dir, "forecast/shared.js"), "module.exports = {};")

	module := mustPack(t, dir, "acme.weather.forecast")
	if names := entryNames(t, module.Zip); slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, "/other/") }) ||
		!slices.Contains(names, "acme/weather/service.json") || !slices.Contains(names, "acme/weather/forecast/shared.js") {
		t.Fatalf("module pack: %v", names)
	}
	if len(module.Components) != 2 {
		t.Fatalf("module components %v", module.Components)
	}

	comp := mustPack(t, dir, "acme.weather.forecast.GetForecast")
	want := []string{"acme/weather/auth.js", "acme/weather/bundle.json", "acme/weather/forecast/GetForecast/GetForecast.js",
		"acme/weather/forecast/GetForecast/component.json", "acme/weather/forecast/shared.js", "acme/weather/package.json", "acme/weather/service.json"}
	if got := entryNames(t, comp.Zip); !slices.Equal(got, want) {
		t.Fatalf("component pack:\n got %v\nwant %v", got, want)
	}
	if !slices.Equal(comp.Components, []string{"acme.weather.forecast.GetForecast"}) {
		t.Fatalf("component components %v", comp.Components)
	}
	if all := mustPack(t, dir, "acme.weather"); len(all.Components) != 3 {
		t.Fatalf("service components %v", all.Components)
	}
}

func TestPackDirectory_sizeLimit(t *testing.T) {
	dir := testfixture.ExampleConnector(t)
	noise := make([]byte, MaxPackageBytes+1024) // random bytes do not compress
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "forecast/GetForecast/model.bin"), noise, 0o644); err != nil {
		t.Fatal(err)
	}
	_, problems, err := PackDir(dir, "acme.weather")
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0].Message, "Appmixer accepts at most 10 MB") {
		t.Fatalf("err %v problems %v", err, problems)
	}
	// The same bytes inside node_modules are left out, as `appmixer pack` does.
	if err := os.Mkdir(filepath.Join(dir, "node_modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "forecast/GetForecast/model.bin"), filepath.Join(dir, "node_modules/model.bin")); err != nil {
		t.Fatal(err)
	}
	mustPack(t, dir, "acme.weather")
}

func TestReadPackageZip(t *testing.T) {
	dir := testfixture.ExampleConnector(t)
	packed := mustPack(t, dir, "acme.weather")
	file := filepath.Join(t.TempDir(), "acme.weather.zip")
	if err := os.WriteFile(file, packed.Zip, 0o644); err != nil {
		t.Fatal(err)
	}
	pkg, problems, err := ReadZip(file, "acme.weather.forecast")
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v problems %v", err, problems)
	}
	if pkg.Hash != packed.Hash || !bytes.Equal(pkg.Zip, packed.Zip) || len(pkg.Components) != 2 || pkg.Version != "1.0.0" {
		t.Fatalf("zip package differs: %+v", pkg.Components)
	}

	// A ready-made zip is published as it is, so node_modules and stray entries are errors.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zipEntries(t, packed.Zip) {
		b, err := readZipEntry(f)
		if err != nil {
			t.Fatal(err)
		}
		addZipEntry(t, zw, f.Name, b)
	}
	for _, extra := range []string{"acme/weather/node_modules/left-pad/index.js", "acme/readme.txt"} {
		addZipEntry(t, zw, extra, []byte("x"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, problems, err = ReadZip(file, "acme.weather")
	if err != nil || len(problems) != 2 {
		t.Fatalf("err %v problems %v", err, problems)
	}
	// node_modules is certain to be refused; an entry outside the service folder is only suspicious.
	if !strings.Contains(problems[0].String(), "acme/weather/node_modules/left-pad/index.js: node_modules must not be packed") ||
		problems[0].Severity != Error ||
		!strings.Contains(problems[1].String(), "acme/readme.txt: is outside the service folder acme/weather/") ||
		problems[1].Severity != Warning {
		t.Fatalf("problems %v", problems)
	}

	if err := os.WriteFile(file, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Not a zip is a problem of the package, reported as such, not an error of reading the file.
	if _, problems, err = ReadZip(file, "acme.weather"); err != nil || len(problems) != 1 || !strings.Contains(problems[0].Message, "not a zip archive") {
		t.Fatalf("err %v problems %v", err, problems)
	}
}

func addZipEntry(t *testing.T, zw *zip.Writer, name string, content []byte) {
	t.Helper()
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
}
