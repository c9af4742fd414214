// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ datasource.DataSourceWithConfigure        = &accountDataSource{}
	_ datasource.DataSourceWithConfigValidators = &accountDataSource{}
)

// NewAccountDataSource finds exactly one connected account, the per-tenant look-up promotion needs.
func NewAccountDataSource() datasource.DataSource { return &accountDataSource{} }

type accountDataSource struct {
	client *appmixer.Client
}

func (d *accountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (d *accountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := accountAttributes()
	attrs["service"] = schema.StringAttribute{
		MarkdownDescription: "Service of the account, `vendor:service`, e.g. `appmixer:slack`.",
		Required:            true,
		Validators:          serviceValidators(),
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The account's name. Exactly one of `name` and `display_name` is required.",
		Optional:            true,
		Computed:            true,
	}
	attrs["display_name"] = schema.StringAttribute{
		MarkdownDescription: "The account's display name, as renamed in Appmixer.",
		Optional:            true,
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds exactly one connected account by service and name, so that each tenant's own account " +
			"id can be bound to a flow's component instead of hard-coding ids that differ between dev and prod. " +
			"No match, or more than one, is an error that lists what the tenant has.",
		Attributes: attrs,
	}
}

func (d *accountDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("name"), path.MatchRoot("display_name")),
	}
}

func (d *accountDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *accountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg accountModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	service := cfg.Service.ValueString()
	accounts, err := d.client.ListAccounts(ctx, service)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer accounts", err)
		return
	}
	field, want := "name", cfg.Name.ValueString()
	if !cfg.DisplayName.IsNull() {
		field, want = "display_name", cfg.DisplayName.ValueString()
	}
	var matches []appmixer.Account
	for _, a := range accounts {
		got := a.Name
		if field == "display_name" {
			got = a.DisplayName
		}
		if a.Service == service && got == want {
			matches = append(matches, a)
		}
	}
	if len(matches) != 1 {
		resp.Diagnostics.AddAttributeError(path.Root(field), accountMatchSummary(len(matches)),
			fmt.Sprintf("Looked for an account of service %q with %s %q and found %d. %s", service, field, want,
				len(matches), describeAccounts(accounts, service)))
		return
	}
	state := accountModelFromAPI(matches[0])
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func accountMatchSummary(n int) string {
	if n == 0 {
		return "No matching Appmixer account"
	}
	return "Several matching Appmixer accounts"
}

// describeAccounts lists what the tenant has for the service, so the user can fix the name at once.
func describeAccounts(accounts []appmixer.Account, service string) string {
	var lines []string
	for _, a := range accounts {
		if a.Service != service {
			continue
		}
		line := fmt.Sprintf("  - account_id %q, name %q", a.ID, a.Name)
		if a.DisplayName != "" {
			line += fmt.Sprintf(", display_name %q", a.DisplayName)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return fmt.Sprintf("This tenant has no account of service %q; connect one in Appmixer first.", service)
	}
	return fmt.Sprintf("Accounts of service %q in this tenant:\n%s", service, strings.Join(lines, "\n"))
}
