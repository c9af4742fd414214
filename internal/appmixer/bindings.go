// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// ComponentAuth is one component of a flow that needs an account.
type ComponentAuth struct {
	ComponentID   string
	ComponentType string
	Service       string // e.g. "appmixer:slack"
	AccountID     string // "" when unbound
}

// componentAuthWire tolerates an account given as an id, as an object, or
// not at all.
type componentAuthWire struct {
	ComponentType flexString      `json:"componentType"`
	Type          flexString      `json:"type"`
	Service       flexString      `json:"service"`
	AccountID     flexString      `json:"accountId"`
	Account       json.RawMessage `json:"account"`
}

func (w *componentAuthWire) accountID() string {
	if w.AccountID != "" {
		return string(w.AccountID)
	}
	switch jsonKind(w.Account) {
	case '"':
		var s flexString
		_ = json.Unmarshal(w.Account, &s)
		return string(s)
	case '{':
		var a accountWire
		if json.Unmarshal(w.Account, &a) == nil {
			return a.id()
		}
	}
	return ""
}

// FlowAuth returns, keyed by component id, the flow's components that need
// an account (GET /auth/flow/{id}). Not available with the contract.
func (c *Client) FlowAuth(ctx context.Context, flowID string) (map[string]ComponentAuth, error) {
	if err := c.realOnly("reading a flow's account bindings"); err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := c.do(ctx, call{method: http.MethodGet, path: "/auth/flow/" + esc(flowID)}, &raw); err != nil {
		return nil, c.realOnlyErr("reading a flow's account bindings", err)
	}
	out := make(map[string]ComponentAuth, len(raw))
	for id, v := range raw {
		if jsonKind(v) != '{' {
			continue
		}
		var w componentAuthWire
		if err := json.Unmarshal(v, &w); err != nil {
			return nil, fmt.Errorf("GET /auth/flow/%s: decoding component %s: %w", flowID, id, err)
		}
		ct := string(w.ComponentType)
		if ct == "" {
			ct = string(w.Type)
		}
		out[id] = ComponentAuth{ComponentID: id, ComponentType: ct, Service: string(w.Service), AccountID: w.accountID()}
	}
	return out, nil
}

// BindAccount assigns an account to a flow component. Re-bind after each
// flow PUT: new components start unbound.
func (c *Client) BindAccount(ctx context.Context, componentID, accountID string) error {
	if err := c.realOnly("binding accounts"); err != nil {
		return err
	}
	err := c.do(ctx, call{method: http.MethodPut, path: "/auth/component/" + esc(componentID) + "/" + esc(accountID)}, nil)
	return c.realOnlyErr("binding accounts", err)
}

// UnbindAccount removes a component's account.
func (c *Client) UnbindAccount(ctx context.Context, componentID string) error {
	if err := c.realOnly("unbinding accounts"); err != nil {
		return err
	}
	err := c.do(ctx, call{method: http.MethodDelete, path: "/auth/component/" + esc(componentID)}, nil)
	return c.realOnlyErr("unbinding accounts", err)
}

// realOnlyErr turns a 405 from a real-only route, which only a server
// lacking the route gives, into ErrNotSupported (keeping the *Error). A 404
// is left alone: it usually means the object is missing.
func (c *Client) realOnlyErr(what string, err error) error {
	if err != nil && StatusCode(err) == http.StatusMethodNotAllowed {
		return c.notSupported(what, err)
	}
	return err
}
