// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func TestParseFlowImportID(t *testing.T) {
	for _, id := range []string{
		"9089f275-0b3d-4e4f-8c1d-2a6f2f8f5f10", // what POST /flows and the provider's creates give
		"test-i-source-flow-id",                // a readable id, as the CLI's transfer PUTs
		"f1", "ünïcode",
	} {
		if got, err := parseFlowImportID(id); err != nil || got != id {
			t.Errorf("parseFlowImportID(%q) = %q, %v; want it accepted as is", id, got, err)
		}
	}
	for id, why := range map[string]string{
		"":            "is empty",
		" ":           "white space",
		"f1 ":         "white space",
		"two words":   "white space",
		"tab\there":   "white space",
		"nul\x00":     "control characters",
		"flows/f1":    "contains a slash",
		"/f1":         "contains a slash",
		"line\nbreak": "white space",
	} {
		_, err := parseFlowImportID(id)
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "expected <flowId>") {
			t.Errorf("parseFlowImportID(%q) = %v, want an error saying it %s and what is expected", id, err, why)
		}
	}
}

// TestAccFlowResource_importBadID: a malformed id fails before any request, and an id of no flow
// fails as Terraform reports a missing object, with the command and with an import block.
func TestAccFlowResource_importBadID(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	config := flowResourceConfig(srv, "", `
  name       = "tfacc-import"
  definition = jsonencode({ start = { type = "appmixer.utils.controls.OnStart" } })`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             checkFlowsGone(apiClient(t, srv, appmixer.DialectAppmixer)),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if accTenant == nil {
						srv.ResetStats()
					}
				},
				Config:        config,
				ResourceName:  "appmixer_flow.test",
				ImportState:   true,
				ImportStateId: "flows/f1",
				ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*"flows/f1" contains a slash; expected <flowId>`),
			},
			{
				PreConfig: func() {
					// The malformed id was refused before any request about it (a tenant keeps no counts).
					if accTenant != nil {
						return
					}
					if n := srv.Stats().Requests["GET /flows/{id}"]; n != 0 {
						t.Fatalf("the malformed import ID was sent to the server (%d reads)", n)
					}
				},
				Config:        config,
				ResourceName:  "appmixer_flow.test",
				ImportState:   true,
				ImportStateId: "no-such-flow",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
			{
				Config:          config,
				ResourceName:    "appmixer_flow.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   "no-such-flow",
				ExpectError:     regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}
