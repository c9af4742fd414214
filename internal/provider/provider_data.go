package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// clientFrom unpacks the provider's data in a resource's or data source's Configure. Nil data is normal
// early in validation, before the provider is configured.
func clientFrom(data any, diags *diag.Diagnostics) *appmixer.Client {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd.client
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
