// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// builtTenant is a tenant made the way people make one without Terraform: flows drawn in the designer
// and bound to accounts, an integration published in Studio and added by end users in the widget,
// users, a data store, an OAuth client and a connector published with the CLI.
type builtTenant struct {
	*tenant
	objects int // what the adoption guide's query lists: the number of imports the apply must make
}

// buildTenant builds it through the API, as those tools call it.
func buildTenant(t *testing.T) *builtTenant {
	t.Helper()
	ctx := context.Background()
	tn := &builtTenant{tenant: startTenant(t)} // the admin, with a Slack and a weather account
	api := tn.api
	// The admin itself and the two accounts.
	tn.objects = 1 + len(tn.accounts)

	store, err := api.CreateStore(ctx, "Orders seen")
	must(t, err)
	must(t, api.CreateServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{
		"clientId": json.RawMessage(`"slack-client-id"`), "clientSecret": json.RawMessage(`"slack-client-secret"`),
		"sandbox": json.RawMessage(`true`)}}))
	tn.objects += 2

	// acme.weather, published as `appmixer publish` does: the packed zip, then its ticket.
	pkg, _, err := connector.PackDir(filepath.Join(testfixture.Root(), "examples/connectors/acme-weather/acme/weather"), "acme.weather")
	must(t, err)
	ticket, err := api.PublishComponent(ctx, "acme.weather", pkg.Zip)
	must(t, err)
	_, err = api.WaitComponentUpload(ctx, ticket)
	must(t, err)
	tn.objects++

	// Designer flows: a running one bound to Slack that records orders in the store, a stopped one
	// with a custom field.
	orders := fmt.Sprintf(`{
	  "o-start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}},
	  "o-store": {"type": "appmixer.utils.storage.Set", "label": "Remember", "x": 300, "y": 100,
	    "source": {"in": {"o-start": ["out"]}}, "config": {"properties": {"storeId": %q}}},
	  "o-slack": {"type": "appmixer.slack.list.SendChannelMessage", "label": "Tell sales", "x": 500, "y": 100,
	    "source": {"in": {"o-store": ["out"]}},
	    "config": {"transform": {"in": {"o-store": {"out": {"type": "json2new", "lambda": {"channelId": "#sales", "text": "New order"}}}}}}}
	}`, store)
	running, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Orders to Slack", Description: new("Every order, told to sales"),
		Definition: json.RawMessage(orders)})
	must(t, err)
	must(t, api.BindAccount(ctx, "o-slack", tn.accounts["appmixer:slack"]))
	must(t, api.StartFlow(ctx, running))
	_, err = api.CreateFlow(ctx, appmixer.FlowInput{Name: "Nightly report", CustomFields: map[string]any{"team": "ops"},
		Definition: json.RawMessage(`{"r-timer": {"type": "appmixer.utils.timers.Timer", "label": "Nightly", "x": 100, "y": 100, "source": {}},
		  "r-mail": {"type": "appmixer.utils.email.SendEmail", "x": 300, "y": 100, "source": {"in": {"r-timer": ["out"]}},
		    "config": {"properties": {"to": "ops@example.com"}}}}`)})
	must(t, err)
	tn.objects += 2

	// An integration published to every user, in an Automation Hub category and with a sticky note,
	// and two customers who added it in the widget. The category and notes reach the template by a PUT
	// after the clone, as Appmixer's publish script does.
	category, err := api.CreateCategory(ctx, "Onboarding", "First steps")
	must(t, err)
	notes := json.RawMessage(`{"w-note": {"x": 100, "y": 250, "width": 240, "height": 80, "content": "**Welcome** mail"}}`)
	draft, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Welcome e-mail", Type: appmixer.FlowTypeDraft,
		Definition: json.RawMessage(`{"w-start": {"type": "appmixer.utils.controls.OnStart", "x": 100, "y": 100, "source": {}},
		  "w-mail": {"type": "appmixer.utils.email.SendEmail", "x": 300, "y": 100, "source": {"in": {"w-start": ["out"]}}}}`),
		Notes: notes, Categories: []string{category}})
	must(t, err)
	template, err := api.PublishIntegration(ctx, draft, []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})
	must(t, err)
	must(t, api.UpdateFlow(ctx, template, appmixer.FlowInput{Name: "Welcome e-mail", Notes: notes, Categories: []string{category}}, false))
	tn.objects++ // the category
	for _, email := range []string{"ann@shop.example", "bob@shop.example"} {
		_, err := newCustomer(t, tn.tenant, email).CreateIntegrationInstance(ctx, template)
		must(t, err)
	}
	tn.objects += 1 + 2 // the integration and its customers, who are users; their instances are not listed

	// A lookup table that flows read, and a workspace besides Appmixer's own admin group.
	_, err = api.UploadFile(ctx, appmixer.FileUpload{Filename: "rates.csv", ContentType: "text/csv", Content: []byte("EUR,1\n")})
	must(t, err)
	_, err = api.CreateUserGroup(ctx, "Support")
	must(t, err)
	tn.objects += 1 + 2
	return tn
}

// guideTemplate is the adoption guide's source, whose shell commands the test runs.
const guideTemplate = "templates/guides/adopting-a-tenant.md.tmpl"

// TestAdoptionGuide_query runs the commands of docs/guides/adopting-a-tenant.md as written, in a copy of
// examples/adoption, against a tenant built without Terraform: the query writes a configuration that
// imports everything with no change, and the next plan is empty.
func TestAdoptionGuide_query(t *testing.T) {
	requireTF(t)
	needsCLI(t, "1.14.0", "list resources and terraform query")
	t.Parallel()
	run := guideCommands(t)
	tn := buildTenant(t)
	dir := t.TempDir()
	testfixture.CopyDir(t, filepath.Join(testfixture.Root(), "examples/adoption"), dir)
	env := []string{"APPMIXER_BASE_URL=" + tn.srv.URL, "APPMIXER_USERNAME=" + tn.srv.AdminUsername(), "APPMIXER_PASSWORD=" + tn.srv.AdminPassword()}
	// step runs the guide's next command, with the flags that keep it from asking or colouring.
	step := func(want int, command string) string {
		t.Helper()
		if len(run) == 0 || run[0] != command {
			t.Fatalf("the guide's next command is %q, want %q (all: %q)", run, command, guideCommands(t))
		}
		run = run[1:]
		args := append(strings.Fields(command)[1:], "-no-color")
		if args[0] == "apply" {
			args = append(args, "-auto-approve")
		}
		res := mustTerraform(t, dir, env, want, args...)
		return strings.Join(strings.Fields(res.stdout+res.stderr), " ")
	}

	step(0, "terraform init")
	step(0, "terraform query -generate-config-out=tenant.tf")
	if _, err := os.Stat(filepath.Join(dir, "tenant.tf")); err != nil {
		t.Fatalf("the query wrote no configuration: %v", err)
	}
	// Before the connector's source is in place, the plan says where it goes.
	if out := step(1, "terraform plan"); !strings.Contains(out, `Put the source of "acme.weather" there`) ||
		!strings.Contains(out, `source_dir = "connectors/acme/weather"`) {
		t.Errorf("the plan does not say where the connector's source goes:\n%s", out)
	}
	run = append([]string{"terraform plan"}, run...) // the guide's plan runs again once the source is there
	// What appmixer download saves, unzipped into connectors/.
	served, err := tn.api.DownloadComponent(context.Background(), "acme.weather")
	must(t, err)
	unzip(t, served, filepath.Join(dir, "connectors"))

	if out, want := step(0, "terraform plan"), fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", tn.objects); !strings.Contains(out, want) {
		t.Errorf("plan: want %q in:\n%s", want, out)
	}
	// Everything is imported, nothing changes, and the server gets no write.
	tn.srv.ResetStats()
	if out, want := step(0, "terraform apply"), fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", tn.objects); !strings.Contains(out, want) {
		t.Errorf("apply: want %q in:\n%s", want, out)
	}
	for route, n := range tn.srv.Stats().Requests {
		if !strings.HasPrefix(route, "GET ") && route != "POST /user/auth" {
			t.Errorf("the apply of the adopted tenant sent %d× %s", n, route)
		}
	}
	step(0, "terraform plan -detailed-exitcode")
	// The service configuration's secret stays on the server: neither written out nor in state.
	for _, file := range []string{"tenant.tf", "terraform.tfstate"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		must(t, err)
		if strings.Contains(string(data), "slack-client-secret") {
			t.Errorf("%s holds the service configuration's secret", file)
		}
	}
	if len(run) > 0 {
		t.Errorf("the guide has commands the test did not run: %q", run)
	}
}

// guideCommands are the terraform commands of the guide's shell blocks, in order; it also checks that
// the guide shows the example files the test copies.
func guideCommands(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testfixture.Root(), guideTemplate))
	must(t, err)
	guide := string(data)
	for _, include := range []string{`{{ tffile "examples/adoption/main.tf" }}`, `{{ codefile "terraform" "examples/adoption/tenant.tfquery.hcl" }}`} {
		if !strings.Contains(guide, include) {
			t.Errorf("%s no longer shows %s", guideTemplate, include)
		}
	}
	var out []string
	for _, block := range regexp.MustCompile("(?s)```shell\n(.*?)```").FindAllStringSubmatch(guide, -1) {
		for _, line := range strings.Split(block[1], "\n") {
			if strings.HasPrefix(line, "terraform ") {
				out = append(out, strings.TrimSpace(line))
			}
		}
	}
	return out
}

// unzip extracts a zip into dir.
func unzip(t *testing.T, data []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		must(t, err)
		content, err := io.ReadAll(rc)
		must(t, err)
		_ = rc.Close()
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(target, filepath.Clean(dir)+string(filepath.Separator)) {
			t.Fatalf("zip entry %q lies outside %s", f.Name, dir)
		}
		must(t, os.MkdirAll(filepath.Dir(target), 0o750))
		must(t, os.WriteFile(target, content, 0o600))
	}
}

// needsCLI skips a test whose feature the terraform CLI under test lacks: below minimum, or OpenTofu.
// The message names the version, as the acceptance tests' needsTerraform does.
func needsCLI(t *testing.T, minimum, feature string) {
	t.Helper()
	res := terraform(t, t.TempDir(), nil, "version")
	m := regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("cannot read the CLI's version from:\n%s", res.stdout)
	}
	got, err := version.NewVersion(m[2])
	must(t, err)
	switch {
	case m[1] == "OpenTofu":
		t.Skipf("OpenTofu %s does not support %s: skipping", got, feature)
	case got.Core().LessThan(version.Must(version.NewVersion(minimum))):
		t.Skipf("Terraform %s lacks %s, which needs Terraform %s or newer: skipping", got, feature, minimum)
	}
}
