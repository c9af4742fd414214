// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
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

const integrationAddr = "appmixer_integration.test"

// integrationV1 is the draft of the tests: start -> mail, with a wizard field on mail's recipient.
const integrationV1 = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}},
  "mail": {"type": "appmixer.utils.email.SendEmail", "label": "Mail", "x": 300, "y": 100,
    "source": {"in": {"start": ["out"]}},
    "config": {"transform": {"in": {"start": {"out": {"type": "json2new",
      "lambda": {"to": "customer@example.com", "subject": "Welcome", "text": "Started at $.start.out.time"}}}}}}}
}`

const integrationWizard = `{"fields": [{"type": "inspectorField", "label": "Recipient", "source": "mail.config.transform.in.start.out.lambda.to"}]}`

// integrationV2 changes the subject and adds an audit component after mail.
const integrationV2 = `{
  "start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}},
  "mail": {"type": "appmixer.utils.email.SendEmail", "label": "Mail", "x": 300, "y": 100,
    "source": {"in": {"start": ["out"]}},
    "config": {"transform": {"in": {"start": {"out": {"type": "json2new",
      "lambda": {"to": "customer@example.com", "subject": "Welcome aboard", "text": "Started at $.start.out.time"}}}}}}},
  "audit": {"type": "appmixer.utils.email.SendEmail", "label": "Audit", "x": 500, "y": 100, "source": {"in": {"mail": ["out"]}}}
}`

// integrationConfig is a provider block plus appmixer_integration "test" with the given extra lines.
func integrationConfig(srv *localserver.Running, definition, extra string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_integration" "test" {
  name       = "Welcome mail"
  definition = %q
  wizard     = %q
%s
}
`, definition, integrationWizard, extra)
}

const publishedToAll = `  shared_with = [{ scope = "user" }]`

// endUser is a customer of the tenant with their own instance of an integration.
type endUser struct {
	api        *appmixer.Client
	id         string
	instanceID string
}

// addInstances signs up n end users through the API and makes each an instance of the template, as
// the Integrations widget does: logged in as that user, a clone of the template shared with them.
func addInstances(t *testing.T, srv *localserver.Running, templateID string, n int) []endUser {
	t.Helper()
	ctx := context.Background()
	admin := apiClient(t, srv, appmixer.DialectAppmixer)
	out := make([]endUser, n)
	for i := range out {
		name := fmt.Sprintf("customer-%d-%s@shop.example", i, templateID[:8])
		u, err := admin.CreateUser(ctx, appmixer.NewUser{Username: name, Email: name, Password: "customer-pw"})
		mustDo(t, err)
		c, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: name, Password: "customer-pw", Dialect: appmixer.DialectAppmixer})
		mustDo(t, err)
		id, err := c.CreateIntegrationInstance(ctx, templateID)
		mustDo(t, err)
		out[i] = endUser{api: c, id: u.ID, instanceID: id}
	}
	return out
}

// stateAttr reads one attribute of addr from state.
func stateAttr(s *terraform.State, addr, attr string) string {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return ""
	}
	return rs.Primary.Attributes[attr]
}

// instanceDefinition is an end user's instance read back in the draft's component ids, through the
// template's and the instance's componentIdMap: what the user runs, comparable with the draft.
func instanceDefinition(t *testing.T, u endUser, template *appmixer.Flow) (map[string]any, error) {
	t.Helper()
	inst, err := u.api.GetFlow(context.Background(), u.instanceID)
	if err != nil {
		return nil, err
	}
	var def map[string]any
	if err := json.Unmarshal(inst.Definition, &def); err != nil {
		return nil, err
	}
	byInstanceID := map[string]string{}
	for draftID, tplID := range template.ComponentIDMap {
		if instID, ok := inst.ComponentIDMap[tplID]; ok {
			byInstanceID[instID] = draftID
		}
	}
	out := map[string]any{}
	for id, c := range def {
		draftID, ok := byInstanceID[id]
		if !ok {
			return nil, fmt.Errorf("instance %s: component %s maps to no draft component (maps %v, %v)", u.instanceID, id, template.ComponentIDMap, inst.ComponentIDMap)
		}
		out[draftID] = c
	}
	return out, nil
}

func checkInstancesCarry(t *testing.T, api *appmixer.Client, users *[]endUser, components int, fragment string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		tpl, err := api.GetFlow(context.Background(), stateAttr(s, integrationAddr, "template_id"))
		if err != nil {
			return err
		}
		for _, u := range *users {
			def, err := instanceDefinition(t, u, tpl)
			if err != nil {
				return err
			}
			text, _ := json.Marshal(def)
			if len(def) != components || !strings.Contains(string(text), fragment) {
				return fmt.Errorf("instance %s of user %s: %d components, want %d with %s: %s", u.instanceID, u.id, len(def), components, fragment, text)
			}
		}
		return nil
	}
}

func TestAccIntegration_lifecycle(t *testing.T) {
	// The admin lists its customers' instances only with the local-only switch (appmixer-api.md §7:
	// a real admin token is not known to see them).
	srv := startServer(t, localserver.Options{AdminSeesAllFlows: true})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	var users []endUser
	var draftID, templateID string
	instancesData := `
data "appmixer_integration_instances" "all" {
  integration_id = appmixer_integration.test.id
}
`
	onChange := "  instance_update = \"on_change\"\n"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			for _, id := range append([]string{draftID, templateID}, instanceIDs(users)...) {
				if _, err := api.GetFlow(ctx, id); !appmixer.IsNotFound(err) {
					return fmt.Errorf("flow %s still exists after destroy (err %w)", id, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// A draft only.
				Config: integrationConfig(srv, integrationV1, onChange),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("template_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("shared_with"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error {
					draftID = stateAttr(s, integrationAddr, "id")
					d, err := api.GetFlow(ctx, draftID)
					if err != nil || d.Type != appmixer.FlowTypeDraft || d.Name != "Welcome mail" || !strings.Contains(string(d.Wizard), `"mail.config`) {
						return fmt.Errorf("draft %+v, %w", d, err)
					}
					if tpls, err := api.FindTemplates(ctx, draftID); err != nil || len(tpls) != 0 {
						return fmt.Errorf("a draft only has no template: %v %w", tpls, err)
					}
					return nil
				},
			},
			{
				// Publish: a template cloned from the draft, shared with every user.
				Config: integrationConfig(srv, integrationV1, onChange+publishedToAll),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(integrationAddr, tfjsonpath.New("template_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("shared_with"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"scope": knownvalue.StringExact("user"),
							"permissions": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("read")})}),
					})),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("component_id_map"), knownvalue.MapSizeExact(2)),
				},
				Check: func(s *terraform.State) error {
					templateID = stateAttr(s, integrationAddr, "template_id")
					tpl, err := api.GetFlow(ctx, templateID)
					if err != nil {
						return err
					}
					if tpl.Type != appmixer.FlowTypeTemplate || tpl.OriginFlowID != draftID || len(tpl.SharedWith) != 1 || tpl.SharedWith[0].Scope != "user" {
						return fmt.Errorf("template %+v", tpl)
					}
					if m := tpl.ComponentIDMap; stateAttr(s, integrationAddr, "component_id_map.mail") != m["mail"] || m["mail"] == "mail" {
						return fmt.Errorf("component_id_map in state differs from the template's %v", m)
					}
					if !strings.Contains(string(tpl.Wizard), `"`+tpl.ComponentIDMap["mail"]+`.config.transform.in.`+tpl.ComponentIDMap["start"]) {
						return fmt.Errorf("template wizard not in template ids: %s", tpl.Wizard)
					}
					return nil
				},
			},
			{
				// Import by the draft's id: the provider-only settings take their defaults.
				ResourceName:            integrationAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"instance_update", "definition", "wizard"}, // the text is the server's normalised JSON
			},
			{
				ResourceName:    integrationAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				// Three end users add the integration in the widget.
				PreConfig: func() { users = addInstances(t, srv, templateID, 3) },
				Config:    integrationConfig(srv, integrationV1, onChange+publishedToAll) + instancesData,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue("data.appmixer_integration_instances.all", tfjsonpath.New("instance_count"), knownvalue.Int64Exact(3)),
				},
				Check: func(s *terraform.State) error {
					for i, u := range users {
						if got := stateAttr(s, "data.appmixer_integration_instances.all", fmt.Sprintf("instances.%d.user_id", i)); got != u.id {
							return fmt.Errorf("instance %d belongs to %q, want %q", i, got, u.id)
						}
					}
					return nil
				},
			},
			{
				// A new version, pushed to every instance.
				Config: integrationConfig(srv, integrationV2, onChange+publishedToAll) + instancesData,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(integrationAddr, tfjsonpath.New("last_rollout")),
					plancheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("template_id"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("last_rollout"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"status": knownvalue.StringExact("completed"), "steps_total": knownvalue.Int64Exact(3), "steps_completed": knownvalue.Int64Exact(3),
					})),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("component_id_map"), knownvalue.MapSizeExact(3)),
				},
				// The changed subject arrives; the new audit component does not (appmixer-api.md §7).
				Check: checkInstancesCarry(t, api, &users, 2, `"subject":"Welcome aboard"`),
			},
			{
				// Unpublish: the template is no longer shared; the instances stay as they are.
				Config: integrationConfig(srv, integrationV2, onChange),
				Check: func(*terraform.State) error {
					tpl, err := api.GetFlow(ctx, templateID)
					if err != nil || len(tpl.SharedWith) != 0 {
						return fmt.Errorf("template after unpublishing: %+v, %w", tpl, err)
					}
					if n, err := api.CountIntegrationInstances(ctx, templateID); err != nil || n != 3 {
						return fmt.Errorf("instances after unpublishing: %d, %w", n, err)
					}
					return nil
				},
			},
			{
				// Destroy is refused while instances exist, and names how many.
				Config:      providerBlock(srv, ""),
				ExpectError: regexp.MustCompile(`without force_destroy[\s\S]*has 3 instances the provider's user can see[\s\S]*force_destroy = true`),
			},
			{
				Config: integrationConfig(srv, integrationV2, onChange+"  force_destroy = true\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectAttributeChange(integrationAddr, "force_destroy"),
				}},
			},
		},
	})
}

func instanceIDs(users []endUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.instanceID
	}
	return out
}

// TestAccIntegration_drift changes the integration behind Terraform's back, one kind of change per
// step, and expects the plan to name exactly the attribute it touches; each apply puts it right.
func TestAccIntegration_drift(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	config := integrationConfig(srv, integrationV1, publishedToAll+"\n  force_destroy = true")
	var draftID, templateID string
	ids := func(s *terraform.State) error {
		draftID, templateID = stateAttr(s, integrationAddr, "id"), stateAttr(s, integrationAddr, "template_id")
		return nil
	}
	editDef := func(id string, change func(f *appmixer.Flow, def map[string]any)) {
		f, err := api.GetFlow(ctx, id)
		mustDo(t, err)
		var def map[string]any
		mustDo(t, json.Unmarshal(f.Definition, &def))
		change(f, def)
		b, err := json.Marshal(def)
		mustDo(t, err)
		mustDo(t, api.UpdateFlow(ctx, id, appmixer.FlowInput{Name: f.Name, Definition: b}, false))
	}
	relabel := func(component string) func(*appmixer.Flow, map[string]any) {
		return func(f *appmixer.Flow, def map[string]any) {
			id := component
			if f.Type == appmixer.FlowTypeTemplate {
				id = f.ComponentIDMap[component]
			}
			def[id].(map[string]any)["label"] = "Edited in the designer"
		}
	}
	share := func(shares []appmixer.Share) func() {
		return func() {
			f, err := api.GetFlow(ctx, templateID)
			mustDo(t, err)
			mustDo(t, api.UpdateFlow(ctx, templateID, appmixer.FlowInput{Name: f.Name, SharedWith: shares}, false))
		}
	}
	step := func(drift func(), attrs ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: drift,
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
				expectAttributeChange(integrationAddr, attrs...),
			}},
			Check: ids,
		}
	}
	quiet := resource.TestStep{Config: config, PlanOnly: true}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: ids},
			// The draft edited in the designer.
			step(func() { editDef(draftID, relabel("mail")) }, "definition"),
			quiet,
			// The template edited directly: it no longer matches the draft.
			step(func() { editDef(templateID, relabel("start")) }, "definition"),
			quiet,
			step(func() {
				editDef(templateID, func(f *appmixer.Flow, _ map[string]any) { f.Name = "Renamed template" })
			}, "name"),
			// Sharing changed, then the template unpublished, by hand.
			step(share([]appmixer.Share{{Domain: "other.example", Permissions: []string{"read"}}}), "shared_with"),
			step(share([]appmixer.Share{}), "shared_with"),
			quiet,
			// The template deleted by hand: the apply publishes the draft again.
			{
				PreConfig: func() { mustDo(t, api.DeleteFlow(ctx, templateID)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectAttributeChange(integrationAddr, "shared_with"),
					plancheck.ExpectUnknownValue(integrationAddr, tfjsonpath.New("template_id")),
				}},
				Check: func(s *terraform.State) error {
					old := templateID
					_ = ids(s)
					if templateID == "" || templateID == old {
						return fmt.Errorf("template_id %q after publishing again (was %q)", templateID, old)
					}
					return nil
				},
			},
			// The draft deleted by hand while its template remains: the apply puts it back at the same id.
			{
				PreConfig: func() { mustDo(t, api.DeleteFlow(ctx, draftID)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					expectAttributeChange(integrationAddr, "name", "definition", "wizard"),
				}},
				Check: func(s *terraform.State) error {
					f, err := api.GetFlow(ctx, draftID)
					if err != nil || f.Type != appmixer.FlowTypeDraft || stateAttr(s, integrationAddr, "id") != draftID {
						return fmt.Errorf("draft after the apply: %+v, %w", f, err)
					}
					return nil
				},
			},
			// What the server owns is never drift: newer component versions and the flows' revisions.
			{
				PreConfig: func() {
					mustDo(t, srv.UpgradeComponent("appmixer.utils.email.SendEmail", "9.0.0"))
					share([]appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})()
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// TestAccIntegration_rolloutFailureAndRetry: a failed rollout is an error quoting the server, the new
// template stays saved and the next apply retries; a rollout still running when the apply times out is
// awaited by the next apply, not started again.
func TestAccIntegration_rolloutFailureAndRetry(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	var users []endUser
	const rollouts = "POST /integrations/{id}/update-integration-instances"
	withTimeout := "  timeouts {\n    update = \"3s\"\n  }\n"
	config := func(definition string) string {
		return integrationConfig(srv, definition, publishedToAll+"\n  instance_update = \"on_change\"\n  force_destroy = true\n"+withTimeout)
	}
	integrationV3 := strings.Replace(integrationV2, "Welcome aboard", "Welcome back", 1)
	started := 0
	expectRollouts := func(n int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := srv.Stats().Requests[rollouts]; got != n {
				return fmt.Errorf("%d rollouts started, want %d", got, n)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config(integrationV1),
				Check: func(s *terraform.State) error {
					users = addInstances(t, srv, stateAttr(s, integrationAddr, "template_id"), 2)
					return nil
				},
			},
			{
				// The rollout fails at the last instance.
				PreConfig:   func() { srv.FailNextRollout("the customer's quota is exhausted") },
				Config:      config(integrationV2),
				ExpectError: regexp.MustCompile(`Rollout of integration \S+ failed[\s\S]*the customer's quota is\s+exhausted[\s\S]*The new template \S+ is saved, and 1 of 2[\s\S]*next apply retries`),
			},
			{
				// The template was saved all the same; the plan owes the rollout, and the apply retries it.
				Config: config(integrationV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					expectAttributeChange(integrationAddr),
					plancheck.ExpectUnknownValue(integrationAddr, tfjsonpath.New("last_rollout")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("last_rollout").AtMapKey("status"), knownvalue.StringExact("completed")),
				},
				Check: resource.ComposeTestCheckFunc(expectRollouts(2), checkInstancesCarry(t, api, &users, 2, "Welcome aboard")),
			},
			{Config: config(integrationV2), PlanOnly: true},
			{
				// The rollout does not finish within the update timeout.
				PreConfig:   func() { srv.HoldJobs(true) },
				Config:      config(integrationV3),
				ExpectError: regexp.MustCompile(`Rollout of integration \S+ did not finish[\s\S]*raise timeouts.update[\s\S]*waits for this rollout again`),
			},
			{
				// The next apply waits for the same rollout instead of starting another. The jobs stay held
				// until the plan is made: released earlier, the rollout's steps finish on the server's clock,
				// and a slow refresh would rightly find it completed and plan nothing.
				PreConfig: func() {
					if started = srv.Stats().Requests[rollouts]; started != 3 {
						t.Errorf("%d rollouts started before the retry, want 3", started)
					}
				},
				Config: config(integrationV3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					releaseJobs(srv),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("last_rollout").AtMapKey("status"), knownvalue.StringExact("completed")),
				},
				Check: func(s *terraform.State) error {
					if n := srv.Stats().Requests[rollouts]; n != started {
						return fmt.Errorf("a second rollout was started: %d, was %d", n, started)
					}
					return checkInstancesCarry(t, api, &users, 2, "Welcome back")(s)
				},
			},
			{Config: config(integrationV3), PlanOnly: true},
		},
	})
}

// releaseJobs is a plan check that lets srv's held jobs finish once the plan is made, so that the plan
// sees them running however long terraform takes to get there, and the apply sees them end.
func releaseJobs(srv *localserver.Running) plancheck.PlanCheck { return releaseJobsCheck{srv} }

type releaseJobsCheck struct{ srv *localserver.Running }

func (c releaseJobsCheck) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	c.srv.HoldJobs(false)
}
