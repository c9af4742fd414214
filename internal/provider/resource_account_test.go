// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

const accountAddr = "appmixer_account.bot"

// botConfig is a Slack account and a running flow bound to it; lifecycle is extra lines for the account.
func botConfig(srv *localserver.Running, displayName string, version int, lifecycle string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
# Slack connects with OAuth: its client must be configured before an account can be connected.
resource "appmixer_service_config" "slack" {
  service_id = "appmixer:slack"
  values     = jsonencode({ clientId = "cid" })
}

resource "appmixer_account" "bot" {
  service          = appmixer_service_config.slack.service_id
  name             = "bot"
  display_name     = %q
  token_wo         = jsonencode({ accessToken = "tok-%d", scope = ["chat:write"] })
  token_wo_version = %d
  %s
}

resource "appmixer_flow" "notify" {
  name  = "notify"
  stage = "running"
  definition = jsonencode({
    start = { type = "appmixer.utils.controls.OnStart" }
    post  = { type = "appmixer.slack.list.SendChannelMessage", source = { in = { start = ["out"] } } }
  })
  accounts = { post = appmixer_account.bot.id }
}
`, displayName, version, version, lifecycle)
}

// configureSlackClient sets the OAuth client of appmixer:slack, as an admin does before anyone connects
// a Slack account (Appmixer answers POST /accounts of an OAuth service with 500 until then). A tenant
// that already has one keeps it.
func configureSlackClient(t *testing.T, srv *localserver.Running) {
	t.Helper()
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	if _, err := api.GetServiceConfig(ctx, "appmixer:slack"); !appmixer.IsNotFound(err) {
		mustDo(t, err)
		return
	}
	mustDo(t, api.ReplaceServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: "appmixer:slack",
		Values: map[string]json.RawMessage{"clientId": json.RawMessage(`"test-client"`)}}))
	t.Cleanup(func() { _ = api.DeleteServiceConfig(context.Background(), "appmixer:slack") })
}

// onlyAccount is the server's one account, read through the API.
func onlyAccount(t *testing.T, api *appmixer.Client) appmixer.Account {
	t.Helper()
	accounts, err := api.ListAccounts(context.Background(), "")
	mustDo(t, err)
	if len(accounts) != 1 {
		t.Fatalf("the server has %d accounts, want 1: %+v", len(accounts), accounts)
	}
	return accounts[0]
}

// flowBoundTo checks that flow "notify" runs with the server's one account bound, which holds token
// tok-<version>; seen collects the account ids, so that a step can require a new one.
func flowBoundTo(t *testing.T, srv *localserver.Running, displayName string, version int, seen map[string]bool, wantNew bool) resource.TestCheckFunc {
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	return func(*terraform.State) error {
		a := onlyAccount(t, api)
		if a.DisplayName != displayName || a.Name != "bot" || a.Service != "appmixer:slack" {
			return fmt.Errorf("server account %+v", a)
		}
		if tok := srv.AccountToken(a.ID); tok["accessToken"] != fmt.Sprintf("tok-%d", version) {
			return fmt.Errorf("the account holds token %v, want tok-%d", tok, version)
		}
		if wantNew && seen[a.ID] {
			return fmt.Errorf("account %s is not new", a.ID)
		}
		seen[a.ID] = true
		f, err := api.GetFlow(context.Background(), flowIDOf(t, api, "notify"))
		if err != nil {
			return err
		}
		auth, err := api.FlowAuth(context.Background(), f.ID)
		if err != nil {
			return err
		}
		if auth["post"].AccountID != a.ID || !f.Running() {
			return fmt.Errorf("flow is %s, bound to %q; want running and bound to %s", f.Stage, auth["post"].AccountID, a.ID)
		}
		return nil
	}
}

func TestAccAccount_lifecycle(t *testing.T) {
	requireLocal(t, "request statistics and an account's stored token")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	seen := map[string]bool{}
	starts := func() int { return srv.Stats().Requests["POST /flows/{id}/coordinator"] }
	var startsBefore int

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			accounts, err := api.ListAccounts(context.Background(), "")
			if err == nil && len(accounts) != 0 {
				err = fmt.Errorf("accounts left after destroy: %v", accounts)
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				Config: botConfig(srv, "Bot", 1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("revoked"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("user_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("token_wo"), knownvalue.Null()),
				},
				Check: flowBoundTo(t, srv, "Bot", 1, seen, true),
			},
			{
				// The display name changes in place.
				Config: botConfig(srv, "Ops bot", 1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("appmixer_flow.notify", plancheck.ResourceActionNoop),
				}},
				Check: flowBoundTo(t, srv, "Ops bot", 1, seen, false),
			},
			{
				// A new token replaces the account; deleting the old one stops the flow, which ends bound to
				// the new account and running again.
				Config: botConfig(srv, "Ops bot", 2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction("appmixer_flow.notify", plancheck.ResourceActionUpdate),
				}},
				Check: flowBoundTo(t, srv, "Ops bot", 2, seen, true),
			},
			{
				// With create_before_destroy the flow is re-bound before the old account goes: never stopped.
				PreConfig: func() { startsBefore = starts() },
				Config:    botConfig(srv, "Ops bot", 3, "lifecycle {\n    create_before_destroy = true\n  }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				Check: resource.ComposeTestCheckFunc(flowBoundTo(t, srv, "Ops bot", 3, seen, true), func(*terraform.State) error {
					if n := starts() - startsBefore; n != 0 {
						return fmt.Errorf("the flow was started %d times: it was stopped", n)
					}
					return nil
				}),
			},
			{ResourceName: accountAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"token_wo_version"}},
			{ResourceName: accountAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: accountAddr, ImportState: true, ImportStateId: "a/b", ExpectError: regexp.MustCompile(`Invalid import ID[\s\S]*got "a/b", expected an account id`)},
			{
				// Renamed by hand: the plan names it back.
				PreConfig: func() { mustDo(t, api.SetAccountDisplayName(context.Background(), onlyAccount(t, api).ID, "by hand")) },
				Config:    botConfig(srv, "Ops bot", 3, "lifecycle {\n    create_before_destroy = true\n  }"),
				PlanOnly:  true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate), expectAttributeChange(accountAddr, "display_name"),
				}},
			},
			{
				// Deleted by hand: the plan connects it again and re-binds the flow.
				PreConfig: func() { mustDo(t, api.DeleteAccount(context.Background(), onlyAccount(t, api).ID)) },
				Config:    botConfig(srv, "Ops bot", 3, "lifecycle {\n    create_before_destroy = true\n  }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("appmixer_flow.notify", plancheck.ResourceActionUpdate),
				}},
				Check: flowBoundTo(t, srv, "Ops bot", 3, seen, true),
			},
		},
	})
}

func TestAccAccount_refused(t *testing.T) {
	requireLocal(t, "the contract dialect")
	srv := startServer(t, localserver.Options{})
	contract := startContractServer(t)
	account := func(lines string) string {
		return "resource \"appmixer_account\" \"x\" {\n" + lines + "\n}\n"
	}
	token := "\ntoken_wo = jsonencode({ apiKey = \"k\" })\ntoken_wo_version = 1"
	runBadInputs(t, []badInput{
		{name: "contract", config: providerBlock(contract, `api_dialect = "contract"`) + account(`service = "acme:weather"`+"\nname = \"w\""+token),
			want: []string{"appmixer_account is not available in the contract API dialect"}},
		{name: "no token", config: providerBlock(srv, "") + account(`service = "acme:weather"`+"\nname = \"w\""),
			want: []string{"Missing token", "A new Appmixer account needs its credentials: set token_wo"}},
		{name: "token not an object", config: providerBlock(srv, "") + account(`service = "acme:weather"`+"\nname = \"w\"\ntoken_wo = jsonencode(\"k\")\ntoken_wo_version = 1"),
			want: []string{"Invalid token_wo", "token_wo must be a JSON object, got a string", "Its value is not shown"}},
		{name: "service", config: providerBlock(srv, "") + account(`service = "weather"`+"\nname = \"w\""+token),
			want: []string{"Invalid service", "service must be vendor:service"}},
		{name: "connector not installed", atApply: true, config: providerBlock(srv, "") + account(`service = "acme:weather"`+"\nname = \"w\""+token),
			want: []string{`Cannot create Appmixer account "w" of acme:weather`, "No installed connector has the auth module of service acme:weather"}},
	})
}

// TestAccAccount_oauthWithoutServiceConfig: Appmixer answers POST /accounts of an OAuth service with an
// opaque 500 until its service configuration holds clientId; the diagnostic quotes the server, names
// the missing appmixer_service_config and says how to order the two.
func TestAccAccount_oauthWithoutServiceConfig(t *testing.T) {
	requireLocal(t, "an OAuth service without a configuration, which on a tenant would mean removing the real one")
	// In step 2 the configuration's POST waits until the account's POST was answered: the order Terraform
	// may pick when nothing orders the two, made certain.
	var mu sync.Mutex
	var accountAnswered chan struct{} // nil: nothing held
	srv := startInterceptedServer(t, localserver.Options{}, interceptor{
		before: func(_ *localserver.Server, r *http.Request) {
			mu.Lock()
			held := accountAnswered
			mu.Unlock()
			if held != nil && r.Method == http.MethodPost && r.URL.Path == "/service-config" {
				select {
				case <-held:
				case <-r.Context().Done():
				}
			}
		},
		after: func(r *http.Request, _ int) {
			mu.Lock()
			defer mu.Unlock()
			if accountAnswered != nil && r.Method == http.MethodPost && r.URL.Path == "/accounts" {
				close(accountAnswered)
				accountAnswered = nil
			}
		},
	})
	holdServiceConfig := func() {
		mu.Lock()
		defer mu.Unlock()
		accountAnswered = make(chan struct{})
	}
	account := func(service string, extra string) string {
		return fmt.Sprintf(`
resource "appmixer_account" "bot" {
  service          = %s
  name             = "bot"
  token_wo         = jsonencode({ accessToken = "tok", scope = ["chat:write"] })
  token_wo_version = 1
  %s
}
`, service, extra)
	}
	serviceConfig := `
resource "appmixer_service_config" "slack" {
  service_id = "appmixer:slack"
  values     = jsonencode({ clientId = "cid" })
}
`
	advice := `500 Internal Server Error: An internal server error occurred[\s\S]*Appmixer answers POST /accounts with 500 when ` +
		`the service connects with OAuth[\s\S]*depends_on = \[appmixer_service_config.x\][\s\S]*service = appmixer_service_config.x.service_id`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// No configuration at all.
				Config:      providerBlock(srv, "") + account(`"appmixer:slack"`, ""),
				ExpectError: regexp.MustCompile(advice + `[\s\S]*`),
			},
			{
				// Both in one configuration, nothing ordering them: the account went first.
				PreConfig:   holdServiceConfig,
				Config:      providerBlock(srv, "") + serviceConfig + account(`"appmixer:slack"`, ""),
				ExpectError: regexp.MustCompile(advice),
			},
			{
				// Ordered by reference, the account is connected.
				Config: providerBlock(srv, "") + serviceConfig + account("appmixer_service_config.slack.service_id", ""),
				Check:  resource.TestCheckResourceAttrSet(accountAddr, "id"),
			},
		},
	})
}
