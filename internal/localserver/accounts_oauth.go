// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"net/http"
	"regexp"
	"strings"
)

// Appmixer's POST /accounts for an OAuth service fails with an opaque 500 until the service's
// configuration holds the OAuth client (appmixer-api.md §8, §10). Accounts connected in the UI (the
// -seed file, POST /_local/accounts) never pass through this rule: a user could only connect them once
// the client was configured.

// builtinAuthTypes are the auth types of the built-in connectors, which come without an auth.js:
// Slack and Google connect with OAuth 2 in Appmixer.
var builtinAuthTypes = map[string]string{"appmixer:slack": "oauth2", "appmixer:google": "oauth2"}

// authJSType finds the auth type in an auth.js: the first `type: '...'` of the module, which the
// connectors write before the definition (whose fields have types of their own).
var authJSType = regexp.MustCompile(`\btype\s*:\s*['"]([\w-]+)['"]`)

// authType is the auth type of an account service ("oauth2", "oauth", "apiKey", "pwd"), from its
// published auth.js (a copy shadows a built-in), or "" when unknown.
func (c *catalog) authType(service string) string {
	src, ok := c.files[strings.ReplaceAll(service, ":", "/")+"/auth.js"]
	if !ok {
		return builtinAuthTypes[service]
	}
	if m := authJSType.FindSubmatch(src); m != nil {
		return string(m[1])
	}
	return ""
}

func isOAuth(authType string) bool { return authType == "oauth2" || authType == "oauth" }

// hasOAuthClient reports whether the service's configuration holds a client id. The docs' example
// spells it clientID; connectors read clientId: either is accepted, since neither is refused for sure.
func (s *Server) hasOAuthClient(service string) bool {
	doc := s.serviceConfigs[service]
	for _, k := range []string{"clientId", "clientID"} {
		if v, ok := doc[k]; ok && v != nil && v != "" {
			return true
		}
	}
	return false
}

var _ = guess("accounts", "POST /accounts for an OAuth 2 service refuses a token without a \"scope\" array (400) only "+
	"when validateScope is not \"false\"",
	"the notes say scopes are read from token.scope, else 400; whether validateScope=false skips that check is not said")

// checkOAuthAccount applies the OAuth rules of POST /accounts to a body whose service is installed.
func (s *Server) checkOAuthAccount(c *call, body map[string]any) error {
	service, _, _ := optString(body, "service")
	typ := s.runtimeCatalog(c.user.id).authType(service)
	if !isOAuth(typ) {
		return nil
	}
	if !s.hasOAuthClient(service) {
		// hapi hides the cause of an unexpected error behind this message.
		return errorf(http.StatusInternalServerError, "An internal server error occurred")
	}
	if typ != "oauth2" || c.query().Get("validateScope") == "false" {
		return nil
	}
	token, _ := body["token"].(map[string]any)
	// Which scopes a service requires is in its auth.js; only a token without any is refused for sure.
	if _, ok := token["scope"].([]any); !ok {
		return badRequest("Scopes provided have missing required scopes")
	}
	return nil
}
