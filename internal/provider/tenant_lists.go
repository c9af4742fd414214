package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// tenantLists are the per-process list caches behind the refresh of service configs, data stores and
// accounts: a no-change plan lists each kind once instead of reading each object (BENCHMARKS.md).
type tenantLists struct {
	serviceConfigs *appmixer.ListCache[appmixer.ServiceConfig]
	stores         *appmixer.ListCache[appmixer.Store]
	accounts       *appmixer.ListCache[appmixer.Account]
}

func newTenantLists(c *appmixer.Client) *tenantLists {
	return &tenantLists{
		serviceConfigs: appmixer.NewListCache(c.ListServiceConfigs, func(sc appmixer.ServiceConfig) string { return sc.ServiceID }),
		stores:         appmixer.NewListCache(c.ListStores, func(s appmixer.Store) string { return s.ID }),
		accounts: appmixer.NewListCache(func(ctx context.Context) ([]appmixer.Account, error) {
			return c.ListAccounts(ctx, "")
		}, func(a appmixer.Account) string { return a.ID }),
	}
}

// parseObjectImportID accepts an opaque server id such as a storeId or accountId; what describes it
// in the error.
func parseObjectImportID(id, what string) (string, error) {
	if id == "" || strings.ContainsAny(id, " \t\n/") {
		return "", fmt.Errorf("got %q, expected %s", id, what)
	}
	return id, nil
}
