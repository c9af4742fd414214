// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "maps"

// Accounts written through the API (real dialect): POST /accounts injects credentials, PUT
// /accounts/{id} changes the display name, the only field Appmixer lets change.

// installedAuthService reports whether the auth module of service is installed for userID: whether a
// component they can run, built-in or published (components_copies.go), names it in its manifest's auth.
func (s *Server) installedAuthService(userID, service string) bool {
	cat := s.runtimeCatalog(userID)
	for typ := range cat.components {
		if cat.authService(typ) == service {
			return true
		}
	}
	return false
}

// postAccount is POST /accounts?validateScope&requestProfileInfo {service, token, name?, displayName?,
// profileInfo?}. The server never calls the third party here: the query's checks are accepted and
// skipped.
func (s *Server) postAccount(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "service", "name", "displayName", "token", "profileInfo"); err != nil {
		return nil, err
	}
	if service, _, _ := optString(body, "service"); service != "" && !s.installedAuthService(c.user.id, service) {
		return nil, badRequest("No installed connector has the auth module of service %s.", service)
	}
	if _, hasToken := body["token"].(map[string]any); hasToken {
		if err := s.checkOAuthAccount(c, body); err != nil {
			return nil, err
		}
	}
	a, err := s.createAccount(c.user.id, body)
	if err != nil {
		return nil, err
	}
	return s.accountView(a), nil
}

// putAccount is PUT /accounts/{id} {displayName}: a string sets it, null clears it.
func (s *Server) putAccount(c *call) (any, error) {
	a, err := s.ownAccount(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "displayName"); err != nil {
		return nil, err
	}
	v, ok := body["displayName"]
	if !ok {
		return nil, badRequest(`"displayName" is required`)
	}
	switch name := v.(type) {
	case nil:
		a.displayName = ""
	case string:
		a.displayName = name
	default:
		return nil, badRequest(`"displayName" must be a string`)
	}
	return s.accountView(a), nil
}

// AccountToken is the token stored with an account, which the API never shows; tests use it to prove
// that credentials reached the server. Nil for an unknown account.
func (s *Server) AccountToken(accountID string) map[string]any {
	if s.localOnly("an account's stored token (AccountToken)") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[accountID]; a != nil {
		return maps.Clone(a.token)
	}
	return nil
}
