// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// seqAPI speaks to the server as Appmixer's own tools do, with raw requests: the sequence below is the
// oracle for what the provider reads, so it shares no code with the provider's client.
type seqAPI struct {
	t     *testing.T
	base  string
	token string
}

func seqLogin(t *testing.T, base, username, password string) *seqAPI {
	a := &seqAPI{t: t, base: base}
	a.token, _ = a.call(http.MethodPost, "/user/auth", map[string]any{"username": username, "password": password})["token"].(string)
	return a
}

func (a *seqAPI) call(method, path string, body any) map[string]any {
	a.t.Helper()
	var rd bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = *bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, a.base+path, &rd)
	mustDo(a.t, err)
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	res, err := http.DefaultClient.Do(req)
	mustDo(a.t, err)
	defer func() { _ = res.Body.Close() }()
	var out any
	_ = json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode >= 300 {
		a.t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, out)
	}
	m, _ := out.(map[string]any)
	return m
}

// mapIDs is the publish script's renaming of a draft's JSON for its template: every draft component id
// through the template's componentIdMap (a new component gets a new id, added to the map) and the
// draft's flow id replaced by the template's, wherever they appear.
func mapIDs(doc string, ids map[string]any, draftID, templateID string) string {
	for from, to := range ids {
		doc = strings.ReplaceAll(doc, from, to.(string))
	}
	return strings.ReplaceAll(doc, draftID, templateID)
}

func decoded(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic(err)
	}
	return v
}

// TestAccIntegration_appmixerPublishSequence runs Appmixer's own publish sequence against the local
// server (appmixer-api.md §7, §10): a draft with notes and a wizard, published by a clone, put into
// a category with a PUT, re-published with one component added (ids mapped, revision raised), an
// instance made the SDK's way, a rollout. The provider then imports the draft and plans no change.
func TestAccIntegration_appmixerPublishSequence(t *testing.T) {
	requireLocal(t, "a customer signed up on the local server")
	srv := startServer(t, localserver.Options{})
	admin := seqLogin(t, srv.URL, srv.AdminUsername(), srv.AdminPassword())
	const draftID = "7a0f3c10-0001-4c1e-9a51-5d2f00000001"
	const startID, mailID, auditID = "7a0f3c10-aaaa-4c1e-9a51-000000000001", "7a0f3c10-bbbb-4c1e-9a51-000000000002", "7a0f3c10-cccc-4c1e-9a51-000000000003"
	v1 := `{"` + startID + `": {"type": "appmixer.utils.controls.OnStart", "x": 100, "y": 100, "source": {}},
	  "` + mailID + `": {"type": "appmixer.utils.email.SendEmail", "x": 300, "y": 100, "source": {"in": {"` + startID + `": ["out"]}},
	    "config": {"transform": {"in": {"` + startID + `": {"out": {"type": "json2new", "lambda": {"to": "x@example.com", "subject": "From ` + draftID + `"}}}}}}}}`
	v2 := strings.TrimSuffix(strings.TrimSpace(v1), "}") + `, "` + auditID + `": {"type": "appmixer.utils.email.SendEmail", "x": 500, "y": 100, "source": {"in": {"` + mailID + `": ["out"]}}}}`
	wizard := `{"fields": [{"type": "inspectorField", "label": "To", "source": "` + mailID + `.config.transform.in.` + startID + `.out.lambda.to"}]}`
	notes := `{"note-1": {"x": 20, "y": 20, "width": 200, "height": 80, "content": "**Read me** first"}}`
	everyone := []any{map[string]any{"scope": "user", "permissions": []any{"read"}}}

	// 1. The draft, with notes and a wizard (the CLI and the publish script PUT to an id they pick).
	admin.call(http.MethodPut, "/flows/"+draftID, map[string]any{"name": "Welcome", "description": "Says hello",
		"type": "integration-draft", "flow": decoded(v1), "wizard": decoded(wizard), "notes": decoded(notes)})
	// 2. Published the first time: a clone, shared with every user.
	templateID := admin.call(http.MethodPost, "/flows/"+draftID+"/clone", map[string]any{"projection": "-sharedWith",
		"setOriginFlowId": true, "additional": map[string]any{"type": "integration-template", "sharedWith": everyone}})["cloneId"].(string)
	// 3. Into a category, with a PUT of the draft and of the template (never through the clone).
	category := admin.call(http.MethodPost, "/categories", map[string]any{"name": "Onboarding", "description": "First steps"})["id"].(string)
	for _, id := range []string{draftID, templateID} {
		admin.call(http.MethodPut, "/flows/"+id, map[string]any{"categories": []any{category}})
	}
	// 4. Re-published with one component added: the draft saved, then the template PUT with the draft
	// mapped through its componentIdMap (the new component gets a new id) and the revision raised.
	admin.call(http.MethodPut, "/flows/"+draftID, map[string]any{"flow": decoded(v2)})
	tpl := admin.call(http.MethodGet, "/flows/"+templateID, nil)
	ids := tpl["componentIdMap"].(map[string]any)
	ids[auditID] = "7a0f3c10-dddd-4c1e-9a51-000000000004"
	admin.call(http.MethodPut, "/flows/"+templateID, map[string]any{"name": "Welcome", "description": "Says hello",
		"flow": decoded(mapIDs(v2, ids, draftID, templateID)), "wizard": decoded(mapIDs(wizard, ids, draftID, templateID)),
		"notes": decoded(notes), "componentIdMap": ids, "categories": []any{category}, "sharedWith": everyone,
		"revision": tpl["revision"].(float64) + 1})
	// 5. An end user's instance, the SDK's way: a clone of the template, then a PUT of templateId.
	admin.call(http.MethodPost, "/user", map[string]any{"username": "ann@shop.example", "email": "ann@shop.example", "password": "ann-password"})
	ann := seqLogin(t, srv.URL, "ann@shop.example", "ann-password")
	hub := ann.callList("/flows?filter=type:integration-template&filter=categories:" + category + "&filter=sharedWith:![]&sharedWithPermissions=read")
	if len(hub) != 1 || hub[0]["flowId"] != templateID {
		t.Fatalf("the Hub's Onboarding tab: %v, want the template %s", hub, templateID)
	}
	instance := ann.call(http.MethodPost, "/flows/"+templateID+"/clone", map[string]any{"connectAccounts": false})["cloneId"].(string)
	ann.call(http.MethodPut, "/flows/"+instance, map[string]any{"templateId": templateID})
	// 6. The rollout.
	ticket := admin.call(http.MethodPost, "/integrations/"+templateID+"/update-integration-instances", map[string]any{"inProgressData": "keep"})["ticket"].(string)
	deadline := time.Now().Add(time.Minute)
	status := func() string { // the CLI reads state or status (appmixer-api.md §7)
		m := admin.call(http.MethodGet, "/integrations/status/"+ticket, nil)
		st, _ := m["state"].(string)
		if st == "" {
			st, _ = m["status"].(string)
		}
		return st
	}
	for st := status(); st != "completed"; st = status() {
		if st == "failed" || time.Now().After(deadline) {
			t.Fatalf("rollout %s: %q", ticket, st)
		}
		time.Sleep(20 * time.Millisecond) // polling, as the CLI does; the end is asserted, not the time
	}
	inst := ann.call(http.MethodGet, "/flows/"+instance, nil)
	if inst["revision"] != float64(2) || len(inst["flow"].(map[string]any)) != 3 || inst["templateId"] != templateID {
		t.Errorf("instance after the rollout: revision %v with %d components, linked to %v; want revision 2 with 3, linked to %s",
			inst["revision"], len(inst["flow"].(map[string]any)), inst["templateId"], templateID)
	}

	// The provider reads the result: the import's generated configuration plans no change, with the
	// category, notes, wizard, sharing and map as Appmixer's tools left them.
	const addr = "appmixer_integration.welcome"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			ResourceName:    addr,
			ImportState:     true,
			ImportStateId:   draftID,
			ImportStateKind: resource.ImportBlockWithID,
			GenerateConfig:  true,
			Config:          providerBlock(srv, ""),
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("categories"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(category)})),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("template_id"), knownvalue.StringExact(templateID)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("component_id_map"), knownvalue.MapSizeExact(3)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("notes"), knownvalue.StringRegexp(regexp.MustCompile(`\*\*Read me\*\* first`))),
			}},
		}},
	})
}

func (a *seqAPI) callList(path string) []map[string]any {
	a.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, a.base+path, nil)
	mustDo(a.t, err)
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := http.DefaultClient.Do(req)
	mustDo(a.t, err)
	defer func() { _ = res.Body.Close() }()
	var out []map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return out
}
