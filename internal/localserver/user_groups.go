// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"time"
)

// User groups (appmixer-api.md §10): workspaces that own flows, stores and files. The docs give the
// routes (POST|GET /user-groups, GET|PUT|DELETE /user-groups/:id, POST /user-groups/:id/members
// {userIds[]}) and that admins join an "admin" group automatically; everything else here is a guess.

type userGroup struct {
	seq            int
	id, name       string
	members        []string // user ids, in the order they joined
	admins         bool     // the "admin" group, which every admin belongs to
	created, mtime time.Time
}

var _ = guess("user-groups", "a group is {id, name, members: [userId], created, mtime}",
	"§10 lists the routes and the members body {userIds}, not the group object")

var _ = guess("user-groups", "every user may list, read, create, change and delete every group",
	"§10 does not say who may; 'by default all users have access to all routes' (§10, ACL)")

var _ = guess("user-groups", "PUT /user-groups/{id} {name?, members?} renames the group and replaces its member list; "+
	"it is the only way to remove a member",
	"§10 documents PUT but not its body, and no route that removes members")

var _ = guess("user-groups", "the \"admin\" group exists from the start and lists every admin-scoped user besides its own members",
	"§10 says admins join an \"admin\" group automatically, not when or whether it can be changed")

var _ = guess("user-groups", "a member that is no longer a user leaves the group's member list; adding an unknown user id is 404 "+
	"(\"User not found.\")",
	"§10 does not say what a group holds once a member is deleted, or how POST .../members treats an unknown id")

func (s *Server) groups(now time.Time) map[string]*userGroup {
	if s.userGroups == nil {
		s.seq++
		admin := &userGroup{seq: s.seq, id: objectID(), name: "admin", admins: true, created: now, mtime: now}
		s.userGroups = map[string]*userGroup{admin.id: admin}
	}
	return s.userGroups
}

// memberIDs are the group's members that are users now: the admins first for the admin group.
func (s *Server) memberIDs(g *userGroup) []string {
	out := []string{}
	if g.admins {
		for _, id := range sortedKeys(s.users) {
			if s.users[id].isAdmin() {
				out = append(out, id)
			}
		}
	}
	for _, id := range g.members {
		if s.users[id] != nil && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) groupView(g *userGroup) map[string]any {
	return map[string]any{"id": g.id, "name": g.name, "members": s.memberIDs(g),
		"created": isoTime(g.created), "mtime": isoTime(g.mtime)}
}

func (s *Server) findGroup(c *call) (*userGroup, error) {
	g := s.groups(c.now)[c.param("id")]
	if g == nil {
		return nil, notFound("User group")
	}
	return g, nil
}

// listUserGroups is GET /user-groups: every group, oldest first.
func (s *Server) listUserGroups(c *call) (any, error) {
	all := make([]*userGroup, 0, len(s.groups(c.now)))
	for _, g := range s.userGroups {
		all = append(all, g)
	}
	slices.SortFunc(all, func(a, b *userGroup) int { return a.seq - b.seq })
	out := make([]any, 0, len(all))
	for _, g := range all {
		out = append(out, s.groupView(g))
	}
	return out, nil
}

func (s *Server) getUserGroup(c *call) (any, error) {
	g, err := s.findGroup(c)
	if err != nil {
		return nil, err
	}
	return s.groupView(g), nil
}

// createUserGroup is POST /user-groups {"name"}.
func (s *Server) createUserGroup(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "name"); err != nil {
		return nil, err
	}
	name, err := requiredString(body, "name")
	if err != nil {
		return nil, err
	}
	groups := s.groups(c.now)
	s.seq++
	g := &userGroup{seq: s.seq, id: objectID(), name: name, members: []string{}, created: c.now, mtime: c.now}
	groups[g.id] = g
	return s.groupView(g), nil
}

// knownUsers checks that every id names a user.
func (s *Server) knownUsers(ids []string) error {
	for _, id := range ids {
		if s.users[id] == nil {
			return notFound("User")
		}
	}
	return nil
}

// updateUserGroup is PUT /user-groups/{id} {name?, members?}.
func (s *Server) updateUserGroup(c *call) (any, error) {
	g, err := s.findGroup(c)
	if err != nil {
		return nil, err
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "name", "members"); err != nil {
		return nil, err
	}
	name, renamed, err := optString(body, "name")
	if err != nil {
		return nil, err
	}
	if renamed && name == "" {
		return nil, badRequest(`"name" is not allowed to be empty`)
	}
	members, replaced, err := optStrings(body, "members")
	if err != nil {
		return nil, err
	}
	if err := s.knownUsers(members); err != nil {
		return nil, err
	}
	if renamed {
		g.name = name
	}
	if replaced {
		g.members = nil
		for _, id := range members {
			if !slices.Contains(g.members, id) {
				g.members = append(g.members, id)
			}
		}
	}
	g.mtime = c.now
	return s.groupView(g), nil
}

// addUserGroupMembers is POST /user-groups/{id}/members {"userIds"}; members already in stay once.
func (s *Server) addUserGroupMembers(c *call) (any, error) {
	g, err := s.findGroup(c)
	if err != nil {
		return nil, err
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "userIds"); err != nil {
		return nil, err
	}
	ids, present, err := optStrings(body, "userIds")
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, badRequest(`"userIds" is required`)
	}
	if err := s.knownUsers(ids); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.Contains(g.members, id) {
			g.members = append(g.members, id)
		}
	}
	g.mtime = c.now
	return s.groupView(g), nil
}

func (s *Server) deleteUserGroup(c *call) (any, error) {
	g, err := s.findGroup(c)
	if err != nil {
		return nil, err
	}
	delete(s.userGroups, g.id)
	return map[string]any{}, nil
}
