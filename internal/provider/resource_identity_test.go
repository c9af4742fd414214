// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// Every resource's identity (Terraform 1.12+, OpenTofu 1.12): the tests are named *_identity so that
// .ci/run runs them with Terraform 1.15 (see scripts/ci-legs.sh).

// identityOf is what one resource of an identity test expects.
type identityOf struct {
	addr string
	attr string           // the identity's one attribute
	key  knownvalue.Check // its value
	// importChanges are the attributes the plan after an import by identity updates, where that plan
	// cannot be empty by nature: what the server does not give back (a write-only secret's version, a
	// local source) is sent again by the next apply. Empty: the import plans no change.
	importChanges []string
}

// providersBeforeIdentity serve the provider with its resources unwrapped from identified: the state it
// writes has no identity, like the state Terraform 1.11 or a provider release before identity wrote.
var providersBeforeIdentity = map[string]func() (tfprotov6.ProviderServer, error){
	"appmixer": providerserver.NewProtocol6WithError(withoutIdentity{New("test")().(*appmixerProvider)}),
}

type withoutIdentity struct{ *appmixerProvider }

func (p withoutIdentity) Resources(ctx context.Context) []func() fwresource.Resource {
	var out []func() fwresource.Resource
	for _, newResource := range p.appmixerProvider.Resources(ctx) {
		out = append(out, func() fwresource.Resource {
			r := newResource()
			if w, ok := r.(*identifiedResource); ok {
				return w.inner
			}
			return r
		})
	}
	return out
}

// testIdentity checks, for each resource of config, that Read completes the identity of a state
// written without one (an upgrade from Terraform 1.11), that an import block with identity = {...}
// adopts the resource, and that Create sets the identity.
func testIdentity(t *testing.T, config string, resources ...identityOf) {
	t.Helper()
	var checks, withoutIdentities []statecheck.StateCheck
	imports := []resource.TestStep{}
	for _, r := range resources {
		withoutIdentities = append(withoutIdentities, noIdentity{r.addr})
		checks = append(checks,
			statecheck.ExpectIdentity(r.addr, map[string]knownvalue.Check{r.attr: r.key}),
			statecheck.ExpectIdentityValueMatchesState(r.addr, tfjsonpath.New(r.attr)))
		step := resource.TestStep{
			ProtoV6ProviderFactories: testAccProviders,
			ResourceName:             r.addr,
			ImportState:              true,
			ImportStateKind:          resource.ImportBlockWithResourceIdentity,
			Config:                   config,
		}
		if len(r.importChanges) > 0 {
			step.ExpectNonEmptyPlan = true
			step.ImportPlanChecks.PreApply = []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(r.addr, plancheck.ResourceActionUpdate),
				expectAttributeChange(r.addr, r.importChanges...),
			}
		}
		imports = append(imports, step)
	}
	steps := []resource.TestStep{
		{ProtoV6ProviderFactories: providersBeforeIdentity, Config: config, ConfigStateChecks: withoutIdentities},
		{
			// Read alone sets the identity: the plan stays empty.
			ProtoV6ProviderFactories: testAccProviders,
			Config:                   config,
			ConfigPlanChecks:         resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks:        checks,
		},
	}
	steps = append(steps, imports...)
	steps = append(steps,
		resource.TestStep{ProtoV6ProviderFactories: testAccProviders, Config: config, Destroy: true},
		resource.TestStep{ProtoV6ProviderFactories: testAccProviders, Config: config, ConfigStateChecks: checks},
	)
	resource.ParallelTest(t, resource.TestCase{TerraformVersionChecks: needsIdentity, Steps: steps})
}

// noIdentity checks that a resource is in the state without an identity.
type noIdentity struct{ addr string }

func (c noIdentity) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("%s: no state", c.addr)
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == c.addr {
			if len(r.IdentityValues) > 0 {
				resp.Error = fmt.Errorf("%s has the identity %v", c.addr, r.IdentityValues)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the state", c.addr)
}

var (
	objectID = knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))
	flowID   = knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))
)

func TestAccFlowResource_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, flowResourceConfig(srv, "", "  name = \"identified\"\n  definition = "+flowV1HCL),
		identityOf{addr: "appmixer_flow.test", attr: "id", key: flowID})
}

func TestAccUser_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	// The password is write-only: the import leaves its version out, and the plan sends it again.
	testIdentity(t, providerBlock(srv, "")+`
resource "appmixer_user" "ops" {
  username            = "ops@example.com"
  password_wo         = "ops-Password-1"
  password_wo_version = 1
}
`,
		identityOf{addr: "appmixer_user.ops", attr: "id", key: objectID, importChanges: []string{"password_wo_version"}})
}

func TestAccAccount_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	configureSlackClient(t, srv)
	// The token is write-only: the import leaves its version out, and the plan sends it again.
	testIdentity(t, providerBlock(srv, "")+`
resource "appmixer_account" "bot" {
  service          = "appmixer:slack"
  name             = "bot"
  token_wo         = jsonencode({ accessToken = "tok-1", scope = ["chat:write"] })
  token_wo_version = 1
}
`,
		identityOf{addr: "appmixer_account.bot", attr: "id", key: objectID, importChanges: []string{"token_wo_version"}})
}

func TestAccDataStore_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, dataStoreConfig(srv, "orders"),
		identityOf{addr: "appmixer_data_store.orders", attr: "id", key: objectID})
}

func TestAccComponent_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	config := componentConfig(srv, "", "acme.weather", "source_dir", testfixture.ExampleConnector(t))
	// An import points source_dir at connectors/<vendor>/<service>; the configured folder holds what the
	// server serves back, so only source_dir changes and nothing is re-published.
	testIdentity(t, config, identityOf{addr: "appmixer_component.weather", attr: "name", key: knownvalue.StringExact("acme.weather"),
		importChanges: []string{"source_dir"}})
}

func TestAccServiceConfig_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, slackConfig(srv, `{ clientId = "app-1" }`, "client-Secret-1", 1),
		// The secrets are write-only: the import leaves their version out, and the plan sends them again.
		identityOf{addr: slackConfigAddr, attr: "service_id", key: knownvalue.StringExact("appmixer:slack"),
			importChanges: []string{"secret_values_wo_version"}})
}

func TestAccACL_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, providerBlock(srv, "")+`
resource "appmixer_acl" "components" {
  type  = "components"
  rules = [{ role = "admin", resource = "*", action = ["*"], attributes = ["non-private"] }]
}
`, identityOf{addr: "appmixer_acl.components", attr: "type", key: knownvalue.StringExact("components")})
}

func TestAccConfig_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testIdentity(t, providerBlock(srv, "")+`
resource "appmixer_config" "limits" {
  key   = "limits"
  value = jsonencode({ flows = 10 })
}

resource "appmixer_config" "jwt" {
  key              = "JWTSecret"
  value_wo         = jsonencode("jwt-Secret-identity-1")
  value_wo_version = 1
}
`,
		// An identity cannot tell a secret from a setting, so an import by identity reads no value into
		// the state (nor the plan): the next apply sends value, or value_wo. Had the secret been read,
		// jwt's value would change in the plan too, and importChanges would fail.
		identityOf{addr: "appmixer_config.limits", attr: "key", key: knownvalue.StringExact("limits"), importChanges: []string{"value"}},
		identityOf{addr: "appmixer_config.jwt", attr: "key", key: knownvalue.StringExact("JWTSecret"), importChanges: []string{"value_wo_version"}})
}

func TestAccModifiers_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	// The state holds the document as jsonencode writes it; a document spelled otherwise plans one
	// harmless update after any import (jsontype.go).
	config := providerBlock(srv, "") + fmt.Sprintf("resource \"appmixer_modifiers\" \"tenant\" {\n  document = jsonencode(jsondecode(%q))\n}\n", customModifiers)
	testIdentity(t, config,
		identityOf{addr: "appmixer_modifiers.tenant", attr: "id", key: knownvalue.StringExact("modifiers")})
}

func TestAccPublicFile_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	logo := filepath.Join(t.TempDir(), "logo.svg")
	mustDo(t, os.WriteFile(logo, []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600))
	testIdentity(t, providerBlock(srv, "")+fmt.Sprintf(`
resource "appmixer_public_file" "logo" {
  filename = "logo.svg"
  source   = %q
}
`, logo),
		// Appmixer lists public files by name only: the plan uploads the local file again.
		identityOf{addr: "appmixer_public_file.logo", attr: "filename", key: knownvalue.StringExact("logo.svg"),
			importChanges: []string{"source", "source_hash"}})
}

func TestAccIntegration_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	// As for modifiers: documents spelled as jsonencode writes them plan empty after an import.
	config := providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_integration" "test" {
  name       = "Welcome mail"
  definition = jsonencode(jsondecode(%q))
  wizard     = jsonencode(jsondecode(%q))
}
`, integrationV1, integrationWizard)
	testIdentity(t, config, identityOf{addr: integrationAddr, attr: "id", key: flowID})
}
