// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// A create whose write reached the server but whose answer was lost: the setting is kept in state,
// tainted, so the next apply replaces it (no import demanded) and destroy puts back what was taken over.

// lostWriteAnswers returns the steps every test here takes: an apply whose write acts but loses every
// answer (the first attempt and both retries of providerBlock's max_retries = 2), then either the same
// apply again, which must replace the tainted object, or (replace false) only its plan, leaving the
// tainted object for the test's destroy.
func lostWriteAnswers(srv *localserver.Running, route, addr, config string, failure *regexp.Regexp, replace bool, check resource.TestCheckFunc) []resource.TestStep {
	checks := []plancheck.PlanCheck{expectPriorTainted(addr), plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)}
	second := resource.TestStep{PreConfig: func() { srv.DropResponses(route, 0) }, Config: config}
	if replace {
		second.ConfigPlanChecks.PreApply = checks
		second.Check = check
	} else {
		second.PlanOnly, second.ExpectNonEmptyPlan = true, true
		second.ConfigPlanChecks.PostApplyPreRefresh = checks
	}
	return []resource.TestStep{
		{
			PreConfig:   func() { srv.DropResponses(route, 3) },
			Config:      config,
			ExpectError: failure,
		},
		second,
	}
}

// expectPriorTainted checks that the state the plan starts from holds addr, tainted, and that no
// value of a write-only setting was copied into it.
func expectPriorTainted(addr string) plancheck.PlanCheck { return priorTaintedCheck{addr} }

type priorTaintedCheck struct{ addr string }

func (c priorTaintedCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState != nil && req.Plan.PriorState.Values != nil {
		for _, rs := range req.Plan.PriorState.Values.RootModule.Resources {
			if rs.Address != c.addr {
				continue
			}
			if !rs.Tainted {
				resp.Error = fmt.Errorf("%s is in state but not tainted", c.addr)
			}
			if v, ok := rs.AttributeValues["value"]; ok && v != nil && rs.Type == "appmixer_config" {
				resp.Error = fmt.Errorf("%s: the secret's value was copied into state: %v", c.addr, v)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in state after the failed create", c.addr)
}

func TestAccACL_createAnswerLost(t *testing.T) {
	requireLocal(t, "lost answers (DropResponses)")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	before := []appmixer.ACLRule{
		{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
		{Role: "acme.com", Resource: "appmixer*", Action: []string{"use"}, Attributes: []string{"non-private"}},
	}
	mustDo(t, api.SetACL(context.Background(), "components", before))
	config := providerBlock(srv, "") + `
resource "appmixer_acl" "components" {
  type             = "components"
  destroy_restores = "previous"
  rules            = [{ role = "admin", resource = "*", action = ["use"], attributes = ["non-private"] }]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// The list Terraform took over, not the one the lost write set.
		CheckDestroy: expectServerACL(t, api, "components", before),
		Steps: lostWriteAnswers(srv, "POST /acl/{type}", "appmixer_acl.components", config,
			wrappedText("Cannot set the Appmixer components ACL"), false, nil),
	})
}

func TestAccModifiers_createAnswerLost(t *testing.T) {
	requireLocal(t, "lost answers (DropResponses)")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	builtIn := serverModifiers(t, api)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             expectServerModifiers(t, api, builtIn),
		Steps: lostWriteAnswers(srv, "PUT /modifiers", "appmixer_modifiers.tenant", modifiersConfig(srv, customModifiers),
			wrappedText("Cannot set the Appmixer modifiers"), false, nil),
	})
}

func TestAccConfig_createAnswerLost(t *testing.T) {
	requireLocal(t, "lost answers (DropResponses)")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	const secret = "lost-answer-secret-0123456789"
	config := providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_config" "jwt" {
  key              = "JWTSecret"
  value_wo         = jsonencode(%q)
  value_wo_version = 1
}
`, secret)
	serverValue := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			entries, err := api.ListConfig(context.Background())
			if err != nil {
				return err
			}
			for _, e := range entries {
				if e.Key == "JWTSecret" {
					if want == "" || !jsonEqual[plainJSON](string(e.Value), want) {
						return fmt.Errorf("JWTSecret = %s, want %q", e.Value, want)
					}
					return nil
				}
			}
			if want != "" {
				return fmt.Errorf("JWTSecret not set, want %q", want)
			}
			return nil
		}
	}
	wantJSON, _ := json.Marshal(secret)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             serverValue(""),
		Steps: lostWriteAnswers(srv, "POST /config", "appmixer_config.jwt", config,
			wrappedText(`Cannot set Appmixer config "JWTSecret"`), true, serverValue(string(wantJSON))),
	})
}

func TestAccPublicFile_createAnswerLost(t *testing.T) {
	requireLocal(t, "lost answers (DropResponses)")
	srv := startServer(t, localserver.Options{})
	logo := filepath.Join(t.TempDir(), "logo.svg")
	content := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>`)
	mustDo(t, os.WriteFile(logo, content, 0o600))
	config := providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_public_file" "logo" {
  filename = "logo.svg"
  source   = %q
}
`, logo)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             expectServerFile(srv, "logo.svg", nil),
		Steps: lostWriteAnswers(srv, "POST /public-files", "appmixer_public_file.logo", config,
			wrappedText(`Cannot upload public file "logo.svg"`), true, expectServerFile(srv, "logo.svg", content)),
	})
}
