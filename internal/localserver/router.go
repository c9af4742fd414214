// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// access says who may call a route.
type access int

const (
	accessOpen          access = iota // no token needed
	accessOptionalToken               // no token needed, but a token that is sent must be valid
	accessUser                        // any valid token
	accessAdmin                       // a token of a user with the admin scope
)

// dialects a route exists in.
type dialects int

const (
	inAppmixer dialects = 1 << iota
	inContract
	inBoth = inAppmixer | inContract
)

type handler func(c *call) (any, error)

type route struct {
	method   string
	pattern  string // template such as "/flows/{id}", also the stats key with the method
	segs     []string
	access   access
	dialects dialects
	handle   handler
}

func (rt *route) name() string { return rt.method + " " + rt.pattern }

// control routes are the server's own test hooks: no latency, faults or stats apply to them.
func (rt *route) control() bool { return strings.HasPrefix(rt.pattern, "/_local/") }

// routeTable lists every route of both dialects; New keeps those of the configured dialect.
func (s *Server) routeTable() []*route {
	all := []*route{
		{method: "GET", pattern: "/", access: accessOpen, dialects: inBoth, handle: s.getInfo},
		{method: "POST", pattern: "/user/auth", access: accessOpen, dialects: inBoth, handle: s.login},
		{method: "GET", pattern: "/user", access: accessUser, dialects: inBoth, handle: s.getCurrentUser},
		{method: "POST", pattern: "/user", access: accessOptionalToken, dialects: inBoth, handle: s.createUser},
		{method: "GET", pattern: "/users", access: accessAdmin, dialects: inAppmixer, handle: s.listUsers},
		{method: "GET", pattern: "/users/count", access: accessAdmin, dialects: inAppmixer, handle: s.countUsers},
		{method: "GET", pattern: "/users/{id}", access: accessAdmin, dialects: inAppmixer, handle: s.getUser},
		{method: "PUT", pattern: "/users/{id}", access: accessAdmin, dialects: inBoth, handle: s.updateUser},
		{method: "DELETE", pattern: "/users/{id}", access: accessAdmin, dialects: inBoth, handle: s.deleteUser},
		{method: "GET", pattern: "/users/{id}/delete-status/{ticket}", access: accessAdmin, dialects: inAppmixer, handle: s.userDeleteStatus},
		{method: "POST", pattern: "/user/reset-password", access: accessAdmin, dialects: inAppmixer, handle: s.resetPassword},

		{method: "GET", pattern: "/flows", access: accessUser, dialects: inBoth, handle: s.listFlows},
		{method: "GET", pattern: "/flows/count", access: accessUser, dialects: inAppmixer, handle: s.countFlows},
		{method: "POST", pattern: "/flows", access: accessUser, dialects: inBoth, handle: s.createFlow},
		{method: "GET", pattern: "/flows/{id}", access: accessUser, dialects: inBoth, handle: s.getFlow},
		{method: "PUT", pattern: "/flows/{id}", access: accessUser, dialects: inBoth, handle: s.putFlow},
		{method: "DELETE", pattern: "/flows/{id}", access: accessUser, dialects: inBoth, handle: s.deleteFlow},
		{method: "POST", pattern: "/flows/{id}/coordinator", access: accessUser, dialects: inAppmixer, handle: s.coordinate},
		{method: "POST", pattern: "/flows/{id}/clone", access: accessUser, dialects: inAppmixer, handle: s.cloneFlow},
		{method: "PUT", pattern: "/flows/{id}/start", access: accessUser, dialects: inContract, handle: s.startFlow},
		{method: "PUT", pattern: "/flows/{id}/stop", access: accessUser, dialects: inContract, handle: s.stopFlow},

		{method: "POST", pattern: "/integrations/{id}/update-integration-instances", access: accessUser, dialects: inAppmixer, handle: s.updateInstances},
		{method: "GET", pattern: "/integrations/status/{ticket}", access: accessUser, dialects: inAppmixer, handle: s.integrationStatus},
		{method: "DELETE", pattern: "/integrations/{id}", access: accessUser, dialects: inAppmixer, handle: s.deleteIntegration},

		{method: "GET", pattern: "/apps", access: accessUser, dialects: inBoth, handle: s.listApps},
		{method: "GET", pattern: "/bundles", access: accessUser, dialects: inAppmixer, handle: s.listBundles},
		{method: "GET", pattern: "/components", access: accessUser, dialects: inBoth, handle: s.listComponents},
		{method: "POST", pattern: "/components", access: accessUser, dialects: inBoth, handle: s.publishComponents},
		{method: "GET", pattern: "/components/uploader/{ticket}", access: accessUser, dialects: inAppmixer, handle: s.uploadStatus},
		{method: "DELETE", pattern: "/components/{selector}", access: accessUser, dialects: inBoth, handle: s.deleteComponents},
		{method: "GET", pattern: "/components/{selector}", access: accessUser, dialects: inAppmixer, handle: s.downloadComponents},
		{method: "GET", pattern: "/components/{selector}/{file}", access: accessUser, dialects: inAppmixer, handle: s.downloadComponentFile},

		{method: "GET", pattern: "/accounts", access: accessUser, dialects: inBoth, handle: s.listAccounts},
		{method: "GET", pattern: "/accounts/{id}", access: accessUser, dialects: inContract, handle: s.getAccount},
		{method: "DELETE", pattern: "/accounts/{id}", access: accessUser, dialects: inBoth, handle: s.deleteAccount},
		{method: "PUT", pattern: "/auth/component/{componentId}/{accountId}", access: accessUser, dialects: inAppmixer, handle: s.bindAccount},
		{method: "DELETE", pattern: "/auth/component/{componentId}", access: accessUser, dialects: inAppmixer, handle: s.unbindAccount},
		{method: "GET", pattern: "/auth/flow/{flowId}", access: accessUser, dialects: inAppmixer, handle: s.flowAuth},

		{method: "POST", pattern: "/accounts", access: accessUser, dialects: inAppmixer, handle: s.postAccount},
		{method: "PUT", pattern: "/accounts/{id}", access: accessUser, dialects: inAppmixer, handle: s.putAccount},

		{method: "GET", pattern: "/service-config", access: accessAdmin, dialects: inAppmixer, handle: s.listServiceConfigs},
		{method: "POST", pattern: "/service-config", access: accessAdmin, dialects: inAppmixer, handle: s.createServiceConfig},
		{method: "GET", pattern: "/service-config/{serviceId}", access: accessAdmin, dialects: inAppmixer, handle: s.getServiceConfig},
		{method: "PUT", pattern: "/service-config/{serviceId}", access: accessAdmin, dialects: inAppmixer, handle: s.replaceServiceConfig},
		{method: "DELETE", pattern: "/service-config/{serviceId}", access: accessAdmin, dialects: inAppmixer, handle: s.deleteServiceConfig},

		{method: "GET", pattern: "/stores", access: accessUser, dialects: inAppmixer, handle: s.listStores},
		{method: "POST", pattern: "/stores", access: accessUser, dialects: inAppmixer, handle: s.createStore},
		{method: "GET", pattern: "/stores/{id}", access: accessUser, dialects: inAppmixer, handle: s.getStore},
		{method: "PUT", pattern: "/stores/{id}", access: accessUser, dialects: inAppmixer, handle: s.renameStore},
		{method: "DELETE", pattern: "/stores/{id}", access: accessUser, dialects: inAppmixer, handle: s.deleteStore},
		{method: "GET", pattern: "/store", access: accessUser, dialects: inAppmixer, handle: s.listRecords},
		{method: "DELETE", pattern: "/store", access: accessUser, dialects: inAppmixer, handle: s.deleteRecords},
		{method: "GET", pattern: "/store/count", access: accessUser, dialects: inAppmixer, handle: s.countRecords},
		{method: "POST", pattern: "/store/{storeId}/{key}", access: accessUser, dialects: inAppmixer, handle: s.putRecord},
		{method: "PUT", pattern: "/store/{storeId}/{key}", access: accessUser, dialects: inAppmixer, handle: s.putRecord},
		{method: "PATCH", pattern: "/store/{storeId}/{key}", access: accessUser, dialects: inAppmixer, handle: s.patchRecord},
		{method: "DELETE", pattern: "/store/{storeId}/{key}", access: accessUser, dialects: inAppmixer, handle: s.deleteRecord},
		{method: "GET", pattern: "/acl-types", access: accessAdmin, dialects: inAppmixer, handle: s.listACLTypes},
		{method: "GET", pattern: "/acl/{type}", access: accessAdmin, dialects: inAppmixer, handle: s.getACL},
		{method: "POST", pattern: "/acl/{type}", access: accessAdmin, dialects: inAppmixer, handle: s.setACL},
		{method: "GET", pattern: "/acl/{type}/resources", access: accessAdmin, dialects: inAppmixer, handle: s.aclResources},
		{method: "GET", pattern: "/acl/{type}/actions", access: accessAdmin, dialects: inAppmixer, handle: s.aclActions},
		{method: "GET", pattern: "/acl/{type}/resource/{resource}/attributes", access: accessAdmin, dialects: inAppmixer, handle: s.aclAttributes},
		{method: "GET", pattern: "/config", access: accessAdmin, dialects: inAppmixer, handle: s.listConfig},
		{method: "POST", pattern: "/config", access: accessAdmin, dialects: inAppmixer, handle: s.setConfig},
		{method: "DELETE", pattern: "/config/{key}", access: accessAdmin, dialects: inAppmixer, handle: s.deleteConfig},
		{method: "GET", pattern: "/modifiers", access: accessUser, dialects: inAppmixer, handle: s.getModifiers},
		{method: "PUT", pattern: "/modifiers", access: accessAdmin, dialects: inAppmixer, handle: s.putModifiers},
		{method: "DELETE", pattern: "/modifiers", access: accessAdmin, dialects: inAppmixer, handle: s.deleteModifiers},
		{method: "POST", pattern: "/modifiers/test", access: accessAdmin, dialects: inAppmixer, handle: s.testModifier},
		{method: "GET", pattern: "/public-files", access: accessAdmin, dialects: inAppmixer, handle: s.listPublicFiles},
		{method: "POST", pattern: "/public-files", access: accessAdmin, dialects: inAppmixer, handle: s.uploadPublicFile},
		{method: "DELETE", pattern: "/public-files/{filename}", access: accessAdmin, dialects: inAppmixer, handle: s.deletePublicFile},
		{method: "GET", pattern: "/files", access: accessUser, dialects: inAppmixer, handle: s.listFiles},
		{method: "GET", pattern: "/files/count", access: accessUser, dialects: inAppmixer, handle: s.countFiles},
		{method: "POST", pattern: "/files", access: accessUser, dialects: inAppmixer, handle: s.uploadFile},
		{method: "GET", pattern: "/files/metadata/{id}", access: accessUser, dialects: inAppmixer, handle: s.getFileMetadata},
		{method: "DELETE", pattern: "/files/{id}", access: accessUser, dialects: inAppmixer, handle: s.deleteFile},
		{method: "DELETE", pattern: "/files", access: accessUser, dialects: inAppmixer, handle: s.deleteFiles},
		{method: "GET", pattern: "/user-groups", access: accessUser, dialects: inAppmixer, handle: s.listUserGroups},
		{method: "POST", pattern: "/user-groups", access: accessUser, dialects: inAppmixer, handle: s.createUserGroup},
		{method: "GET", pattern: "/user-groups/{id}", access: accessUser, dialects: inAppmixer, handle: s.getUserGroup},
		{method: "PUT", pattern: "/user-groups/{id}", access: accessUser, dialects: inAppmixer, handle: s.updateUserGroup},
		{method: "DELETE", pattern: "/user-groups/{id}", access: accessUser, dialects: inAppmixer, handle: s.deleteUserGroup},
		{method: "POST", pattern: "/user-groups/{id}/members", access: accessUser, dialects: inAppmixer, handle: s.addUserGroupMembers},

		{method: "GET", pattern: "/categories", access: accessUser, dialects: inAppmixer, handle: s.listCategories},
		{method: "POST", pattern: "/categories", access: accessAdmin, dialects: inAppmixer, handle: s.createCategory},
		{method: "GET", pattern: "/categories/{id}", access: accessUser, dialects: inAppmixer, handle: s.getCategory},
		{method: "PUT", pattern: "/categories/{id}", access: accessAdmin, dialects: inAppmixer, handle: s.updateCategory},
		{method: "DELETE", pattern: "/categories/{id}", access: accessAdmin, dialects: inAppmixer, handle: s.deleteCategory},
		// Runtime data (runtime.go): logs, unprocessed messages, people tasks, account tests.
		{method: "GET", pattern: "/logs", access: accessUser, dialects: inAppmixer, handle: s.getLogs},
		{method: "GET", pattern: "/unprocessed-messages", access: accessUser, dialects: inAppmixer, handle: s.listUnprocessed},
		{method: "GET", pattern: "/unprocessed-messages/{id}", access: accessUser, dialects: inAppmixer, handle: s.getUnprocessed},
		{method: "DELETE", pattern: "/unprocessed-messages/{id}", access: accessUser, dialects: inAppmixer, handle: s.removeUnprocessed},
		{method: "POST", pattern: "/unprocessed-messages/{id}", access: accessUser, dialects: inAppmixer, handle: s.removeUnprocessed},
		{method: "POST", pattern: "/unprocessed-messages/{id}/retry", access: accessUser, dialects: inAppmixer, handle: s.removeUnprocessed},
		{method: "GET", pattern: "/people-task/tasks", access: accessUser, dialects: inAppmixer, handle: s.listPeopleTasks},
		{method: "POST", pattern: "/accounts/{id}/test", access: accessUser, dialects: inAppmixer, handle: s.testAccount},

		{method: "GET", pattern: "/_local/stats", access: accessOpen, dialects: inBoth, handle: s.getStats},
		{method: "DELETE", pattern: "/_local/stats", access: accessOpen, dialects: inBoth, handle: s.deleteStats},
		{method: "POST", pattern: "/_local/accounts", access: accessAdmin, dialects: inBoth, handle: s.createLocalAccount},
		{method: "POST", pattern: "/_local/components/upgrade", access: accessAdmin, dialects: inBoth, handle: s.upgradeComponentRoute},
		{method: "POST", pattern: "/_local/integrations/faults", access: accessAdmin, dialects: inAppmixer, handle: s.integrationFaultsRoute},
		{method: "POST", pattern: "/_local/logs", access: accessAdmin, dialects: inAppmixer, handle: s.addLogsRoute},
		{method: "POST", pattern: "/_local/unprocessed-messages", access: accessAdmin, dialects: inAppmixer, handle: s.addUnprocessedRoute},
		{method: "POST", pattern: "/_local/people-tasks", access: accessAdmin, dialects: inAppmixer, handle: s.addPeopleTasksRoute},
		{method: "PUT", pattern: "/_local/accounts/{id}/test", access: accessAdmin, dialects: inAppmixer, handle: s.setAccountTestRoute},
		{method: "POST", pattern: "/_local/users/faults", access: accessAdmin, dialects: inAppmixer, handle: s.userFaultsRoute},
	}
	want := inAppmixer
	if s.contract {
		want = inContract
	}
	var routes []*route
	for _, rt := range all {
		if rt.dialects&want != 0 {
			rt.segs = splitPath(rt.pattern)
			routes = append(routes, rt)
		}
	}
	return routes
}

// match finds the route for a request. Literal segments win over parameters ("/flows/count" over
// "/flows/{id}"). With no route for the method, allowed lists the methods the path does have.
func (s *Server) match(method string, u *url.URL) (*route, map[string]string, []string) {
	segs := splitPath(u.EscapedPath())
	for i, seg := range segs {
		v, err := url.PathUnescape(seg)
		if err != nil {
			return nil, nil, nil
		}
		segs[i] = v
	}
	var best *route
	bestScore := -1
	allowed := map[string]bool{}
	for _, rt := range s.routes {
		score, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		if rt.method != method {
			allowed[rt.method] = true
			continue
		}
		if score > bestScore {
			best, bestScore = rt, score
		}
	}
	if best == nil {
		methods := make([]string, 0, len(allowed))
		for m := range allowed {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		return nil, nil, methods
	}
	params := map[string]string{}
	for i, seg := range best.segs {
		if isParam(seg) {
			params[seg[1:len(seg)-1]] = segs[i]
		}
	}
	return best, params, nil
}

// matchSegs reports whether a path fits a template and how many literal segments it matched.
func matchSegs(tmpl, segs []string) (int, bool) {
	if len(tmpl) != len(segs) {
		return 0, false
	}
	score := 0
	for i, t := range tmpl {
		switch {
		case isParam(t):
			if segs[i] == "" {
				return 0, false
			}
		case t == segs[i]:
			score++
		default:
			return 0, false
		}
	}
	return score, true
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// splitPath turns "/a/b" into ["a","b"] and "/" into []; a trailing slash stays significant, as in hapi.
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// call is one request as a handler sees it; handlers run with Server.mu held.
type call struct {
	s      *Server
	r      *http.Request
	params map[string]string
	body   []byte
	user   *user // nil on open routes called without a token
	now    time.Time
}

func (c *call) param(name string) string { return c.params[name] }

func (c *call) query() url.Values { return c.r.URL.Query() }

// authorize checks the token and scope a route needs and sets c.user.
func (s *Server) authorize(c *call, a access) error {
	if a == accessOpen || (a == accessOptionalToken && c.r.Header.Get("Authorization") == "") {
		return nil
	}
	u, err := s.authenticate(c.r, c.now)
	if err != nil {
		return err
	}
	if a == accessAdmin && !u.isAdmin() {
		return errorf(http.StatusForbidden, "Insufficient scope")
	}
	c.user = u
	return nil
}
