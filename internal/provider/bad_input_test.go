// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// badInput is one invalid configuration and what its diagnostic must say: the attribute and what is
// wrong with it.
type badInput struct {
	name   string
	config string
	want   []string // phrases that must appear in this order, however terraform wraps them
	// atApply marks what only the server can reject. The others run as PlanOnly steps, which fail the
	// test if the configuration gets as far as a plan with changes, so they prove plan-time errors.
	atApply bool
}

// crashPattern matches what terraform prints when a provider panics or Terraform itself crashes.
var crashPattern = regexp.MustCompile(`(?i)panic|crash|goroutine \d+|did not respond|failed to respond|stack trace`)

// runBadInputs runs every case as a step of one test case, so the server and terraform's working directory
// are shared. terraform-plugin-testing consults ErrorCheck only for steps without ExpectError, which lets
// it check both that the error says the right thing and that it is no crash; a case that does not fail
// at all is caught after the run.
func runBadInputs(t *testing.T, cases []badInput) {
	t.Helper()
	var (
		mu      sync.Mutex
		current int
		failed  = make([]bool, len(cases))
	)
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{
			PreConfig: func() {
				mu.Lock()
				defer mu.Unlock()
				current = i
			},
			Config:   c.config,
			PlanOnly: !c.atApply,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		ErrorCheck: func(err error) error {
			mu.Lock()
			defer mu.Unlock()
			c, msg := cases[current], err.Error()
			if crashPattern.MatchString(msg) {
				return fmt.Errorf("case %q crashed:\n%s", c.name, msg)
			}
			if want := phrasesPattern(c.want); !want.MatchString(msg) {
				return fmt.Errorf("case %q: want an error matching %s, got:\n%s", c.name, want, msg)
			}
			failed[current] = true
			return nil
		},
		Steps: steps,
	})
	for i, c := range cases {
		if !failed[i] {
			t.Errorf("case %q was accepted", c.name)
		}
	}
}

// phrasesPattern matches the phrases in order, each as wrappedText does.
func phrasesPattern(phrases []string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = wrappedText(p).String()
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

const badInputApps = `
data "appmixer_apps" "all" {}
`

func TestAccBadInput_provider(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	block := func(lines string) string {
		return "provider \"appmixer\" {\n" + lines + "\n}\n" + badInputApps
	}
	creds := fmt.Sprintf("username = %q\npassword = %q\n", srv.AdminUsername(), srv.AdminPassword())
	at := fmt.Sprintf("base_url = %q\n", srv.URL)
	runBadInputs(t, []badInput{
		{name: "malformed base_url", config: block(`base_url = "not a url"` + "\n" + creds),
			want: []string{"Invalid URL", "base_url must be an absolute http(s) URL", `got "not a url"`}},
		{name: "base_url of another scheme", config: block(`base_url = "ftp://api.example.com"` + "\n" + creds),
			want: []string{"Invalid URL", "base_url must be an absolute http(s) URL"}},
		{name: "base_url with a query", config: block(`base_url = "https://api.example.com/?x=1"` + "\n" + creds),
			want: []string{"base_url must not have a query or fragment"}},
		{name: "tenant not an id", config: block(`tenant = "Acme_Corp"` + "\n" + creds),
			want: []string{"tenant", "must be a tenant id made of lowercase letters, digits and hyphens"}},
		{name: "base_url and tenant", config: block(at + `tenant = "acme"` + "\n" + creds),
			want: []string{"Invalid Attribute Combination", "tenant"}},
		{name: "no address", config: block(creds),
			want: []string{"Missing Appmixer address", "Set base_url"}},
		{name: "unknown api_dialect", config: block(at + creds + `api_dialect = "v5"`),
			want: []string{"api_dialect", "value must be one of"}},
		{name: "max_retries out of range", config: block(at + creds + `max_retries = 99`),
			want: []string{"max_retries value must be between 0 and 20, got: 99"}},
		{name: "request_timeout not a duration", config: block(at + creds + `request_timeout = "soon"`),
			want: []string{"Invalid duration", `request_timeout must be a positive Go duration such as "30s" or "2m", got "soon"`}},
		{name: "negative request_timeout", config: block(at + creds + `request_timeout = "-5s"`),
			want: []string{"request_timeout must be a positive Go duration", `got "-5s"`}},
		{name: "token and password", config: block(at + creds + `token = "t"`),
			want: []string{"Conflicting Appmixer credentials", "Set either token", "or username and password"}},
		{name: "username without password", config: block(at + fmt.Sprintf("username = %q", srv.AdminUsername())),
			want: []string{"Missing password", "is set but password"}},
		{name: "password without username", config: block(at + `password = "x"`),
			want: []string{"Missing username", "password is set but username"}},
		{name: "wrong password", config: block(at + fmt.Sprintf("username = %q\npassword = \"wrong-password\"", srv.AdminUsername())),
			want: []string{"Appmixer rejected the credentials", "the username or password is wrong", "403 Forbidden: Invalid username or password."}},
		{name: "misspelt argument", config: block(at + creds + `passwd = "x"`),
			want: []string{`An argument named "passwd" is not expected here`}},
	})
}

func TestAccBadInput_resources(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	dir := t.TempDir()
	notZip := filepath.Join(dir, "not-a.zip")
	if err := os.WriteFile(notZip, []byte("plain text"), 0o600); err != nil {
		t.Fatal(err)
	}
	user := func(body string) string {
		return providerBlock(srv, "") + "resource \"appmixer_user\" \"bad\" {\n" + body + "\n}\n"
	}
	component := func(body string) string {
		return providerBlock(srv, "") + "resource \"appmixer_component\" \"bad\" {\n" + body + "\n}\n"
	}
	runBadInputs(t, []badInput{
		{name: "empty username", config: user(`username = ""` + "\n" + `password = "password-1"`),
			want: []string{"username string length must be at least 1"}},
		{name: "password and password_wo", config: user(`username = "u1"
password = "password-1"
password_wo = "password-2"
password_wo_version = 1`),
			want: []string{"Conflicting attributes", "Set password or password_wo, not both"}},
		{name: "password_wo without its version", config: user(`username = "u1"` + "\n" + `password_wo = "password-2"`),
			want: []string{"Missing password_wo_version", "password_wo needs password_wo_version"}},
		{name: "password_wo_version without password_wo", config: user(`username = "u1"
password = "password-1"
password_wo_version = 1`),
			want: []string{"Missing password_wo", "password_wo_version is set without password_wo"}},
		{name: "no password", config: user(`username = "u1"`),
			want: []string{"Missing password", "A new Appmixer user needs a password: set password_wo"}},
		{name: "scope with a bad name", config: user(`username = "u1"
password = "password-1"
scope = ["user", "admin!"]`),
			want: []string{"scope", "must be a scope name such as user or admin"}},
		{name: "empty scope", config: user(`username = "u1"
password = "password-1"
scope = []`),
			want: []string{"scope set must contain at least 1 elements"}},
		{name: "vendor with a hyphen", config: user(`username = "u1"
password = "password-1"
vendor = "acme-corp"`),
			want: []string{"vendor", "must be a vendor name such as acme"}},
		{name: "delete timeout not a duration", config: user(`username = "u1"
password = "password-1"
timeouts {
  delete = "soon"
}`),
			want: []string{"Invalid Attribute Value Time Duration", "delete", `"soon" must be a string containing a sequence of decimal numbers`}},
		{name: "password too short for the server", atApply: true, config: user(`username = "u1"` + "\n" + `password = "1234"`),
			want: []string{`Cannot create Appmixer user "u1"`, `"password" length must be at least 5 characters long`}},
		{name: "username taken", atApply: true, config: user(fmt.Sprintf("username = %q\npassword = \"password-1\"", srv.AdminUsername())),
			want: []string{"Cannot create Appmixer user", "Username already exists."}},

		{name: "component selector with spaces", config: component(`name = "Acme Weather"` + "\n" + `source_zip = "x.zip"`),
			want: []string{"name", "must be vendor.service, vendor.service.module or vendor.service.module.Component"}},
		{name: "missing source_dir", config: component(fmt.Sprintf("name = \"acme.weather\"\nsource_dir = %q", filepath.Join(dir, "nowhere"))),
			want: []string{"Cannot read the connector package", "nowhere: no such file or directory"}},
		{name: "missing zip", config: component(fmt.Sprintf("name = \"acme.weather\"\nsource_zip = %q", filepath.Join(dir, "missing.zip"))),
			want: []string{"Cannot read the connector package", "missing.zip: no such file or directory"}},
		{name: "zip that is not a zip", config: component(fmt.Sprintf("name = \"acme.weather\"\nsource_zip = %q", notZip)),
			want: []string{"Invalid connector package", "not-a.zip", "not a zip archive"}},
		{name: "both sources", config: component(fmt.Sprintf("name = \"acme.weather\"\nsource_dir = %q\nsource_zip = %q", dir, notZip)),
			want: []string{"Invalid Attribute Combination", "These attributes cannot be configured together: [source_dir,source_zip]"}},
		{name: "no source", config: component(`name = "acme.weather"`),
			want: []string{"Missing connector source", "replacing source_dir = null with", `source_dir = "${path.module}/connectors/acme/weather"`}},
	})
}

func TestAccBadInput_dataSources(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	mustAddAccount(t, srv, localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com"})
	data := func(kind, body string) string {
		return providerBlock(srv, "") + "data \"" + kind + "\" \"bad\" {\n" + body + "\n}\n"
	}
	runBadInputs(t, []badInput{
		{name: "apps: setting a computed list", config: data("appmixer_apps", `apps = []`),
			want: []string{"Invalid Configuration for Read-Only Attribute", "apps"}},
		{name: "apps: misspelt argument", config: data("appmixer_apps", `categories = "utilities"`),
			want: []string{`An argument named "categories" is not expected here`}},
		{name: "accounts: service without vendor", config: data("appmixer_accounts", `service = "slack"`),
			want: []string{"Invalid service", `service must be vendor:service, e.g. "appmixer:slack"; got "slack"`}},
		{name: "account: no service", config: data("appmixer_account", `name = "ops@example.com"`),
			want: []string{`The argument "service" is required`}},
		{name: "account: name and display_name", config: data("appmixer_account", `service = "appmixer:slack"
name = "ops@example.com"
display_name = "Ops"`),
			want: []string{"Invalid Attribute Combination", "Exactly one of these attributes must be configured: [name,display_name]"}},
		{name: "account: no match", config: data("appmixer_account", `service = "appmixer:slack"
name = "nobody@example.com"`),
			want: []string{"No matching Appmixer account", `"nobody@example.com" and found 0`, `name "ops@example.com"`}},
	})
}

func TestAccBadInput_flows(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	flow := func(body string) string {
		return providerBlock(srv, "") + "resource \"appmixer_flow\" \"bad\" {\n" + body + "\n}\n"
	}
	data := func(kind, body string) string {
		return providerBlock(srv, "") + "data \"" + kind + "\" \"bad\" {\n" + body + "\n}\n"
	}
	const start = `{"start": {"type": "appmixer.utils.controls.OnStart"}}`
	runBadInputs(t, []badInput{
		{name: "flow: definition not JSON", config: flow(`name = "f"` + "\n" + `definition = "{\"start\": "`),
			want: []string{"Invalid flow definition", "not valid JSON"}},
		{name: "flow: definition an array", config: flow(`name = "f"` + "\n" + `definition = "[1]"`),
			want: []string{"Invalid flow definition", "must be a JSON object of components", "got an array"}},
		{name: "flow: malformed component type", config: flow(`name = "f"` + "\n" + `definition = jsonencode({ a = { type = "slack" } })`),
			want: []string{"Invalid flow definition", `Component "a" has type "slack"`, "vendor.service.module.Component"}},
		{name: "flow: empty name", config: flow(`name = ""` + "\n" + fmt.Sprintf("definition = %q", start)),
			want: []string{"name string length must be at least 1"}},
		{name: "flow: unknown stage", config: flow(`name = "f"` + "\n" + fmt.Sprintf("definition = %q", start) + "\n" + `stage = "paused"`),
			want: []string{"stage value must be one of", `"paused"`}},
		{name: "flow: account for a component not in the flow", config: flow(`name = "f"` + "\n" + fmt.Sprintf("definition = %q", start) + "\n" + `accounts = { ghost = "acc-1" }`),
			want: []string{"Unknown component in accounts", `accounts binds component "ghost"`, "start"}},
		{name: "flow: component type not installed", atApply: true,
			config: flow(`name = "f"` + "\n" + `definition = jsonencode({ a = { type = "acme.nothing.here.Widget" } })`),
			want:   []string{"Component type not installed in the tenant", "acme.nothing.here.Widget"}},
		{name: "flow data source: neither id nor name", config: data("appmixer_flow", ``),
			want: []string{"Missing Attribute Configuration", "Exactly one of these attributes must be configured: [id,name]"}},
		{name: "flow data source: id and name", config: data("appmixer_flow", `id = "x"`+"\n"+`name = "y"`),
			want: []string{"Invalid Attribute Combination", "[id,name]"}},
		{name: "flow data source: unknown id", config: data("appmixer_flow", `id = "no-such-flow"`),
			want: []string{"No such Appmixer flow", `No flow with id "no-such-flow"`}},
		{name: "flow data source: unknown name", config: data("appmixer_flow", `name = "no such flow"`),
			want: []string{"No matching Appmixer flow", `No flow is named exactly "no such flow"`}},
		{name: "flows data source: unknown stage", config: data("appmixer_flows", `stage = "paused"`),
			want: []string{"stage value must be one of", `"paused"`}},
	})
}
