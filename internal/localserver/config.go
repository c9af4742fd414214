// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
)

// System configuration (§8): key/value settings stored through the API, any JSON value each. Values
// may be secrets (JWTSecret); the server only ever logs methods and paths, never bodies.

type configEntry struct {
	seq   int
	value any
}

// listConfig is GET /config: the stored keys in the order they were first set.
func (s *Server) listConfig(*call) (any, error) {
	keys := sortedKeys(s.config)
	slices.SortFunc(keys, func(a, b string) int { return s.config[a].seq - s.config[b].seq })
	out := []any{}
	for _, k := range keys {
		out = append(out, map[string]any{"key": k, "value": s.config[k].value})
	}
	return out, nil
}

// setConfig is POST /config {key, value}; a key that exists is overwritten in place.
func (s *Server) setConfig(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "key", "value"); err != nil {
		return nil, err
	}
	key, err := requiredString(body, "key")
	if err != nil {
		return nil, err
	}
	value, ok := body["value"]
	if !ok {
		return nil, badRequest(`"value" is required`)
	}
	e, exists := s.config[key]
	if !exists {
		s.seq++
		e = &configEntry{seq: s.seq}
		s.config[key] = e
	}
	e.value = value
	return map[string]any{"key": key, "value": value}, nil
}

func (s *Server) deleteConfig(c *call) (any, error) {
	key := c.param("key")
	if _, ok := s.config[key]; !ok {
		return nil, notFound("Config")
	}
	delete(s.config, key)
	return map[string]any{"ok": true}, nil
}
