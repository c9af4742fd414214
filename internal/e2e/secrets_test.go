// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// Secrets distinctive enough that finding one anywhere can only be a leak.
const (
	adminSecret = "adm-Pw-7f3c91e2d8"
	userSecret1 = "usr-Pw-1b5e0a4c77"
	userSecret2 = "usr-Pw-2c6f1b5d88"
)

// workspace is one terraform working directory and everything terraform wrote or printed there.
type workspace struct {
	dir    string
	output []string // stdout and stderr of each run
}

func newWorkspace(t *testing.T, config string) *workspace {
	t.Helper()
	w := &workspace{dir: t.TempDir()}
	w.write(t, config)
	return w
}

func (w *workspace) write(t *testing.T, config string) {
	t.Helper()
	const header = "terraform {\n  required_providers {\n    appmixer = { source = \"appmixer/appmixer\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(header+config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs terraform with a trace log of its own (log-<name>.txt) and keeps the output.
func (w *workspace) run(t *testing.T, name string, args ...string) tfResult {
	t.Helper()
	env := []string{"TF_LOG=trace", "TF_LOG_PATH=" + filepath.Join(w.dir, "log-"+name+".txt")}
	res := mustTerraform(t, w.dir, env, 0, args...)
	w.output = append(w.output, res.stdout, res.stderr)
	return res
}

// evidence is every place a secret could end up: trace logs, state files (with backups) and output.
func (w *workspace) evidence(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, err := filepath.Glob(filepath.Join(w.dir, "log-*.txt"))
	must(t, err)
	states, err := filepath.Glob(filepath.Join(w.dir, "terraform.tfstate*"))
	must(t, err)
	for _, f := range append(files, states...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	if len(files) == 0 || len(states) == 0 {
		t.Fatalf("found %d trace logs and %d state files in %s", len(files), len(states), w.dir)
	}
	for i, o := range w.output {
		out[fmt.Sprintf("output-%d", i)] = []byte(o)
	}
	return out
}

// assertNoSecrets fails for each secret found; live lists strings that must be found in the trace logs,
// which proves the logs hold the requests and the grep would see a leak.
func assertNoSecrets(t *testing.T, w *workspace, secrets, live []string) {
	t.Helper()
	ev := w.evidence(t)
	var logs []byte
	for name, b := range ev {
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("secret %q found in %s", s, name)
			}
		}
		if strings.HasPrefix(name, "log-") {
			logs = append(logs, b...)
		}
	}
	for _, s := range live {
		if !bytes.Contains(logs, []byte(s)) {
			t.Errorf("the trace logs lack %q: the check would prove nothing", s)
		}
	}
}

func TestSecretsStayOutOfLogsStateAndOutput(t *testing.T) {
	requireTF(t)
	t.Parallel()
	srv := startLocalServer(t, localserver.Options{AdminPassword: adminSecret})

	user := func(secret string, version int) string {
		return fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
}

resource "appmixer_user" "svc" {
  username            = "svc-e2e@example.com"
  password_wo         = %q
  password_wo_version = %d
}
`, srv.URL, srv.AdminUsername(), adminSecret, secret, version)
	}
	w := newWorkspace(t, user(userSecret1, 1))
	w.run(t, "plan", "plan", "-no-color")
	w.run(t, "apply", "apply", "-auto-approve", "-no-color")
	// Rotating sends the second secret through the update path.
	w.write(t, user(userSecret2, 2))
	w.run(t, "rotate", "apply", "-auto-approve", "-no-color")
	w.run(t, "show", "show", "-json")
	if err := login(srv.URL, "svc-e2e@example.com", userSecret2); err != nil {
		t.Fatalf("the rotated password does not work, so it never reached the server: %v", err)
	}
	assertNoSecrets(t, w, []string{adminSecret, userSecret1, userSecret2},
		[]string{"Sending Appmixer API request", `svc-e2e@example.com`, "<redacted>", "password_wo_version"})

	// A token is a secret too, and travels in every request's Authorization header.
	token := adminToken(t, srv.URL, srv.AdminUsername())
	wt := newWorkspace(t, fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  token    = %q
}

data "appmixer_apps" "utils" {
  category = "utilities"
}

resource "appmixer_flow" "probe" {
  name       = "token-probe"
  definition = jsonencode({ start = { type = "appmixer.utils.controls.OnStart" } })
}
`, srv.URL, token))
	wt.run(t, "apply", "apply", "-auto-approve", "-no-color")
	signature := token[strings.LastIndex(token, ".")+1:]
	assertNoSecrets(t, wt, []string{token, signature, adminSecret},
		[]string{"Sending Appmixer API request", "token-probe", "Authorization", "<redacted>"})
}

func login(baseURL, username, password string) error {
	c, err := appmixer.New(appmixer.Config{BaseURL: baseURL, Username: username, Password: password, MaxRetries: -1})
	if err != nil {
		return err
	}
	return c.Login(context.Background())
}

// adminToken logs in outside the client, which does not hand out its token.
func adminToken(t *testing.T, baseURL, username string) string {
	t.Helper()
	body, err := json.Marshal(map[string]string{"username": username, "password": adminSecret})
	must(t, err)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, baseURL+"/user/auth", bytes.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || strings.Count(out.Token, ".") != 2 {
		t.Fatalf("login: status %d, token %q, %v", res.StatusCode, out.Token, err)
	}
	return out.Token
}

// Secrets of the tenant configuration: OAuth client secrets and account tokens.
const (
	clientSecret1 = "oauth-Sec-4e7a20c9b1"
	clientSecret2 = "oauth-Sec-5f8b31dac2"
	accountToken  = "xoxb-Tok-8d2c47e0f3"
	apiKeySecret  = "apikey-Sec-0c9e12f4a6"
)

// serverLog collects a local server's log lines.
type serverLog struct {
	mu    sync.Mutex
	lines bytes.Buffer
}

func (l *serverLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.lines, format+"\n", args...)
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines.String()
}

func TestTenantSecretsStayOutOfLogsStateAndOutput(t *testing.T) {
	requireTF(t)
	t.Parallel()
	var slog serverLog
	srv := startLocalServer(t, localserver.Options{AdminPassword: adminSecret, Logf: slog.logf})

	config := func(secret string, version int) string {
		return fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
}

resource "appmixer_service_config" "slack" {
  service_id               = "appmixer:slack"
  values                   = jsonencode({ clientId = "e2e-client" })
  secret_values_wo         = jsonencode({ clientSecret = %q, signingSecret = %q })
  secret_values_wo_version = %d
}

# Slack and Google connect with OAuth: an account needs its service's client configured first.
resource "appmixer_service_config" "google" {
  service_id = "appmixer:google"
  values     = jsonencode({ clientId = "e2e-google-client" })
}

resource "appmixer_account" "slack" {
  service          = appmixer_service_config.slack.service_id
  name             = "e2e-bot"
  token_wo         = jsonencode({ accessToken = %q, scope = ["chat:write"] })
  token_wo_version = 1
}

resource "appmixer_account" "google" {
  service          = appmixer_service_config.google.service_id
  name             = "e2e-google"
  token_wo         = jsonencode({ customKey = %q })
  token_wo_version = 1
}
`, srv.URL, srv.AdminUsername(), adminSecret, secret, secret+"-sign", version, accountToken, apiKeySecret)
	}
	w := newWorkspace(t, config(clientSecret1, 1))
	w.run(t, "plan", "plan", "-no-color")
	w.run(t, "apply", "apply", "-auto-approve", "-no-color")
	// Rotating sends the second secret through the update path; a change by hand is then seen and undone.
	w.write(t, config(clientSecret2, 2))
	w.run(t, "rotate", "apply", "-auto-approve", "-no-color")
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: adminSecret})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	must(t, api.ReplaceServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{
		"clientId": json.RawMessage(`"e2e-client"`), "clientSecret": json.RawMessage(`"changed-by-hand"`)}}))
	drift := w.run(t, "drift", "plan", "-no-color")
	if !strings.Contains(drift.stdout, "Secret values changed outside Terraform") || !strings.Contains(drift.stdout, "+ secret_values_wo_version = 2") {
		t.Errorf("the plan does not show the secret changed by hand:\n%s", drift.stdout)
	}
	w.run(t, "restore", "apply", "-auto-approve", "-no-color")
	w.run(t, "show", "show", "-json")

	// The secrets did reach the server.
	sc, err := api.GetServiceConfig(ctx, "appmixer:slack")
	if err != nil || string(sc.Values["clientSecret"]) != `"`+clientSecret2+`"` {
		t.Fatalf("the server's service config: %v %v", sc, err)
	}
	accounts, err := api.ListAccounts(ctx, "")
	if err != nil || len(accounts) != 2 {
		t.Fatalf("accounts %v %v", accounts, err)
	}
	tokens := map[string]any{}
	for _, a := range accounts {
		maps.Copy(tokens, srv.AccountToken(a.ID))
	}
	if tokens["accessToken"] != accountToken || tokens["customKey"] != apiKeySecret {
		t.Fatalf("the tokens did not reach the server: %v", tokens)
	}

	secrets := []string{adminSecret, clientSecret1, clientSecret2, clientSecret1 + "-sign", clientSecret2 + "-sign", "changed-by-hand", accountToken, apiKeySecret}
	assertNoSecrets(t, w, secrets, []string{"Sending Appmixer API request", "/service-config", "signingSecret", "customKey", "<redacted>", "secret_values_wo_version"})
	logs := slog.String()
	if !strings.Contains(logs, "PUT /service-config/appmixer:slack -> 200") || !strings.Contains(logs, "POST /accounts") {
		t.Fatalf("the server's log lacks the requests, so the check would prove nothing:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("secret %q found in the server's log", s)
		}
	}
}
