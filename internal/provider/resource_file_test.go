// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // the oracle of the md5 Appmixer reports
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

func md5Hex(b []byte) string {
	sum := md5.Sum(b) //nolint:gosec // see the import
	return hex.EncodeToString(sum[:])
}

// fileConfig is one appmixer_file from source plus extra lines.
func fileConfig(srv *localserver.Running, source, extra string) string {
	return providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_file" "rates" {
  source = %q
  %s
}
`, source, extra)
}

// fileIDIn reads the file id from the state, for PreConfig steps.
func fileIDIn(st *terraform.State, addr string) string {
	return st.RootModule().Resources[addr].Primary.ID
}

// appendChunkByHand changes a file's content on the server the one way the API allows: a chunk
// appended with uploader-file-id (§1.8).
func appendChunkByHand(t *testing.T, srv *localserver.Running, id string, data []byte) {
	t.Helper()
	token := loginToken(t, srv)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "chunk")
	mustDo(t, err)
	_, _ = fw.Write(data)
	mustDo(t, mw.Close())
	req, err := http.NewRequest("POST", srv.URL+"/files", &buf)
	mustDo(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("uploader-file-id", id)
	resp, err := http.DefaultClient.Do(req)
	mustDo(t, err)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("appending a chunk to file %s: status %d", id, resp.StatusCode)
	}
}

func TestAccFile_lifecycle(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "tfacc-rates.csv")
	v1, v2 := []byte("currency,rate\nEUR,1\n"), []byte("currency,rate\nEUR,1\nUSD,1.08\n")
	mustDo(t, os.WriteFile(src, v1, 0o600))
	const addr = "appmixer_file.rates"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	var firstID string
	serverHas := func(content []byte) resource.TestCheckFunc {
		return func(st *terraform.State) error {
			id := fileIDIn(st, addr)
			f, err := api.GetFile(ctx, id)
			if err != nil {
				return err
			}
			if f.MD5 != md5Hex(content) || f.Length != int64(len(content)) || f.Filename != "tfacc-rates.csv" || f.ContentType != "text/csv" {
				return fmt.Errorf("server file %+v, want tfacc-rates.csv (text/csv) with md5 %s, %d bytes", f, md5Hex(content), len(content))
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(st *terraform.State) error {
			files, err := api.ListFiles(ctx, "tfacc-rates")
			if err == nil && len(files) > 0 {
				err = fmt.Errorf("files left after destroy: %+v", files)
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				// source alone: filename and content type follow from it.
				Config: fileConfig(srv, src, ""),
				Check: resource.ComposeTestCheckFunc(serverHas(v1), func(st *terraform.State) error {
					firstID = fileIDIn(st, addr)
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("md5"), knownvalue.StringExact(md5Hex(v1))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("size"), knownvalue.Int64Exact(int64(len(v1)))),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					newID.AddStateValue(addr, tfjsonpath.New("id")),
				},
			},
			{
				// New content: replaced at plan time, a new id, the old file gone.
				PreConfig: func() { mustDo(t, os.WriteFile(src, v2, 0o600)) },
				Config:    fileConfig(srv, src, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("md5"), knownvalue.StringExact(md5Hex(v2))),
				}},
				Check: resource.ComposeTestCheckFunc(serverHas(v2), func(*terraform.State) error {
					if _, err := api.GetFile(ctx, firstID); !appmixer.IsNotFound(err) {
						return fmt.Errorf("the replaced file %s: %v, want a 404", firstID, err)
					}
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{newID.AddStateValue(addr, tfjsonpath.New("id"))},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"source"}},
			// The generated configuration has no source: it keeps the file as it is and plans no change.
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "not an id", ExpectError: regexp.MustCompile(`Invalid import ID[\s\S]*got "not an id", expected a file id`)},
			{
				// Changed by hand (a chunk appended): the md5 differs, the plan replaces the file.
				PreConfig: func() {
					files, err := api.ListFiles(ctx, "tfacc-rates")
					mustDo(t, err)
					appendChunkByHand(t, srv, files[0].ID, []byte("GBP,0.85\n"))
				},
				Config:             fileConfig(srv, src, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
					expectAttributeChange(addr, "md5"),
				}},
			},
			{Config: fileConfig(srv, src, ""), Check: serverHas(v2)},
			{
				// Deleted by hand: the plan uploads it again.
				PreConfig: func() {
					files, err := api.ListFiles(ctx, "tfacc-rates")
					mustDo(t, err)
					mustDo(t, api.DeleteFile(ctx, files[0].ID))
				},
				Config:             fileConfig(srv, src, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
			{Config: fileConfig(srv, src, ""), Check: serverHas(v2)},
		},
	})
}

// TestAccFile_flowFollowsReplacedFile: a flow that names appmixer_file.x.id gets the new id in the
// same apply that replaces the file.
func TestAccFile_flowFollowsReplacedFile(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	src := filepath.Join(t.TempDir(), "tfacc-template.html")
	mustDo(t, os.WriteFile(src, []byte("<p>v1</p>"), 0o600))
	config := fileConfig(srv, src, "lifecycle {\n    create_before_destroy = true\n  }") + `
resource "appmixer_flow" "mail" {
  name = "tfacc-file-template"
  definition = jsonencode({
    start = { type = "appmixer.utils.controls.OnStart", label = "Start", x = 100, y = 100, source = {}, config = {} }
    mail = {
      type = "appmixer.utils.email.SendEmail", label = "Mail", x = 300, y = 100
      source = { in = { start = ["out"] } }
      config = { properties = { to = "ops@example.com", templateFileId = appmixer_file.rates.id } }
    }
  })
}
`
	flowNamesFile := func(st *terraform.State) error {
		flow, err := api.GetFlow(context.Background(), st.RootModule().Resources["appmixer_flow.mail"].Primary.ID)
		if err != nil {
			return err
		}
		want := fmt.Sprintf(`"templateFileId":%q`, fileIDIn(st, "appmixer_file.rates"))
		if !strings.Contains(strings.Join(strings.Fields(string(flow.Definition)), ""), want) {
			return fmt.Errorf("the flow's definition on the server does not hold %s: %s", want, flow.Definition)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: flowNamesFile},
			{
				PreConfig: func() { mustDo(t, os.WriteFile(src, []byte("<p>v2</p>"), 0o600)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("appmixer_file.rates", plancheck.ResourceActionCreateBeforeDestroy),
					plancheck.ExpectResourceAction("appmixer_flow.mail", plancheck.ResourceActionUpdate),
				}},
				Check: flowNamesFile,
			},
		},
	})
}

func TestAccFile_badInput(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	contract := startContractServer(t)
	src := filepath.Join(t.TempDir(), "a.csv")
	mustDo(t, os.WriteFile(src, []byte("a"), 0o600))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv, "") + "resource \"appmixer_file\" \"x\" {\n  filename = \"a.csv\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Missing source[\s\S]*Creating an appmixer_file uploads it from source`),
			},
			{
				Config:      fileConfig(srv, filepath.Join(t.TempDir(), "missing.csv"), ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Cannot read the file's source[\s\S]*missing.csv`),
			},
			{
				Config:      fileConfig(srv, src, `content_type = "csv"`),
				PlanOnly:    true,
				ExpectError: wrappedText(`Attribute content_type must be a media type such as "text/csv"`),
			},
			{
				Config:      fileConfig(srv, src, `filename = ""`),
				PlanOnly:    true,
				ExpectError: wrappedText(`Attribute filename string length must be at least 1`),
			},
			{
				Config:      strings.Replace(fileConfig(contract, src, ""), providerBlock(contract, ""), providerBlock(contract, `api_dialect = "contract"`), 1),
				PlanOnly:    true,
				ExpectError: wrappedText(`appmixer_file is not available in the contract API dialect`),
			},
		},
	})
}

func TestAccFile_identity(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	src := filepath.Join(t.TempDir(), "tfacc-identity.txt")
	mustDo(t, os.WriteFile(src, []byte("hello"), 0o600))
	// The content stays on the server: the import leaves source null, and the plan records it again.
	testIdentity(t, fileConfig(srv, src, ""),
		identityOf{addr: "appmixer_file.rates", attr: "id", key: flowID, importChanges: []string{"source"}})
}
