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

func (s *Server) serviceConfig(id string) (map[string]any, error) {
	doc, ok := s.serviceConfigs[id]
	if !ok {
		return nil, notFound("Service configuration")
	}
	return doc, nil
}

func (s *Server) getServiceConfig(c *call) (any, error) { return s.serviceConfig(c.param("serviceId")) }

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

// replaceServiceConfig is PUT /service-config/{serviceId}: the body replaces the whole object.
func (s *Server) replaceServiceConfig(c *call) (any, error) {
	id := c.param("serviceId")
	if _, err := s.serviceConfig(id); err != nil {
		return nil, err
	}
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

func (s *Server) deleteServiceConfig(c *call) (any, error) {
	id := c.param("serviceId")
	if _, err := s.serviceConfig(id); err != nil {
		return nil, err
	}
	delete(s.serviceConfigs, id)
	return map[string]any{}, nil
}
