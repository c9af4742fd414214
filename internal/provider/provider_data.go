// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// providerData is handed to every resource and data source: what one provider process shares.
type providerData struct {
	client         *appmixer.Client
	componentTypes *componentTypes
	flows          *appmixer.FlowReader      // batched appmixer_flow refresh
	instances      *appmixer.InstanceCounter // batched instance counts of appmixer_integration refreshes
	// me is the provider's own user, asked once per process by the first plan that needs its scope.
	me func() (*appmixer.User, error)
	// lists answer the refresh of tenant configuration from one listing per kind.
	lists *tenantLists
	// One listing per process answers the Reads of every appmixer_config and appmixer_public_file.
}

// newProviderData wires what the process shares.
func newProviderData(client *appmixer.Client, flows *appmixer.FlowReader) *providerData {
	return &providerData{client: client, componentTypes: newComponentTypes(client), flows: flows, lists: newTenantLists(client),
		instances: appmixer.NewInstanceCounter(client, appmixer.DefaultBatchPolicy()),
		me: sync.OnceValues(func() (*appmixer.User, error) {
			// Shared by every resource of the process, so no single caller's context bounds it.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			return client.CurrentUser(ctx)
		}),
	}
}

// providerDataFrom unpacks the provider's data in a resource's or data source's Configure. Nil data is
// normal early in validation, before the provider is configured.
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}

// clientFrom is providerDataFrom for those that need only the client.
func clientFrom(data any, diags *diag.Diagnostics) *appmixer.Client {
	if pd := providerDataFrom(data, diags); pd != nil {
		return pd.client
	}
	return nil
}

// addAPIError reports a failed API call with what was being done; the client's error names the
// request and carries the server's message.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, err.Error()+timeoutAdvice(err))
}

// timeoutAdvice names the setting behind a per-request timeout, which the client's error cannot know.
func timeoutAdvice(err error) string {
	if !appmixer.IsTimeout(err) {
		return ""
	}
	return "\n\nAppmixer did not answer within request_timeout. If the server is only slow, raise request_timeout " +
		"(and max_retries) in the provider block."
}
