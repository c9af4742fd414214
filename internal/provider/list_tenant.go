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

// The list resources of users, connectors and tenant configuration.

// NewUserList lists the tenant's users (admin).
func NewUserList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_user",
		description: "Every user of the tenant (admin: `GET /users`), sorted by username, the provider's own user " +
			"too. With `include_resource`, each is the `appmixer_user` an import by its id produces: no password, " +
			"which Appmixer never shows. Mind that destroying an `appmixer_user` deletes the user and all their flows.",
		keyAttr:     "id",
		adminRoutes: "GET /users",
		filters: map[string]listschema.Attribute{
			"pattern": stringFilter("Only users the server's `pattern` search matches: a part of the username or e-mail address."),
		},
		imported: importByID,
		list: func(ctx context.Context, pd *providerData, cfg tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			pattern := filterValue(ctx, cfg, "pattern", &diags)
			if diags.HasError() {
				return nil, diags
			}
			users, err := pd.client.ListUsers(ctx, pattern)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer users", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(users))
			for _, u := range users {
				out = append(out, listedObject{display: u.Username, key: u.ID, state: fromImported(func(m userModel, diags *diag.Diagnostics) userModel {
					m.fromAPI(u, diags)
					return m
				})})
			}
			return sortedByName(out), diags
		},
	})()
}

// appmixerVendor is the vendor of the connectors Appmixer installs with the platform.
const appmixerVendor = "appmixer"

// NewComponentList lists the custom connectors, one result per service.
func NewComponentList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_component",
		description: "The installed connectors, one result per service (`vendor.service`), sorted, from one " +
			"`GET /components?manifest=yes`. Appmixer's own connectors (vendor `appmixer`) come with the platform and " +
			"are left out unless `vendor = \"appmixer\"`. With `include_resource`, each is the `appmixer_component` an " +
			"import of the service selector produces: the server does not keep the source, so `source_dir` is " +
			"`connectors/<vendor>/<service>`, where the configuration `-generate-config-out` writes expects it.",
		keyAttr: "name",
		filters: map[string]listschema.Attribute{
			"vendor": stringFilter("Only connectors of this vendor, e.g. `acme`."),
		},
		imported: importComponent,
		list: func(ctx context.Context, pd *providerData, cfg tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			vendor := filterValue(ctx, cfg, "vendor", &diags)
			if diags.HasError() {
				return nil, diags
			}
			manifests, err := pd.client.ListComponents(ctx, vendor, true)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer components", err)
				return nil, diags
			}
			var out []listedObject
			for _, service := range connectorServices(manifests, vendor) {
				server := summarizeManifests(manifests, service)
				out = append(out, listedObject{display: service, key: service, state: fromImported(func(m componentModel, _ *diag.Diagnostics) componentModel {
					return componentFromAPI(m, server)
				})})
			}
			return sortedByName(out), diags
		},
	})()
}

// connectorServices are the services (vendor.service) of the listed components, of vendor when set,
// else of every vendor but Appmixer's.
func connectorServices(manifests []appmixer.ComponentManifest, vendor string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range manifests {
		parts := strings.SplitN(m.Name, ".", 3)
		if len(parts) < 3 || (vendor == "" && parts[0] == appmixerVendor) || (vendor != "" && parts[0] != vendor) {
			continue
		}
		if service := parts[0] + "." + parts[1]; !seen[service] {
			seen[service] = true
			out = append(out, service)
		}
	}
	return out
}

// NewDataStoreList lists the provider's user's data stores.
func NewDataStoreList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_data_store",
		description: "The data stores of the provider's user (`GET /stores`), sorted by name. With `include_resource`, " +
			"each is the `appmixer_data_store` an import by its id produces; records are data and never listed.",
		keyAttr:  "id",
		imported: importObject(dataStoreIDDescription),
		list: func(ctx context.Context, pd *providerData, _ tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			stores, err := pd.client.ListStores(ctx)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer data stores", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(stores))
			for _, s := range stores {
				out = append(out, listedObject{display: s.Name, key: s.ID, state: fromImported(func(m dataStoreModel, _ *diag.Diagnostics) dataStoreModel {
					return dataStoreFromAPI(&s, m)
				})})
			}
			return sortedByName(out), diags
		},
	})()
}

// NewServiceConfigList lists the service configurations (admin).
func NewServiceConfigList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_service_config",
		description: "Every service configuration of the tenant (admin: `GET /service-config`), sorted by service id. " +
			"With `include_resource`, each is the `appmixer_service_config` an import produces: keys whose names look " +
			"secret (`clientSecret`, `apiKey`, ...) are left out of `values`, so no secret reaches the query's output, " +
			"and an apply keeps the server's secret values until `secret_values_wo` sends new ones.",
		keyAttr:     "service_id",
		adminRoutes: "GET /service-config",
		imported:    importServiceConfig,
		list: func(ctx context.Context, pd *providerData, _ tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			configs, err := pd.client.ListServiceConfigs(ctx)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer service configurations", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(configs))
			for _, sc := range configs {
				out = append(out, listedObject{display: sc.ServiceID, key: sc.ServiceID, state: fromImported(func(m serviceConfigModel, _ *diag.Diagnostics) serviceConfigModel {
					m, _ = importedServiceConfig(&sc, m)
					return m
				})})
			}
			return sortedByName(out), diags
		},
	})()
}

// NewAccountList lists the provider's user's connected accounts.
func NewAccountList() list.ListResource {
	return newTenantList(listSpec{
		typeName: "_account",
		description: "The connected accounts of the provider's user (`GET /accounts`), sorted by display name. With " +
			"`include_resource`, each is the `appmixer_account` an import by its id produces: the token stays on the " +
			"server (`token_wo` is write-only and never read), and the account keeps it until `token_wo_version` is " +
			"set and then changed. Mind that destroying an `appmixer_account` deletes it and stops the flows using it.",
		keyAttr: "id",
		filters: map[string]listschema.Attribute{
			"service": stringFilter("Only accounts of this service, `vendor:service` (e.g. `appmixer:slack`)."),
		},
		imported: importObject(accountIDDescription),
		list: func(ctx context.Context, pd *providerData, cfg tfsdk.Config, _ bool) ([]listedObject, diag.Diagnostics) {
			var diags diag.Diagnostics
			service := filterValue(ctx, cfg, "service", &diags)
			if diags.HasError() {
				return nil, diags
			}
			accounts, err := pd.client.ListAccounts(ctx, service)
			if err != nil {
				addAPIError(&diags, "Cannot list Appmixer accounts", err)
				return nil, diags
			}
			out := make([]listedObject, 0, len(accounts))
			for _, a := range accounts {
				display := a.DisplayName
				if display == "" {
					display = a.Name
				}
				out = append(out, listedObject{display: display + " (" + a.Service + ")", key: a.ID, state: fromImported(func(m accountResourceModel, _ *diag.Diagnostics) accountResourceModel {
					return accountFromAPI(&a, m)
				})})
			}
			return sortedByName(out), diags
		},
	})()
}
