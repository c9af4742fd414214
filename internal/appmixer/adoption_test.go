// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"net/http"
	"strings"
	"testing"
)

// TestListUsers: GET /users with the pattern, oldest first, page after page until a short one.
func TestListUsers(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.URL.Query().Get("offset") {
		case "0":
			replyRaw(w, 200, `[{"id":"u1","username":"ann@shop.example"},{"id":"u2","username":"bob@shop.example"}]`)
		default:
			replyRaw(w, 200, `[{"id":"u3","username":"cy@shop.example","vendor":"acme"}]`)
		}
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Dialect = DialectAppmixer })
	users, err := c.ListUsers(ctxT(t), "shop.example")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.ID+"="+u.Username)
	}
	if got := strings.Join(names, ","); got != "u1=ann@shop.example,u2=bob@shop.example,u3=cy@shop.example" || users[2].Vendor[0] != "acme" {
		t.Fatalf("users = %s %+v", got, users[2])
	}
	reqs := f.requests()
	if len(reqs) < 2 {
		t.Fatalf("want at least two pages, got %+v", reqs)
	}
	assertReq(t, reqs[0], "GET", "/users", "pattern=shop.example&sort=created:1&limit=100&offset=0")
	assertReq(t, reqs[1], "GET", "/users", "pattern=shop.example&sort=created:1&limit=100&offset=2")
}

// TestDownloadComponent: GET /components/{selector} answers the zip as it is.
func TestDownloadComponent(t *testing.T) {
	zip := "PK\x03\x04 a zip"
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write([]byte(zip))
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Dialect = DialectAppmixer })
	got, err := c.DownloadComponent(ctxT(t), "acme.weather")
	if err != nil || string(got) != zip {
		t.Fatalf("download = %q, %v", got, err)
	}
	assertReq(t, only(t, f), "GET", "/components/acme.weather", "")
}
