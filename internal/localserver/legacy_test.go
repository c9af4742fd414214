// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// corrected stands in for a server that gives the corrected answers the legacy ones undo, as real
// Appmixer does (/work/shared/appmixer-api.md): POST /user {token}, a missing service config 200 {},
// a refused login 403, a ticket 404 until its verdict is stored, PUT /flows {flowId, result}.
func corrected(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	answer := func(status int, body string) { w.WriteHeader(status); _, _ = io.WriteString(w, body) }
	switch r.Method + " " + r.URL.Path {
	case "POST /user":
		answer(201, `{"token":"new-user-token"}`)
	case "GET /user":
		if r.Header.Get("Authorization") != "Bearer new-user-token" {
			answer(401, `{"statusCode":401}`)
			return
		}
		answer(200, `{"id":"u-1","username":"joe@example.com","scope":["user"]}`)
	case "GET /service-config/appmixer:slack":
		answer(200, `{}`)
	case "GET /service-config/appmixer:gmail":
		answer(200, `{"serviceId":"appmixer:gmail","clientId":"x"}`)
	case "POST /user/auth":
		answer(403, `{"statusCode":403,"error":"Forbidden"}`)
	case "POST /components":
		answer(200, `{"ticket":"t-1"}`)
	case "GET /components/uploader/t-1", "GET /components/uploader/t-unknown":
		answer(404, `{"statusCode":404}`)
	case "PUT /flows/f-1":
		answer(200, `{"flowId":"f-1","result":"ok"}`)
	case "GET /flows/f-1":
		answer(200, `{"flowId":"f-1","name":"Saved"}`)
	default:
		answer(500, `{}`)
	}
}

func TestLegacyAnswers(t *testing.T) {
	t.Parallel()
	on := map[LegacyAnswer]bool{}
	for _, a := range AllLegacyAnswers {
		on[a] = true
	}
	srv := httptest.NewServer(&legacyHandler{inner: http.HandlerFunc(corrected), on: on, tickets: map[string]bool{}})
	t.Cleanup(srv.Close)
	call := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var got map[string]any
		_ = json.NewDecoder(res.Body).Decode(&got)
		return res.StatusCode, got
	}
	cases := []struct {
		what, method, path string
		status             int
		key                string
		value              any
	}{
		{"POST /user answers the created user", "POST", "/user", 201, "id", "u-1"},
		{"a missing service config is 404", "GET", "/service-config/appmixer:slack", 404, "statusCode", float64(404)},
		{"a service config that exists is left alone", "GET", "/service-config/appmixer:gmail", 200, "clientId", "x"},
		{"a refused login is 401", "POST", "/user/auth", 401, "error", "Forbidden"},
		{"POST /components issues the ticket", "POST", "/components", 200, "ticket", "t-1"},
		{"an issued ticket is in progress", "GET", "/components/uploader/t-1", 200, "finished", false},
		{"a ticket never issued stays 404", "GET", "/components/uploader/t-unknown", 404, "statusCode", float64(404)},
		{"PUT /flows answers the saved flow", "PUT", "/flows/f-1", 200, "name", "Saved"},
	}
	for _, c := range cases { // in order: the ticket must be issued before it is polled
		status, body := call(c.method, c.path, "{}")
		if status != c.status || body[c.key] != c.value {
			t.Errorf("%s: got %d %v, want %d with %s = %v", c.what, status, body, c.status, c.key, c.value)
		}
	}

	// Without the switch the corrected answers pass through unchanged.
	plain := httptest.NewServer(&legacyHandler{inner: http.HandlerFunc(corrected), on: map[LegacyAnswer]bool{}, tickets: map[string]bool{}})
	t.Cleanup(plain.Close)
	res, err := plain.Client().Post(plain.URL+"/user", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if b, _ := io.ReadAll(res.Body); res.StatusCode != 201 || strings.TrimSpace(string(b)) != `{"token":"new-user-token"}` {
		t.Errorf("without legacy answers POST /user gave %d %s", res.StatusCode, b)
	}
}
