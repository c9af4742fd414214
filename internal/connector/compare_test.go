// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import "testing"

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
