// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestContractConformance drives every route the contract dialect serves, successes and errors,
// with the validator on, and expects no request or response to stray from the contract.
func TestContractConformance(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Dialect: DialectContract, ValidateContract: true})
	h.must(200, "GET", "/", "", nil)
	admin := h.admin()
	h.must(200, "GET", "/user", admin, nil)
	h.must(401, "GET", "/user", "", nil)
	joe := h.must(200, "POST", "/user", "", map[string]any{"username": "joe@example.com", "password": "joe-password"}).obj()
	h.must(400, "POST", "/user", "", map[string]any{"username": "joe@example.com", "password": "joe-password"})
	joeID := str(joe["id"])
	h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{"username": "joseph@example.com", "password": "new-password"})
	h.must(404, "PUT", "/users/nope", admin, map[string]any{"username": "x"})
	joeTok := h.login("joseph@example.com", "new-password")
	h.must(401, "POST", "/user/auth", "", map[string]any{"username": "joseph@example.com", "password": "wrong"})

	flow := h.must(200, "POST", "/flows", joeTok, map[string]any{"name": "Contract flow", "flow": twoComponents(), "customFields": map[string]any{"k": "v"}}).obj()
	id := str(flow["id"])
	h.must(200, "POST", "/flows", joeTok, map[string]any{"name": "Second", "flow": map[string]any{}, "customFields": map[string]any{}})
	h.must(200, "GET", "/flows?limit=1&offset=1&pattern=o&sort=name:1&projection=-flow&filter=stage:stopped", joeTok, nil)
	h.must(200, "GET", "/flows", joeTok, nil)
	h.must(200, "GET", "/flows/"+id, joeTok, nil)
	h.must(404, "GET", "/flows/missing", joeTok, nil)
	h.must(200, "PUT", "/flows/"+id, joeTok, map[string]any{"name": "Renamed", "flow": twoComponents(), "customFields": map[string]any{}})
	h.must(200, "PUT", "/flows/"+id+"/start", joeTok, nil)
	h.must(400, "PUT", "/flows/"+id, joeTok, map[string]any{"name": "x"})
	h.must(200, "PUT", "/flows/"+id+"?forceUpdate=true", joeTok, map[string]any{"name": "Forced"})
	h.must(200, "PUT", "/flows/"+id+"/stop", joeTok, nil)
	h.must(404, "PUT", "/flows/missing/start", joeTok, nil)
	h.must(200, "DELETE", "/flows/"+id, joeTok, nil)
	h.must(404, "DELETE", "/flows/"+id, joeTok, nil)

	h.must(200, "GET", "/apps", joeTok, nil)
	h.must(200, "GET", "/components", joeTok, nil)
	archive := base64.StdEncoding.EncodeToString(makeZip(t, acmePackage("1.0.0")))
	h.must(200, "POST", "/components", admin, map[string]any{"name": "acme.tools", "archive": archive})
	h.must(400, "POST", "/components", admin, map[string]any{"name": "acme.tools", "archive": base64.StdEncoding.EncodeToString([]byte("nope"))})
	h.must(200, "DELETE", "/components/acme.tools.core.Ping", admin, nil)
	h.must(404, "DELETE", "/components/acme.tools.core.Ping", admin, nil)

	account, err := h.s.AddAccount("joseph@example.com", AccountSeed{Service: "appmixer:slack", Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	h.must(200, "GET", "/accounts", joeTok, nil)
	h.must(200, "GET", "/accounts/"+account, joeTok, nil)
	h.must(200, "DELETE", "/accounts/"+account, joeTok, nil)
	h.must(404, "GET", "/accounts/"+account, joeTok, nil)
	h.must(200, "DELETE", "/users/"+joeID, admin, nil)
	h.must(404, "DELETE", "/users/"+joeID, admin, nil)

	if v := h.s.ContractViolations(); len(v) > 0 {
		t.Fatalf("%d contract violations:\n%s", len(v), strings.Join(v, "\n"))
	}
	// Every route of the dialect was exercised.
	stats := h.s.Stats()
	for _, rt := range h.s.routes {
		if !rt.control() && stats.Requests[rt.name()] == 0 {
			t.Errorf("route %s not exercised", rt.name())
		}
	}
}

// TestContractValidatorIsLive proves violations are caught: a wrong response, a request the
// contract does not allow and a route the contract lacks.
func TestContractValidatorIsLive(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Dialect: DialectContract, ValidateContract: true})
	h.do("POST", "/user/auth", "", map[string]any{"password": "admin-password"})
	if v := h.s.ContractViolations(); len(v) != 1 || !strings.Contains(v[0], "POST /user/auth: request:") || !strings.Contains(v[0], "username") {
		t.Fatalf("missing username not reported: %q", v)
	}

	wrong := jsonReply(200, map[string]any{"id": 5, "stage": "paused"})
	h.s.validator.check(httptest.NewRequestWithContext(context.Background(), "GET", "/flows/x", nil), nil, wrong)
	v := h.s.ContractViolations()
	if len(v) != 2 || !strings.Contains(v[1], "GET /flows/x: response 200:") || !strings.Contains(v[1], "/id") {
		t.Fatalf("wrong flow not reported: %q", v)
	}
	h.s.validator.check(httptest.NewRequestWithContext(context.Background(), "GET", "/users", nil), nil, jsonReply(200, []any{}))
	if v := h.s.ContractViolations(); len(v) != 3 || !strings.Contains(v[2], "does not have") {
		t.Fatalf("extra route not reported: %q", v)
	}
	assertBoom(t, h.do("GET", "/users", h.admin(), nil), http.StatusNotFound, "Not Found")

	// The appmixer dialect differs from the contract by design and is not validated.
	a := newHarness(t, Options{ValidateContract: true})
	a.must(200, "GET", "/apps", a.admin(), nil)
	if v := a.s.ContractViolations(); v != nil {
		t.Fatalf("appmixer dialect reported %q", v)
	}
}
