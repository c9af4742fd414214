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
// server (keyed by base URL) answered only on the contract's route. It is
// the package's only mutable global state: Terraform creates a client per
// provider configuration, and each would otherwise probe again.
var dialectCache = struct {
	sync.Mutex
	contract map[string]bool // baseURL + " " + feature
}{contract: map[string]bool{}}

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
	return dialectCache.contract[cacheKey(c.baseURL, f)]
}

func (c *Client) rememberContract(f feature) {
	dialectCache.Lock()
	defer dialectCache.Unlock()
	dialectCache.contract[cacheKey(c.baseURL, f)] = true
}

// contractish reports a server known to speak the contract: configured so,
// or (auto) one that has fallen back to a contract route for any feature.
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
// if that route is recognised (answers anything but 404/405) the choice is
// remembered. When both are unknown, realRoute's error is returned, since a
// 404 from a real route may simply mean the object does not exist.
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
	if cerr != nil && unknown(cerr) {
		return err
	}
	c.rememberContract(f)
	return cerr
}

// realOnly guards routes the contract lacks: ErrNotSupported with the
// contract dialect or with a server known to speak it.
func (c *Client) realOnly(what string) error {
	if c.contractish() {
		return c.notSupported(what, nil)
	}
	return nil
}
