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

// templateLink is the templateId an instance carries (appmixer-api.md §7).
func (f *flowRec) templateLink() string { return str(f.doc["templateId"]) }

// isInstanceOf reports an instance of the template: the Wizard and the SDK link it by templateId (a
// PUT after the clone), a clone made with setOriginFlowId by originFlowId; either is the link, and the
// type does not matter (an end user's "Customize in Editor" copy has its own).
func (f *flowRec) isInstanceOf(templateID string) bool {
	if templateID == "" || f.flowType() == typeTemplate || f.flowType() == typeDraft {
		return false
	}
	return f.templateLink() == templateID || f.originID() == templateID
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

// canView reports whether u sees f in lists and by id: the owner does, and so does every user a
// sharedWith entry names. An admin is no exception (appmixer-api.md §7: GET /flows is a user's own
// and shared flows, and no source shows an admin listing other users' flows), unless the local-only
// Options.AdminSeesAllFlows says so.
func (s *Server) canView(u *user, f *flowRec) bool {
	if f.owner() == u.id || (s.opts.AdminSeesAllFlows && u.isAdmin()) {
		return true
	}
	return slices.ContainsFunc(f.shares(), func(e any) bool { return sharedWith(e, u) })
}

// visibleFlow is the flow with that id if u may see it; another user's flow is as missing as an
// absent one.
func (s *Server) visibleFlow(u *user, id string) (*flowRec, error) {
	f := s.flows[id]
	if f == nil || !s.canView(u, f) {
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
