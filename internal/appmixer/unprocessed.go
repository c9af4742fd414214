// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"net/http"
)

// UnprocessedMessage is a message a component failed on and the engine kept (appmixer-api.md §1.11).
type UnprocessedMessage struct {
	MessageID   string
	FlowID      string
	ComponentID string
	Created     string
	Err         string // the error's message, or its JSON
}

// ListUnprocessedMessages is GET /unprocessed-messages: every waiting message of the user, in one
// request (the route documents no paging).
func (c *Client) ListUnprocessedMessages(ctx context.Context) ([]UnprocessedMessage, error) {
	var ws []map[string]json.RawMessage
	if err := c.do(ctx, call{method: http.MethodGet, path: "/unprocessed-messages"}, &ws); err != nil {
		return nil, err
	}
	out := make([]UnprocessedMessage, 0, len(ws))
	for _, w := range ws {
		out = append(out, UnprocessedMessage{
			MessageID: textOf(w["messageId"]), FlowID: textOf(w["flowId"]), ComponentID: textOf(w["componentId"]),
			Created: textOf(w["created"]), Err: errText(w["err"]),
		})
	}
	return out, nil
}

// RetryUnprocessedMessage sends a message to its component again. The docs' route is
// POST /unprocessed-messages/{id} and the official CLI's is POST …/{id}/retry (§1.11); a server
// that answers the first with 404 or 405 gets the second. A 404 from both means the message is gone.
func (c *Client) RetryUnprocessedMessage(ctx context.Context, id string) error {
	p := "/unprocessed-messages/" + esc(id)
	err := c.do(ctx, call{method: http.MethodPost, path: p, class: retryCreate}, nil)
	if IsNotFound(err) || StatusCode(err) == http.StatusMethodNotAllowed {
		err = c.do(ctx, call{method: http.MethodPost, path: p + "/retry", class: retryCreate}, nil)
	}
	return err
}

// DeleteUnprocessedMessage drops a message (DELETE /unprocessed-messages/{id}).
func (c *Client) DeleteUnprocessedMessage(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/unprocessed-messages/" + esc(id)}, nil)
}
