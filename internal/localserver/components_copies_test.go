// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"fmt"
	"strings"
	"testing"
)

// acmeLabelled is acmePackage at version with Ping's label and code changed, so that whose copy a
// user sees shows in what is listed and downloaded.
func acmeLabelled(version, label string) map[string]string {
	files := acmePackage(version)
	files["acme/tools/core/Ping/component.json"] = `{"name":"acme.tools.core.Ping","label":"` + label + `","inPorts":["in"],"outPorts":[{"name":"out"}],"auth":{"service":"acme:tools"}}`
	files["acme/tools/core/Ping/Ping.js"] = `module.exports = '` + label + `';`
	return files
}

// pingLabel is the label of acme.tools.core.Ping as GET /components lists it for token, or "" when
// it is not listed.
func pingLabel(h *harness, token string) string {
	for _, v := range h.must(200, "GET", "/components?selector=acme&manifest=yes", token, nil).arr() {
		if m, _ := v.(map[string]any); m["name"] == "acme.tools.core.Ping" {
			return str(m["label"]) + "@" + str(m["version"])
		}
	}
	return ""
}

// Components are per-user copies (appmixer-api.md §1.6): what one user publishes is listed,
// downloaded, frozen and removed for that user only; the built-ins are everybody's.
func TestComponentsArePerUserCopies(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	joeID, joe := h.signUp("joe")
	h.must(200, "PUT", "/users/"+joeID, admin, map[string]any{"vendor": []string{"acme"}})
	if final := publish(t, h, admin, makeZip(t, acmeLabelled("1.0.0", "Admin's"))); final["err"] != nil {
		t.Fatalf("admin's publish: %v", final)
	}

	// Another user lists none of it, but sees the built-ins.
	if got := pingLabel(h, joe); got != "" {
		t.Fatalf("joe lists the admin's copy: %s", got)
	}
	names := fmt.Sprint(h.must(200, "GET", "/components", joe, nil).arr())
	if strings.Contains(names, "acme.") || !strings.Contains(names, "appmixer.utils.controls.OnStart") {
		t.Fatalf("joe's components: %s", names)
	}
	if apps := h.must(200, "GET", "/apps", joe, nil).obj(); apps["acme.tools.core"] != nil || apps["appmixer.utils.email"] == nil {
		t.Fatalf("joe's apps: %v", sortedKeys(apps))
	}
	if got := mustJSON(h.must(200, "GET", "/bundles", joe, nil).arr()); strings.Contains(got, "acme") || !strings.Contains(got, "appmixer.utils.email") {
		t.Fatalf("joe's bundles: %s", got)
	}
	if !strings.Contains(mustJSON(h.must(200, "GET", "/bundles", admin, nil).arr()), `{"name":"acme.tools","version":"1.0.0"}`) {
		t.Fatal("the admin's bundles lack acme.tools 1.0.0")
	}
	assertBoom(t, h.do("GET", "/components/acme.tools", joe, nil), 404, "Component not found.")
	assertBoom(t, h.do("DELETE", "/components/acme.tools", joe, nil), 404, "Component not found.")

	// The version the admin froze is not frozen for joe: his copy has his code, the admin's keeps hers.
	if final := publish(t, h, joe, makeZip(t, acmeLabelled("1.0.0", "Joe's"))); final["err"] != nil {
		t.Fatalf("joe's publish: %v", final)
	}
	if a, j := pingLabel(h, admin), pingLabel(h, joe); a != "Admin's@1.0.0" || j != "Joe's@1.0.0" {
		t.Fatalf("listed: admin %q, joe %q", a, j)
	}
	if got := string(h.must(200, "GET", "/components/acme.tools.core.Ping/Ping.js", joe, nil).raw); got != `module.exports = 'Joe's';` {
		t.Fatalf("joe downloads %s", got)
	}
	// Within one user's copies the rule holds: joe's second publish of 1.0.0 changes nothing.
	if final := publish(t, h, joe, makeZip(t, acmeLabelled("1.0.0", "Joe's again"))); final["err"] != nil {
		t.Fatalf("joe's re-publish: %v", final)
	}
	if j := pingLabel(h, joe); j != "Joe's@1.0.0" {
		t.Fatalf("joe's frozen copy listed as %q", j)
	}

	// Removing acts on the caller's copies; a user may not remove a built-in, an admin may.
	h.must(200, "DELETE", "/components/acme.tools", joe, nil)
	if a, j := pingLabel(h, admin), pingLabel(h, joe); a != "Admin's@1.0.0" || j != "" {
		t.Fatalf("after joe's remove: admin %q, joe %q", a, j)
	}
	assertBoom(t, h.do("DELETE", "/components/appmixer.utils.timers", joe, nil), 404, "Component not found.")
	h.must(200, "DELETE", "/components/appmixer.utils.timers", admin, nil)
	if names := fmt.Sprint(h.must(200, "GET", "/components", joe, nil).arr()); strings.Contains(names, "appmixer.utils.timers") {
		t.Fatalf("a built-in the admin removed is still listed for joe: %s", names)
	}
}

// A flow resolves component types through its owner's copies, then the built-ins, then other
// users' copies, earliest publisher first (a guess in components_copies.go); accounts find a
// service's auth.js the same way.
func TestFlowsResolveTheOwnersCopiesFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	_, joe := h.signUp("joe")
	_, ann := h.signUp("ann")
	if final := publish(t, h, admin, makeZip(t, acmeLabelled("1.0.0", "Admin's"))); final["err"] != nil {
		t.Fatalf("admin's publish: %v", final)
	}
	if final := publish(t, h, joe, makeZip(t, acmeLabelled("2.0.0", "Joe's"))); final["err"] != nil {
		t.Fatalf("joe's publish: %v", final)
	}
	stamped := func(token string) string {
		id := h.createFlow(token, "uses Ping", map[string]any{"p": map[string]any{"type": "acme.tools.core.Ping"}})
		comp, _ := componentsOf(h.must(200, "GET", "/flows/"+id, token, nil).obj())["p"].(map[string]any)
		return str(comp["version"])
	}
	if a, j, n := stamped(admin), stamped(joe), stamped(ann); a != "1.0.0" || j != "2.0.0" || n != "1.0.0" {
		t.Fatalf("versions stamped: admin %q, joe %q, ann %q; want 1.0.0, 2.0.0, 1.0.0", a, j, n)
	}
	// Ann publishes nothing, yet connects an account of the service and binds it: the admin's auth.js counts.
	acc := str(h.must(200, "POST", "/accounts", ann, map[string]any{"service": "acme:tools", "token": map[string]any{"apiKey": "k"}}).obj()["accountId"])
	flow := h.createFlow(ann, "bound", map[string]any{"q": map[string]any{"type": "acme.tools.core.Ping"}})
	h.must(200, "PUT", "/auth/component/q/"+acc, ann, nil)
	if got := mustJSON(h.must(200, "GET", "/auth/flow/"+flow, ann, nil).obj()["q"]); !strings.Contains(got, acc) || !strings.Contains(got, `"service":"acme:tools"`) {
		t.Fatalf("ann's binding: %s", got)
	}
}
