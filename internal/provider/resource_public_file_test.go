// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func expectServerFile(srv *localserver.Running, name string, want []byte) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := srv.PublicFile(name)
		switch {
		case want == nil && ok:
			return fmt.Errorf("public file %s still on the server", name)
		case want != nil && string(got) != string(want):
			return fmt.Errorf("public file %s on the server = %q (present %v), want %q", name, got, ok, want)
		}
		return nil
	}
}

func TestAccPublicFile_lifecycleImportAndDrift(t *testing.T) {
	requireLocal(t, "a public file's stored content (PublicFile)")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	dir := t.TempDir()
	logo := filepath.Join(dir, "logo.svg")
	v1, v2 := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>`), []byte{0x89, 'P', 'N', 'G', 0, 0xff, 1}
	mustDo(t, os.WriteFile(logo, v1, 0o600))
	const addr = "appmixer_public_file.logo"
	config := providerBlock(srv, "") + fmt.Sprintf(`
resource "appmixer_public_file" "logo" {
  filename = "logo.svg"
  source   = %q
}
`, logo)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             expectServerFile(srv, "logo.svg", nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  expectServerFile(srv, "logo.svg", v1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.StringExact(sha256Hex(v1))),
				},
			},
			{
				// The local file changed: planned at plan time, uploaded again in place.
				PreConfig: func() { mustDo(t, os.WriteFile(logo, v2, 0o600)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("source_hash"), knownvalue.StringExact(sha256Hex(v2))),
				}},
				Check: expectServerFile(srv, "logo.svg", v2),
			},
			{
				// The content is not on the server's list, so an import knows neither source nor hash.
				ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "logo.svg",
				ImportStateVerifyIgnore: []string{"source", "source_hash"},
			},
			{
				// The generated configuration lacks the local path, and the plan says so.
				ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: "logo.svg", GenerateConfig: true,
				ExpectError: wrappedText(`Add the line source = "<path of the local copy of logo.svg>"`),
			},
			{
				// Deleted by hand: uploaded again.
				PreConfig: func() { mustDo(t, api.DeletePublicFile(context.Background(), "logo.svg")) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: expectServerFile(srv, "logo.svg", v2),
			},
			{
				// A file the tenant already has is never overwritten silently.
				PreConfig: func() { mustDo(t, api.UploadPublicFile(context.Background(), "terms.html", []byte("<p>terms</p>"))) },
				Config: config + fmt.Sprintf(`
resource "appmixer_public_file" "terms" {
  filename = "terms.html"
  source   = %q
}
`, logo),
				ExpectError: wrappedText(`Appmixer already has a public file "terms.html". Import it`),
			},
			{
				Config:      config + "resource \"appmixer_public_file\" \"missing\" {\n  filename = \"x.txt\"\n  source = \"" + filepath.Join(dir, "nope.txt") + "\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cannot read the public file's source.*nope.txt`),
			},
			{Config: config},
		},
	})
}
