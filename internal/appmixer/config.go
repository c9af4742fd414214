// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"net/http"
)

// ConfigEntry is one system setting stored through the API: any JSON value under a key.
type ConfigEntry struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// configSecrets keeps every /config value out of logs and error details: any setting may be a secret
// such as JWTSecret. The keys stay visible.
var configSecrets = []string{"value"}

// ListConfig returns the settings stored through the API (GET /config).
func (c *Client) ListConfig(ctx context.Context) ([]ConfigEntry, error) {
	var out []ConfigEntry
	if err := c.do(ctx, call{method: http.MethodGet, path: "/config", secretKeys: configSecrets}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetConfig stores value (JSON text) under key (POST /config {key, value}) and returns what the
// server answers.
func (c *Client) SetConfig(ctx context.Context, key string, value json.RawMessage) (*ConfigEntry, error) {
	var out ConfigEntry
	cl := call{method: http.MethodPost, path: "/config", body: ConfigEntry{Key: key, Value: value}, secretKeys: configSecrets}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteConfig removes a setting (DELETE /config/{key}).
func (c *Client) DeleteConfig(ctx context.Context, key string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/config/" + esc(key), secretKeys: configSecrets}, nil)
}
