// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// tenantLists are the per-process list caches behind the refresh of tenant configuration: a no-change
// plan lists each kind once instead of reading each object (BENCHMARKS.md).
type tenantLists struct {
	serviceConfigs *appmixer.ListCache[appmixer.ServiceConfig]
	stores         *appmixer.ListCache[appmixer.Store]
	accounts       *appmixer.ListCache[appmixer.Account]
	configs        *appmixer.ListCache[appmixer.ConfigEntry] // the API reads no single key
	publicFiles    *appmixer.ListCache[string]               // file names; no single read either
	files          *appmixer.ListCache[appmixer.File]
	userGroups     *appmixer.ListCache[appmixer.UserGroup]
	categories     *appmixer.ListCache[appmixer.Category]
}

func newTenantLists(c *appmixer.Client) *tenantLists {
	return &tenantLists{
		serviceConfigs: appmixer.NewListCache(c.ListServiceConfigs, func(sc appmixer.ServiceConfig) string { return sc.ServiceID }),
		stores:         appmixer.NewListCache(c.ListStores, func(s appmixer.Store) string { return s.ID }),
		accounts: appmixer.NewListCache(func(ctx context.Context) ([]appmixer.Account, error) {
			return c.ListAccounts(ctx, "")
		}, func(a appmixer.Account) string { return a.ID }),
		configs:     appmixer.NewListCache(c.ListConfig, func(e appmixer.ConfigEntry) string { return e.Key }),
		publicFiles: appmixer.NewListCache(c.ListPublicFiles, func(name string) string { return name }),
		files: appmixer.NewListCache(func(ctx context.Context) ([]appmixer.File, error) {
			return c.ListFiles(ctx, "")
		}, func(f appmixer.File) string { return f.ID }),
		userGroups: appmixer.NewListCache(c.ListUserGroups, func(g appmixer.UserGroup) string { return g.ID }),
		categories: appmixer.NewListCache(c.ListCategories, func(cat appmixer.Category) string { return cat.ID }),
	}
}

// listed looks key up in a kind without a single-object route: whether the listing holds it, and its item.
func listed[T any](ctx context.Context, lc *appmixer.ListCache[T], key string) (T, bool, error) {
	var zero T
	item, err := lc.Get(ctx, key, nil)
	switch {
	case appmixer.IsNotFound(err):
		return zero, false, nil
	case err != nil:
		return zero, false, err
	}
	return *item, true, nil
}

// deleteTenantObject is the Delete of a tenant configuration object: within the delete timeout, the
// list cache forgets it and the server deletes it; a 404 is success.
func deleteTenantObject(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics, what, id string,
	forget func(string), del func(context.Context, string) error) {
	ctx, cancel, _ := operationContext(ctx, t.Delete, defaultTenantConfigTimeout, diags)
	defer cancel()
	forget(id)
	addDeleteError(diags, what, del(ctx, id))
}

// importObjectID is the ImportState of a resource imported by an opaque server id.
func importObjectID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, what string) {
	resp.Diagnostics.Append(importObject(what)(ctx, &resp.State, req.ID)...)
}

// importObject sets up the state of an import by an opaque server id; what describes the id.
func importObject(what string) func(ctx context.Context, st *tfsdk.State, id string) diag.Diagnostics {
	return func(ctx context.Context, st *tfsdk.State, id string) diag.Diagnostics {
		var diags diag.Diagnostics
		id, err := parseObjectImportID(id, what)
		if err != nil {
			diags.AddError("Invalid import ID", err.Error())
			return diags
		}
		return importByID(ctx, st, id)
	}
}

// importByID is the state an import starts from when the id is all it sets; Read fills in the rest.
func importByID(ctx context.Context, st *tfsdk.State, id string) diag.Diagnostics {
	return st.SetAttribute(ctx, path.Root("id"), id)
}

// parseObjectImportID accepts an opaque server id such as a storeId or accountId; what describes it
// in the error.
func parseObjectImportID(id, what string) (string, error) {
	if id == "" || strings.ContainsAny(id, " \t\n/") {
		return "", fmt.Errorf("got %q, expected %s", id, what)
	}
	return id, nil
}
