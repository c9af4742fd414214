// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestAccFlowsDataSource_pageCap lists every flow of a server that answers at most 7 flows a page,
// below the 100 the provider asks for: a listing that took the first short page for the last would
// show 7 of the 23. Each page asks only for the fields the list shows.
func TestAccFlowsDataSource_pageCap(t *testing.T) {
	var log requestLog
	srv := startServer(t, localserver.Options{MaxPageSize: 7, Logf: log.logf})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	for i := range 23 {
		_, err := api.CreateFlow(context.Background(), appmixer.FlowInput{Name: fmt.Sprintf("capped-%02d", i),
			Definition: json.RawMessage(`{"s": {"type": "appmixer.utils.controls.OnStart"}}`)})
		mustDo(t, err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv, "") + `
data "appmixer_flows" "all" {
  pattern = "capped-"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.appmixer_flows.all", tfjsonpath.New("flows"), knownvalue.ListSizeExact(23)),
				statecheck.ExpectKnownValue("data.appmixer_flows.all", tfjsonpath.New("flows").AtSliceIndex(22).AtMapKey("name"),
					knownvalue.StringExact("capped-22")),
			},
			Check: func(*terraform.State) error {
				pages, err := log.queries("GET", "/flows")
				if err != nil {
					return err
				}
				if len(pages) < 4 {
					return fmt.Errorf("%d pages of GET /flows, want at least 4", len(pages))
				}
				for _, q := range pages {
					if got := q.Get("projection"); got != "flowId,userId,name,type,stage,mtime,customFields" {
						return fmt.Errorf("GET /flows?%s: projection %q, want flowId,userId,name,type,stage,mtime,customFields", q.Encode(), got)
					}
				}
				return nil
			},
		}},
	})
}
