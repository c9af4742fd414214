// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Modifiers returns the whole modifiers document, {categories, modifiers}, as the server sent it
// (GET /modifiers); an empty answer is the empty document {}.
func (c *Client) Modifiers(ctx context.Context) (json.RawMessage, error) {
	resp, err := c.send(ctx, call{method: http.MethodGet, path: "/modifiers"})
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(resp.body)) == 0 {
		return json.RawMessage("{}"), nil
	}
	if !json.Valid(resp.body) {
		return nil, fmt.Errorf("GET /modifiers: the answer is not JSON: %s", truncate(string(resp.body), 200))
	}
	return resp.body, nil
}

// SetModifiers replaces the whole modifiers document (PUT /modifiers). Appmixer's DELETE /modifiers
// would delete the built-in modifiers too, so the client has no call for it.
func (c *Client) SetModifiers(ctx context.Context, doc json.RawMessage) error {
	return c.do(ctx, call{method: http.MethodPut, path: "/modifiers", raw: doc, contentType: "application/json"}, nil)
}
