// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/componentmap"
)

// The welcome integration of examples/promotion (integration.tf, modules/integration).
const (
	welcomeName  = "Welcome e-mail"
	welcomeGmail = "appmixer.google.gmail.SendEmail"
)

// integrationOf finds the tenant's welcome draft and its template.
func integrationOf(t *testing.T, tn *tenant) (draft, template *appmixer.Flow) {
	t.Helper()
	ctx := context.Background()
	drafts, err := tn.api.ListAllFlows(ctx, appmixer.ListFlowsOptions{Filters: []string{"type:" + appmixer.FlowTypeDraft}})
	must(t, err)
	for i := range drafts {
		if drafts[i].Name == welcomeName {
			draft = &drafts[i]
		}
	}
	if draft == nil {
		t.Fatalf("no integration draft %q on %s", welcomeName, tn.srv.URL)
	}
	templates, err := tn.api.FindTemplates(ctx, draft.ID)
	must(t, err)
	if len(templates) != 1 {
		t.Fatalf("%s: draft %s has %d templates, want 1", tn.srv.URL, draft.ID, len(templates))
	}
	if draft, err = tn.api.GetFlow(ctx, draft.ID); err != nil {
		t.Fatal(err)
	}
	template, err = tn.api.GetFlow(ctx, templates[0].ID)
	must(t, err)
	return draft, template
}

// checkIntegrationPromoted asserts that both tenants publish the same integration to all their users:
// the same draft, and a template that is the draft in its own component ids, wizard included.
func checkIntegrationPromoted(t *testing.T, dev, prod *tenant) {
	t.Helper()
	var drafts []map[string]map[string]any
	for _, tn := range []*tenant{dev, prod} {
		d, tpl := integrationOf(t, tn)
		if len(tpl.SharedWith) != 1 || tpl.SharedWith[0].Scope != "user" || tpl.OriginFlowID != d.ID {
			t.Errorf("%s: template %s is not the draft's, published to all users: %+v", tn.srv.URL, tpl.ID, tpl)
		}
		var tplDef map[string]any
		must(t, json.Unmarshal(tpl.Definition, &tplDef))
		back, err := json.Marshal(componentmap.Descriptor(tplDef, componentmap.Invert(tpl.ComponentIDMap)))
		must(t, err)
		if !reflect.DeepEqual(descriptor(t, d), descriptor(t, &appmixer.Flow{Definition: back})) {
			t.Errorf("%s: the template differs from the draft:\n%s\n%s", tn.srv.URL, d.Definition, tpl.Definition)
		}
		mailID := tpl.ComponentIDMap["1b7e4c20-0002-4a3d-9f6b-8c2e00000002"]
		if mailID == "" || !strings.Contains(string(tpl.Wizard), `"`+mailID+`.config.transform.in.`) {
			t.Errorf("%s: the template's wizard is not in the template's ids: %s (map %v)", tn.srv.URL, tpl.Wizard, tpl.ComponentIDMap)
		}
		drafts = append(drafts, descriptor(t, d))
	}
	if !reflect.DeepEqual(drafts[0], drafts[1]) {
		t.Errorf("the integration differs between dev and prod:\n%v\n%v", drafts[0], drafts[1])
	}
}

// exerciseIntegration runs the life of the promoted integration on prod: a customer adds it in the
// widget, a new version of the integration reaches the customer's instance, prod's connectors drift
// from dev's and the precondition stops the promotion, and finally the customer removes the instance
// (so that destroy, which refuses integrations with instances, leaves the tenants as they were).
func exerciseIntegration(t *testing.T, dir string, dev, prod *tenant) {
	t.Helper()
	ctx := context.Background()
	_, tpl := integrationOf(t, prod)
	customer := newCustomer(t, prod, "customer@shop.example")
	instanceID, err := customer.CreateIntegrationInstance(ctx, tpl.ID)
	must(t, err)
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")

	// A new version: the apply saves it on both tenants and rolls it out to prod's customer.
	file := filepath.Join(dir, "integrations", "welcome.json")
	text, err := os.ReadFile(file)
	must(t, err)
	must(t, os.WriteFile(file, []byte(strings.Replace(string(text), "Welcome to Acme", "Welcome to Acme, friend", 1)), 0o600))
	res := mustTerraform(t, dir, nil, 0, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(res.stdout, "module.prod_integration.appmixer_integration.welcome: Modifications complete") {
		t.Errorf("the apply did not update prod's integration:\n%s", res.stdout)
	}
	inst, err := customer.GetFlow(ctx, instanceID)
	must(t, err)
	if !strings.Contains(string(inst.Definition), "Welcome to Acme, friend") {
		t.Errorf("the customer's instance did not get the new version: %s", inst.Definition)
	}
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")

	// Prod's Gmail connector is upgraded, dev's is not: the promotion stops before changing anything.
	must(t, prod.srv.UpgradeComponent(welcomeGmail, "2.0.0"))
	res = mustTerraform(t, dir, nil, 1, "plan", "-no-color")
	if !strings.Contains(res.stderr, "Connector versions differ from the reference tenant's") || !strings.Contains(res.stderr, `"appmixer.google.gmail":"2.0.0"`) {
		t.Errorf("the plan did not stop on the connector versions:\n%s", res.stderr)
	}
	must(t, dev.srv.UpgradeComponent(welcomeGmail, "2.0.0"))
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode")

	must(t, customer.DeleteFlow(ctx, instanceID))
}

func newCustomer(t *testing.T, tn *tenant, email string) *appmixer.Client {
	t.Helper()
	_, err := tn.api.CreateUser(context.Background(), appmixer.NewUser{Username: email, Email: email, Password: "customer-pw"})
	must(t, err)
	c, err := appmixer.New(appmixer.Config{BaseURL: tn.srv.URL, Username: email, Password: "customer-pw"})
	must(t, err)
	return c
}
