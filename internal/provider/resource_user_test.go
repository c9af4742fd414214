// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// secretsAbsent fails when a secret appears anywhere in the state: in what `terraform show -json`
// reports (sensitive values included) and in the raw terraform.tfstate files of the run.
type secretsAbsent struct {
	marker  string // a string only this test's state holds, to find its state files
	secrets []string
}

func (c secretsAbsent) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	shown, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !bytes.Contains(shown, []byte(c.marker)) {
		resp.Error = fmt.Errorf("state JSON lacks the marker %q; the check would prove nothing", c.marker)
		return
	}
	files, err := filepath.Glob(filepath.Join(testTempRoot(), "plugintest*", "work*", "terraform.tfstate"))
	if err != nil {
		resp.Error = err
		return
	}
	found := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(raw, []byte(c.marker)) {
			continue
		}
		found++
		for _, s := range c.secrets {
			if bytes.Contains(raw, []byte(s)) {
				resp.Error = fmt.Errorf("the password %q is in the state file %s", s, f)
				return
			}
		}
	}
	if found == 0 {
		resp.Error = fmt.Errorf("no terraform.tfstate holding %q found under %s", c.marker, testTempRoot())
		return
	}
	for _, s := range c.secrets {
		if bytes.Contains(shown, []byte(s)) {
			resp.Error = fmt.Errorf("the password %q is in the state", s)
			return
		}
	}
}

// testTempRoot is where terraform-plugin-testing creates its working directories.
func testTempRoot() string {
	if d := os.Getenv("TF_ACC_TEMP_DIR"); d != "" {
		return d
	}
	return os.TempDir()
}

// checkLogin asserts whether username can log in with password.
func checkLogin(srv *localserver.Running, dialect appmixer.Dialect, username, password string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: username, Password: password, Dialect: dialect, MaxRetries: -1})
		if err != nil {
			return err
		}
		err = c.Login(context.Background())
		switch {
		case want && err != nil:
			return fmt.Errorf("%s cannot log in with %q: %w", username, password, err)
		case !want && err == nil:
			return fmt.Errorf("%s can still log in with the old password %q", username, password)
		}
		return nil
	}
}

// mustCreateUser signs a user up outside Terraform and deletes it when the test ends, so that
// nothing is left on a real tenant either.
func mustCreateUser(t *testing.T, srv *localserver.Running, username, password string) {
	t.Helper()
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	u, err := api.CreateUser(context.Background(), appmixer.NewUser{Username: username, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := deleteUserAndWait(context.Background(), api, u.ID); err != nil {
			t.Errorf("deleting user %s: %v", username, err)
		}
	})
}

// userGone is a CheckDestroy: every appmixer_user of the state is deleted on the server.
func userGone(t *testing.T, srv *localserver.Running) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c := apiClient(t, srv, appmixer.DialectAppmixer)
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "appmixer_user" {
				continue
			}
			_, err := c.GetUser(context.Background(), rs.Primary.ID)
			switch {
			case err == nil:
				return fmt.Errorf("user %s still exists after destroy", rs.Primary.ID)
			case !appmixer.IsNotFound(err):
				return err
			}
		}
		return nil
	}
}

func TestAccUser_writeOnlyPassword(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	const username = "tfacc-wo-user@example.com"
	config := func(password string, version int, extra string) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_user" "test" {
  username            = %q
  password_wo         = %q
  password_wo_version = %d
  %s
}
`, username, password, version, extra)
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	addr := "appmixer_user.test"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				Config: config("first-secret-1", 1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(username)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("scope"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("user")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("plan"), knownvalue.StringExact("free")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("vendor"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					secretsAbsent{marker: username, secrets: []string{"first-secret-1"}},
				},
				Check: checkLogin(srv, appmixer.DialectAppmixer, username, "first-secret-1", true),
			},
			{
				// Rotation: only the version changes in the plan; the user keeps its id.
				Config: config("second-secret-2", 2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(2)),
					secretsAbsent{marker: username, secrets: []string{"first-secret-1", "second-secret-2"}},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLogin(srv, appmixer.DialectAppmixer, username, "second-secret-2", true),
					checkLogin(srv, appmixer.DialectAppmixer, username, "first-secret-1", false),
				),
			},
			{
				Config: config("second-secret-2", 2, `scope = ["user", "developer"]
  vendor = "acme"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("scope"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("user"), knownvalue.StringExact("developer")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("vendor"), knownvalue.StringExact("acme")),
				},
				Check: func(s *terraform.State) error {
					u, err := apiClient(t, srv, appmixer.DialectAppmixer).GetUser(context.Background(), s.RootModule().Resources[addr].Primary.ID)
					if err != nil {
						return err
					}
					if len(u.Scope) != 2 || len(u.Vendor) != 1 || u.Vendor[0] != "acme" {
						return fmt.Errorf("server has scope %v vendor %v", u.Scope, u.Vendor)
					}
					return nil
				},
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password_wo_version"},
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "username:" + username,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password_wo_version"},
			},
			{
				// The configuration Terraform writes for an imported user has no password and must still plan cleanly.
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "username:nobody@example.com",
				ExpectError:   regexp.MustCompile(`Cannot find Appmixer user "nobody@example.com"`),
			},
			{
				// Removing vendor clears it on the server; scope, being optional and computed, stays as it is.
				Config: config("second-secret-2", 2, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("vendor"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("scope"), knownvalue.SetSizeExact(2)),
				},
			},
		},
	})
}

func TestAccUser_passwordAndPermissions(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	mustCreateUser(t, srv, "tfacc-plain@example.com", "plain-pass")
	plainProvider := fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  username = "tfacc-plain@example.com"
  password = "plain-pass"
}
`, srv.URL)
	config := func(username, password, extra string) string {
		return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_user" "bot" {
  username = %q
  password = %q
}
%s`, username, password, extra)
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	addr := "appmixer_user.bot"
	var userID string

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             userGone(t, srv),
		Steps: []resource.TestStep{
			{
				Config: plainProvider + `
resource "appmixer_user" "bot" {
  username = "tfacc-bot@example.com"
  password = "bot-pass-1"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Permission denied: managing Appmixer users needs an admin.*appmixer_user\s+"tfacc-bot@example.com".*"tfacc-plain@example.com"\s+has\s+scope\s+\[user\]`),
			},
			{
				Config: config("tfacc-legacy-bot", "bot-pass-1", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					// Not an address, and none configured: the server keeps no e-mail.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.Null()),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("password")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLogin(srv, appmixer.DialectAppmixer, "tfacc-legacy-bot", "bot-pass-1", true),
					func(s *terraform.State) error { userID = s.RootModule().Resources[addr].Primary.ID; return nil },
				),
			},
			{
				// Appmixer sets a password by e-mail address (POST /user/reset-password): refused at plan time.
				Config:      config("tfacc-legacy-bot", "bot-pass-1b", ""),
				ExpectError: regexp.MustCompile(`(?s)A password change needs an e-mail address.*"tfacc-legacy-bot"\s+has\s+none`),
			},
			{
				// Appmixer 6.x cannot rename (PUT /users ignores username): the plan replaces the user, which
				// gets a new id; the old user is gone, the e-mail follows an address username.
				Config: config("tfacc-bot@example.com", "bot-pass-2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact("tfacc-bot@example.com")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLogin(srv, appmixer.DialectAppmixer, "tfacc-bot@example.com", "bot-pass-2", true),
					checkLogin(srv, appmixer.DialectAppmixer, "tfacc-legacy-bot", "bot-pass-1", false),
					func(s *terraform.State) error {
						newID := s.RootModule().Resources[addr].Primary.ID
						if newID == userID {
							return fmt.Errorf("the renamed user kept id %s: not replaced", userID)
						}
						if _, err := apiClient(t, srv, appmixer.DialectAppmixer).GetUser(context.Background(), userID); !appmixer.IsNotFound(err) {
							return fmt.Errorf("the replaced user %s: %v, want 404", userID, err)
						}
						userID = newID
						return nil
					},
				),
			},
			{
				Config:      config("tfacc-bot@example.com", "bot-pass-2", `resource "appmixer_user" "nopass" { username = "tfacc-nopass@example.com" }`),
				ExpectError: regexp.MustCompile(`(?s)Missing password.*needs a password: set password_wo`),
			},
			{
				Config: config("tfacc-bot@example.com", "bot-pass-2", `resource "appmixer_user" "both" {
  username            = "tfacc-both@example.com"
  password            = "aaaaa"
  password_wo         = "bbbbb"
  password_wo_version = 1
}`),
				ExpectError: regexp.MustCompile(`(?s)Conflicting attributes.*Set password or password_wo, not both`),
			},
			{
				// Deleted by hand (its flows and data with it): the next plan creates it again.
				PreConfig: func() {
					mustDo(t, deleteUserAndWait(context.Background(), apiClient(t, srv, appmixer.DialectAppmixer), userID))
				},
				Config: config("tfacc-bot@example.com", "bot-pass-2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkLogin(srv, appmixer.DialectAppmixer, "tfacc-bot@example.com", "bot-pass-2", true),
			},
		},
	})
}

func TestAccUser_contractDialect(t *testing.T) {
	srv := startContractServer(t)
	provider := providerBlock(srv, `api_dialect = "contract"`)
	config := func(username string, version int, extra string) string {
		return provider + fmt.Sprintf(`
resource "appmixer_user" "test" {
  username            = %q
  password_wo         = "contract-pass-%d"
  password_wo_version = %d
  %s
}
`, username, version, version, extra)
	}
	addr := "appmixer_user.test"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	admin, err := apiClient(t, srv, appmixer.DialectContract).CurrentUser(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// No route reads another user there; a deleted user can no longer log in.
		CheckDestroy: checkLogin(srv, appmixer.DialectContract, "contract-user2@example.com", "contract-pass-2", false),
		Steps: []resource.TestStep{
			{
				Config: config("contract-user@example.com", 1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("scope"), knownvalue.Null()),
				},
				Check: checkLogin(srv, appmixer.DialectContract, "contract-user@example.com", "contract-pass-1", true),
			},
			{
				Config: config("contract-user2@example.com", 2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("username"), knownvalue.StringExact("contract-user2@example.com")),
				},
				Check: checkLogin(srv, appmixer.DialectContract, "contract-user2@example.com", "contract-pass-2", true),
			},
			{
				Config:      config("contract-user2@example.com", 2, `scope = ["user", "developer"]`),
				ExpectError: regexp.MustCompile(`(?s)Not supported by this API.*scope cannot be set with api_dialect = "contract"`),
			},
			{
				Config:        config("contract-user2@example.com", 2, ""),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "username:contract-user2@example.com",
				ExpectError:   regexp.MustCompile(`Import by username is not possible with this API`),
			},
			{
				// The provider's own user is readable through GET /user even there.
				Config: config("contract-user2@example.com", 2, "") + fmt.Sprintf(`
resource "appmixer_user" "admin" {
  username = %q
}
`, srv.AdminUsername()),
				ResourceName:  "appmixer_user.admin",
				ImportState:   true,
				ImportStateId: admin.ID,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["username"] != srv.AdminUsername() {
						return fmt.Errorf("imported %+v", states)
					}
					return nil
				},
			},
			{
				Config:        config("contract-user2@example.com", 2, ""),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "0123456789abcdef01234567",
				ExpectError:   regexp.MustCompile(`Cannot import this Appmixer user with this API`),
			},
		},
	})
}
