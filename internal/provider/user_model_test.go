// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The attributes the contract cannot take are reported in schema order, however the maps of the day
// iterate (repeated, since one iteration may happen to match).
func TestContractUserProblemsOrder(t *testing.T) {
	cfg := userModel{
		Email:  types.StringValue("a@example.com"),
		Scope:  types.SetValueMust(types.StringType, nil),
		Vendor: types.StringValue("acme"),
	}
	for range 20 {
		var got []string
		for _, d := range contractUserProblems(cfg) {
			got = append(got, strings.Fields(d.Detail())[0])
		}
		if strings.Join(got, ",") != "email,scope,vendor" {
			t.Fatalf("problems in order %v, want email, scope, vendor", got)
		}
	}
}
