// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// checkingExample is what docs/guides/checking-a-promotion.md shows.
const checkingExample = "../../examples/checking-a-promotion"

// TestCheckingAPromotionGuide runs the guide's configuration: the apply that promotes two healthy
// flows warns about nothing; once one of them logs errors and keeps messages, a plan warns about that
// flow, by name and with the component's error, and says nothing about the healthy one.
func TestCheckingAPromotionGuide(t *testing.T) {
	requireTF(t)
	t.Parallel()
	tmpl, err := os.ReadFile("../../templates/guides/checking-a-promotion.md.tmpl")
	must(t, err)
	if !bytes.Contains(tmpl, []byte(`"examples/checking-a-promotion/main.tf"`)) {
		t.Fatal("the guide no longer includes examples/checking-a-promotion/main.tf")
	}
	srv := startLocalServer(t, localserver.Options{})
	dir := t.TempDir()
	main, err := os.ReadFile(filepath.Join(checkingExample, "main.tf"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "main.tf"), main, 0o600))
	env := []string{"APPMIXER_BASE_URL=" + srv.URL, "APPMIXER_USERNAME=" + srv.AdminUsername(),
		"APPMIXER_PASSWORD=" + srv.AdminPassword(), "NO_COLOR=1"}
	warned := regexp.MustCompile(`Warning: Check block assertion failed`)

	apply := mustTerraform(t, dir, env, 0, "apply", "-auto-approve", "-no-color")
	if warned.MatchString(apply.stdout + apply.stderr) {
		t.Fatalf("the promotion of healthy flows warns:\n%s%s", apply.stdout, apply.stderr)
	}
	ids := map[string]string{}
	for _, f := range stateFlows(t, filepath.Join(dir, "terraform.tfstate")) {
		ids[strings.TrimPrefix(f["name"].(string), "Promoted ")] = f["id"].(string)
	}
	if len(ids) != 2 {
		t.Fatalf("the state holds flows %v, want orders and billing", ids)
	}

	// The orders flow fails on its SendEmail component: an error entry and a kept message.
	must(t, srv.AddLogEntry(localserver.LogEntry{FlowID: ids["orders"], ComponentID: "7c1d2e3f-0000-4000-8000-000000000002",
		Severity: "error", Message: "send failed", Err: "SMTP 550 mailbox unavailable"}))
	_, err = srv.AddUnprocessedMessage(localserver.UnprocessedMessage{FlowID: ids["orders"], ComponentID: "7c1d2e3f-0000-4000-8000-000000000002"})
	must(t, err)

	plan := mustTerraform(t, dir, env, 0, "plan", "-no-color")
	out := plan.stdout + plan.stderr
	for _, want := range []string{
		`check "orders_runs_cleanly"`, "Flow orders logged 1 errors in the last hour",
		"SMTP 550 mailbox unavailable", `check "no_messages_pile_up"`, "1 in flow orders",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan after orders failed lacks %q:\n%s", want, out)
		}
	}
	if n := len(warned.FindAllString(out, -1)); n != 2 {
		t.Errorf("the plan shows %d check warnings, want 2 (orders' logs, the waiting message):\n%s", n, out)
	}
	if strings.Contains(out, "billing_runs_cleanly") || strings.Contains(out, "in flow billing") {
		t.Errorf("the plan warns about the healthy billing flow:\n%s", out)
	}
}

// stateFlows returns the attributes of every appmixer_flow instance in a state file.
func stateFlows(t *testing.T, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	data, err := os.ReadFile(path)
	must(t, err)
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	must(t, json.Unmarshal(data, &state))
	for _, r := range state.Resources {
		if r.Type == "appmixer_flow" {
			for _, i := range r.Instances {
				out = append(out, i.Attributes)
			}
		}
	}
	return out
}
