// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// ServiceConfig is one connector's settings in /service-config (admin only): OAuth client credentials
// and any other keys the connector reads from its context. Values keep their JSON types.
type ServiceConfig struct {
	ServiceID string                     // "vendor:service", e.g. "appmixer:slack"
	Values    map[string]json.RawMessage // every key but serviceId
}

// serviceConfigKey is the key Appmixer stores the id under, beside the free-form values.
const serviceConfigKey = "serviceId"

func (sc *ServiceConfig) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var id flexString
	if raw, ok := m[serviceConfigKey]; ok {
		if err := json.Unmarshal(raw, &id); err != nil {
			return fmt.Errorf("serviceId: %w", err)
		}
	}
	delete(m, serviceConfigKey)
	sc.ServiceID, sc.Values = string(id), m
	return nil
}

// body is what POST and PUT send: the values with serviceId beside them.
func (sc *ServiceConfig) body() map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(sc.Values)+1)
	for k, v := range sc.Values {
		out[k] = v
	}
	id, _ := json.Marshal(sc.ServiceID)
	out[serviceConfigKey] = id
	return out
}

// Every service-config call is marked secret: its values include client secrets under free-form keys.

// exists reports whether the object is a configuration: Appmixer answers GET of a service without one
// with 200 {} (appmixer-api.md §8), so existence is content, never the status. An object holding
// nothing but its serviceId configures nothing either.
func (sc *ServiceConfig) exists() bool { return len(sc.Values) > 0 }

// ListServiceConfigs pages through GET /service-config; an entry with nothing but its serviceId is
// left out, as GetServiceConfig calls it missing.
func (c *Client) ListServiceConfigs(ctx context.Context) ([]ServiceConfig, error) {
	all, err := walkPages(ctx, pageWalk[ServiceConfig]{
		fetch: func(ctx context.Context, limit, offset int) ([]ServiceConfig, error) {
			var page []ServiceConfig
			q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}, "sort": {"serviceId:1"}}
			err := c.do(ctx, call{method: http.MethodGet, path: "/service-config", query: q, secretKeys: everyKey}, &page)
			return page, err
		},
		key: func(sc ServiceConfig) string { return sc.ServiceID },
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(sc ServiceConfig) bool { return !sc.exists() }), nil
}

// GetServiceConfig is GET /service-config/{serviceId}. A service without a configuration is a 404
// error (IsNotFound), although Appmixer answers it with 200 {}.
func (c *Client) GetServiceConfig(ctx context.Context, serviceID string) (*ServiceConfig, error) {
	var sc ServiceConfig
	p := "/service-config/" + esc(serviceID)
	if err := c.do(ctx, call{method: http.MethodGet, path: p, secretKeys: everyKey}, &sc); err != nil {
		return nil, err
	}
	if !sc.exists() {
		return nil, notFound(p, "Appmixer holds no configuration of "+serviceID+" (it answered an object without settings)")
	}
	if sc.ServiceID == "" {
		sc.ServiceID = serviceID
	}
	return &sc, nil
}

// CreateServiceConfig is POST /service-config.
func (c *Client) CreateServiceConfig(ctx context.Context, sc ServiceConfig) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/service-config", body: sc.body(), class: retryCreate, secretKeys: everyKey}, nil)
}

// ReplaceServiceConfig is PUT /service-config/{serviceId}, which replaces the whole object: keys left
// out are removed.
func (c *Client) ReplaceServiceConfig(ctx context.Context, sc ServiceConfig) error {
	return c.do(ctx, call{method: http.MethodPut, path: "/service-config/" + esc(sc.ServiceID), body: sc.body(), secretKeys: everyKey}, nil)
}

// DeleteServiceConfig is DELETE /service-config/{serviceId}.
func (c *Client) DeleteServiceConfig(ctx context.Context, serviceID string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/service-config/" + esc(serviceID), secretKeys: everyKey}, nil)
}
