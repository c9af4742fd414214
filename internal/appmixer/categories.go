// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"net/http"
)

// Category is an integration category, a tab of the Automation Hub (appmixer-api.md §10): global,
// readable by every user, written by admins. Drafts and templates name it in `categories`.
type Category struct {
	ID          string
	Name        string
	Description string
	Created     string
	Updated     string
}

type categoryWire struct {
	ID          flexString `json:"id"`
	MongoID     flexString `json:"_id"`
	Name        flexString `json:"name"`
	Description flexString `json:"description"`
	Created     flexString `json:"created"`
	MTime       flexString `json:"mtime"`
}

func (w categoryWire) category() Category {
	id := w.ID
	if id == "" {
		id = w.MongoID // what a MongoDB document would carry if the route forwarded it as is
	}
	return Category{ID: string(id), Name: string(w.Name), Description: string(w.Description),
		Created: string(w.Created), Updated: string(w.MTime)}
}

// ListCategories is GET /categories, a bare array.
func (c *Client) ListCategories(ctx context.Context) ([]Category, error) {
	var ws []categoryWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/categories"}, &ws); err != nil {
		return nil, err
	}
	out := make([]Category, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.category())
	}
	return out, nil
}

// GetCategory is GET /categories/{id}.
func (c *Client) GetCategory(ctx context.Context, id string) (*Category, error) {
	var w categoryWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/categories/" + esc(id)}, &w); err != nil {
		return nil, err
	}
	cat := w.category()
	if cat.ID == "" {
		cat.ID = id
	}
	return &cat, nil
}

// CreateCategory is POST /categories {"name", "description"} (admin); it returns the new id.
func (c *Client) CreateCategory(ctx context.Context, name, description string) (string, error) {
	var w categoryWire
	err := c.do(ctx, call{method: http.MethodPost, path: "/categories", body: categoryBody(name, description), class: retryCreate}, &w)
	if err != nil {
		return "", err
	}
	if id := w.category().ID; id != "" {
		return id, nil
	}
	return "", errors.New("POST /categories: the response has no id")
}

// UpdateCategory is PUT /categories/{id} {"name", "description"} (admin).
func (c *Client) UpdateCategory(ctx context.Context, id, name, description string) error {
	return c.do(ctx, call{method: http.MethodPut, path: "/categories/" + esc(id), body: categoryBody(name, description)}, nil)
}

// DeleteCategory is DELETE /categories/{id} (admin); the server removes it from drafts and templates.
func (c *Client) DeleteCategory(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/categories/" + esc(id)}, nil)
}

// categoryBody always sends the description, "" when there is none, so that an update clears it.
func categoryBody(name, description string) map[string]string {
	return map[string]string{"name": name, "description": description}
}
