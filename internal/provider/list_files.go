// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// The list resources of files and user groups.

// filesNamed lists the provider's user's files whose name contains part (all when part is ""),
// checked again here in case a server ignores the filter.
func filesNamed(ctx context.Context, c *appmixer.Client, part string) ([]appmixer.File, error) {
	files, err := c.ListFiles(ctx, part)
	if err != nil || part == "" {
		return files, err
	}
	out := files[:0]
	for _, f := range files {
		if strings.Contains(strings.ToLower(f.Filename), strings.ToLower(part)) {
			out = append(out, f)
		}
	}
	return out, nil
}

// NewFileList lists the provider's user's files.
func NewFileList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_file",
		description: "The files of the provider's user (`GET /files`, paged), sorted by file name. With " +
			"`include_resource`, each is the `appmixer_file` an import by its id produces: the content stays on the " +
			"server and `source` is null, which keeps the file as it is until a `source` is configured.",
		keyAttr: "id",
		filters: map[string]listschema.Attribute{
			"filename": stringFilter("Only files whose name contains this text, case-insensitive (`filter=filename:~...`)."),
		},
		imported: importObject(fileIDDescription),
		list: func(ctx context.Context, pd *providerData, cfg tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			part := filterValue(ctx, cfg, "filename", &diags)
			if diags.HasError() {
				return nil, diags
			}
			files, err := filesNamed(ctx, pd.client, part)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer files", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(files))
			for _, f := range files {
				out = append(out, listedObject{display: f.Filename, key: f.ID, state: fromImported(func(m fileModel, _ *diag.Diagnostics) fileModel {
					return fileFromAPI(&f, m)
				})})
			}
			return sortedByName(out), diags
		},
	})()
}

// NewUserGroupList lists the tenant's user groups.
func NewUserGroupList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_user_group",
		description: "The user groups the provider's user sees (`GET /user-groups`), sorted by name, Appmixer's own " +
			"`admin` group too. With `include_resource`, each is the `appmixer_user_group` an import by its id " +
			"produces, with its members.",
		keyAttr:  "id",
		imported: importObject(userGroupIDDescription),
		list: func(ctx context.Context, pd *providerData, _ tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			groups, err := pd.client.ListUserGroups(ctx)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer user groups", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(groups))
			for _, g := range groups {
				out = append(out, listedObject{display: g.Name, key: g.ID, state: fromImported(func(m userGroupModel, diags *diag.Diagnostics) userGroupModel {
					return userGroupFromAPI(&g, m, diags)
				})})
			}
			return sortedByName(out), diags
		},
	})()
}

// NewIntegrationCategoryList lists the tenant's integration categories.
func NewIntegrationCategoryList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_integration_category",
		description: "Every integration category of the tenant (`GET /categories`, readable by every user), sorted by " +
			"name. With `include_resource`, each is the `appmixer_integration_category` an import by its id produces.",
		keyAttr:  "id",
		imported: importObject(integrationCategoryIDDescription),
		list: func(ctx context.Context, pd *providerData, _ tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			all, err := pd.client.ListCategories(ctx)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer integration categories", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(all))
			for _, c := range all {
				out = append(out, listedObject{display: c.Name, key: c.ID, state: fromImported(func(m integrationCategoryModel, _ *diag.Diagnostics) integrationCategoryModel {
					return integrationCategoryFromAPI(&c, m)
				})})
			}
			return sortedByName(out), diags
		},
	})()
}
