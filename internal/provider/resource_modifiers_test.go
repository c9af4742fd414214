// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// customModifiers is a tenant's document: one category and one modifier of its own.
const customModifiers = `{
  "categories": {"text": {"label": "Text", "index": 1}},
  "modifiers": {
    "acme_shout": {
      "label": "Shout", "type": "modifier", "category": ["text"], "description": "Upper case and an exclamation mark.",
      "arguments": [], "returns": {"type": "string"},
      "helperFn": "function(value) { return String(value).toUpperCase() + '!'; }"
    }
  }
}`

// rawAdminRequest calls srv as its admin without the client, for what the client has no call for
// (DELETE /modifiers, the CLI's "modifiers delete").
func rawAdminRequest(t *testing.T, srv *localserver.Running, method, path string, body []byte) {
	t.Helper()
	login, _ := json.Marshal(map[string]string{"username": srv.AdminUsername(), "password": srv.AdminPassword()})
	var auth struct {
		Token string `json:"token"`
	}
	doHTTP(t, http.MethodPost, srv.URL+"/user/auth", "", login, &auth)
	doHTTP(t, method, srv.URL+path, auth.Token, body, nil)
}

func doHTTP(t *testing.T, method, url, token string, body []byte, out any) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d", method, url, res.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

func serverModifiers(t *testing.T, api *appmixer.Client) string {
	t.Helper()
	doc, err := api.Modifiers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

func expectServerModifiers(t *testing.T, api *appmixer.Client, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := serverModifiers(t, api); !jsonEqual[plainJSON](got, want) {
			return fmt.Errorf("server modifiers = %.300s..., want %.300s...", got, want)
		}
		return nil
	}
}

func modifiersConfig(srv *localserver.Running, doc string) string {
	return providerBlock(srv, "") + fmt.Sprintf("resource \"appmixer_modifiers\" \"tenant\" {\n  document = %q\n}\n", doc)
}

func TestAccModifiers_lifecycleImportDriftAndRestore(t *testing.T) {
	requireLocal(t, "replacing the modifiers document, which on a tenant would change every flow's modifiers")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	builtIn := serverModifiers(t, api)
	const addr = "appmixer_modifiers.tenant"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// Destroy puts back the built-in document, never "delete all".
		CheckDestroy: expectServerModifiers(t, api, builtIn),
		Steps: []resource.TestStep{
			// The server answers the document re-encoded (sorted keys, compact): no drift for that.
			{Config: modifiersConfig(srv, customModifiers), Check: expectServerModifiers(t, api, customModifiers)},
			{
				// The imported document is the server's spelling of the same document.
				ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "modifiers",
				ImportStateVerifyIgnore: []string{"document"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || !jsonEqual[plainJSON](states[0].Attributes["document"], customModifiers) {
						return fmt.Errorf("imported document differs: %v", states)
					}
					return nil
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "modifiers", GenerateConfig: true},
			{
				// Drift: the built-in document published by hand (what `appmixer modifiers restore` does).
				PreConfig: func() { mustDo(t, api.SetModifiers(context.Background(), json.RawMessage(builtIn))) },
				Config:    modifiersConfig(srv, customModifiers),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectAttributeChange(addr, "document"),
				}},
				Check: expectServerModifiers(t, api, customModifiers),
			},
			{
				// Deleted by hand (`appmixer modifiers delete`): the document is put back.
				PreConfig: func() { rawAdminRequest(t, srv, http.MethodDelete, "/modifiers", nil) },
				Config:    modifiersConfig(srv, customModifiers),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectServerModifiers(t, api, customModifiers),
			},
		},
	})
}

// TestAccModifiers_largePriorDocument: the document taken over is kept compressed in private state and
// put back exactly by destroy.
func TestAccModifiers_largePriorDocument(t *testing.T) {
	requireLocal(t, "replacing the modifiers document, which on a tenant would change every flow's modifiers")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	var doc struct {
		Categories map[string]any `json:"categories"`
		Modifiers  map[string]any `json:"modifiers"`
	}
	mustDo(t, json.Unmarshal([]byte(serverModifiers(t, api)), &doc))
	for i := range 300 {
		doc.Modifiers[fmt.Sprintf("g_generated_%03d", i)] = map[string]any{
			"label": fmt.Sprintf("Generated %d", i), "type": "modifier", "category": []string{"text"},
			"description": strings.Repeat("A generated modifier. ", 5), "arguments": []any{}, "returns": map[string]string{"type": "string"},
			"helperFn": fmt.Sprintf("function(v) { return String(v) + '%d'; }", i),
		}
	}
	large, _ := json.Marshal(doc)
	if len(large) < 64<<10 {
		t.Fatalf("the prior document has only %d bytes", len(large))
	}
	mustDo(t, api.SetModifiers(context.Background(), large))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             expectServerModifiers(t, api, string(large)),
		Steps:                    []resource.TestStep{{Config: modifiersConfig(srv, customModifiers)}},
	})
}

// TestAccModifiers_emptyPriorIsNotDeleteAll: after someone deleted all modifiers, destroy leaves the
// configured document rather than delete everything again.
func TestAccModifiers_emptyPriorIsNotDeleteAll(t *testing.T) {
	requireLocal(t, "replacing the modifiers document, which on a tenant would change every flow's modifiers")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	rawAdminRequest(t, srv, http.MethodDelete, "/modifiers", nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             expectServerModifiers(t, api, customModifiers),
		Steps: []resource.TestStep{
			{
				Config:      modifiersConfig(srv, `{"modifiers": {}}`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid modifiers document.*must have "categories", an object`),
			},
			{
				Config:      modifiersConfig(srv, `[]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)document must be a JSON object, got an array`),
			},
			{Config: modifiersConfig(srv, customModifiers)},
		},
	})
}
