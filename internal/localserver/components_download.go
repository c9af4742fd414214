// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// downloadComponents is GET /components/{selector}: a zip of what was published under a service,
// module or component selector, as `appmixer download` saves it.
func (s *Server) downloadComponents(c *call) (any, error) {
	selector := c.param("selector")
	if err := s.mayDownload(c, selector); err != nil {
		return nil, err
	}
	listed := s.listedCatalog(c.user.id)
	files := listed.filesUnder(selector)
	if len(files) == 0 {
		return nil, notFound("Component")
	}
	archive, err := zipWithCopies(files, listed.dupesUnder(files))
	if err != nil {
		return nil, err
	}
	return rawReply("application/zip", archive), nil
}

// downloadComponentFile is GET /components/{selector}/{file}: one file of the folder the selector
// names (`appmixer download appmixer.plivo/auth.js`).
func (s *Server) downloadComponentFile(c *call) (any, error) {
	selector, file := c.param("selector"), c.param("file")
	if err := s.mayDownload(c, selector); err != nil {
		return nil, err
	}
	data, ok := s.listedCatalog(c.user.id).fileOf(selector, file)
	if !ok {
		return nil, notFound("File")
	}
	return rawReply("application/octet-stream", data), nil
}

// mayDownload lets admins and developers of the selector's vendor (the user's `vendor`) download.
func (s *Server) mayDownload(c *call, selector string) error {
	if !selectorPattern.MatchString(selector) {
		return badRequest("Invalid selector %q: expected vendor.service, vendor.service.module or vendor.service.module.Component.", selector)
	}
	vendor, _, _ := strings.Cut(selector, ".")
	if !c.user.isAdmin() && !slices.Contains(c.user.vendor, vendor) {
		return errorf(http.StatusForbidden, "You are not a developer of the vendor %q.", vendor)
	}
	return nil
}

// filesUnder collects what was published under selector, by zip path: the folders of the components
// under it and the module or service folder it names, without the folders of other components. A
// built-in component, which came in no package, is its manifest.
func (c *catalog) filesUnder(selector string) map[string][]byte {
	var selected, others []string
	out := map[string][]byte{}
	for name, e := range c.components {
		switch {
		case !connector.UnderSelector(name, selector):
			others = append(others, e.dir)
		case e.dir == "":
			out[strings.ReplaceAll(name, ".", "/")+"/component.json"] = builtinManifest(e)
		default:
			selected = append(selected, e.dir)
		}
	}
	named := []string{strings.ReplaceAll(selector, ".", "/")}
	for p, data := range c.files {
		if inFolder(p, selected) || (inFolder(p, named) && !inFolder(p, others)) {
			out[p] = data
		}
	}
	return out
}

// fileOf is one file of the folder a selector names: a component's own folder, whatever its name, or
// the module's or service's.
func (c *catalog) fileOf(selector, file string) ([]byte, bool) {
	folder := strings.ReplaceAll(selector, ".", "/")
	if e := c.components[selector]; e != nil {
		if e.dir == "" {
			return builtinManifest(e), file == "component.json"
		}
		folder = e.dir
	}
	data, ok := c.files[folder+"/"+file]
	return data, ok
}

func builtinManifest(e *componentEntry) []byte {
	b, _ := json.MarshalIndent(e.manifest, "", "  ")
	return b
}

// rawReply answers bytes instead of JSON.
func rawReply(contentType string, body []byte) *reply {
	h := http.Header{}
	h.Set("Content-Type", contentType)
	return &reply{status: http.StatusOK, header: h, body: body}
}
