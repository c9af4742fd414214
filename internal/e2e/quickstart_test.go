// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestQuickstartExample applies the README demo's configuration as make demo does, so the demo
// cannot rot unnoticed.
func TestQuickstartExample(t *testing.T) {
	requireTF(t)
	t.Parallel()
	tn := startTenant(t)
	work := t.TempDir()
	testfixture.CopyDir(t, "../../examples/quickstart", work)
	env := []string{"APPMIXER_BASE_URL=" + tn.srv.URL, "APPMIXER_USERNAME=" + tn.srv.AdminUsername(), "APPMIXER_PASSWORD=" + tn.srv.AdminPassword()}

	res := mustTerraform(t, work, env, 0, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(res.stdout, `slack_account_id = "`+tn.accounts["appmixer:slack"]+`"`) {
		t.Errorf("the demo does not print the looked-up account:\n%s", res.stdout)
	}
	f := tn.flowByName(t, "Hello from Terraform")
	if !f.Running() {
		t.Errorf("the demo flow is %s, want running", f.Stage)
	}
	checkBindings(t, tn, f)
	mustTerraform(t, work, env, 0, "plan", "-detailed-exitcode")
	mustTerraform(t, work, env, 0, "destroy", "-auto-approve")
	if _, err := tn.api.GetFlow(context.Background(), f.ID); err == nil {
		t.Error("the demo flow is still there after destroy")
	}
}
