// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Appmixer answers POST /accounts for an OAuth service with an opaque 500 until the service's
// configuration holds its OAuth client (clientId): appmixer-api.md §8, §10. The usual cause in
// Terraform is an appmixer_account created before, or beside, the appmixer_service_config of its
// service. The provider names that only when it is plausible: a 500, a token shaped like OAuth's,
// and a configuration that lacks clientId, could not be checked, or was written in this same run.

// addCreateError reports a failed POST /accounts, explaining a 500 that a missing OAuth client
// plausibly caused. The server's answer is always quoted.
func (r *accountResource) addCreateError(ctx context.Context, diags *diag.Diagnostics, summary, service, token string, err error) {
	if appmixer.StatusCode(err) != http.StatusInternalServerError || !oauthShapedToken(token) {
		addAPIError(diags, summary, err)
		return
	}
	hint := r.oauthClientHint(ctx, service)
	if hint == "" {
		addAPIError(diags, summary, err)
		return
	}
	order := fmt.Sprintf("Declare it, e.g. resource \"appmixer_service_config\" \"x\" { service_id = %q, values = "+
		"jsonencode({ clientId = ... }), secret_values_wo = jsonencode({ clientSecret = ... }) }, and make this "+
		"account wait for it: depends_on = [appmixer_service_config.x] in this resource, or reference it with "+
		"service = appmixer_service_config.x.service_id.", service)
	diags.AddAttributeError(path.Root("service"), summary, err.Error()+"\n\n"+hint+"\n\n"+order)
}

// oauthClientHint says why the service's OAuth client is the likely cause, or "" when it is not.
func (r *accountResource) oauthClientHint(ctx context.Context, service string) string {
	sc, err := r.pd.client.GetServiceConfig(ctx, service)
	const why = "Appmixer answers POST /accounts with 500 when the service connects with OAuth and its " +
		"appmixer_service_config does not hold the OAuth client (clientId) yet."
	switch {
	case appmixer.IsNotFound(err):
		return fmt.Sprintf("%s %s has no service configuration at all.", why, service)
	case err != nil:
		return fmt.Sprintf("%s The provider could not check the configuration of %s (%v).", why, service, err)
	case !hasClientID(sc):
		return fmt.Sprintf("%s The configuration of %s holds no clientId.", why, service)
	case r.pd.lists.serviceConfigs.Written(service):
		return fmt.Sprintf("%s This run also wrote the configuration of %s, which holds a clientId now: the "+
			"account was probably sent before that write finished, since nothing orders the two.", why, service)
	}
	return ""
}

// hasClientID reports an OAuth client id, under either spelling Appmixer's sources use.
func hasClientID(sc *appmixer.ServiceConfig) bool {
	for _, k := range []string{"clientId", "clientID"} {
		if v, ok := sc.Values[k]; ok && string(v) != "null" && string(v) != `""` {
			return true
		}
	}
	return false
}

// oauthShapedToken reports a token with the keys of an OAuth token (accessToken, Google's token,
// refreshToken, scope): an API key or password token names the auth's own fields instead.
func oauthShapedToken(token string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(token), &m) != nil {
		return false
	}
	for _, k := range []string{"accessToken", "token", "refreshToken", "scope"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}
