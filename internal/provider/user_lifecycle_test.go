// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A new username replaces the user, and the plan warns that this deletes the user's data; the contract
// renames in place.
func TestPlanUserChanges_renameReplacesWithWarning(t *testing.T) {
	prior := userModel{Username: types.StringValue("old@example.com"), Email: types.StringValue("old@example.com")}
	plan := userModel{Username: types.StringValue("new@example.com"), Email: types.StringValue("new@example.com")}

	var resp resource.ModifyPlanResponse
	planUserChanges(prior, plan, false, false, &resp)
	if len(resp.RequiresReplace) != 1 || !resp.RequiresReplace[0].Equal(path.Root("username")) {
		t.Fatalf("RequiresReplace = %v, want username", resp.RequiresReplace)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity() != diag.SeverityWarning {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics[0]
	for _, phrase := range []string{`user "old@example.com" is deleted and "new@example.com" is created`,
		"deletes all of that user's flows, accounts, data stores and files"} {
		if !strings.Contains(w.Detail(), phrase) {
			t.Errorf("the warning lacks %q: %s", phrase, w.Detail())
		}
	}

	var contract resource.ModifyPlanResponse
	planUserChanges(prior, plan, false, true, &contract)
	if len(contract.RequiresReplace) != 0 || len(contract.Diagnostics) != 0 {
		t.Fatalf("contract: %v %v, want an in-place rename", contract.RequiresReplace, contract.Diagnostics)
	}

	var same resource.ModifyPlanResponse
	planUserChanges(prior, prior, true, false, &same)
	if len(same.RequiresReplace) != 0 || same.Diagnostics.HasError() {
		t.Fatalf("no rename, a password change with an e-mail: %v %v", same.RequiresReplace, same.Diagnostics)
	}
}
