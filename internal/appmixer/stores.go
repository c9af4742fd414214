// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"net/http"
)

// Store is a data store (GET /stores): its records live under /store.
type Store struct {
	ID   string
	Name string
}

type storeWire struct {
	StoreID flexString `json:"storeId"`
	Name    flexString `json:"name"`
}

func (w storeWire) store() Store { return Store{ID: string(w.StoreID), Name: string(w.Name)} }

// ListStores is GET /stores: the caller's data stores. The route takes no paging parameters.
func (c *Client) ListStores(ctx context.Context) ([]Store, error) {
	var ws []storeWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/stores"}, &ws); err != nil {
		return nil, err
	}
	out := make([]Store, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.store())
	}
	return out, nil
}

// GetStore is GET /stores/{id}.
func (c *Client) GetStore(ctx context.Context, id string) (*Store, error) {
	var w storeWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/stores/" + esc(id)}, &w); err != nil {
		return nil, err
	}
	s := w.store()
	if s.ID == "" {
		s.ID = id
	}
	return &s, nil
}

// CreateStore is POST /stores {"name"}; it returns the new store's id.
func (c *Client) CreateStore(ctx context.Context, name string) (string, error) {
	var w storeWire
	err := c.do(ctx, call{method: http.MethodPost, path: "/stores", body: map[string]string{"name": name}, class: retryCreate}, &w)
	if err != nil {
		return "", err
	}
	if w.StoreID == "" {
		return "", errors.New("POST /stores: the response has no storeId")
	}
	return string(w.StoreID), nil
}

// RenameStore is PUT /stores/{id} {"name"}.
func (c *Client) RenameStore(ctx context.Context, id, name string) error {
	return c.do(ctx, call{method: http.MethodPut, path: "/stores/" + esc(id), body: map[string]string{"name": name}}, nil)
}

// DeleteStore is DELETE /stores/{id}, which deletes its records too.
func (c *Client) DeleteStore(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/stores/" + esc(id)}, nil)
}
