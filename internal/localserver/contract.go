// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"context"
	_ "embed" // the contract travels inside the binary
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractSpec is a copy of shared/appmixer-openapi.yml, the simplified contract the project was given.
//
//go:embed openapi/appmixer-openapi.yml
var contractSpec []byte

// contractValidator checks requests and responses against the contract and remembers what strays.
type contractValidator struct {
	router routers.Router

	// mu serialises validation (kin-openapi documents are not promised to be safe for concurrent
	// validation) and guards violations.
	mu         sync.Mutex
	violations []string
}

func newContractValidator() (*contractValidator, error) {
	doc, err := openapi3.NewLoader().LoadFromData(contractSpec)
	if err != nil {
		return nil, fmt.Errorf("loading the embedded contract: %w", err)
	}
	// The contract's only server is https://api.{tenant}.appmixer.cloud; without servers the router
	// matches paths on any host, such as 127.0.0.1:port.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing the embedded contract: %w", err)
	}
	return &contractValidator{router: router}, nil
}

// check validates one exchange and returns its violations; body is the request body the server read.
func (v *contractValidator) check(r *http.Request, body []byte, rep *reply) []string {
	ctx := context.Background()
	req := r.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	where := r.Method + " " + r.URL.RequestURI()

	v.mu.Lock()
	defer v.mu.Unlock()
	before := len(v.violations)
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.violations = append(v.violations, fmt.Sprintf("%s: the server serves a route the contract does not have: %v", where, err))
		return slices.Clone(v.violations[before:])
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	opts.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string {
		return fmt.Sprintf("at /%s: %s", strings.Join(e.JSONPointer(), "/"), e.Reason)
	})
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		v.violations = append(v.violations, fmt.Sprintf("%s: request: %s", where, oneLine(err)))
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: rep.status, Header: rep.header,
		Body: io.NopCloser(bytes.NewReader(rep.body)), Options: opts,
	})
	if err != nil {
		v.violations = append(v.violations, fmt.Sprintf("%s: response %d: %s", where, rep.status, oneLine(err)))
	}
	return slices.Clone(v.violations[before:])
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// ContractViolations lists every request or response that strayed from the contract, when
// Options.ValidateContract is on in the contract dialect; otherwise it is empty.
func (s *Server) ContractViolations() []string {
	if s.localOnly("checking requests against the contract (ContractViolations)") || s.validator == nil {
		return nil
	}
	s.validator.mu.Lock()
	defer s.validator.mu.Unlock()
	return slices.Clone(s.validator.violations)
}

// The contract dialect's shapes: exactly the contract's schemas, nothing more.

func contractFlow(doc map[string]any) map[string]any {
	out := map[string]any{
		"id": doc["flowId"], "name": doc["name"], "flow": doc["flow"], "stage": doc["stage"],
		"btime": doc["btime"], "mtime": doc["mtime"], "customFields": doc["customFields"],
	}
	if t, ok := doc["thumbnail"].(string); ok {
		out["thumbnail"] = t
	}
	return out
}

func contractUser(u *user) map[string]any {
	return map[string]any{"id": u.id, "username": u.username, "email": u.email, "plan": u.plan}
}

func contractApp(a appMeta) map[string]any {
	return map[string]any{"name": a.name, "label": a.label, "icon": a.icon, "description": a.description}
}

// contractAccount reports valid: true because local accounts never expire or get revoked.
func contractAccount(a *account) map[string]any {
	return map[string]any{"accountId": a.id, "name": a.name, "service": a.service, "profileInfo": a.profileInfo, "valid": true}
}

// contractComponent gives the contract's {name, label, type}; type says "trigger" or "action".
func contractComponent(name string, manifest map[string]any) map[string]any {
	kind := "action"
	if trigger, _ := manifest["trigger"].(bool); trigger {
		kind = "trigger"
	}
	return map[string]any{"name": name, "label": str(manifest["label"]), "type": kind}
}
