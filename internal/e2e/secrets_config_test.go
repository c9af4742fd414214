// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// A config secret (appmixer_config's value_wo) stays out of the state, plan output, trace logs and the
// local server's log through create, rotation, a hand change on the server and its repair.
func TestConfigSecretsStayOutOfLogsStateAndOutput(t *testing.T) {
	requireTF(t)
	t.Parallel()
	const (
		jwt1 = "jwt-Cfg-3a9d70b1e4"
		jwt2 = "jwt-Cfg-8c2e14f5a6"
		hand = "jwt-Cfg-hand-5b7c"
	)
	var slog serverLog
	srv := startLocalServer(t, localserver.Options{AdminPassword: adminSecret, Logf: slog.logf})
	config := func(secret string, version int) string {
		return fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
}

resource "appmixer_config" "jwt" {
  key              = "JWTSecret"
  value_wo         = jsonencode(%q)
  value_wo_version = %d
}

resource "appmixer_config" "scope" {
  key   = "API_USER_CREATE_SCOPE"
  value = jsonencode("admin")
}
`, srv.URL, srv.AdminUsername(), adminSecret, secret, version)
	}
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: adminSecret})
	if err != nil {
		t.Fatal(err)
	}
	serverValue := func() string {
		list, err := api.ListConfig(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			if e.Key == "JWTSecret" {
				var s string
				_ = json.Unmarshal(e.Value, &s)
				return s
			}
		}
		return ""
	}

	w := newWorkspace(t, config(jwt1, 1))
	w.run(t, "apply", "apply", "-auto-approve", "-no-color")
	w.write(t, config(jwt2, 2))
	w.run(t, "rotate", "apply", "-auto-approve", "-no-color")
	if got := serverValue(); got != jwt2 {
		t.Fatalf("the server holds %q after the rotation", got)
	}
	// Changed by hand: the plan must say so without showing either value.
	if _, err := api.SetConfig(context.Background(), "JWTSecret", json.RawMessage(`"`+hand+`"`)); err != nil {
		t.Fatal(err)
	}
	plan := w.run(t, "drift", "plan", "-no-color")
	if !strings.Contains(plan.stdout+plan.stderr, "Config value changed outside Terraform") || !strings.Contains(plan.stdout, "value_wo_version") {
		t.Fatalf("the plan does not show the hand change:\n%s\n%s", plan.stdout, plan.stderr)
	}
	w.run(t, "repair", "apply", "-auto-approve", "-no-color")
	if got := serverValue(); got != jwt2 {
		t.Fatalf("the server holds %q after the repair", got)
	}
	w.run(t, "show", "show", "-json")

	assertNoSecrets(t, w, []string{adminSecret, jwt1, jwt2, hand},
		[]string{"Sending Appmixer API request", "JWTSecret", "<redacted>", "value_wo_version"})
	logged := slog.String()
	if !strings.Contains(logged, "POST /config -> 200") {
		t.Fatalf("the server log lacks the requests, so the check proves nothing:\n%s", logged)
	}
	for _, s := range []string{adminSecret, jwt1, jwt2, hand} {
		if strings.Contains(logged, s) {
			t.Errorf("secret %q found in the local server's log", s)
		}
	}
}
