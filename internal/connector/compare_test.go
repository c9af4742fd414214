// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"archive/zip"
	"bytes"
	"testing"
)

func TestSameFiles(t *testing.T) {
	files := map[string][]byte{"service.json": []byte(`{"name":"acme.weather"}`), "forecast/Get/component.json": []byte(`{"name":"acme.weather.forecast.Get"}`)}
	pkg, err := ZipTree("acme/weather/", files)
	if err != nil {
		t.Fatal(err)
	}
	with := func(edit func(map[string][]byte)) []byte {
		t.Helper()
		m := map[string][]byte{}
		for k, v := range files {
			m["acme/weather/"+k] = v
		}
		edit(m)
		z, err := ZipTree("", m)
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	for name, tc := range map[string]struct {
		served []byte
		want   bool
	}{
		"the same files":                {with(func(map[string][]byte) {}), true},
		"installed dependencies beside": {with(func(m map[string][]byte) { m["acme/weather/node_modules/x/index.js"] = []byte("x") }), true},
		"a lock file beside":            {with(func(m map[string][]byte) { m["acme/weather/forecast/Get/package-lock.json"] = []byte("{}") }), true},
		"a file changed": {with(func(m map[string][]byte) {
			m["acme/weather/service.json"] = []byte(`{"name":"acme.weather","label":"x"}`)
		}), false},
		"a file more": {with(func(m map[string][]byte) { m["acme/weather/auth.js"] = []byte("module.exports={}") }), false},
		"a file less": {with(func(m map[string][]byte) { delete(m, "acme/weather/service.json") }), false},
		"another folder": {with(func(m map[string][]byte) {
			m["weather/service.json"] = m["acme/weather/service.json"]
			delete(m, "acme/weather/service.json")
		}), false},
		"not a zip": {[]byte("<html>"), false},
	} {
		if got := SameFiles(pkg, tc.served); got != tc.want {
			t.Errorf("%s: SameFiles = %v, want %v", name, got, tc.want)
		}
	}
}

// A download may hold a path twice (a frozen version published again); the runtime uses the first
// copy, so that is the one compared (appmixer-api.md §1.6).
func TestSameFiles_firstCopyCounts(t *testing.T) {
	files := map[string][]byte{"acme/weather/service.json": []byte(`{"name":"acme.weather"}`)}
	pkg, err := ZipTree("", files)
	if err != nil {
		t.Fatal(err)
	}
	served := func(copies ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, c := range copies {
			w, err := zw.Create("acme/weather/service.json")
			if err != nil {
				t.Fatal(err)
			}
			_, _ = w.Write([]byte(c))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !SameFiles(pkg, served(`{"name":"acme.weather"}`, `{"name":"acme.weather","label":"later"}`)) {
		t.Error("the first copy matches the package, yet the files differ")
	}
	if SameFiles(pkg, served(`{"name":"acme.weather","label":"first"}`, `{"name":"acme.weather"}`)) {
		t.Error("only a later copy matches the package, yet the files are the same")
	}
}
