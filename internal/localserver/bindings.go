// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "slices"

// bindingKey identifies a component of one user's flows; component ids are unique per user in
// practice (UUIDs), and keying by user keeps two users' equal ids apart.
type bindingKey struct{ userID, componentID string }

// binding is an account assigned to a flow component with PUT /auth/component/{c}/{a}.
type binding struct{ flowID, accountID string }

// ownComponent finds the caller's flow that holds a component id.
func (s *Server) ownComponent(c *call, componentID string) (*flowRec, map[string]any, error) {
	var own []*flowRec
	for _, f := range s.flows {
		if f.owner() == c.user.id {
			own = append(own, f)
		}
	}
	slices.SortFunc(own, func(a, b *flowRec) int { return a.seq - b.seq })
	for _, f := range own {
		if comp, ok := f.components()[componentID].(map[string]any); ok {
			return f, comp, nil
		}
	}
	return nil, nil, notFound("Component")
}

// bindAccount assigns one of the caller's accounts to a component of one of the caller's flows.
// For installed component types the account must be of the service the manifest's auth names.
func (s *Server) bindAccount(c *call) (any, error) {
	f, comp, err := s.ownComponent(c, c.param("componentId"))
	if err != nil {
		return nil, err
	}
	a, err := s.ownAccount(c, c.param("accountId"))
	if err != nil {
		return nil, err
	}
	typ := str(comp["type"])
	cat := s.runtimeCatalog(f.owner())
	if _, installed := cat.components[typ]; installed {
		switch want := cat.authService(typ); {
		case want == "":
			return nil, badRequest("Component %q (%s) does not use an account.", c.param("componentId"), typ)
		case want != a.service:
			return nil, badRequest("Account %s is of service %s; component %q (%s) needs %s.", a.id, a.service, c.param("componentId"), typ, want)
		}
	}
	s.bindings[bindingKey{c.user.id, c.param("componentId")}] = binding{flowID: f.id(), accountID: a.id}
	return map[string]any{"componentId": c.param("componentId"), "accountId": a.id}, nil
}

func (s *Server) unbindAccount(c *call) (any, error) {
	if _, _, err := s.ownComponent(c, c.param("componentId")); err != nil {
		return nil, err
	}
	delete(s.bindings, bindingKey{c.user.id, c.param("componentId")})
	return map[string]any{}, nil
}

// flowAuth is GET /auth/flow/{flowId}: one entry per component whose manifest needs an account.
func (s *Server) flowAuth(c *call) (any, error) {
	f, err := s.ownFlow(c, c.param("flowId"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	cat := s.runtimeCatalog(f.owner())
	for id, v := range f.components() {
		comp, _ := v.(map[string]any)
		typ := str(comp["type"])
		service := cat.authService(typ)
		if service == "" {
			continue
		}
		entry := map[string]any{"componentType": typ, "service": service}
		if b, ok := s.bindings[bindingKey{f.owner(), id}]; ok && b.flowID == f.id() {
			entry["accountId"] = b.accountID
		}
		out[id] = entry
	}
	return out, nil
}

// pruneBindings drops the bindings of a flow's components that are not in keep (all with nil):
// a flow PUT leaves removed components unbound, and deleting a flow unbinds everything.
func (s *Server) pruneBindings(userID, flowID string, keep map[string]any) {
	for k, b := range s.bindings {
		if k.userID != userID || b.flowID != flowID {
			continue
		}
		if _, kept := keep[k.componentID]; !kept {
			delete(s.bindings, k)
		}
	}
}
