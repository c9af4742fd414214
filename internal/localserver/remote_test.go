// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"testing"
)

// A Remote server hands out the tenant's address and admin, and reports every local-only switch
// instead of acting on it.
func TestRemote(t *testing.T) {
	var asked []string
	r := Remote("https://api.acme.appmixer.cloud", "ci@acme.example", "ci-secret", func(what string) { asked = append(asked, what) })
	if r.URL != "https://api.acme.appmixer.cloud" || r.AdminUsername() != "ci@acme.example" || r.AdminPassword() != "ci-secret" {
		t.Fatalf("remote = %s as %s/%s", r.URL, r.AdminUsername(), r.AdminPassword())
	}
	if _, err := r.AddAccount("x", AccountSeed{Service: "appmixer:slack"}); err == nil {
		t.Error("AddAccount on a remote server succeeded")
	}
	if st := r.Stats(); st.Total != 0 || st.Requests != nil {
		t.Errorf("remote stats = %+v", st)
	}
	r.ResetStats()
	r.SetFaultRate(1)
	r.SetRateLimit(1)
	r.SetLatency(1)
	r.DropResponses("GET /flows", 1)
	r.ExpireTokens()
	r.HoldJobs(true)
	if err := r.UpgradeComponent("a.b.c.D", "1.0.0"); err != nil {
		t.Error(err)
	}
	if tok := r.AccountToken("a1"); tok != nil {
		t.Errorf("token = %v", tok)
	}
	if _, ok := r.PublicFile("logo.png"); ok {
		t.Error("a remote server has a public file")
	}
	if _, err := r.ApplySeed(&TenantSeed{}); err == nil {
		t.Error("ApplySeed on a remote server succeeded")
	}
	if v := r.ContractViolations(); v != nil {
		t.Errorf("violations = %v", v)
	}
	if len(asked) != 14 || !slices.Contains(asked, "request statistics (Stats)") {
		t.Errorf("local-only switches reported: %q", asked)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close of a remote server: %v", err)
	}
}
