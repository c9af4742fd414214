// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"net/http"
	"sync"
)

// feature names an area where the real API and the contract use different
// routes or bodies; auto mode learns per server which one works.
type feature string

const (
	featureCreateFlow feature = "create-flow"       // PUT /flows/{uuid} upsert vs POST /flows
	featureStartStop  feature = "start-stop"        // POST /flows/{id}/coordinator vs PUT /flows/{id}/start|stop
	featureFlowCount  feature = "flow-count"        // GET /flows/count vs counting the list
	featureUsersAdmin feature = "users-admin"       // GET /users[/...] exists or not
	featurePublish    feature = "component-publish" // raw zip vs JSON {name, archive}
)

// dialectCache remembers, for the life of the process, which features of a
// server (keyed by base URL) succeeded only on the contract's route. It is
// the package's only mutable global state: Terraform creates a client per
// provider configuration, and each would otherwise probe again.
//
// Only a success on a contract route counts as proof of a contract server:
// a gateway or WAF may answer 405 or 415 (or anything) to a route it does
// not know, and one such answer must not switch the whole process to bodies
// without type, description and sharing. missing holds real routes a server
// lacks (the admin /users routes); it guards those routes only.
var dialectCache = struct {
	sync.Mutex
	contract map[string]bool // baseURL + " " + feature
	missing  map[string]bool // baseURL + " " + feature
}{contract: map[string]bool{}, missing: map[string]bool{}}

func cacheKey(base string, f feature) string { return base + " " + string(f) }

// useContract reports whether f should go straight to the contract route.
func (c *Client) useContract(f feature) bool {
	switch c.dialect {
	case DialectContract:
		return true
	case DialectAppmixer:
		return false
	}
	dialectCache.Lock()
	defer dialectCache.Unlock()
	k := cacheKey(c.baseURL, f)
	return dialectCache.contract[k] || dialectCache.missing[k]
}

// rememberContract records that f's contract route answered with success.
func (c *Client) rememberContract(f feature) {
	dialectCache.Lock()
	defer dialectCache.Unlock()
	dialectCache.contract[cacheKey(c.baseURL, f)] = true
}

// rememberMissing records that the server lacks f's real routes, without
// taking that as proof that it speaks the contract.
func (c *Client) rememberMissing(f feature) {
	dialectCache.Lock()
	defer dialectCache.Unlock()
	dialectCache.missing[cacheKey(c.baseURL, f)] = true
}

// contractish reports a server known to speak the contract: configured so,
// or (auto) one where a contract route answered with success.
// Bodies then leave out fields the contract does not define.
func (c *Client) contractish() bool {
	switch c.dialect {
	case DialectContract:
		return true
	case DialectAppmixer:
		return false
	}
	prefix := c.baseURL + " "
	dialectCache.Lock()
	defer dialectCache.Unlock()
	for k := range dialectCache.contract {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

// routeUnknown reports the answer a server gives for a route it lacks.
func routeUnknown(err error) bool {
	code := StatusCode(err)
	return code == http.StatusNotFound || code == http.StatusMethodNotAllowed
}

// withFallback runs realRoute, or contractRoute when f is known to need it.
// In auto mode, when realRoute answers 404/405, it tries contractRoute once;
// only a success there is remembered. When contractRoute fails too,
// realRoute's error is returned (a 404 from a real route may simply mean the
// object does not exist), with the contract route's answer in its message.
func (c *Client) withFallback(ctx context.Context, f feature, realRoute, contractRoute func(context.Context) error) error {
	return c.withFallbackOn(ctx, f, routeUnknown, realRoute, contractRoute)
}

// withFallbackOn is withFallback with its own test for "route unknown".
func (c *Client) withFallbackOn(ctx context.Context, f feature, unknown func(error) bool, realRoute, contractRoute func(context.Context) error) error {
	if c.useContract(f) {
		return contractRoute(ctx)
	}
	err := realRoute(ctx)
	if c.dialect != DialectAuto || err == nil || !unknown(err) {
		return err
	}
	cerr := contractRoute(ctx)
	if cerr != nil {
		if unknown(cerr) {
			return err
		}
		return &fallbackError{real: err, contract: cerr}
	}
	c.rememberContract(f)
	return nil
}

// fallbackError is a real route's error after the contract's route failed as
// well, with an answer that may be a gateway's as much as a contract
// server's. It unwraps to the real route's error, so its status decides.
type fallbackError struct{ real, contract error }

func (e *fallbackError) Error() string {
	return e.real.Error() + " (the contract's route, tried as well, answered: " + e.contract.Error() + ")"
}

func (e *fallbackError) Unwrap() error { return e.real }

// realOnly guards routes the contract lacks: ErrNotSupported with the
// contract dialect or with a server known to speak it.
func (c *Client) realOnly(what string) error {
	if c.contractish() {
		return c.notSupported(what, nil)
	}
	return nil
}
