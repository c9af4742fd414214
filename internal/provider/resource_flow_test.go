// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// Descriptors of the lifecycle test: v1 is written with jsonencode in HCL (flowV1HCL), v2 and v3 as JSON text.
const (
	flowV1HCL = `jsonencode({
    start = { type = "appmixer.utils.controls.OnStart", label = "Start", x = 100, y = 100, source = {}, config = {} }
    mail = {
      type = "appmixer.utils.email.SendEmail", label = "Mail", x = 300, y = 100
      source = { in = { start = ["out"] } }
      config = { properties = { to = "ops@example.com" } }
    }
  })`
	flowV2 = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "label": "Go", "x": 100, "y": 100, "source": {}, "config": {}},
  "mail":  {"type": "appmixer.utils.email.SendEmail", "label": "Mail", "x": 300, "y": 100,
            "source": {"in": {"start": ["out"]}}, "config": {"properties": {"to": "ops@example.com"}}},
  "audit": {"type": "appmixer.utils.email.SendEmail", "label": "Audit", "x": 500, "y": 100, "version": "1.0.0",
            "source": {"in": {"mail": ["out"]}}, "config": {"properties": {"to": "audit@example.com"}}}
}`
)

var flowV3 = strings.Replace(flowV2, "audit@example.com", "audit-team@example.com", 1)

// flowV3Imported is flowV3 as an import reads it: in the form Terraform's jsonencode writes, and without
// the versions the server owns (audit's configured 1.0.0 included).
const flowV3Imported = `{"audit":{"config":{"properties":{"to":"audit-team@example.com"}},"label":"Audit",` +
	`"source":{"in":{"mail":["out"]}},"type":"appmixer.utils.email.SendEmail","x":500,"y":100},` +
	`"mail":{"config":{"properties":{"to":"ops@example.com"}},"label":"Mail","source":{"in":{"start":["out"]}},` +
	`"type":"appmixer.utils.email.SendEmail","x":300,"y":100},` +
	`"start":{"config":{},"label":"Go","source":{},"type":"appmixer.utils.controls.OnStart","x":100,"y":100}}`

// flowResourceConfig is a provider block plus one appmixer_flow "test" with the given body lines.
func flowResourceConfig(srv *localserver.Running, providerExtra, body string) string {
	return providerBlock(srv, providerExtra) + `
resource "appmixer_flow" "test" {
` + body + `
}
`
}

func TestAccFlowResource_lifecycle(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const addr = "appmixer_flow.test"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{
				Config: flowResourceConfig(srv, "", `
  name          = "tfacc-orders v1"
  description   = "Mails new orders"
  custom_fields = { team = "ops" }
  definition    = `+flowV1HCL),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("stage"), knownvalue.StringExact("stopped")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("ignore_layout"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_fields"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("ops")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("accounts"), knownvalue.Null()),
				},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					return expectFlow(f, "tfacc-orders v1", "stopped", `"to":"ops@example.com"`)
				}),
			},
			{
				Config: flowResourceConfig(srv, "", `
  name          = "tfacc-orders v2"
  description   = "Mails new orders"
  custom_fields = { team = "ops" }
  definition    = <<-EOT
`+flowV2+`
  EOT`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectAttributeChange(addr, "name", "definition"),
				}},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					return expectFlow(f, "tfacc-orders v2", "stopped", `"audit@example.com"`, `"label":"Go"`)
				}),
			},
			{
				Config: flowResourceConfig(srv, "", `
  name          = "tfacc-orders v2"
  description   = "Mails new orders"
  custom_fields = { team = "ops" }
  stage         = "running"
  definition    = <<-EOT
`+flowV2+`
  EOT`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectAttributeChange(addr, "stage")}},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					return expectFlow(f, "tfacc-orders v2", "running")
				}),
			},
			{
				// A running flow is updated with forceUpdate and stays running.
				Config: flowResourceConfig(srv, "", `
  name          = "tfacc-orders v2"
  description   = "Mails new orders"
  custom_fields = { team = "ops" }
  stage         = "running"
  definition    = `+fmt.Sprintf("%q", flowV3)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectAttributeChange(addr, "definition")}},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					return expectFlow(f, "tfacc-orders v2", "running", `"audit-team@example.com"`)
				}),
			},
			{
				// Stop; also clear the description and keep an explicitly empty map without flapping.
				Config: flowResourceConfig(srv, "", `
  name          = "tfacc-orders v2"
  custom_fields = {}
  definition    = `+fmt.Sprintf("%q", flowV3)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectAttributeChange(addr, "stage", "description", "custom_fields"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_fields"), knownvalue.MapSizeExact(0)),
				},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error {
					if f.Description != nil && *f.Description != "" {
						return fmt.Errorf("description still %q", *f.Description)
					}
					return expectFlow(f, "tfacc-orders v2", "stopped")
				}),
			},
			{
				// terraform import: the definition reads back in the form Terraform's jsonencode writes, without
				// the server-owned versions (a configuration without them is the same flow).
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"definition"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d states", len(states))
					}
					// Without the server-owned versions: a tenant's own installed versions cannot show.
					got := states[0].Attributes["definition"]
					if got != flowV3Imported {
						return fmt.Errorf("imported definition differs: %s\nwant %s", got, flowV3Imported)
					}
					return nil
				},
			},
			{
				// An import block with -generate-config-out: the generated configuration must plan empty.
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				// Drift: started by hand.
				PreConfig: func() { mustDo(t, api.StartFlow(context.Background(), flowIDOf(t, api, "tfacc-orders v2"))) },
				Config: flowResourceConfig(srv, "", `
  name          = "tfacc-orders v2"
  custom_fields = {}
  definition    = `+fmt.Sprintf("%q", flowV3)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectAttributeChange(addr, "stage"),
				}},
			},
		},
	})
}

func TestAccFlowResource_invalidConfig(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	cfg := func(definition, extra string) string {
		return flowResourceConfig(srv, "", fmt.Sprintf("  name = \"bad\"\n  definition = %q\n%s", definition, extra))
	}
	ok := `{"a": {"type": "appmixer.utils.controls.OnStart"}, "b": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"a": ["out"]}}}}`
	cases := []struct {
		config string
		want   string
	}{
		{cfg(`{"a": `, ""), `Invalid flow definition[\s\S]*not valid JSON`},
		{cfg(`["appmixer.utils.controls.OnStart"]`, ""), `must be a JSON object of components[\s\S]*got an array`},
		{cfg(`{"a": "appmixer.utils.controls.OnStart"}`, ""), `Component "a" must be a JSON object`},
		{cfg(`{"a": {"label": "Start"}}`, ""), `Component "a" has no "type"`},
		{cfg(`{"a": {"type": "appmixer.OnStart"}}`, ""), `Component "a" has type "appmixer.OnStart",[\s\S]*vendor.service.module.Component`},
		{cfg(`{"a": {"type": "appmixer.utils.controls.On.Start"}}`, ""), `Component "a" has type\s+"appmixer.utils.controls.On.Start"`},
		{cfg(`{"b": {"type": "appmixer.utils.email.SendEmail", "source": {"in": "a"}}}`, ""), `Component "b": source of in-port "in" must be an\s+object`},
		{cfg(ok, `  accounts = { nope = "acc" }`), `accounts binds component "nope", which is not a\s+component of the definition[\s\S]*a, b`},
		{cfg(ok, `  stage = "paused"`), `stage value must be one of[\s\S]*"stopped"[\s\S]*"running"`},
		{cfg(ok, `  accounts = { b = "" }`), `accounts\["b"\] string length must be at least 1`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: regexp.MustCompile(c.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}

// TestAccFlowResource_contractDialect runs the lifecycle against a server that speaks only the contract,
// configured as such and detected by the auto dialect.
func TestAccFlowResource_contractDialect(t *testing.T) {
	for _, dialect := range []string{"contract", "auto"} {
		t.Run(dialect, func(t *testing.T) { testFlowContractDialect(t, dialect) })
	}
}

func testFlowContractDialect(t *testing.T, dialect string) {
	srv := startContractServer(t)
	api := apiClient(t, srv, appmixer.DialectContract)
	const addr = "appmixer_flow.test"
	body := func(name, stage, def string) string {
		return fmt.Sprintf("  name = %q\n  description = \"kept from configuration\"\n  stage = %q\n  definition = %q\n", name, stage, def)
	}
	v1 := `{"start": {"type": "appmixer.utils.controls.OnStart", "x": 1, "y": 1}}`
	v2 := `{"start": {"type": "appmixer.utils.controls.OnStart", "x": 1, "y": 1}, "mail": {"type": "appmixer.utils.email.SendEmail", "source": {"in": {"start": ["out"]}}}}`
	providerExtra := `api_dialect = "` + dialect + `"`
	// Configured as contract, bindings are refused at plan time; auto learns it only when applying.
	accountsStep := resource.TestStep{
		Config:      flowResourceConfig(srv, providerExtra, body("contract v3", "stopped", v1)+`  accounts = { start = "some-account" }`),
		PlanOnly:    dialect == "contract",
		ExpectError: regexp.MustCompile(`not supported by the contract API dialect`),
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(api),
		Steps: []resource.TestStep{
			{
				Config: flowResourceConfig(srv, providerExtra, body("contract v1", "stopped", v1)+`  custom_fields = { env = "test" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("kept from configuration")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
				Check: checkServerFlow(api, addr, func(f *appmixer.Flow) error { return expectFlow(f, "contract v1", "stopped") }),
			},
			{
				Config: flowResourceConfig(srv, providerExtra, body("contract v2", "stopped", v2)),
				Check:  checkServerFlow(api, addr, func(f *appmixer.Flow) error { return expectFlow(f, "contract v2", "stopped", `"mail"`) }),
			},
			{
				Config: flowResourceConfig(srv, providerExtra, body("contract v2", "running", v2)),
				Check:  checkServerFlow(api, addr, func(f *appmixer.Flow) error { return expectFlow(f, "contract v2", "running") }),
			},
			{
				Config: flowResourceConfig(srv, providerExtra, body("contract v3", "running", v1)),
				Check:  checkServerFlow(api, addr, func(f *appmixer.Flow) error { return expectFlow(f, "contract v3", "running") }),
			},
			{
				Config: flowResourceConfig(srv, providerExtra, body("contract v3", "stopped", v1)+`  accounts = {}`),
				Check:  checkServerFlow(api, addr, func(f *appmixer.Flow) error { return expectFlow(f, "contract v3", "stopped") }),
			},
			accountsStep,
		},
	})
}

// expectAttributeChange checks that the plan updates addr and that exactly attrs differ between its
// before and after values. Values unknown until apply (updated_at) are not counted, so the check also
// proves that nothing else, such as the definition, shows a false change.
func expectAttributeChange(addr string, attrs ...string) plancheck.PlanCheck {
	return attributeChangeCheck{addr: addr, attrs: attrs}
}

type attributeChangeCheck struct {
	addr  string
	attrs []string
}

func (c attributeChangeCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var changed []string
		for k := range union(before, after) {
			if u, _ := unknown[k].(bool); u {
				continue
			}
			if !reflect.DeepEqual(before[k], after[k]) {
				changed = append(changed, k)
			}
		}
		sort.Strings(changed)
		want := append([]string(nil), c.attrs...)
		sort.Strings(want)
		if !reflect.DeepEqual(changed, want) {
			resp.Error = fmt.Errorf("%s: expected changes to %v, got changes to %v (before %v, after %v)", c.addr, want, changed, before, after)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", c.addr)
}

func union(a, b map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// checkServerFlow runs check on the flow that addr manages, as the API shows it.
func checkServerFlow(api *appmixer.Client, addr string, check func(*appmixer.Flow) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		f, err := api.GetFlow(context.Background(), rs.Primary.ID)
		if err != nil {
			return err
		}
		return check(f)
	}
}

// expectFlow checks a flow's name, raw stage and that its descriptor, without white space, contains
// each fragment. The standard library compacts it, not the provider's code under test.
func expectFlow(f *appmixer.Flow, name, stage string, fragments ...string) error {
	if f.Name != name || f.Stage != stage {
		return fmt.Errorf("flow %s is %q/%q, want %q/%q", f.ID, f.Name, f.Stage, name, stage)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, f.Definition); err != nil {
		return fmt.Errorf("flow %s: definition %s: %w", f.ID, f.Definition, err)
	}
	for _, frag := range fragments {
		if !strings.Contains(compact.String(), frag) {
			return fmt.Errorf("flow %s: definition %s lacks %s", f.ID, compact.String(), frag)
		}
	}
	return nil
}

// sameDescriptor checks that the server holds the state's descriptor, give or take the component
// versions the server adds or upgrades: decoded, versions dropped, deeply equal.
func sameDescriptor(server json.RawMessage, state string) error {
	decode := func(b []byte) (map[string]any, error) {
		var def map[string]any
		if err := json.Unmarshal(b, &def); err != nil {
			return nil, err
		}
		for _, c := range def {
			if comp, ok := c.(map[string]any); ok {
				delete(comp, "version")
			}
		}
		return def, nil
	}
	got, err := decode(server)
	if err != nil {
		return fmt.Errorf("the server's definition %s: %w", server, err)
	}
	want, err := decode([]byte(state))
	if err != nil {
		return fmt.Errorf("the state's definition %s: %w", state, err)
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("the server's definition %s differs from the state's %s", server, state)
	}
	return nil
}

func checkFlowsGone(api *appmixer.Client) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "appmixer_flow" {
				continue
			}
			if _, err := api.GetFlow(context.Background(), rs.Primary.ID); !appmixer.IsNotFound(err) {
				return fmt.Errorf("flow %s still exists after destroy (err: %w)", rs.Primary.ID, err)
			}
		}
		return nil
	}
}

// flowIDOf finds a flow by its unique name.
func flowIDOf(t *testing.T, api *appmixer.Client, name string) string {
	t.Helper()
	flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
	mustDo(t, err)
	for _, f := range flows {
		if f.Name == name {
			return f.ID
		}
	}
	t.Fatalf("no flow named %q", name)
	return ""
}

// editFlow changes a flow behind Terraform's back, as a user of the Appmixer designer would.
func editFlow(t *testing.T, api *appmixer.Client, id string, change func(in *appmixer.FlowInput, def map[string]any)) {
	t.Helper()
	ctx := context.Background()
	f, err := api.GetFlow(ctx, id)
	mustDo(t, err)
	var def map[string]any
	mustDo(t, json.Unmarshal(f.Definition, &def))
	in := appmixer.FlowInput{Name: f.Name, Description: f.Description, CustomFields: f.CustomFields}
	change(&in, def)
	in.Definition, err = json.Marshal(def)
	mustDo(t, err)
	mustDo(t, api.UpdateFlow(ctx, id, in, true))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
