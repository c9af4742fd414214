// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/base64"
	"maps"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// selectorPattern accepts the three selector levels: service, module and component.
var selectorPattern = regexp.MustCompile(`^\w+\.\w+(\.\w+){0,2}$`)

// uploadTicket is an appmixer-dialect publish. The package is validated and installed when it
// arrives; the ticket only delays the verdict, as Appmixer's asynchronous uploader does: it answers
// 404 until the uploader has stored it (storedAt, on the server's clock), then {started} while the
// job runs, then {finished, installed} or {finished, err, data} (appmixer-api.md §1.6).
type uploadTicket struct {
	id, userID string
	storedAt   time.Time
	progress   asyncProgress
	problems   []problem
}

// uploadStoreDelay is how long a new ticket answers 404.
const uploadStoreDelay = 100 * time.Millisecond

var _ = guess("components", "an upload ticket answers 404 for 100 ms of the server's clock, then {started} until polled again or 300 ms pass, then {started, finished, installed: true}",
	"appmixer-api.md §1.6 says a ticket is 404 until stored, then {started}, then {finished, installed}; how long each phase lasts and the type of `installed` are not known")

// listComponents is GET /components: names, or manifests with manifest=yes, under a selector prefix.
// The contract knows neither parameter and lists {name, label, type} objects.
func (s *Server) listComponents(c *call) (any, error) {
	q := c.query()
	withManifests := false
	if !s.contract {
		switch q.Get("manifest") {
		case "", "no":
		case "yes":
			withManifests = true
		default:
			return nil, badRequest(`"manifest" must be one of [yes, no]`)
		}
	}
	out := []any{}
	listed := s.listedCatalog(c.user.id)
	for _, name := range sortedKeys(listed.components) {
		if !s.contract && !strings.HasPrefix(name, q.Get("selector")) {
			continue
		}
		e := listed.components[name]
		switch {
		case s.contract:
			out = append(out, contractComponent(name, e.manifest))
		case withManifests:
			m := maps.Clone(e.manifest)
			m["version"] = e.versions[len(e.versions)-1]
			out = append(out, m)
		default:
			out = append(out, name)
		}
	}
	return out, nil
}

// publishComponents is POST /components. Appmixer takes the raw zip and answers a ticket to poll;
// the contract takes {"name", "archive": base64} and answers at once.
func (s *Server) publishComponents(c *call) (any, error) {
	mediaType, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if s.contract {
		return s.publishContract(c, mediaType)
	}
	if mediaType == "application/json" {
		return nil, errorf(http.StatusUnsupportedMediaType, "Send the component package as a raw zip with Content-Type: application/octet-stream.")
	}
	pkg, problems := validatePackage(c.body)
	if pkg != nil {
		s.ownCopies(c.user.id).install(pkg)
	}
	stored := c.now.Add(uploadStoreDelay)
	t := &uploadTicket{id: uuid.NewString(), userID: c.user.id, storedAt: stored, progress: asyncProgress{started: stored}, problems: problems}
	s.uploads[t.id] = t
	return map[string]any{"ticket": t.id}, nil
}

func (s *Server) publishContract(c *call, mediaType string) (any, error) {
	if mediaType != "application/json" {
		return nil, errorf(http.StatusUnsupportedMediaType, "Send the component package as JSON {\"name\", \"archive\"}.")
	}
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	name, err := requiredString(body, "name")
	if err != nil {
		return nil, err
	}
	if !selectorPattern.MatchString(name) {
		return nil, badRequest(`"name" must be a selector such as vendor.service`)
	}
	encoded, err := requiredString(body, "archive")
	if err != nil {
		return nil, err
	}
	archive, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, badRequest(`"archive" must be a base64 encoded zip archive`)
	}
	pkg, problems := validatePackage(archive)
	if pkg != nil {
		for _, component := range sortedKeys(pkg.components) {
			if !connector.UnderSelector(component, name) {
				problems = append(problems, problem{DataPath: "name", Message: "component " + component + " is not under " + name + "."})
			}
		}
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = strings.TrimSpace(p.DataPath + ": " + p.Message)
		}
		return nil, &apiError{status: http.StatusBadRequest, message: "Validation failed: " + strings.Join(msgs, "; "), data: problems}
	}
	s.ownCopies(c.user.id).install(pkg)
	return map[string]any{}, nil
}

// uploadStatus is GET /components/uploader/{ticket}: 404 until stored, {started} while running, then
// the verdict.
func (s *Server) uploadStatus(c *call) (any, error) {
	t := s.uploads[c.param("ticket")]
	if t == nil || t.userID != c.user.id || c.now.Before(t.storedAt) {
		return nil, notFound("Ticket")
	}
	out := map[string]any{"started": isoTime(t.storedAt)}
	if !s.pollJob(&t.progress, c.now) {
		return out, nil
	}
	out["finished"] = isoTime(t.progress.doneAt)
	if len(t.problems) > 0 {
		out["err"] = "Validation failed."
		out["data"] = t.problems
	} else {
		out["installed"] = true
	}
	return out, nil
}

// deleteComponents is DELETE /components/{selector} at service, module or component level: the
// caller's copies, and for an admin the built-ins (a guess in components_copies.go).
func (s *Server) deleteComponents(c *call) (any, error) {
	selector := c.param("selector")
	if !selectorPattern.MatchString(selector) {
		return nil, badRequest("Invalid selector %q: expected vendor.service, vendor.service.module or vendor.service.module.Component.", selector)
	}
	removed := 0
	if own := s.copies[c.user.id]; own != nil {
		removed = own.removeUnder(selector)
	}
	if c.user.isAdmin() {
		removed += s.builtins.removeUnder(selector)
	}
	if removed == 0 {
		return nil, notFound("Component")
	}
	return map[string]any{}, nil
}

// removeUnder uninstalls everything under a selector: components by name with their folders, the
// module or service folder the selector names, and the manifests and bundles below it. It reports
// how many components went; nothing else is touched when none did.
func (c *catalog) removeUnder(selector string) int {
	var removedDirs []string
	for name, e := range c.components {
		if connector.UnderSelector(name, selector) {
			delete(c.components, name)
			removedDirs = append(removedDirs, e.dir)
		}
	}
	removed := len(removedDirs)
	if removed == 0 {
		return 0
	}
	for _, m := range []map[string]appMeta{c.modules, c.services} {
		maps.DeleteFunc(m, func(name string, _ appMeta) bool { return connector.UnderSelector(name, selector) })
	}
	maps.DeleteFunc(c.bundles, func(name string, _ bundleMeta) bool { return connector.UnderSelector(name, selector) })
	if strings.Count(selector, ".") <= 2 {
		removedDirs = append(removedDirs, strings.ReplaceAll(selector, ".", "/"))
	}
	var keptDirs []string
	for _, e := range c.components {
		keptDirs = append(keptDirs, e.dir)
	}
	maps.DeleteFunc(c.files, func(p string, _ []byte) bool { return inFolder(p, removedDirs) && !inFolder(p, keptDirs) })
	c.forgetDupes()
	return removed
}

// inFolder reports whether the zip path p lies in one of dirs.
func inFolder(p string, dirs []string) bool {
	for _, d := range dirs {
		if d != "" && strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
