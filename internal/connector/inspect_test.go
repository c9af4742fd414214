// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// problemCase edits a copy of the example connector (acme/weather, module forecast with GetForecast
// and WeatherAlert) and packs it for selector.
type problemCase struct {
	name     string
	change   func(t *testing.T, dir string) string // returns the service dir to pack
	selector string
	want     []string // substrings of the problems, in order
}

func write(rel, content string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		testfixture.WriteFile(t, filepath.Join(dir, rel), content)
		return dir
	}
}

func packCase(t *testing.T, tc problemCase) (*Package, []Problem) {
	t.Helper()
	dir := testfixture.ExampleConnector(t)
	if tc.change != nil {
		dir = tc.change(t, dir)
	}
	selector := tc.selector
	if selector == "" {
		selector = "acme.weather"
	}
	pkg, problems, err := PackDir(dir, selector)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != len(tc.want) {
		t.Fatalf("got %d problems %v, want %d", len(problems), problems, len(tc.want))
	}
	for i, want := range tc.want {
		if got := filepath.ToSlash(problems[i].String()); !strings.Contains(got, want) {
			t.Errorf("problem %d: %q does not contain %q", i, got, want)
		}
	}
	return pkg, problems
}

// What Appmixer certainly refuses is an error, and nothing is packed.
func TestPackDirectory_errors(t *testing.T) {
	const comp = "forecast/GetForecast/component.json"
	for _, tc := range []problemCase{
		{name: "component.json not JSON", change: write(comp, `{"name":`), want: []string{comp + ": invalid JSON"}},
		{name: "component.json an array", change: write(comp, `[]`), want: []string{comp + ": invalid JSON"}},
		{name: "module.json not JSON", change: write("forecast/module.json", `nope`), want: []string{"forecast/module.json: invalid JSON"}},
		{name: "service.json not JSON", change: write("service.json", `{`), want: []string{"service.json: invalid JSON"}},
		{name: "bundle.json not JSON", change: write("bundle.json", `1.0.0`), want: []string{"bundle.json: invalid JSON"}},
		{name: "component without name", change: write(comp, `{"label":"Get Forecast"}`),
			want: []string{comp + `: key "name": is required`}},
		{name: "component in another service", change: write(comp, `{"name":"acme.climate.forecast.GetForecast"}`),
			want: []string{comp + `: key "name": "acme.climate.forecast.GetForecast" is outside the service "acme.weather"`}},
		{name: "component of another vendor", change: write(comp, `{"name":"globex.weather.forecast.GetForecast"}`),
			want: []string{comp + `: key "name": "globex.weather.forecast.GetForecast" is outside the service "acme.weather"`}},
		{name: "module in another service", change: write("forecast/module.json", `{"name":"acme.radar.forecast","label":"l","category":"c","icon":"i","description":"d"}`),
			want: []string{`forecast/module.json: key "name": "acme.radar.forecast" is outside the service`}},
		{name: "service.json without name", change: write("service.json", `{"label":"x"}`), want: []string{`service.json: key "name": is required`}},
		{name: "name of another service", selector: "acme.climate",
			want: []string{`name "acme.climate" is not part of the package, which holds the service "acme.weather"`}},
		{name: "name matching no component", selector: "acme.weather.forecast.Nope",
			want: []string{`name "acme.weather.forecast.Nope" matches no component of the package; it holds acme.weather.forecast.GetForecast, acme.weather.forecast.WeatherAlert`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg, problems := packCase(t, tc)
			if pkg != nil || !HasErrors(problems) {
				t.Fatalf("packed despite %v", problems)
			}
			for _, p := range problems {
				if p.Severity != Error {
					t.Errorf("%v is a %v, want an error", p, p.Severity)
				}
			}
		})
	}
}

// What looks wrong but ships in Appmixer's own connectors is a warning naming the file and the key, and
// the package is packed all the same.
func TestPackDirectory_warnings(t *testing.T) {
	const comp = "forecast/GetForecast/component.json"
	for _, tc := range []problemCase{
		{name: "name differs from its folder in case", change: write(comp, `{"name":"acme.weather.forecast.Getforecast"}`),
			want: []string{comp + `: key "name": "acme.weather.forecast.Getforecast" does not match its folders (acme.weather.forecast.GetForecast); Appmixer registers the component as "acme.weather.forecast.Getforecast"`}},
		{name: "name in another module", change: write(comp, `{"name":"acme.weather.radar.GetForecast"}`),
			want: []string{comp + `: key "name": "acme.weather.radar.GetForecast" does not match its folders`}},
		{name: "component directly under the service", change: write("Now/component.json", `{"name":"acme.weather.Now"}`),
			want: []string{`Now/component.json: key "name": "acme.weather.Now" sits directly under the service folder`}},
		{name: "component too deep", change: write("forecast/extra/Deep/component.json", `{"name":"acme.weather.forecast.extra.Deep"}`),
			want: []string{`key "name": "acme.weather.forecast.extra.Deep" is not of the form vendor.service.module.Component`}},
		{name: "unknown keys", change: write(comp, `{"name":"acme.weather.forecast.GetForecast","colour":"red","zz":1}`),
			want: []string{comp + `: key "colour": is not in the official CLI's component schema`, comp + `: key "zz": is not in`}},
		{name: "service.json without label", change: write("service.json", `{"name":"acme.weather","category":"c","icon":"i","description":"d","version":"1.0.0","configuration":{}}`),
			want: []string{`service.json: key "label": is missing`}},
		{name: "module.json with another name and no label", change: write("forecast/module.json", `{"name":"acme.weather.Forecast","category":"c","icon":"i","description":"d","categoryLabel":"x"}`),
			want: []string{`forecast/module.json: key "name": "acme.weather.Forecast" does not match its folders (acme.weather.forecast)`, `forecast/module.json: key "label": is missing`}},
		{name: "bundle spelled differently", change: write("bundle.json", `{"name":"acme.Weather","version":"1.0.0"}`),
			want: []string{`bundle.json: key "name": "acme.Weather" does not match its folders (acme.weather)`}},
		{name: "two components with one name", change: write("forecast/GetForecast2/component.json", `{"name":"acme.weather.forecast.GetForecast"}`),
			want: []string{`forecast/GetForecast2/component.json: key "name": "acme.weather.forecast.GetForecast" does not match its folders`,
				`forecast/GetForecast2/component.json: key "name": "acme.weather.forecast.GetForecast" is also the name of forecast/GetForecast/component.json`}},
		{name: "service.json missing", change: func(t *testing.T, dir string) string {
			if err := os.Remove(filepath.Join(dir, "service.json")); err != nil {
				t.Fatal(err)
			}
			return dir
		}, want: []string{"service.json: is missing, so the service is taken to be acme.weather from name"}},
		{name: "service folder named otherwise", change: func(t *testing.T, dir string) string {
			other := filepath.Join(filepath.Dir(dir), "weather2")
			if err := os.Rename(dir, other); err != nil {
				t.Fatal(err)
			}
			return other
		}, want: []string{`weather2/service.json: key "name": "acme.weather" does not match its folder "weather2"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg, problems := packCase(t, tc)
			if pkg == nil {
				t.Fatalf("not packed: %v", problems)
			}
			for _, p := range problems {
				if p.Severity != Warning {
					t.Errorf("%v is an %v, want a warning", p, p.Severity)
				}
			}
		})
	}
}

// Components are selected by their manifest name, whatever their folder, as Appmixer registers them.
func TestPackDirectory_selectsByManifestName(t *testing.T) {
	dir := testfixture.ExampleConnector(t)
	// A module folder holding a component of another module (plivo's numbers/ListFromNumbers is
	// appmixer.plivo.sms.ListFromNumbers), a component directly under the service, a helper folder,
	// and a module-level bundle.json.
	testfixture.WriteFile(t, filepath.Join(dir, "numbers/ListNumbers/component.json"), `{"name":"acme.weather.forecast.ListNumbers"}`)
	testfixture.WriteFile(t, filepath.Join(dir, "numbers/numbers.js"), "module.exports = {};")
	testfixture.WriteFile(t, filepath.Join(dir, "Now/component.json"), `{"name":"acme.weather.Now"}`)
	testfixture.WriteFile(t, filepath.Join(dir, "lib/client.js"), "module.exports = {};")
	testfixture.WriteFile(t, filepath.Join(dir, "forecast/bundle.json"), `{"name":"acme.weather.forecast","version":"2.1.0","engine":">=5.0"}`)

	module, problems, err := PackDir(dir, "acme.weather.forecast")
	if err != nil || module == nil {
		t.Fatal(err, problems)
	}
	want := []string{"acme.weather.forecast.GetForecast", "acme.weather.forecast.ListNumbers", "acme.weather.forecast.WeatherAlert"}
	if !slices.Equal(module.Components, want) {
		t.Fatalf("components %v, want %v", module.Components, want)
	}
	names := entryNames(t, module.Zip)
	for _, in := range []string{"acme/weather/numbers/ListNumbers/component.json", "acme/weather/numbers/numbers.js",
		"acme/weather/lib/client.js", "acme/weather/service.json", "acme/weather/forecast/bundle.json"} {
		if !slices.Contains(names, in) {
			t.Errorf("module pack lacks %s: %v", in, names)
		}
	}
	if slices.Contains(names, "acme/weather/Now/component.json") {
		t.Errorf("module pack holds another component: %v", names)
	}
	if module.Version != "" {
		t.Errorf("version %q: the module's components get 2.1.0 from its bundle and 1.0.0 from the service's", module.Version)
	}
	if v := mustPackWarned(t, dir, "acme.weather.forecast.GetForecast").Version; v != "2.1.0" {
		t.Errorf("component version %q, want the module bundle's 2.1.0", v)
	}

	service := mustPackWarned(t, dir, "acme.weather")
	if service.Version != "" || len(service.Components) != 4 {
		t.Errorf("service pack: version %q components %v", service.Version, service.Components)
	}
	direct := mustPackWarned(t, dir, "acme.weather.Now")
	if !slices.Equal(direct.Components, []string{"acme.weather.Now"}) || slices.Contains(entryNames(t, direct.Zip), "acme/weather/forecast/GetForecast/component.json") {
		t.Fatalf("service-level component pack: %v %v", direct.Components, entryNames(t, direct.Zip))
	}
}

func mustPackWarned(t *testing.T, dir, selector string) *Package {
	t.Helper()
	pkg, problems, err := PackDir(dir, selector)
	if err != nil || pkg == nil || HasErrors(problems) {
		t.Fatalf("PackDir(%s): err %v problems %v", selector, err, problems)
	}
	return pkg
}

// A zip of a service that has no service.json (Appmixer's mcpservers) publishes the service its name
// names, with a warning; a zip holding nothing of that service is refused.
func TestReadZip_withoutServiceJSON(t *testing.T) {
	files := testfixture.ReadTree(t, testfixture.ExampleConnector(t))
	delete(files, "service.json")
	b, err := ZipTree("acme/weather/", files)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "weather.zip")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	pkg, problems, err := ReadZip(file, "acme.weather")
	if err != nil || pkg == nil || len(problems) != 1 || problems[0].Severity != Warning ||
		!strings.Contains(problems[0].String(), "acme/weather/service.json: is missing, so the service is taken to be acme.weather") {
		t.Fatalf("err %v problems %v", err, problems)
	}
	if _, problems, _ = ReadZip(file, "acme.climate"); !HasErrors(problems) || !strings.Contains(problems[0].Message, "holds nothing under acme/climate/") {
		t.Fatalf("problems %v", problems)
	}
}
