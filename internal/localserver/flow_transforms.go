// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "slices"

// Starting a flow checks each component's config.transform against its component's in-ports and
// answers 400 when they do not fit (appmixer-api.md §1.3, §10): "Malformed transformation" for a
// transform that is not the nested object §3 describes, "Component transformation validation error"
// for a key that is no in-port of the component. A component without config.transform starts, as
// real flows do (§9); so does one whose type the owner cannot resolve (components_copies.go), whose
// in-ports are unknown.

var _ = guess("flows", `a start refused for a transform answers Boom 400 with details {componentId, componentType, inPort, inPorts}`,
	"appmixer-api.md §10 gives the two messages and that errors carry `details`; what the details of these two hold is not known")

var _ = guess("flows", "a transform is malformed when config.transform, a transform.<inPort>, a .<sourceId> or a .<outPort> is not a JSON object",
	"appmixer-api.md §3 gives the nested shape and §1.3 the message; which deviations the engine calls malformed is not known")

// checkTransforms is the start's check of a flow's transforms, in component id order.
func (s *Server) checkTransforms(f *flowRec) error {
	descriptor := f.components()
	cat := s.runtimeCatalog(f.owner())
	for _, id := range sortedKeys(descriptor) {
		comp, _ := descriptor[id].(map[string]any)
		config, _ := comp["config"].(map[string]any)
		raw, has := config["transform"]
		if !has || raw == nil {
			continue
		}
		typ := str(comp["type"])
		details := map[string]any{"componentId": id, "componentType": typ}
		transform, ok := raw.(map[string]any)
		if !ok || !nestedObjects(transform, 3) {
			return &apiError{status: 400, message: "Malformed transformation", details: details}
		}
		e := cat.components[typ]
		if e == nil {
			continue
		}
		ports := inPortNames(e.manifest)
		for _, port := range sortedKeys(transform) {
			if !slices.Contains(ports, port) {
				details["inPort"], details["inPorts"] = port, ports
				return &apiError{status: 400, message: "Component transformation validation error", details: details}
			}
		}
	}
	return nil
}

// nestedObjects reports whether m's values are objects down to depth levels.
func nestedObjects(m map[string]any, depth int) bool {
	if depth == 0 {
		return true
	}
	for _, v := range m {
		inner, ok := v.(map[string]any)
		if !ok || !nestedObjects(inner, depth-1) {
			return false
		}
	}
	return true
}

// inPortNames are a manifest's in-ports, given as names or as {name} objects.
func inPortNames(manifest map[string]any) []string {
	list, _ := manifest["inPorts"].([]any)
	out := []string{}
	for _, p := range list {
		switch v := p.(type) {
		case string:
			out = append(out, v)
		case map[string]any:
			if n := str(v["name"]); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}
