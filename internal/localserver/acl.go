// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// ACL lists (§8 of the API notes): one authoritative list of rules per type, replaced as a whole by
// POST /acl/{type}. The server stores them and answers the Backoffice's helper routes; it does not
// enforce them.

// aclTypes are the types GET /acl-types lists, in Appmixer's documented order.
var aclTypes = []string{"routes", "components"}

// defaultACL is what a new tenant holds. The components list is Appmixer's documented default (every
// role may use every non-private component); for routes Appmixer documents only that everyone may
// use every route, so the same three roles get "*" everywhere.
func defaultACL() map[string][]map[string]any {
	rules := func(attributes string) []map[string]any {
		var out []map[string]any
		for _, role := range []string{"admin", "user", "tester"} {
			out = append(out, map[string]any{"role": role, "resource": "*", "action": []any{"*"}, "attributes": []any{attributes}})
		}
		return out
	}
	return map[string][]map[string]any{"components": rules("non-private"), "routes": rules("*")}
}

func (s *Server) listACLTypes(*call) (any, error) { return slices.Clone(aclTypes), nil }

// aclType reads the {type} parameter; hapi's params validation answers 400 for any other value.
func aclType(c *call) (string, error) {
	t := c.param("type")
	if !slices.Contains(aclTypes, t) {
		return "", badRequest(`"type" must be one of [%s]`, strings.Join(aclTypes, ", "))
	}
	return t, nil
}

func (s *Server) getACL(c *call) (any, error) {
	t, err := aclType(c)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, r := range s.acl[t] {
		out = append(out, r)
	}
	return out, nil
}

// setACL is POST /acl/{type} with a bare array of rules, which replaces the list. An empty array is
// accepted, as in Appmixer, even though for components it locks everyone out.
func (s *Server) setACL(c *call) (any, error) {
	t, err := aclType(c)
	if err != nil {
		return nil, err
	}
	var body any
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || dec.More() {
		return nil, badRequest("Invalid request payload JSON format")
	}
	list, ok := body.([]any)
	if !ok {
		return nil, badRequest(`"value" must be an array`)
	}
	rules := make([]map[string]any, 0, len(list))
	for i, item := range list {
		rule, err := aclRule(item, i)
		if err != nil {
			return nil, err
		}
		rules = append(rules, rule)
	}
	s.acl[t] = rules
	return map[string]any{}, nil
}

// aclRule validates one rule the way a Joi schema would: role and resource strings, action an
// array of strings, attributes an optional array of strings, nothing else.
func aclRule(item any, i int) (map[string]any, error) {
	rule, ok := item.(map[string]any)
	if !ok {
		return nil, badRequest(`"[%d]" must be an object`, i)
	}
	if err := onlyKeys(rule, "role", "resource", "action", "attributes"); err != nil {
		return nil, err
	}
	for _, k := range []string{"role", "resource"} {
		if _, err := requiredString(rule, k); err != nil {
			return nil, badRequest(`"[%d].%s" is required and must be a string`, i, k)
		}
	}
	for _, k := range []string{"action", "attributes"} {
		_, present, err := optStrings(rule, k)
		if err != nil {
			return nil, badRequest(`"[%d].%s" must be an array of strings`, i, k)
		}
		if !present && k == "action" {
			return nil, badRequest(`"[%d].action" is required`, i)
		}
	}
	return rule, nil
}

// aclResources is GET /acl/{type}/resources, the values the Backoffice offers for "resource".
func (s *Server) aclResources(c *call) (any, error) {
	t, err := aclType(c)
	if err != nil {
		return nil, err
	}
	if t == "routes" {
		return []any{"*", "flows"}, nil
	}
	out := []any{"*"}
	seen := map[string]bool{}
	for _, name := range sortedKeys(s.runtimeCatalog(c.user.id).components) {
		parts := strings.Split(name, ".")
		for n := 1; n < len(parts); n++ {
			if p := strings.Join(parts[:n], ".") + "*"; !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// aclActions is GET /acl/{type}/actions.
func (s *Server) aclActions(c *call) (any, error) {
	t, err := aclType(c)
	if err != nil {
		return nil, err
	}
	if t == "routes" {
		return []any{"*", "read", "create", "update", "delete"}, nil
	}
	return []any{"*", "use"}, nil
}

// aclAttributes is GET /acl/{type}/resource/{resource}/attributes.
func (s *Server) aclAttributes(c *call) (any, error) {
	t, err := aclType(c)
	if err != nil {
		return nil, err
	}
	if t == "routes" {
		return []any{"*"}, nil
	}
	return []any{"*", "private", "non-private"}, nil
}
