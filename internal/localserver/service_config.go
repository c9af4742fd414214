// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"maps"
	"net/http"
)

// Service configurations (/service-config, admin only): one free-form object per connector service,
// holding typed values ("sandbox": true) and OAuth client secrets. They are tenant-wide, not per user.
// Nothing here logs or echoes a value: error messages name keys only.

const serviceIDKey = "serviceId"

func (s *Server) serviceConfigDocs() []map[string]any {
	docs := make([]map[string]any, 0, len(s.serviceConfigs))
	for _, id := range sortedKeys(s.serviceConfigs) {
		docs = append(docs, s.serviceConfigs[id])
	}
	return docs
}

// listServiceConfigs is GET /service-config?pattern&sort&offset&limit.
func (s *Server) listServiceConfigs(c *call) (any, error) {
	q, err := s.listQuery(c, serviceIDKey)
	if err != nil {
		return nil, err
	}
	return q.apply(s.serviceConfigDocs()), nil
}

// getServiceConfig is GET /service-config/{serviceId}: a service without a configuration answers
// 200 {} (the engine's ServiceConfig.load), never 404; "exists" means a non-empty object.
func (s *Server) getServiceConfig(c *call) (any, error) {
	if doc, ok := s.serviceConfigs[c.param("serviceId")]; ok {
		return doc, nil
	}
	return map[string]any{}, nil
}

var _ = guess("service-config", "a second POST /service-config for a service that has a config answers 409 Conflict",
	"undocumented; no public source shows 409, and the engine's route helper turns unknown errors into 400")

// createServiceConfig is POST /service-config {serviceId, ...}. A second POST for the same service is
// refused: Appmixer keeps one configuration per service (whether it answers 409 is not documented).
func (s *Server) createServiceConfig(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	id, err := requiredString(body, serviceIDKey)
	if err != nil {
		return nil, err
	}
	if !authServicePattern.MatchString(id) {
		return nil, badRequest(`"serviceId" must look like vendor:service`)
	}
	if _, exists := s.serviceConfigs[id]; exists {
		return nil, errorf(http.StatusConflict, "Service configuration %s already exists.", id)
	}
	s.serviceConfigs[id] = body
	return body, nil
}

// replaceServiceConfig is PUT /service-config/{serviceId}: the body replaces the whole object, and
// creates it when the service has none (the engine's findOneAndReplace with upsert).
func (s *Server) replaceServiceConfig(c *call) (any, error) {
	id := c.param("serviceId")
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if v, ok := body[serviceIDKey]; ok && v != id {
		return nil, badRequest(`"serviceId" must be %s, the service of the path`, id)
	}
	doc := maps.Clone(body)
	doc[serviceIDKey] = id
	s.serviceConfigs[id] = doc
	return doc, nil
}

var _ = guess("service-config", "DELETE /service-config/{serviceId} of a service without a configuration answers 200 {}",
	"the notes give DELETE's answer, {}, but not for a missing configuration; GET answers {} for one rather than 404")

// deleteServiceConfig is DELETE /service-config/{serviceId} -> {}.
func (s *Server) deleteServiceConfig(c *call) (any, error) {
	delete(s.serviceConfigs, c.param("serviceId"))
	return map[string]any{}, nil
}
