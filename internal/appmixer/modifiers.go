package appmixer

import (
	"context"
	"encoding/json"
	"net/http"
)

// Modifiers returns the whole modifiers document, {categories, modifiers}, as the server sent it
// (GET /modifiers).
func (c *Client) Modifiers(ctx context.Context) (json.RawMessage, error) {
	resp, err := c.send(ctx, call{method: http.MethodGet, path: "/modifiers"})
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// SetModifiers replaces the whole modifiers document (PUT /modifiers). Appmixer's DELETE /modifiers
// would delete the built-in modifiers too, so the client has no call for it.
func (c *Client) SetModifiers(ctx context.Context, doc json.RawMessage) error {
	return c.do(ctx, call{method: http.MethodPut, path: "/modifiers", raw: doc, contentType: "application/json"}, nil)
}
