// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// customer signs up an end user of the tenant and returns their client.
func customer(t *testing.T, srv *localserver.Running, email string) (*appmixer.Client, string) {
	t.Helper()
	u, err := apiClient(t, srv, appmixer.DialectAppmixer).CreateUser(context.Background(), appmixer.NewUser{Username: email, Email: email, Password: "customer-pw"})
	mustDo(t, err)
	c, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: email, Password: "customer-pw", Dialect: appmixer.DialectAppmixer})
	mustDo(t, err)
	return c, u.ID
}

// instanceThreeWays makes one instance of the template each way a real client does (appmixer-api.md
// §7), each for another end user: the SDK's clone then PUT of templateId, the staff recipe, the CLI's
// e2e clone (linked by originFlowId only).
func instanceThreeWays(t *testing.T, srv *localserver.Running, templateID string) []endUser {
	t.Helper()
	ctx := context.Background()
	link := func(c *appmixer.Client, id string) {
		f, err := c.GetFlow(ctx, id)
		mustDo(t, err)
		mustDo(t, c.UpdateFlow(ctx, id, appmixer.FlowInput{Name: f.Name, TemplateID: templateID}, false))
	}
	ways := []func(c *appmixer.Client) (string, error){
		func(c *appmixer.Client) (string, error) { // SDK cloneFlow(template, {connectAccounts: false}), updateFlow({templateId})
			id, err := c.CloneFlow(ctx, templateID, appmixer.CloneOptions{})
			if err == nil {
				link(c, id)
			}
			return id, err
		},
		func(c *appmixer.Client) (string, error) { // the staff recipe
			id, err := c.CloneFlow(ctx, templateID, appmixer.CloneOptions{SetOriginFlowID: true, Type: appmixer.FlowTypeInstance})
			if err == nil {
				link(c, id)
			}
			return id, err
		},
		func(c *appmixer.Client) (string, error) { return c.CreateIntegrationInstance(ctx, templateID) },
	}
	var out []endUser
	for i, way := range ways {
		c, uid := customer(t, srv, fmt.Sprintf("way-%d-%s@shop.example", i, templateID[:8]))
		id, err := way(c)
		mustDo(t, err)
		out = append(out, endUser{api: c, id: uid, instanceID: id})
	}
	return out
}

// checkInstanceRevisions checks, as each instance's owner, its revision and that it carries fragment.
func checkInstanceRevisions(users *[]endUser, revision int, fragment string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, u := range *users {
			f, err := u.api.GetFlow(context.Background(), u.instanceID)
			if err != nil {
				return err
			}
			if f.Revision != revision || !strings.Contains(string(f.Definition), fragment) {
				return fmt.Errorf("instance %s (type %s): revision %d, want %d with %s: %s", f.ID, f.Type, f.Revision, revision, fragment, f.Definition)
			}
		}
		return nil
	}
}

// TestAccIntegration_instancesAndRevisions: instances made the three real ways are counted and listed
// (with the switch that shows the admin every flow) and reached by a rollout; each change raises the
// template's revision by one, and the data source reports the instances that lag.
func TestAccIntegration_instancesAndRevisions(t *testing.T) {
	srv := startServer(t, localserver.Options{AdminSeesAllFlows: true})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	var users []endUser
	subject := func(s string) string {
		return strings.Replace(integrationV1, `"subject": "Welcome"`, `"subject": "`+s+`"`, 1)
	}
	config := func(definition, extra string) string {
		return integrationConfig(srv, definition, publishedToAll+"\n  force_destroy = true\n"+extra) + `
data "appmixer_integration_instances" "all" {
  template_id = appmixer_integration.test.template_id
  depends_on  = [appmixer_integration.test]
}
`
	}
	templateRevision := func(want int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			tpl, err := api.GetFlow(context.Background(), stateAttr(s, integrationAddr, "template_id"))
			if err != nil {
				return err
			}
			if tpl.Revision != want {
				return fmt.Errorf("template revision %d, want %d", tpl.Revision, want)
			}
			return nil
		}
	}
	ds := "data.appmixer_integration_instances.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config(integrationV1, ""),
				Check: resource.ComposeTestCheckFunc(templateRevision(1), func(s *terraform.State) error {
					users = instanceThreeWays(t, srv, stateAttr(s, integrationAddr, "template_id"))
					return nil
				}),
			},
			{
				Config: config(integrationV1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("lagging_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("instances").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"type": knownvalue.StringExact(appmixer.FlowTypeInstance), "revision": knownvalue.Int64Exact(1), "lagging": knownvalue.Bool(false),
					})),
				},
			},
			{
				// A change without a rollout: the template's revision goes up by one, every instance lags.
				Config: config(subject("Hello"), ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("template_revision"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("lagging_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("instances").AtSliceIndex(2).AtMapKey("lagging"), knownvalue.Bool(true)),
				},
				Check: templateRevision(2),
			},
			{
				// A sharing change alone keeps the revision.
				Config: strings.Replace(config(subject("Hello"), ""), publishedToAll, `  shared_with = [{ scope = "user", permissions = ["read", "start"] }]`, 1),
				Check:  templateRevision(2),
			},
			{
				// The next change is rolled out: it reaches every instance, however it was made.
				Config: config(subject("Hi there"), `  instance_update = "on_change"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("last_rollout").AtMapKey("steps_total"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("lagging_count"), knownvalue.Int64Exact(0)),
				},
				Check: resource.ComposeTestCheckFunc(templateRevision(3), checkInstanceRevisions(&users, 3, `"subject":"Hi there"`)),
			},
		},
	})
}

// TestAccIntegration_invisibleInstancesNeedForceDestroy: a customer's instance that the provider's
// user cannot see (a real admin token sees only its own and shared flows) is not counted, and a
// destroy without force_destroy is refused, naming it, and leaves everything in place.
func TestAccIntegration_invisibleInstancesNeedForceDestroy(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	var users []endUser
	var draftID, templateID string
	published := integrationConfig(srv, integrationV1, `  shared_with = [{ domain = "shop.example" }]`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: published,
				Check: func(s *terraform.State) error {
					draftID, templateID = stateAttr(s, integrationAddr, "id"), stateAttr(s, integrationAddr, "template_id")
					users = addInstances(t, srv, templateID, 1)
					return nil
				},
			},
			{
				Config: published,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(0)),
				},
			},
			{
				Config:      providerBlock(srv, ""),
				ExpectError: regexp.MustCompile(`without force_destroy[\s\S]*is published[\s\S]*cannot see \(it sees 0\)[\s\S]*set force_destroy = true`),
			},
			{
				// Nothing was deleted: the customer's instance, the template and the draft are all there.
				PreConfig: func() {
					for _, id := range []string{draftID, templateID} {
						_, err := api.GetFlow(ctx, id)
						mustDo(t, err)
					}
					_, err := users[0].api.GetFlow(ctx, users[0].instanceID)
					mustDo(t, err)
				},
				Config: integrationConfig(srv, integrationV1, `  shared_with = [{ domain = "shop.example" }]`+"\n  force_destroy = true"),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if _, err := users[0].api.GetFlow(ctx, users[0].instanceID); !appmixer.IsNotFound(err) {
				return fmt.Errorf("with force_destroy the customer's instance goes too: %v", err)
			}
			return nil
		},
	})
}

// A plan that adds components to a published template warns that existing instances will not get them.
func TestWarnNewComponents(t *testing.T) {
	state := integrationModel{TemplateID: types.StringValue("tpl-1"),
		ComponentIDMap: types.MapValueMust(types.StringType, stringValues(map[string]string{"start": "a", "mail": "b"}))}
	for def, want := range map[string]string{
		integrationV1: "",
		integrationV2: `adds components audit to the published template tpl-1`,
	} {
		plan := integrationModel{Definition: newJSONValue[flowDefinitionSemantics](def)}
		var diags diag.Diagnostics
		warnNewComponents(plan, state, &diags)
		got := ""
		for _, d := range diags.Warnings() {
			got += d.Detail()
		}
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("warning %q, want one containing %q", got, want)
		}
	}
}

// The template refers to itself where the draft referred to the draft (a webhook URL here), and reads
// back in the draft's id, so the replacement is never drift.
func TestTemplateReplacesTheDraftFlowID(t *testing.T) {
	const draftID, templateID = "6f1c2a70-0001-4c1e-9a51-5d2f00000001", "9b8a7c6d-0002-4c1e-9a51-5d2f00000002"
	def := `{"hook": {"type": "appmixer.utils.http.Webhook", "config": {"properties": {"url": "https://api.example/flows/` + draftID + `/components/hook"}}}}`
	m := integrationModel{ID: types.StringValue(draftID), Name: types.StringValue("n"), Definition: newJSONValue[flowDefinitionSemantics](def),
		Wizard: nullJSON[plainJSON](), Notes: nullJSON[plainJSON](), Categories: types.SetNull(types.StringType),
		CustomFields: types.MapNull(types.StringType), SharedWith: types.ListNull(shareObjectType)}
	in, ids, diags := templateInput(context.Background(), m, templateID, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if strings.Contains(string(in.Definition), draftID) || !strings.Contains(string(in.Definition), "/flows/"+templateID+"/components/") {
		t.Fatalf("template definition %s", in.Definition)
	}
	back := m
	changed := back.showTemplateDrift(context.Background(), &appmixer.Flow{ID: templateID, Name: "n", Definition: in.Definition, ComponentIDMap: ids}, m)
	if len(changed) != 0 {
		t.Fatalf("the template reads back as drift in %v", changed)
	}
}
