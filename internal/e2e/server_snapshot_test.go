// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// snapshotRoutes are the admin's views of everything a configuration can make or change on a tenant.
// They are read over plain HTTP, not through the provider's client, so a bug shared by the client and
// the provider cannot hide a leftover.
var snapshotRoutes = []string{
	"/users", "/user-groups", "/flows", "/accounts", "/service-config", "/stores", "/files", "/public-files",
	"/components", "/config", "/acl/components", "/acl/routes", "/modifiers", "/categories",
}

// serverSnapshot is each route's answer, re-encoded so that key order does not count.
type serverSnapshot map[string]string

func snapshotServer(t *testing.T, srv *localserver.Running) serverSnapshot {
	t.Helper()
	token := loginToken(t, srv)
	s := serverSnapshot{}
	for _, route := range snapshotRoutes {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+route, nil)
		must(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		must(t, err)
		body, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		must(t, err)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", route, res.StatusCode, body)
		}
		var v any
		must(t, json.Unmarshal(body, &v))
		canonical, err := json.Marshal(v)
		must(t, err)
		s[route] = string(canonical)
	}
	return s
}

func (s serverSnapshot) equal(other serverSnapshot) bool { return len(s.diff(other)) == 0 }

// diff names each route whose answer differs from was, with both answers.
func (s serverSnapshot) diff(was serverSnapshot) []string {
	var out []string
	for _, route := range snapshotRoutes {
		if s[route] != was[route] {
			out = append(out, fmt.Sprintf("GET %s answers\n  %s\nwas\n  %s", route, s[route], was[route]))
		}
	}
	return out
}

// loginToken logs in as the admin over plain HTTP.
func loginToken(t *testing.T, srv *localserver.Running) string {
	t.Helper()
	body, err := json.Marshal(map[string]string{"username": srv.AdminUsername(), "password": srv.AdminPassword()})
	must(t, err)
	res, err := http.Post(srv.URL+"/user/auth", "application/json", bytes.NewReader(body)) //nolint:noctx // a local test server
	must(t, err)
	defer func() { _ = res.Body.Close() }()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("admin login: status %d: %v", res.StatusCode, err)
	}
	return out.Token
}
