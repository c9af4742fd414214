// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

func TestParseIntegrationImportID(t *testing.T) {
	if id, err := parseIntegrationImportID("6f1c2a70-0001-4c1e-9a51-5d2f00000001"); err != nil || id != "6f1c2a70-0001-4c1e-9a51-5d2f00000001" {
		t.Fatalf("good id: %q, %v", id, err)
	}
	for _, bad := range []string{"", " x", "a/b", "two words"} {
		if _, err := parseIntegrationImportID(bad); err == nil || !strings.Contains(err.Error(), "expected the integration draft's flow id") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestWizardProblems(t *testing.T) {
	ids := map[string]bool{"start": true, "mail": true}
	ok := `{"fields": [{"label": "To", "source": "mail.config.transform.in.start.out.lambda.to"}, {"label": "X", "type": "info"}]}`
	if p := wizardProblems(ok, ids); p != nil {
		t.Fatalf("valid wizard: %v", p)
	}
	bad := `{"fields": [{"label": "To", "source": "ghost.config.properties.to"}, {"source": "mail.config.transform.in.gone.out"}]}`
	want := []string{
		`Wizard field 0 ("To") has source "ghost.config.properties.to", which names component "ghost"; the definition has no such component (its components: mail, start).`,
		`Wizard field 1 (no label) has source "mail.config.transform.in.gone.out", which names component "gone"; the definition has no such component (its components: mail, start).`,
	}
	if got := wizardProblems(bad, ids); !reflect.DeepEqual(got, want) {
		t.Fatalf("problems:\n%q\nwant\n%q", got, want)
	}
	if p := wizardProblems(`{"anything": "else"}`, ids); p != nil {
		t.Fatalf("a wizard without fields says nothing Terraform can check: %v", p)
	}
}

func TestSharesRoundTrip(t *testing.T) {
	ctx := context.Background()
	shares := []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}, {Email: "a@b.example", Permissions: []string{"read", "start"}}}
	list := sharesToModel(shares, types.ListNull(shareObjectType))
	back, diags := sharesFromModel(ctx, list)
	if diags.HasError() || !reflect.DeepEqual(back, shares) {
		t.Fatalf("round trip %+v, %v", back, diags)
	}
	if !sharesToModel(nil, types.ListNull(shareObjectType)).IsNull() {
		t.Fatal("no sharing with no prior must be null")
	}
	if l := sharesToModel(nil, list); l.IsNull() || len(l.Elements()) != 0 {
		t.Fatal("no sharing with a prior list must be []")
	}
	if got, _ := sharesFromModel(ctx, types.ListNull(shareObjectType)); got != nil {
		t.Fatal("null shared_with is not sent")
	}
	if !sharesEqual(types.ListNull(shareObjectType), sharesToModel(nil, list)) || sharesEqual(list, types.ListNull(shareObjectType)) {
		t.Fatal("sharesEqual")
	}
}

// TestIntegrationFromAPI builds the model from literal server objects: a template edited by hand shows
// its values in the draft's ids; a template deleted by hand unpublishes; import takes the defaults.
func TestIntegrationFromAPI(t *testing.T) {
	ctx := context.Background()
	draftDef := `{"a":{"type":"appmixer.utils.controls.OnStart","label":"A"}}`
	draft := &appmixer.Flow{ID: "d1", UserID: "u1", Name: "N", Type: appmixer.FlowTypeDraft, Definition: json.RawMessage(draftDef)}
	template := &appmixer.Flow{ID: "t1", UserID: "u1", Name: "N", Type: appmixer.FlowTypeTemplate, OriginFlowID: "d1",
		Definition:     json.RawMessage(`{"A1":{"type":"appmixer.utils.controls.OnStart","label":"A","version":"1.1.0"}}`),
		ComponentIDMap: map[string]string{"a": "A1"}, SharedWith: []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}}}

	// Import: prior has only the id and the provider-only defaults.
	prior := integrationModel{ID: types.StringValue("d1"), Definition: nullJSON[flowDefinitionSemantics](), Wizard: nullJSON[plainJSON](),
		SharedWith: types.ListNull(shareObjectType), LastRollout: types.ObjectNull(rolloutAttrTypes)}
	m, diags := integrationFromAPI(ctx, prior, integrationFlows{draft: draft, template: template, instances: 2})
	if diags.HasError() || diags.WarningsCount() != 0 {
		t.Fatalf("diags %v", diags)
	}
	if m.InstanceUpdate.ValueString() != "none" || m.InProgressData.ValueString() != "keep" || m.ForceDestroy.ValueBool() ||
		m.IgnoreLayout.ValueBool() || m.TemplateID.ValueString() != "t1" || m.InstanceCount.ValueInt64() != 2 ||
		!definitionsEqual(m.Definition.ValueString(), draftDef, false) || len(m.SharedWith.Elements()) != 1 ||
		m.ComponentIDMap.Elements()["a"] != types.StringValue("A1") {
		t.Fatalf("imported model %+v", m)
	}

	// The template relabelled by hand: the state shows its label, in the draft's id, with a warning.
	edited := *template
	edited.Definition = json.RawMessage(`{"A1":{"type":"appmixer.utils.controls.OnStart","label":"Edited"}}`)
	m2, diags := integrationFromAPI(ctx, m, integrationFlows{draft: draft, template: &edited})
	if !strings.Contains(m2.Definition.ValueString(), `"a":{`) || !strings.Contains(m2.Definition.ValueString(), `"Edited"`) ||
		diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "(definition differ)") {
		t.Fatalf("template drift: %s %v", m2.Definition.ValueString(), diags)
	}

	// The template deleted by hand: unpublished, no map, and a warning.
	m3, diags := integrationFromAPI(ctx, m, integrationFlows{draft: draft})
	if !m3.TemplateID.IsNull() || !m3.ComponentIDMap.IsNull() || len(m3.SharedWith.Elements()) != 0 || m3.SharedWith.IsNull() ||
		diags.WarningsCount() != 1 || diags.Warnings()[0].Summary() != "Integration template deleted outside Terraform" {
		t.Fatalf("template gone: %+v %v", m3, diags)
	}

	// The draft deleted by hand: its attributes are null, so that the plan puts them back.
	m4, diags := integrationFromAPI(ctx, m, integrationFlows{template: template})
	if !m4.Name.IsNull() || !m4.Definition.IsNull() || m4.TemplateID.ValueString() != "t1" ||
		diags.WarningsCount() != 1 || diags.Warnings()[0].Summary() != "Integration draft deleted outside Terraform" {
		t.Fatalf("draft gone: %+v %v", m4, diags)
	}
}
