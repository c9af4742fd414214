// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/appmixer/terraform-provider-appmixer/internal/componentmap"
)

// cloneFlow is POST /flows/{id}/clone (docs "Clone Flow", appmixer-api.md §7): a copy of the flow,
// owned by the caller and stopped, whose components all get new ids. Links, transforms, "$.<id>."
// variables and the wizard's references follow the new ids, and the renaming is kept as the clone's
// componentIdMap unless setComponentIdMap is false. This is how an integration is published (a
// template cloned from its draft) and how an end user gets an instance: a clone of a template shared
// with them, linked by a PUT of templateId after it (the SDK, the Wizard, the staff recipe) or made
// with isTemplateInstance and setOriginFlowId (the CLI's e2e test).
func (s *Server) cloneFlow(c *call) (any, error) {
	src, err := s.visibleFlow(c.user, c.param("id"))
	if err != nil {
		return nil, err
	}
	body := map[string]any{}
	if len(c.body) > 0 {
		if body, err = c.object(); err != nil {
			return nil, err
		}
	}
	opts, err := parseCloneOptions(body)
	if err != nil {
		return nil, err
	}
	if src.owner() != c.user.id && src.flowType() != typeTemplate {
		// Another user's flow is cloned only as an instance of a template shared with the caller; the
		// SDK and the staff recipe do that without isTemplateInstance (appmixer-api.md §7).
		return nil, errorf(http.StatusForbidden, "Only the owner can clone this flow; an integration template shared with you can be cloned.")
	}
	doc := s.cloneDoc(src, opts, c.user.id)
	ids := componentmap.Extend(src.components(), nil, uuid.NewString)
	doc["flow"] = componentmap.Descriptor(src.components(), ids)
	if w, ok := doc["wizard"]; ok && w != nil {
		doc["wizard"] = componentmap.Wizard(w, ids)
	}
	delete(doc, "originFlowId")
	if opts.setOriginFlowID {
		doc["originFlowId"] = src.id()
	}
	delete(doc, "componentIdMap")
	if opts.setComponentIDMap {
		doc["componentIdMap"] = stringMapDoc(ids)
	}
	if src.flowType() == typeTemplate {
		doc["type"] = typeInstance // a guess (beside cloneDoc); additional.type below still decides
	}
	for k, v := range opts.additional {
		doc[k] = v
	}
	if err := s.normalizeDescriptor(c.user.id, componentsOf(doc)); err != nil {
		return nil, err
	}
	s.seq++
	clone := &flowRec{seq: s.seq, doc: doc}
	s.flows[clone.id()] = clone
	if opts.connectAccounts && src.owner() == c.user.id {
		s.copyBindings(src, clone, ids)
	}
	return map[string]any{"cloneId": clone.id()}, nil
}

// cloneAdditionalKeys are what a clone's additional takes: the documented type, sharedWith and wizard,
// and name (Appmixer's publish script); it found other keys, such as categories, refused with 400
// (appmixer-api.md §7), so those are set with a PUT after the clone.
var cloneAdditionalKeys = []string{"type", "sharedWith", "wizard", "name"}

type cloneOptions struct {
	prefix                                                                string
	excluded                                                              [][]string // top-level fields not copied
	connectAccounts, templateInstance, setOriginFlowID, setComponentIDMap bool
	additional                                                            map[string]any
}

// parseCloneOptions reads the documented body; setComponentIdMap defaults to true, the rest to false.
func parseCloneOptions(body map[string]any) (cloneOptions, error) {
	o := cloneOptions{setComponentIDMap: true}
	if err := onlyKeys(body, "prefix", "projection", "connectAccounts", "isTemplateInstance", "setOriginFlowId", "setComponentIdMap", "additional"); err != nil {
		return o, err
	}
	var err error
	if o.prefix, _, err = optString(body, "prefix"); err != nil {
		return o, err
	}
	projection, _, err := optString(body, "projection")
	if err != nil {
		return o, err
	}
	p, err := parseProjection(projection, "flowId")
	if err != nil {
		return o, err
	}
	if p.include {
		return o, badRequest(`"projection" lists the fields not to copy, such as "-sharedWith"`)
	}
	o.excluded = p.paths
	for key, dst := range map[string]*bool{
		"connectAccounts": &o.connectAccounts, "isTemplateInstance": &o.templateInstance,
		"setOriginFlowId": &o.setOriginFlowID, "setComponentIdMap": &o.setComponentIDMap,
	} {
		if v, ok := body[key]; ok {
			b, isBool := v.(bool)
			if !isBool {
				return o, badRequest("%q must be a boolean", key)
			}
			*dst = b
		}
	}
	if o.additional, _, err = optObject(body, "additional"); err != nil {
		return o, err
	}
	for _, k := range sortedKeys(o.additional) {
		if !slices.Contains(cloneAdditionalKeys, k) {
			return o, badRequest(`"additional.%s" is not allowed`, k)
		}
		if err := checkFlowField(k, o.additional[k]); err != nil {
			return o, err
		}
	}
	return o, nil
}

var _ = guess("integrations", "a clone of an integration template is an integration-instance unless its additional.type says otherwise (the SDK's {connectAccounts:false} clone, before its PUT of templateId)",
	"§7 knows the SDK clones with {connectAccounts:false} only and Appmixer's operations code lists instances by type:integration-instance and templateId; no source says which type the clone has before the PUT")

var _ = guess("integrations", "a clone copies the original's sharedWith unless the projection drops it (\"-sharedWith\"), so an SDK instance of a template shared with every user is shared the same way",
	"§7: the publish and CLI clones send projection -sharedWith, which suggests the field is otherwise copied; no source says so")

var _ = guess("integrations", "a flow created without a revision has revision 1, and a clone has its original's",
	"§7 says the publisher sets revision and instances keep the one they were made from; the first value is not documented")

// cloneDoc copies what a clone inherits: everything but the server-owned fields and the projection's.
func (s *Server) cloneDoc(src *flowRec, o cloneOptions, owner string) map[string]any {
	copied := deepCopyDoc(src.doc)
	for _, path := range o.excluded {
		removePath(copied, path)
	}
	for _, k := range serverOwnedFlowKeys {
		delete(copied, k)
	}
	// An instance keeps the revision it was made from (appmixer-api.md §7): the source's is copied.
	rev := copied["revision"]
	if rev == nil {
		rev = 1
	}
	now := isoTime(s.opts.Now())
	doc := map[string]any{"sharedWith": []any{}, "customFields": map[string]any{}, "type": "automation"}
	for k, v := range copied {
		doc[k] = v
	}
	doc["flowId"], doc["userId"], doc["stage"] = uuid.NewString(), owner, "stopped"
	doc["btime"], doc["mtime"], doc["revision"] = now, now, rev
	doc["name"] = o.prefix + str(src.doc["name"])
	return doc
}

// copyBindings binds the clone's components to the accounts of the originals (connectAccounts).
func (s *Server) copyBindings(src, clone *flowRec, ids map[string]string) {
	for k, b := range s.bindings {
		if k.userID == src.owner() && b.flowID == src.id() && ids[k.componentID] != "" {
			s.bindings[bindingKey{k.userID, ids[k.componentID]}] = binding{flowID: clone.id(), accountID: b.accountID}
		}
	}
}

func componentsOf(doc map[string]any) map[string]any {
	m, _ := doc["flow"].(map[string]any)
	return m
}

func stringMapDoc(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// deepCopyDoc copies a stored document, so that a clone shares no maps with its original.
func deepCopyDoc(doc map[string]any) map[string]any {
	data, err := json.Marshal(doc)
	if err != nil {
		panic("localserver: copying a flow: " + err.Error()) // stored documents always encode
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers stay as they were sent, as c.object keeps them
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		panic("localserver: copying a flow: " + err.Error())
	}
	return out
}
