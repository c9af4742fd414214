// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// uploadByHand uploads a file outside Terraform and returns its id.
func uploadByHand(t *testing.T, api *appmixer.Client, name, ctype, content string) string {
	t.Helper()
	f, err := api.UploadFile(context.Background(), appmixer.FileUpload{Filename: name, ContentType: ctype, Content: []byte(content)})
	mustDo(t, err)
	t.Cleanup(func() { _ = api.DeleteFile(context.Background(), f.ID) })
	return f.ID
}

// TestAccFileAndUserGroupList_query: files filtered by name, user groups with their members, each
// result what an import produces.
func TestAccFileAndUserGroupList_query(t *testing.T) {
	requireLocal(t, "a tenant holding only what the test makes, whose lists are checked whole")
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	ctx := context.Background()
	inv := uploadByHand(t, api, "Invoice-2026.pdf", "application/pdf", "%PDF-1.7")
	logo := uploadByHand(t, api, "logo.png", "image/png", "png")
	me, err := api.CurrentUser(ctx)
	mustDo(t, err)
	ann := groupMemberUser(t, api, "ann@example.com")
	support, err := api.CreateUserGroup(ctx, "Support")
	mustDo(t, err)
	mustDo(t, api.AddUserGroupMembers(ctx, support, []string{ann}))
	groups, err := api.ListUserGroups(ctx)
	mustDo(t, err)
	admins := groups[0].ID // Appmixer's own admin group, there from the start

	checks := identities("appmixer_file.all", "id", inv, logo)
	checks = append(checks,
		querycheck.ExpectResourceDisplayName("appmixer_file.all", byID(inv), knownvalue.StringExact("Invoice-2026.pdf")),
		resultHas("appmixer_file.all", byID(inv), map[string]knownvalue.Check{
			"filename":     knownvalue.StringExact("Invoice-2026.pdf"),
			"content_type": knownvalue.StringExact("application/pdf"),
			"md5":          knownvalue.StringExact(md5Hex([]byte("%PDF-1.7"))),
			"size":         knownvalue.Int64Exact(8),
			"source":       knownvalue.Null(),
		}),
	)
	checks = append(checks, identities("appmixer_file.invoices", "id", inv)...)
	checks = append(checks, identities("appmixer_user_group.all", "id", admins, support)...)
	checks = append(checks, resultHas("appmixer_user_group.all", byID(support), map[string]knownvalue.Check{
		"name":    knownvalue.StringExact("Support"),
		"members": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(ann)}),
	}), resultHas("appmixer_user_group.all", byID(admins), map[string]knownvalue.Check{
		"name":    knownvalue.StringExact("admin"),
		"members": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(me.ID)}),
	}))
	queryTest(t, srv, `
list "appmixer_file" "all" {
  provider         = appmixer
  include_resource = true
}
list "appmixer_file" "invoices" {
  provider = appmixer
  config { filename = "invoice" }
}
list "appmixer_user_group" "all" {
  provider         = appmixer
  include_resource = true
}
`, checks...)
}

func TestAccFilesDataSource(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	api := apiClient(t, srv, appmixer.DialectAppmixer)
	b := uploadByHand(t, api, "tfacc-ds-b.csv", "text/csv", "b")
	a := uploadByHand(t, api, "tfacc-ds-A.CSV", "text/csv", "aa")
	n := uploadByHand(t, api, "tfacc-ds-notes.txt", "text/plain", "n")
	uploadByHand(t, api, "tfacc-other.csv", "text/csv", "o")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv, "") + "data \"appmixer_files\" \"csv\" {\n  filename = \"TFACC-DS-\"\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				// Case-insensitive, sorted by name.
				statecheck.ExpectKnownValue("data.appmixer_files.csv", tfjsonpath.New("files"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(a), "filename": knownvalue.StringExact("tfacc-ds-A.CSV"),
						"size": knownvalue.Int64Exact(2), "md5": knownvalue.StringExact(md5Hex([]byte("aa")))}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(b), "content_type": knownvalue.StringExact("text/csv")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(n), "filename": knownvalue.StringExact("tfacc-ds-notes.txt")}),
				})),
			},
		}},
	})
}
