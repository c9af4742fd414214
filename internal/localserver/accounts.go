// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"errors"
	"slices"
)

// account is a connected third-party account. Its token is stored but never shown, as in Appmixer.
type account struct {
	seq                                    int
	id, userID, service, name, displayName string
	profileInfo, token                     map[string]any
}

// accountView is the appmixer-dialect account: service label and icon come from the catalog.
func (s *Server) accountView(a *account) map[string]any {
	meta := s.runtimeCatalog(a.userID).serviceOfAccount(a.service)
	var displayName any
	if a.displayName != "" {
		displayName = a.displayName
	}
	return map[string]any{
		"accountId": a.id, "name": a.name, "displayName": displayName, "service": a.service, "userId": a.userID,
		"profileInfo": a.profileInfo, "icon": meta.icon, "label": meta.label, "revoked": false,
	}
}

func (s *Server) viewAccount(a *account) map[string]any {
	if s.contract {
		return contractAccount(a)
	}
	return s.accountView(a)
}

func (s *Server) ownAccount(c *call, id string) (*account, error) {
	a := s.accounts[id]
	if a == nil || a.userID != c.user.id {
		return nil, notFound("Account")
	}
	return a, nil
}

// listAccounts is GET /accounts. Appmixer filters (filter=service:appmixer:slack, repeatable);
// the contract has no parameters, so there every account is listed.
func (s *Server) listAccounts(c *call) (any, error) {
	var filters []filter
	if !s.contract {
		var err error
		if filters, err = parseFilters(c.query()); err != nil {
			return nil, err
		}
	}
	var own []*account
	for _, a := range s.accounts {
		if a.userID == c.user.id {
			own = append(own, a)
		}
	}
	slices.SortFunc(own, func(a, b *account) int { return a.seq - b.seq })
	out := []any{}
	for _, a := range own {
		if view := s.viewAccount(a); matchesFilters(view, filters) {
			out = append(out, view)
		}
	}
	return out, nil
}

// getAccount exists only in the contract; Appmixer has no GET /accounts/{id}.
func (s *Server) getAccount(c *call) (any, error) {
	a, err := s.ownAccount(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	return contractAccount(a), nil
}

// deleteAccount revokes an account and unbinds it from every component. Appmixer also stops every
// flow that uses it; the contract says nothing of that.
func (s *Server) deleteAccount(c *call) (any, error) {
	a, err := s.ownAccount(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	delete(s.accounts, a.id)
	for k, b := range s.bindings {
		if b.accountID != a.id {
			continue
		}
		if f := s.flows[b.flowID]; f != nil && !s.contract {
			f.setStage("stopped")
		}
		delete(s.bindings, k)
	}
	if s.contract {
		return map[string]any{}, nil
	}
	return map[string]any{"accountId": a.id}, nil
}

// createAccount validates a body like Appmixer's POST /accounts and stores the account for ownerID.
func (s *Server) createAccount(ownerID string, body map[string]any) (*account, error) {
	service, err := requiredString(body, "service")
	if err != nil {
		return nil, err
	}
	if !authServicePattern.MatchString(service) {
		return nil, badRequest(`"service" must look like vendor:service`)
	}
	token, ok, err := optObject(body, "token")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, badRequest(`"token" is required`)
	}
	profile, _, err := optObject(body, "profileInfo")
	if err != nil {
		return nil, err
	}
	name, _, err := optString(body, "name")
	if err != nil {
		return nil, err
	}
	displayName, _, err := optString(body, "displayName")
	if err != nil {
		return nil, err
	}
	if profile == nil {
		profile = map[string]any{}
	}
	if name == "" {
		// Appmixer names an account after its profile; without one the service will do.
		if name = str(profile["email"]); name == "" {
			name = service
		}
	}
	s.seq++
	a := &account{
		seq: s.seq, id: objectID(), userID: ownerID, service: service, name: name, displayName: displayName,
		profileInfo: profile, token: token,
	}
	s.accounts[a.id] = a
	return a, nil
}

// AddAccount connects an account for the user with that username, as if they had done it in the UI.
func (s *Server) AddAccount(username string, seed AccountSeed) (string, error) {
	if s.localOnly("adding a connected account behind the API (AddAccount)") {
		return "", errors.New("AddAccount needs a local server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleUserDeletions(s.opts.Now())
	u := s.userByLogin(username)
	if u == nil || u.deleting {
		return "", notFound("User")
	}
	a, err := s.createAccount(u.id, map[string]any{
		"service": seed.Service, "name": seed.Name, "displayName": seed.DisplayName,
		"token": map[string]any{"accessToken": "local-" + objectID()},
	})
	if err != nil {
		return "", err
	}
	return a.id, nil
}
