// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ action.ActionWithConfigure = &accountTestAction{}

// accountTestAction is appmixer_account_test: POST /accounts/{id}/test, failing unless every token
// is "valid".
type accountTestAction struct{ pd *providerData }

// NewAccountTestAction tests a connected account now.
func NewAccountTestAction() action.Action { return &accountTestAction{} }

type accountTestActionModel struct {
	AccountID types.String `tfsdk:"account_id"`
}

func (a *accountTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_test"
}

func (a *accountTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Tests a connected account now (`POST /accounts/{id}/test`) and fails with the server's " +
			"verdict unless every token of the account is `valid`, e.g. after a promotion, to learn that a customer's " +
			"token has expired before a flow fails on it. The test only runs the connector's own `validateAccessToken`, " +
			"which some connectors leave empty: for those, `valid` proves nothing. Invoke it with " +
			"`terraform apply -invoke=action.appmixer_account_test.<name>`, or from a resource's `lifecycle` " +
			"`action_trigger`. Not available in the contract API dialect.",
		Attributes: map[string]actionschema.Attribute{
			"account_id": actionschema.StringAttribute{
				MarkdownDescription: "The account (`accountId`), e.g. `data.appmixer_account.slack.account_id`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (a *accountTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *accountTestAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg accountTestActionModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...); resp.Diagnostics.HasError() || !actionConfigured(a.pd, &resp.Diagnostics) ||
		!requireRealAPI(a.pd.client, &resp.Diagnostics, "action.appmixer_account_test") {
		return
	}
	id := cfg.AccountID.ValueString()
	verdicts, err := a.pd.client.TestAccount(ctx, id)
	if err != nil {
		addAttributeAPIError(&resp.Diagnostics, "account_id", "Cannot test Appmixer account "+id, err)
		return
	}
	var bad []string
	for _, token := range sortedKeys(verdicts) {
		if v := verdicts[token]; v != "valid" {
			bad = append(bad, fmt.Sprintf("token %s: %s", token, v))
		}
	}
	switch {
	case len(verdicts) == 0:
		resp.Diagnostics.AddAttributeError(path.Root("account_id"), "Appmixer account "+id+" has no token to test",
			"The test answered no token at all, so nothing says the account works.")
	case len(bad) > 0:
		resp.Diagnostics.AddAttributeError(path.Root("account_id"), "Appmixer account "+id+" failed its test",
			"The server's verdict: "+strings.Join(bad, "; ")+". Reconnect the account in Appmixer.")
	default:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(
			"Account %s: valid (as far as its connector's test can tell).", id)})
	}
}
