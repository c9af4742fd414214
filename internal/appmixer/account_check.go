// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"net/http"
)

// TestAccount is POST /accounts/{id}/test: the connector's own check of the account's tokens. The
// documented answer is {"<tokenId>": "valid"} (appmixer-api.md §8); any other value is the server's
// verdict on that token, returned as it is (non-string values as JSON).
func (c *Client) TestAccount(ctx context.Context, id string) (map[string]string, error) {
	var w map[string]json.RawMessage
	if err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/" + esc(id) + "/test"}, &w); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(w))
	for k, v := range w {
		out[k] = errText(v)
	}
	return out, nil
}
