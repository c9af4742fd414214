// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
)

// ACLRule is one access rule of an ACL list. Role is a scope (admin, user, ...), an e-mail address
// or a domain; Resource is a component type prefix with "*" (components) or a route resource such as
// "flows" (routes).
type ACLRule struct {
	Role       string   `json:"role"`
	Resource   string   `json:"resource"`
	Action     []string `json:"action"`
	Attributes []string `json:"attributes"`
}

// ACLTypes lists the ACL types the server knows (GET /acl-types): "routes" and "components" in
// Appmixer 6.x, which says others may be added.
func (c *Client) ACLTypes(ctx context.Context) ([]string, error) {
	var out []string
	if err := c.do(ctx, call{method: http.MethodGet, path: "/acl-types"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ACL returns the rules of one type (GET /acl/{type}).
func (c *Client) ACL(ctx context.Context, aclType string) ([]ACLRule, error) {
	var out []ACLRule
	if err := c.do(ctx, call{method: http.MethodGet, path: "/acl/" + esc(aclType)}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetACL replaces the rules of one type with rules (POST /acl/{type} with a bare array). An empty
// list is sent as [], never null.
func (c *Client) SetACL(ctx context.Context, aclType string, rules []ACLRule) error {
	body := make([]ACLRule, 0, len(rules))
	for _, r := range rules {
		if r.Action == nil {
			r.Action = []string{}
		}
		if r.Attributes == nil {
			r.Attributes = []string{}
		}
		body = append(body, r)
	}
	return c.do(ctx, call{method: http.MethodPost, path: "/acl/" + esc(aclType), body: body}, nil)
}
