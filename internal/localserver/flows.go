// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"

	"github.com/google/uuid"
)

// componentTypePattern is a component type: vendor.service.module.Component, or vendor.service.Component
// for the components Appmixer's own services hold directly under the service.
var componentTypePattern = regexp.MustCompile(`^\w+\.\w+(\.\w+)?\.\w+$`)

// serverOwnedFlowKeys are ignored on write, as the engine's Flow.update does (stage changes go
// through the coordinator).
var serverOwnedFlowKeys = []string{"flowId", "userId", "btime", "mtime", "stage"}

// contractFlowKeys are the only writable keys the contract knows.
var contractFlowKeys = []string{"name", "flow", "customFields"}

// flowRec is a stored flow. The document is kept in the appmixer shape as a generic map because
// PUT merges arbitrary top-level keys and list queries filter, sort and project on any path.
type flowRec struct {
	seq int // insertion order, the natural order of lists
	doc map[string]any
}

func (f *flowRec) id() string        { return str(f.doc["flowId"]) }
func (f *flowRec) owner() string     { return str(f.doc["userId"]) }
func (f *flowRec) running() bool     { return f.doc["stage"] == "running" }
func (f *flowRec) setStage(s string) { f.doc["stage"] = s }

// components is the flow descriptor keyed by component id.
func (f *flowRec) components() map[string]any {
	m, _ := f.doc["flow"].(map[string]any)
	return m
}

// ownFlow returns the caller's flow; another user's flow is as missing as an absent one.
func (s *Server) ownFlow(c *call, id string) (*flowRec, error) {
	f := s.flows[id]
	if f == nil || f.owner() != c.user.id {
		return nil, notFound("Flow")
	}
	return f, nil
}

func (s *Server) viewFlow(f *flowRec) map[string]any {
	if s.contract {
		return contractFlow(f.doc)
	}
	return f.doc
}

// flowDocs are the flows the caller sees (see Server.canView) in the dialect's shape, oldest first.
func (s *Server) flowDocs(u *user) []map[string]any {
	var recs []*flowRec
	for _, f := range s.flows {
		if s.canView(u, f) {
			recs = append(recs, f)
		}
	}
	slices.SortFunc(recs, func(a, b *flowRec) int { return a.seq - b.seq })
	docs := make([]map[string]any, len(recs))
	for i, f := range recs {
		docs[i] = s.viewFlowFor(u, f)
	}
	return docs
}

// flowIDKey is the id field of a flow in the dialect's shape.
func (s *Server) flowIDKey() string {
	if s.contract {
		return "id"
	}
	return "flowId"
}

func (s *Server) flowQuery(c *call) (*listQuery, error) {
	return s.listQuery(c, s.flowIDKey(), "name")
}

func (s *Server) listFlows(c *call) (any, error) {
	q, err := s.flowQuery(c)
	if err != nil {
		return nil, err
	}
	return q.apply(s.flowDocs(c.user)), nil
}

func (s *Server) countFlows(c *call) (any, error) {
	q, err := s.flowQuery(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"count": q.count(s.flowDocs(c.user))}, nil
}

func (s *Server) getFlow(c *call) (any, error) {
	f, err := s.visibleFlow(c.user, c.param("id"))
	if err != nil {
		return nil, err
	}
	p, err := parseProjection(c.query().Get("projection"), s.flowIDKey())
	if err != nil {
		return nil, err
	}
	return p.apply(s.viewFlowFor(c.user, f)), nil
}

// createFlow is POST /flows: appmixer answers only {flowId}, the contract the whole flow.
func (s *Server) createFlow(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	f, err := s.insertFlow(c, uuid.NewString(), body)
	if err != nil {
		return nil, err
	}
	if s.contract {
		return contractFlow(f.doc), nil
	}
	return map[string]any{"flowId": f.id()}, nil
}

// putFlow is PUT /flows/{id}: an upsert in Appmixer (its CLI creates flows with ids it picks),
// update-only in the contract. Top-level keys are merged into the stored flow. Appmixer answers
// {"flowId", "result": "updated"} (appmixer-api.md §10), the contract the flow.
func (s *Server) putFlow(c *call) (any, error) {
	id := c.param("id")
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	f := s.flows[id]
	switch {
	case f != nil && f.owner() != c.user.id, f == nil && s.contract:
		return nil, notFound("Flow")
	case f == nil:
		if f, err = s.insertFlow(c, id, body); err != nil {
			return nil, err
		}
	default:
		if f.running() && c.query().Get("forceUpdate") != "true" {
			return nil, badRequest("Flow is running. Use forceUpdate=true to update a running flow.")
		}
		doc := maps.Clone(f.doc)
		if err := s.saveFlow(c, doc, body); err != nil {
			return nil, err
		}
		f.doc = doc
		s.pruneBindings(f.owner(), f.id(), f.components())
	}
	if s.contract {
		return s.viewFlow(f), nil
	}
	return map[string]any{"flowId": f.id(), "result": "updated"}, nil
}

var _ = guess("flows", `PUT /flows/{id} that creates a flow (the upsert) answers {"flowId", "result": "updated"} like an update`,
	`appmixer-api.md §10 gives {"flowId", "result": "updated"} for an update; §1.3 says the answer to the upsert is "the flow or {flowId}"`)

func (s *Server) insertFlow(c *call, id string, body map[string]any) (*flowRec, error) {
	doc := map[string]any{
		"flowId": id, "userId": c.user.id, "stage": "stopped", "btime": isoTime(c.now),
		"flow": map[string]any{}, "customFields": map[string]any{}, "sharedWith": []any{}, "type": "automation",
	}
	if !s.contract {
		doc["revision"] = 1 // a guess, listed beside cloneDoc
	}
	if err := s.saveFlow(c, doc, body); err != nil {
		return nil, err
	}
	s.seq++
	f := &flowRec{seq: s.seq, doc: doc}
	s.flows[id] = f
	return f, nil
}

// saveFlow merges a request body into doc and applies what the engine does on every save:
// descriptor validation, component versions set to the newest installed, a new mtime.
func (s *Server) saveFlow(c *call, doc, body map[string]any) error {
	for _, k := range sortedKeys(body) {
		if slices.Contains(serverOwnedFlowKeys, k) || (s.contract && !slices.Contains(contractFlowKeys, k)) {
			continue
		}
		if err := checkFlowField(k, body[k]); err != nil {
			return err
		}
		doc[k] = body[k]
	}
	if name, _ := doc["name"].(string); name == "" {
		return badRequest(`"name" is required`)
	}
	descriptor, _ := doc["flow"].(map[string]any)
	if err := s.normalizeDescriptor(str(doc["userId"]), descriptor); err != nil {
		return err
	}
	doc["mtime"] = isoTime(c.now)
	return nil
}

// revision is the publisher's (appmixer-api.md §7): Appmixer's publish script and the Designer's
// Publish send old+1 with a template, instances keep the one they were made from, and the server
// stores what it is sent rather than counting saves.
func revision(doc map[string]any) int {
	switch n := doc["revision"].(type) {
	case int:
		return n
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	}
	return 0
}

// fieldKind is the JSON type a flow field must have.
type fieldKind int

const (
	kindString fieldKind = iota
	kindArray
	kindObject
)

// kindProblem is the ajv-style message for a value of the wrong JSON type, or "".
func kindProblem(val any, kind fieldKind) string {
	var ok bool
	switch kind {
	case kindString:
		_, ok = val.(string)
	case kindArray:
		_, ok = val.([]any)
	case kindObject:
		_, ok = val.(map[string]any)
	}
	if ok {
		return ""
	}
	return "should be " + [...]string{"string", "array", "object"}[kind]
}

// flowFieldKinds are the JSON types of the flow keys the engine knows; other keys are stored as sent.
var flowFieldKinds = map[string]fieldKind{
	"name": kindString, "description": kindString, "thumbnail": kindString, "type": kindString,
	"flow": kindObject, "customFields": kindObject, "sharedWith": kindArray,
	"notes": kindObject, "categories": kindArray, // a guess, below
}

var _ = guess("flows", `"notes" that is not an object and "categories" that is not an array are a 400`,
	"§10 gives notes as {<uuid>: {x, y, width, height, content}} and categories as [<id>], not what the engine does with another type")

func checkFlowField(key string, v any) error {
	kind, known := flowFieldKinds[key]
	if !known || (key == "description" && v == nil) || kindProblem(v, kind) == "" {
		return nil
	}
	return badRequest("%q must be %s", key, map[fieldKind]string{kindString: "a string", kindObject: "an object", kindArray: "an array"}[kind])
}

// normalizeDescriptor checks every component's type and stamps the newest version of its type that
// the flow's owner resolves (components_copies.go) on a component saved without one; a version that is sent is kept (appmixer-api.md §3, §10).
// Unknown types are kept: the engine accepts them on save.
func (s *Server) normalizeDescriptor(owner string, descriptor map[string]any) error {
	for _, id := range sortedKeys(descriptor) {
		comp, ok := descriptor[id].(map[string]any)
		if !ok {
			return badRequest("Invalid flow: component %q must be an object.", id)
		}
		typ, ok := comp["type"].(string)
		if !ok || typ == "" {
			return badRequest("Invalid flow: component %q is missing \"type\".", id)
		}
		if !componentTypePattern.MatchString(typ) {
			return badRequest("Invalid flow: component %q has invalid type %q; expected vendor.service.module.Component or vendor.service.Component.", id, typ)
		}
	}
	cat := s.runtimeCatalog(owner)
	for _, v := range descriptor {
		comp, _ := v.(map[string]any)
		if str(comp["version"]) != "" {
			continue
		}
		if version, ok := cat.newestVersion(str(comp["type"])); ok {
			comp["version"] = version
		}
	}
	return nil
}

// deleteFlow stops a running flow before deleting it, and forgets its account bindings.
func (s *Server) deleteFlow(c *call) (any, error) {
	f, err := s.ownFlow(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	f.setStage("stopped")
	delete(s.flows, f.id())
	s.pruneBindings(f.owner(), f.id(), nil)
	if s.contract {
		return map[string]any{}, nil
	}
	return map[string]any{"flowId": f.id()}, nil
}
