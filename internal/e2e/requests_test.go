// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestNoChangePlanRequests holds the built provider to its request budget with real terraform: one
// login per provider process that configures, and a no-change plan of 30 flows answered by the batched
// refresh (1 login + 2 single reads + 1 count + 1 page) instead of 30 reads.
func TestNoChangePlanRequests(t *testing.T) {
	requireTF(t)
	srv := startLocalServer(t, localserver.Options{})
	dir := t.TempDir()
	const n = 30
	writeFlowsConfig(t, dir, srv, n)
	statsFile := filepath.Join(dir, "provider-stats.jsonl")
	// The release build writes no statistics, even when asked.
	mustTerraform(t, dir, []string{"APPMIXER_PROVIDER_STATS_FILE=" + statsFile}, 0, "validate", "-no-color")
	if _, err := os.Stat(statsFile); !os.IsNotExist(err) {
		t.Fatalf("the release build wrote %s (%v); only bench-tagged builds may", statsFile, err)
	}
	// The last TF_CLI_CONFIG_FILE wins: the bench-tagged build counts its configured clients.
	env := []string{"APPMIXER_PROVIDER_STATS_FILE=" + statsFile, "TF_CLI_CONFIG_FILE=" + benchCLIConfig}

	mustTerraform(t, dir, env, 0, "apply", "-auto-approve", "-no-color")
	srv.ResetStats()
	removeStats(t, statsFile)
	mustTerraform(t, dir, env, 0, "plan", "-detailed-exitcode", "-no-color")
	st := srv.Stats()
	if st.Total > 5 || st.Requests["POST /user/auth"] != 1 || st.Requests["GET /flows/{id}"] > 2 {
		t.Errorf("no-change plan of %d flows made %d requests, want at most 5 with one login: %v", n, st.Total, st.Requests)
	}
	if configured := configuredProcesses(t, statsFile); configured != st.Requests["POST /user/auth"] {
		t.Errorf("%d provider processes configured, %d logins", configured, st.Requests["POST /user/auth"])
	}

	srv.ResetStats()
	removeStats(t, statsFile)
	mustTerraform(t, dir, env, 0, "destroy", "-auto-approve", "-no-color")
	st = srv.Stats()
	if configured := configuredProcesses(t, statsFile); configured != st.Requests["POST /user/auth"] || st.Requests["DELETE /flows/{id}"] != n {
		t.Errorf("destroy: %d configured processes, requests %v", configured, st.Requests)
	}
}

// TestNoChangePlanRequestsBigTenant is the other side of the batching rule: a few managed flows on a
// tenant of 1100 others. The tenant's size, recorded with each flow at apply, spares the plan even the
// count: one login and one read per flow, and none of the other flows downloaded.
func TestNoChangePlanRequestsBigTenant(t *testing.T) {
	requireTF(t)
	t.Parallel()
	tn := startTenant(t)
	ctx := context.Background()
	for i := range 1100 {
		_, err := tn.api.CreateFlow(ctx, appmixer.FlowInput{Name: fmt.Sprintf("other-%d", i),
			Definition: json.RawMessage(`{"s":{"type":"appmixer.utils.controls.OnStart"}}`)})
		must(t, err)
	}
	dir := t.TempDir()
	const n = 5
	writeFlowsConfig(t, dir, tn.srv, n)
	mustTerraform(t, dir, nil, 0, "apply", "-auto-approve", "-no-color")
	tn.srv.ResetStats()
	mustTerraform(t, dir, nil, 0, "plan", "-detailed-exitcode", "-no-color")
	if st := tn.srv.Stats(); st.Total != n+1 || st.Requests["POST /user/auth"] != 1 || st.Requests["GET /flows/{id}"] != n {
		t.Errorf("no-change plan of %d flows on a tenant of %d made %d requests, want %d (a login and a read per flow): %v",
			n, 1100+n, st.Total, n+1, st.Requests)
	}
}

func writeFlowsConfig(t *testing.T, dir string, srv *localserver.Running, n int) {
	t.Helper()
	config := fmt.Sprintf(`terraform {
  required_providers {
    appmixer = { source = "appmixer/appmixer" }
  }
}
provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
}
resource "appmixer_flow" "f" {
  count      = %d
  name       = "requests-${count.index}"
  definition = jsonencode({ start = { type = "appmixer.utils.controls.OnStart" } })
}
`, srv.URL, srv.AdminUsername(), srv.AdminPassword(), n)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// configuredProcesses adds up what the provider processes wrote to the stats file at exit.
func configuredProcesses(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the provider wrote no stats: %v", err)
	}
	defer func() { _ = f.Close() }()
	total := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		var line struct {
			Configured int `json:"configured"`
		}
		if err := json.Unmarshal(s.Bytes(), &line); err != nil {
			t.Fatalf("stats line %q: %v", s.Text(), err)
		}
		if line.Configured > 1 {
			t.Errorf("a provider process configured %d times", line.Configured)
		}
		total += line.Configured
	}
	return total
}

// removeStats clears the provider's stats file before a command; a file not written yet is fine.
func removeStats(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}
