// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// clockedTarget is target with appmixer-local on a manual clock, so that a case can see a ticket's
// phases without sleeping; on a real tenant the clock is nil and the case polls.
func clockedTarget(t *testing.T) (*tenant, *localserver.ManualClock) {
	t.Helper()
	if os.Getenv(envBaseURL) != "" {
		return target(t), nil
	}
	clock := localserver.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("starting appmixer-local: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &tenant{baseURL: srv.URL, adminUsername: srv.AdminUsername(), adminPassword: srv.AdminPassword(), local: srv}, clock
}

// connectorZip is a one-component package appmixer.<service> at version, whose component has label and code.
func connectorZip(t testing.TB, service, version, label, code string) []byte {
	root := "appmixer/" + service + "/"
	files := []struct{ name, body string }{
		{root + "service.json", fmt.Sprintf(`{"name":"appmixer.%s","label":"Conformance","category":"applications","icon":"data:,","description":"x"}`, service)},
		{root + "bundle.json", fmt.Sprintf(`{"name":"appmixer.%s","version":%q}`, service, version)},
		{root + "core/Echo/component.json", fmt.Sprintf(`{"name":"appmixer.%s.core.Echo","label":%q,"inPorts":["in"],"outPorts":["out"]}`, service, label)},
		{root + "core/Echo/Echo.js", code},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, f.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// waitTicket polls an upload ticket until it finishes, treating 404s before the first answer as "not
// yet"; it returns the statuses seen in order ("404", "started", "finished") and the final object.
func waitTicket(c *caseT, s *session, ticket string, clock *localserver.ManualClock) ([]string, map[string]any) {
	var seen []string
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		r := s.do(c, "GET", "/components/uploader/"+ticket, nil)
		switch {
		case r.status == http.StatusNotFound && !strings.Contains(strings.Join(seen, ","), "started"):
			seen = append(seen, "404")
		case r.status != http.StatusOK:
			c.Fatalf("GET /components/uploader/%s: %d %s (after %v)", ticket, r.status, r.raw, seen)
		default:
			o := r.object(c)
			if o["finished"] != nil && o["finished"] != false {
				return append(seen, "finished"), o
			}
			seen = append(seen, "started")
		}
		if clock != nil {
			clock.Advance(100 * time.Millisecond)
		} else {
			time.Sleep(2 * time.Second) // a real tenant's uploader takes seconds; nothing here is asserted on time
		}
	}
	c.Fatalf("ticket %s did not finish in 5 minutes (saw %v)", ticket, seen)
	return nil, nil
}

// TestConformanceComponents covers publishing as a real tenant answers it (appmixer-api.md §1.6).
func TestConformanceComponents(t *testing.T) {
	tn, clock := clockedTarget(t)
	admin := tn.admin(t)
	service := strings.ReplaceAll(uniqueName("conn"), "-", "")
	selector := "appmixer." + service
	t.Cleanup(func() { admin.do(t, "DELETE", "/components/"+selector, nil) })
	publish := func(c *caseT, version, label, code string) map[string]any {
		ticket, _ := admin.must(c, http.StatusOK, "POST", "/components", connectorZip(c, service, version, label, code)).object(c)["ticket"].(string)
		if ticket == "" {
			c.Fatalf("POST /components answered no ticket")
		}
		seen, final := waitTicket(c, admin, ticket, clock)
		if clock != nil && (seen[0] != "404" || !strings.Contains(strings.Join(seen, ","), "404,started")) {
			c.Errorf("ticket phases %v, want 404 until stored, then started, then finished", seen)
		}
		return final
	}

	t.Run("a ticket answers 404 until stored, then started, then finished with installed", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.6", source: "vtalas/appmixer-sanity CLAUDE.md \"Upload tickets\"", confidence: "med-high"})
		final := publish(c, "1.0.0", "First", "module.exports = 'v1';")
		if final["err"] != nil || final["installed"] == nil || final["installed"] == false {
			c.Errorf("final ticket %v, want finished and installed without err", final)
		}
	})

	t.Run("a published version is frozen; publishing it again appends a copy the runtime ignores", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.6", source: "appmixer-skills instructions/12-e2e-upload.md \"Stale Component Definition\"", confidence: "med-high"})
		if final := publish(c, "1.0.0", "Second", "module.exports = 'v1 changed';"); final["err"] != nil {
			c.Fatalf("re-publishing the same version was refused: %v", final)
		}
		list := admin.must(c, http.StatusOK, "GET", "/components?manifest=yes&selector="+selector, nil).array(c)
		if len(list) != 1 || list[0].(map[string]any)["label"] != "First" {
			c.Errorf("manifests after re-publishing 1.0.0: %v, want the first label", list)
		}
		copies := zipCopies(c, admin.must(c, http.StatusOK, "GET", "/components/"+selector, nil).raw, "appmixer/"+service+"/core/Echo/Echo.js")
		if len(copies) != 2 || copies[0] != "module.exports = 'v1';" {
			c.Errorf("download holds %q for Echo.js, want the first publish's code first, then the appended copy", copies)
		}
	})

	t.Run("components are per-user copies: another user neither lists nor removes them", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.6", source: "appmixer-skills instructions/12-e2e-upload.md", confidence: "med"})
		if list := admin.must(c, http.StatusOK, "GET", "/components?selector="+selector, nil).array(c); len(list) != 1 {
			c.Fatalf("the publisher lists %v under %s, want its one component", list, selector)
		}
		name, _ := tn.newUser(c, admin, "copies")
		other := tn.userSession(c, name, "copies-1")
		if list := other.must(c, http.StatusOK, "GET", "/components?selector="+selector, nil).array(c); len(list) != 0 {
			c.Errorf("another user lists %v under %s, want nothing: the copies are the publisher's", list, selector)
		}
		if apps := other.must(c, http.StatusOK, "GET", "/apps", nil).object(c); apps[selector+".core"] != nil {
			c.Errorf("another user's /apps has %s.core", selector)
		}
		// Whatever the other user's DELETE answers, it removes nothing of the publisher's.
		other.do(c, "DELETE", "/components/"+selector, nil)
		if list := admin.must(c, http.StatusOK, "GET", "/components?selector="+selector, nil).array(c); len(list) != 1 {
			c.Errorf("after another user's DELETE the publisher lists %v, want its component still there", list)
		}
	})
}

// zipCopies is every content a zip holds for path, in order.
func zipCopies(c *caseT, raw []byte, path string) []string {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		c.Fatalf("the download is not a zip: %v", err)
	}
	var out []string
	for _, f := range zr.File {
		if f.Name != path {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			c.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(rc)
		_ = rc.Close()
		out = append(out, string(b))
	}
	return out
}
