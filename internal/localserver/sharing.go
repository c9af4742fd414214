// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"strings"
)

// Flow types of Appmixer 6's embedded integrations (appmixer-api.md §7).
const (
	typeDraft    = "integration-draft"
	typeTemplate = "integration-template"
	typeInstance = "integration-instance"
)

func (f *flowRec) flowType() string { return str(f.doc["type"]) }
func (f *flowRec) originID() string { return str(f.doc["originFlowId"]) }

func (f *flowRec) shares() []any {
	s, _ := f.doc["sharedWith"].([]any)
	return s
}

func (f *flowRec) isInstanceOf(templateID string) bool {
	return f.flowType() == typeInstance && f.originID() == templateID
}

// sharedWith is the engine's Flow.isSharedWith: an entry names the user by id, e-mail, e-mail
// domain or one of the user's scopes ({"scope":"user"} is everybody).
func sharedWith(entry any, u *user) bool {
	e, _ := entry.(map[string]any)
	email := strings.ToLower(u.email)
	_, domain, _ := strings.Cut(email, "@")
	switch {
	case e == nil:
		return false
	case str(e["userId"]) != "" && str(e["userId"]) == u.id,
		str(e["email"]) != "" && strings.EqualFold(str(e["email"]), email),
		str(e["domain"]) != "" && strings.EqualFold(str(e["domain"]), domain),
		str(e["scope"]) != "" && slices.Contains(u.scope, str(e["scope"])):
		return true
	}
	return false
}

// canView reports whether u sees f in lists and by id: the owner does, so does every user a
// sharedWith entry names, and an admin sees every user's integration instances. (Whether a real
// admin token lists other users' instances is unknown; this server says yes, so that a vendor's
// admin can count and roll out to its customers' instances.)
func canView(u *user, f *flowRec) bool {
	if f.owner() == u.id || (u.isAdmin() && f.flowType() == typeInstance) {
		return true
	}
	return slices.ContainsFunc(f.shares(), func(e any) bool { return sharedWith(e, u) })
}

// visibleFlow is the flow with that id if u may see it; another user's flow is as missing as an
// absent one.
func (s *Server) visibleFlow(u *user, id string) (*flowRec, error) {
	f := s.flows[id]
	if f == nil || !canView(u, f) {
		return nil, notFound("Flow")
	}
	return f, nil
}

// viewFlowFor is the flow as u sees it. Like the engine's Flow.filterSharedWithArray, a user who
// is not the owner sees only the sharedWith entries that name them.
func (s *Server) viewFlowFor(u *user, f *flowRec) map[string]any {
	doc := s.viewFlow(f)
	if s.contract || f.owner() == u.id {
		return doc
	}
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	mine := []any{}
	for _, e := range f.shares() {
		if sharedWith(e, u) {
			mine = append(mine, e)
		}
	}
	out["sharedWith"] = mine
	return out
}
