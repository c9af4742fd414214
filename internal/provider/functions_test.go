// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// An export file as `appmixer flow export` writes it: the descriptor under "flow", beside the flow's
// name, stage and thumbnail.
const exportFile = `{"name": "Orders", "stage": "stopped", "thumbnail": "data:image/png;base64,AAA",
  "flow": {
    "start": {"type": "appmixer.utils.controls.OnStart", "x": 1, "y": 2, "source": {}},
    "tell":  {"type": "appmixer.slack.list.SendChannelMessage", "source": {"in": {"start": ["out"]}}},
    "more":  {"type": "appmixer.slack.list.ListChannels", "source": {}},
    "fcast": {"type": "acme.weather.forecast.GetForecast", "config": {"properties": {"city": "Prague"}}}
  }}`

func TestFlowFromExport(t *testing.T) {
	got, err := flowFromExport(exportFile)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"start":{"type":"appmixer.utils.controls.OnStart","x":1,"y":2,"source":{}},"tell":{"type":"appmixer.slack.list.SendChannelMessage","source":{"in":{"start":["out"]}}},"more":{"type":"appmixer.slack.list.ListChannels","source":{}},"fcast":{"type":"acme.weather.forecast.GetForecast","config":{"properties":{"city":"Prague"}}}}`
	if got != want {
		t.Errorf("flow_from_export:\n got %s\nwant %s", got, want)
	}
	// The result is what the flow resource takes: its own check finds nothing wrong with it.
	if problems := definitionProblems(got); len(problems) > 0 {
		t.Errorf("the result is not a valid definition: %q", problems)
	}
	for in, wantErr := range map[string]string{
		`not json`:                    "not JSON",
		`[1]`:                         "got an array",
		`{"a": {"type": "x.y.z.W"}}`:  "already a descriptor",
		`{"name": "x", "flow": "no"}`: `"flow" is not a flow descriptor`,
	} {
		if _, err := flowFromExport(in); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("flow_from_export(%s): error %v, want one saying %q", in, err, wantErr)
		}
	}
}

func TestDefinitionServices(t *testing.T) {
	def, err := flowFromExport(exportFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := definitionServices(def)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "acme:weather,appmixer:slack" {
		t.Errorf("definition_services = %q, want acme:weather and appmixer:slack once each, without the utilities", got)
	}
	if got, err := definitionServices(`{"s": {"type": "appmixer.utils.controls.OnStart"}}`); err != nil || got == nil || len(got) != 0 {
		t.Errorf("a definition of utilities only: %q, %v; want an empty list", got, err)
	}
	if _, err := definitionServices(exportFile); err == nil || !strings.Contains(err.Error(), "flow_from_export") {
		t.Errorf("a whole export file: %v, want an error naming flow_from_export", err)
	}
	if _, err := definitionServices(`{"a": {"type": "nodots"}}`); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("a bad type: %v, want an error naming the component", err)
	}
}

// TestAccFunctions calls both functions through the CLI under test (Terraform 1.8+, OpenTofu 1.7+),
// with no provider configuration: they are pure.
func TestAccFunctions(t *testing.T) {
	cfg := "locals {\n  export = <<-EOT\n" + exportFile + "\n  EOT\n}\n" + `
output "definition" {
  value = jsondecode(provider::appmixer::flow_from_export(local.export))["tell"]["type"]
}
output "services" {
  value = join(",", provider::appmixer::definition_services(provider::appmixer::flow_from_export(local.export)))
}
`
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckOutput("definition", "appmixer.slack.list.SendChannelMessage"),
					resource.TestCheckOutput("services", "acme:weather,appmixer:slack"),
				),
			},
			{
				Config:      `output "x" { value = provider::appmixer::definition_services(jsonencode({name = "x", flow = {}})) }`,
				ExpectError: regexp.MustCompile(`whole .appmixer flow\s+export. file`),
			},
		},
	})
}
