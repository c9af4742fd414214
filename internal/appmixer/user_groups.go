// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"net/http"
)

// UserGroup is a user group, a workspace that owns flows, stores and files (appmixer-api.md §10).
// The docs name the routes but not the object's keys: the client reads id (or _id), name and
// members, the user ids.
type UserGroup struct {
	ID      string
	Name    string
	Members []string
}

type userGroupWire struct {
	ID      flexString  `json:"id"`
	MongoID flexString  `json:"_id"`
	Name    flexString  `json:"name"`
	Members flexStrings `json:"members"`
}

func (w userGroupWire) group() UserGroup {
	id := w.ID
	if id == "" {
		id = w.MongoID
	}
	members := []string(w.Members)
	if members == nil {
		members = []string{}
	}
	return UserGroup{ID: string(id), Name: string(w.Name), Members: members}
}

// ListUserGroups is GET /user-groups, a bare array.
func (c *Client) ListUserGroups(ctx context.Context) ([]UserGroup, error) {
	var ws []userGroupWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/user-groups"}, &ws); err != nil {
		return nil, err
	}
	out := make([]UserGroup, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.group())
	}
	return out, nil
}

// GetUserGroup is GET /user-groups/{id}.
func (c *Client) GetUserGroup(ctx context.Context, id string) (*UserGroup, error) {
	var w userGroupWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/user-groups/" + esc(id)}, &w); err != nil {
		return nil, err
	}
	g := w.group()
	if g.ID == "" {
		g.ID = id
	}
	return &g, nil
}

// CreateUserGroup is POST /user-groups {"name"}; it returns the new group's id.
func (c *Client) CreateUserGroup(ctx context.Context, name string) (string, error) {
	var w userGroupWire
	err := c.do(ctx, call{method: http.MethodPost, path: "/user-groups", body: map[string]string{"name": name}, class: retryCreate}, &w)
	if err != nil {
		return "", err
	}
	g := w.group()
	if g.ID == "" {
		return "", errors.New("POST /user-groups: the response has no id")
	}
	return g.ID, nil
}

// UpdateUserGroup is PUT /user-groups/{id} {"name", "members"?}. The docs document PUT but not its
// body; members (the whole list) is how the client removes members, which no documented route does.
// A nil members leaves them out of the body.
func (c *Client) UpdateUserGroup(ctx context.Context, id, name string, members []string) error {
	body := map[string]any{"name": name}
	if members != nil {
		body["members"] = members
	}
	return c.do(ctx, call{method: http.MethodPut, path: "/user-groups/" + esc(id), body: body}, nil)
}

// AddUserGroupMembers is POST /user-groups/{id}/members {"userIds"}.
func (c *Client) AddUserGroupMembers(ctx context.Context, id string, userIDs []string) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/user-groups/" + esc(id) + "/members",
		body: map[string][]string{"userIds": userIDs}}, nil)
}

// DeleteUserGroup is DELETE /user-groups/{id}.
func (c *Client) DeleteUserGroup(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/user-groups/" + esc(id)}, nil)
}
