// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

var weatherComponents = knownvalue.ListExact([]knownvalue.Check{
	knownvalue.StringExact("acme.weather.forecast.GetForecast"),
	knownvalue.StringExact("acme.weather.forecast.WeatherAlert"),
})

func componentConfig(srv *localserver.Running, dialect, name, sourceAttr, source string) string {
	extra := ""
	if dialect != "" {
		extra = fmt.Sprintf("api_dialect = %q", dialect)
	}
	return providerBlock(srv, extra) + fmt.Sprintf(`
resource "appmixer_component" "weather" {
  name = %q
  %s = %q
}
`, name, sourceAttr, source)
}

// publishByHand uploads a package outside Terraform and waits for the server's verdict.
func publishByHand(t *testing.T, c *appmixer.Client, selector string, zip []byte) {
	t.Helper()
	ctx := context.Background()
	ticket, err := c.PublishComponent(ctx, selector, zip)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.WaitComponentUpload(ctx, ticket)
	if err != nil {
		t.Fatal(err)
	}
	if st.Err != "" {
		t.Fatalf("%s %v", st.Err, st.Problems)
	}
}

// serverComponentsAre checks what GET /components lists under selector.
func serverComponentsAre(t *testing.T, srv *localserver.Running, selector string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		list, err := apiClient(t, srv, "").ListComponents(context.Background(), selector, false)
		if err != nil {
			return err
		}
		var got []string
		for _, m := range list {
			got = append(got, m.Name)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("server lists %v under %s, want %v", got, selector, want)
		}
		return nil
	}
}

func TestAccComponent_fromDirectory(t *testing.T) {
	requireLocal(t, "the example connector acme.weather, whose names cannot carry the tfacc- prefix")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	dir := testfixture.ExampleConnector(t)
	config := componentConfig(srv, "", "acme.weather", "source_dir", dir)
	addr := "appmixer_component.weather"
	firstHash := mustPack(t, dir, "acme.weather").Hash
	edited := "// forecast, edited\n"
	manifestHash := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             serverComponentsAre(t, srv, "acme.weather"),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("acme.weather")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("components"), weatherComponents),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("1.0.0")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.StringExact(firstHash)),
					manifestHash.AddStateValue(addr, tfjsonpath.New("manifest_hash")),
				},
				Check: serverComponentsAre(t, srv, "acme.weather", "acme.weather.forecast.GetForecast", "acme.weather.forecast.WeatherAlert"),
			},
			{
				// Editing a packed file without raising bundle.json's version: Appmixer would accept the
				// publish and ignore it (the version is frozen), so the plan stops, naming the version.
				PreConfig:   func() { testfixture.WriteFile(t, filepath.Join(dir, "forecast/GetForecast/GetForecast.js"), edited) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Version 1\.0\.0 of "acme\.weather" is already published.*Raise "version" in\s+the\s+connector's\s+bundle\.json\s+above\s+1\.0\.0\s+\(for\s+example\s+to\s+"1\.0\.1"\)`),
			},
			{
				// Raised: the apply publishes, the tenant serves the new code (the copy the runtime uses),
				// and the next plan is empty (the test framework checks that).
				PreConfig: func() {
					testfixture.WriteFile(t, filepath.Join(dir, "bundle.json"), `{"name":"acme.weather","version":"1.0.1"}`)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("1.0.1")),
				}},
				Check: servesFile(api, "acme.weather.forecast.GetForecast", "GetForecast.js", edited),
			},
			{
				// Re-published by hand with another label under the same version: the tenant ignores it,
				// so nothing drifted and the plan is empty.
				PreConfig: func() {
					other := testfixture.ExampleConnector(t)
					testfixture.WriteFile(t, filepath.Join(other, "bundle.json"), `{"name":"acme.weather","version":"1.0.1"}`)
					testfixture.WriteFile(t, filepath.Join(other, "forecast/GetForecast/component.json"),
						`{"name":"acme.weather.forecast.GetForecast","label":"Hand-made"}`)
					publishByHand(t, api, "acme.weather", mustPack(t, other, "acme.weather").Zip)
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
			{
				// Re-published by hand under a new version: the manifests differ, but the source's version
				// is older than what the tenant now has, so the plan asks for a version to raise.
				PreConfig: func() {
					other := testfixture.ExampleConnector(t)
					testfixture.WriteFile(t, filepath.Join(other, "bundle.json"), `{"name":"acme.weather","version":"1.0.2"}`)
					testfixture.WriteFile(t, filepath.Join(other, "forecast/GetForecast/component.json"),
						`{"name":"acme.weather.forecast.GetForecast","label":"Hand-made"}`)
					publishByHand(t, api, "acme.weather", mustPack(t, other, "acme.weather").Zip)
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`Version 1\.0\.1 of "acme\.weather" is already published`),
			},
			{
				// Opting in to replacing the published version: removed, then published from source.
				Config: componentConfigWith(srv, "acme.weather", "source_dir", dir, "replace_published_version = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("manifest_hash")),
				}},
				Check: func(*terraform.State) error {
					list, err := api.ListComponents(context.Background(), "acme.weather.forecast.GetForecast", true)
					if err != nil {
						return err
					}
					if len(list) != 1 || list[0].Label != "Get Forecast" || list[0].Version != "1.0.1" {
						return fmt.Errorf("not replaced from source: %+v", list)
					}
					return nil
				},
			},
			{
				// Deleted by hand: the next plan publishes it again.
				PreConfig: func() {
					if err := api.DeleteComponent(context.Background(), "acme.weather"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: serverComponentsAre(t, srv, "acme.weather", "acme.weather.forecast.GetForecast", "acme.weather.forecast.WeatherAlert"),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "acme.weather",
				ImportStateVerify: true,
				// The source is not on the server: an imported component is re-published by the next apply.
				ImportStateVerifyIgnore: []string{"source_dir", "source_hash", "replace_published_version"},
			},
			{
				// -generate-config-out cannot know the source: the generated configuration expects it in
				// connectors/<vendor>/<service>, and the plan says where it goes while it is not there.
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
				ExpectError: regexp.MustCompile(`(?s)Cannot read the connector package.*stat connectors/acme/weather:` +
					`.*Put\s+the\s+source\s+of\s+"acme.weather"\s+there`),
			},
		},
	})
}

func TestAccComponent_fromZipAndSelectors(t *testing.T) {
	requireLocal(t, "the example connector acme.weather, whose names cannot carry the tfacc- prefix")
	srv := startServer(t, localserver.Options{})
	dir := testfixture.ExampleConnector(t)
	zipFile := filepath.Join(t.TempDir(), "acme.weather.zip")
	writeZip := func(pkg *connector.Package) string {
		if err := os.WriteFile(zipFile, pkg.Zip, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(pkg.Zip)
		return hex.EncodeToString(sum[:])
	}
	firstHash := writeZip(mustPack(t, dir, "acme.weather"))
	testfixture.WriteFile(t, filepath.Join(dir, "bundle.json"), `{"name":"acme.weather","version":"1.1.0"}`)
	secondPkg := mustPack(t, dir, "acme.weather")
	addr := "appmixer_component.weather"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             serverComponentsAre(t, srv, "acme.weather"),
		Steps: []resource.TestStep{
			{
				Config: componentConfig(srv, "", "acme.weather", "source_zip", zipFile),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.StringExact(firstHash)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("components"), weatherComponents),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("1.0.0")),
				},
			},
			{
				// A new zip with a new bundle version: update in place, version planned from bundle.json.
				PreConfig: func() { writeZip(secondPkg) },
				Config:    componentConfig(srv, "", "acme.weather", "source_zip", zipFile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("1.1.0")),
				}},
			},
			{
				// Another selector is another object: replaced, and only that component is packed.
				Config: componentConfig(srv, "", "acme.weather.forecast.GetForecast", "source_dir", dir),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("components"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("acme.weather.forecast.GetForecast")})),
				},
				Check: serverComponentsAre(t, srv, "acme.weather", "acme.weather.forecast.GetForecast"),
			},
		},
	})
}

func TestAccComponent_invalidPackage(t *testing.T) {
	requireLocal(t, "the local server's package checks and the acme.weather connector")
	srv := startServer(t, localserver.Options{})
	// What Appmixer certainly refuses fails the plan, each problem its own error naming the file.
	bad := testfixture.ExampleConnector(t)
	testfixture.WriteFile(t, filepath.Join(bad, "forecast/GetForecast/component.json"), `{"label":"Get Forecast"}`)
	testfixture.WriteFile(t, filepath.Join(bad, "forecast/WeatherAlert/component.json"), `{"name":"acme.radar.forecast.WeatherAlert"}`)
	testfixture.WriteFile(t, filepath.Join(bad, "forecast/module.json"), `{"name":`)
	good := testfixture.ExampleConnector(t)
	zipWithModules := filepath.Join(t.TempDir(), "with-modules.zip")
	testfixture.WriteFile(t, filepath.Join(good, "node_modules/left-pad/index.js"), "module.exports = 1;")
	if err := os.WriteFile(zipWithModules, mustZipAll(t, good), 0o644); err != nil {
		t.Fatal(err)
	}
	// Entries outside the service folder are only warned about at plan time, but the server checks
	// them: its problems are reported one by one, with their paths.
	serverBad := filepath.Join(t.TempDir(), "with-another-service.zip")
	withOther := testfixture.ReadTree(t, testfixture.ExampleConnector(t))
	strays := map[string][]byte{"radar/Scan/component.json": []byte(`{"name":`), "radar/Ping/component.json": []byte(`{"label":"Ping"}`)}
	if err := os.WriteFile(serverBad, zipTrees(t, map[string]map[string][]byte{"acme/weather/": withOther, "globex/": strays}), 0o644); err != nil {
		t.Fatal(err)
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             serverComponentsAre(t, srv, "acme.weather"),
		Steps: []resource.TestStep{
			{
				Config: componentConfig(srv, "", "acme.weather", "source_dir", bad),
				ExpectError: regexp.MustCompile(`(?s)Invalid connector package.*with appmixer_component.weather.*` +
					`GetForecast/component.json:\s+key\s+"name":\s+is\s+required.*` +
					`Invalid connector package.*WeatherAlert/component.json:\s+key\s+"name":\s+"acme.radar.forecast.WeatherAlert"\s+is\s+outside\s+the\s+service.*` +
					`Invalid connector package.*forecast/module.json:\s+invalid\s+JSON`),
			},
			{
				Config:      componentConfig(srv, "", "acme.weather.radar", "source_dir", good),
				ExpectError: regexp.MustCompile(`(?s)Invalid component name.*name "acme.weather.radar" matches no component`),
			},
			{
				Config:      componentConfig(srv, "", "acme.weather", "source_zip", zipWithModules),
				ExpectError: regexp.MustCompile(`(?s)with-modules.zip:acme/weather/node_modules/left-pad/index.js:\s+node_modules\s+must\s+not\s+be\s+packed`),
			},
			{
				Config: providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_component" "weather" {
  name       = "acme.weather"
  source_dir = %q
  source_zip = %q
}
`, good, zipWithModules),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*source_dir.*source_zip`),
			},
			{
				Config: componentConfig(srv, "", "acme.weather", "source_zip", serverBad),
				ExpectError: regexp.MustCompile(`(?s)Appmixer rejected the package of "acme.weather".*Validation failed\.` +
					`.*globex/radar/Ping/component.json \.name: should have required property 'name'` +
					`.*globex/radar/Scan/component.json: Invalid JSON`),
			},
		},
	})
}

// zipTrees zips several trees, each under its prefix.
func zipTrees(t *testing.T, trees map[string]map[string][]byte) []byte {
	t.Helper()
	all := map[string][]byte{}
	for prefix, files := range trees {
		for p, b := range files {
			all[prefix+p] = b
		}
	}
	b, err := connector.ZipTree("", all)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustZipAll zips a whole service folder, node_modules included, the way a careless build might.
func mustZipAll(t *testing.T, dir string) []byte {
	t.Helper()
	return zipTrees(t, map[string]map[string][]byte{"acme/weather/": testfixture.ReadTree(t, dir)})
}

func TestAccComponent_contractDialect(t *testing.T) {
	srv := startContractServer(t)
	dir := testfixture.ExampleConnector(t)
	config := componentConfig(srv, "contract", "acme.weather", "source_dir", dir)
	addr := "appmixer_component.weather"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			list, err := apiClient(t, srv, appmixer.DialectContract).ListComponents(context.Background(), "acme.weather", false)
			if err != nil {
				return err
			}
			if len(list) != 0 {
				return fmt.Errorf("still listed after destroy: %v", list)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("components"), weatherComponents),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("1.0.0")),
				},
			},
			{
				PreConfig: func() {
					testfixture.WriteFile(t, filepath.Join(dir, "auth.js"), "module.exports = { type: 'apiKey' };\n")
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

func mustPack(t *testing.T, dir, selector string) *connector.Package {
	t.Helper()
	pkg, problems, err := connector.PackDir(dir, selector)
	if err != nil || len(problems) > 0 {
		t.Fatalf("packing %s as %s: err %v, problems %v", dir, selector, err, problems)
	}
	return pkg
}
