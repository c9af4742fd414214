// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package provider implements the Appmixer Terraform provider.
package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ provider.Provider                  = &appmixerProvider{}
	_ provider.ProviderWithListResources = &appmixerProvider{}
	_ provider.ProviderWithActions       = &appmixerProvider{}
	_ provider.ProviderWithFunctions     = &appmixerProvider{}
)

// appmixerProvider holds what every Configure call needs; the client itself lives in providerData.
type appmixerProvider struct {
	version string
	// batch overrides appmixer.DefaultBatchPolicy() for flow refreshes; tests set it to force a path.
	batch *appmixer.BatchPolicy
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &appmixerProvider{version: version}
	}
}

// providerModel is the provider block.
type providerModel struct {
	BaseURL        types.String `tfsdk:"base_url"`
	Tenant         types.String `tfsdk:"tenant"`
	Username       types.String `tfsdk:"username"`
	Password       types.String `tfsdk:"password"`
	Token          types.String `tfsdk:"token"`
	APIDialect     types.String `tfsdk:"api_dialect"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	BatchRefresh   types.Bool   `tfsdk:"batch_refresh"`
	// Many tenants (provider_config_tenants.go).
	AllowedBaseURLs      types.List    `tfsdk:"allowed_base_urls"`
	MaxRequestsPerSecond types.Float64 `tfsdk:"max_requests_per_second"`

	// CA, client certificate, proxy and headers: provider_config_tls.go.
	providerNetworkModel
}

func (p *appmixerProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "appmixer"
	resp.Version = p.version
}

func (p *appmixerProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an [Appmixer](https://www.appmixer.com) tenant as code: flows, integrations and " +
			"their customers' instances, custom connectors (components), users, connected accounts, OAuth service " +
			"configs, data stores, access rules, system settings, modifiers and public files; and adopts a tenant " +
			"built by hand with `terraform query`.\n\n" +
			"Every attribute can also come from an environment variable, which is how CI usually passes credentials.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Appmixer API, e.g. `https://api.acme.appmixer.cloud` or a self-managed " +
					"`https://appmixer.example.com/api`. Conflicts with `tenant`. Env: `APPMIXER_BASE_URL`.",
				Optional:   true,
				Validators: []validator.String{httpURLValidator{}, stringvalidator.ConflictsWith(path.MatchRoot("tenant"))},
			},
			"tenant": schema.StringAttribute{
				MarkdownDescription: "Appmixer Cloud tenant id; the API is then `https://api.<tenant>.appmixer.cloud`. " +
					"Conflicts with `base_url`. Env: `APPMIXER_TENANT`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(tenantPattern, "must be a tenant id made of lowercase letters, digits and hyphens, such as \"acme\"")},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Username (usually an e-mail address) to log in with; needs `password`. Env: `APPMIXER_USERNAME`.",
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. Env: `APPMIXER_PASSWORD`.",
				Optional:            true,
				Sensitive:           true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "An access token (JWT) to use instead of `username`/`password`. A token cannot be " +
					"renewed, so long applies are safer with a password. Env: `APPMIXER_TOKEN`.",
				Optional:  true,
				Sensitive: true,
			},
			"api_dialect": schema.StringAttribute{
				MarkdownDescription: "Which form of the API to speak: `appmixer` (default: the real Appmixer 6.x API), " +
					"`contract` (the simplified OpenAPI contract) or `auto` (the real API, trying the contract's route " +
					"where the server does not know a real one, and switching that feature to the contract only when " +
					"the contract's route answers with success; a gateway's refusal never switches it). A server that " +
					"speaks the contract needs `contract` (or `auto`) set. Env: `APPMIXER_API_DIALECT`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(dialectNames...)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How often a request that failed with 429, 502, 503, 504 or a connection "+
					"error is retried, with backoff. Requests that create something are not re-sent once the server may "+
					"have acted. Default %d. Env: `APPMIXER_MAX_RETRIES`.", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(minRetries, maxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Timeout of a single HTTP request as a Go duration such as `30s` or `2m`. "+
					"Default `%s`. Env: `APPMIXER_REQUEST_TIMEOUT`.", defaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"batch_refresh": schema.BoolAttribute{
				MarkdownDescription: "Whether a plan may refresh many `appmixer_flow` resources from one paged listing of " +
					"the tenant's flows instead of one request per flow (default `true`). Set `false` to read every flow " +
					"singly, e.g. when listing is slow or restricted on a tenant. Env: `APPMIXER_BATCH_REFRESH`.",
				Optional: true,
			},
		},
	}
	maps.Copy(resp.Schema.Attributes, tenantAttributes())
	maps.Copy(resp.Schema.Attributes, networkAttributes())
}

func (p *appmixerProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := resolveSettings(cfg, osEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || settings == nil {
		// nil settings without errors: some values are unknown until apply.
		return
	}

	policy := appmixer.DefaultBatchPolicy()
	if p.batch != nil {
		policy = *p.batch
	}
	policy.Disabled = !settings.batchRefresh
	// The client tells the reader of every flow it writes; the reader reads through the client.
	var flows *appmixer.FlowReader
	clientCfg := settings.clientConfig(p.version, req.TerraformVersion)
	clientCfg.FlowWritten = func(id string) { flows.Forget(id) }
	client, err := appmixer.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Appmixer provider configuration", err.Error())
		return
	}
	// Checking the credentials here turns a wrong URL or password into one clear error instead of one per
	// resource. A token cannot log in, so it is checked by reading the current user.
	if settings.token != "" {
		_, err = client.CurrentUser(ctx)
	} else {
		err = client.Login(ctx)
	}
	if err != nil {
		addConnectDiagnostic(&resp.Diagnostics, settings, err)
		return
	}

	flows = appmixer.NewFlowReader(client, policy)
	noteConfigured()
	data := newProviderData(client, flows)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// Resources lists every resource with its identity (identity.go): the attribute it imports by.
func (p *appmixerProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		identified(NewUserResource, identityKey{"id", "The user's id."}),
		identified(NewComponentResource, identityKey{"name", "The selector of what is published: vendor.service, vendor.service.module or vendor.service.module.Component."}),
		identified(NewFlowResource, identityKey{"id", "The flow id (flowId)."}),
		identified(NewServiceConfigResource, identityKey{"service_id", "The service, vendor:service."}),
		identified(NewAccountResource, identityKey{"id", "The account id (accountId)."}),
		identified(NewDataStoreResource, identityKey{"id", "The data store id (storeId)."}),
		identified(NewACLResource, identityKey{"type", "The ACL type, e.g. components or routes."}),
		identified(NewConfigResource, identityKey{"key", "The system config key."}),
		identified(NewModifiersResource, identityKey{"id", "Always \"modifiers\": a tenant has one modifiers document."}),
		identified(NewPublicFileResource, identityKey{"filename", "The public file's name."}),
		identified(NewIntegrationResource, identityKey{"id", "The draft's flow id (flowId)."}),
		identified(NewFileResource, identityKey{"id", "The file id (fileId)."}),
		identified(NewUserGroupResource, identityKey{"id", "The user group id."}),
		identified(NewIntegrationCategoryResource, identityKey{"id", "The integration category id."}),
	}
}

// ListResources lists what `terraform query` can list (Terraform 1.14+); each shares its resource's name.
func (p *appmixerProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewFlowList,
		NewIntegrationList,
		NewUserList,
		NewComponentList,
		NewDataStoreList,
		NewServiceConfigList,
		NewAccountList,
		NewFileList,
		NewUserGroupList,
		NewIntegrationCategoryList,
	}
}

// Actions are the imperative steps of Terraform 1.14+ (`terraform apply -invoke`, action_trigger).
// Functions are pure: they need no configured provider.
func (p *appmixerProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{NewFlowFromExportFunction, NewDefinitionServicesFunction}
}

func (p *appmixerProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewFlowStartAction,
		NewFlowStopAction,
		NewIntegrationRolloutAction,
		NewAccountTestAction,
		NewUnprocessedMessagesRetryAction,
	}
}

func (p *appmixerProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAppsDataSource,
		NewAccountsDataSource,
		NewAccountDataSource,
		NewFlowDataSource,
		NewFlowsDataSource,
		NewDataStoreDataSource,
		NewUserDataSource,
		NewIntegrationInstancesDataSource,
		NewIntegrationsDataSource,
		NewSystemDataSource,
		NewBundlesDataSource,
		NewFilesDataSource,
		NewFlowLogsDataSource,
		NewUnprocessedMessagesDataSource,
		NewPeopleTasksDataSource,
		NewIntegrationCategoryDataSource,
	}
}
