// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The golden files of the client (internal/appmixer/testdata/golden) are the real API's documented
// responses. The local server must answer with the same keys and JSON kinds; values may differ.

func goldenBody(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "appmixer", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// userData are keys whose content is the caller's (a descriptor, custom fields, a profile): only
// their kind is compared.
var userData = []string{"flow", "customFields", "profileInfo", "metadata"}

// shape is what one response must share with its golden file. extra names keys the server may add
// because the reference documents them elsewhere (e.g. a flow's "type" and "revision", §1.3 "Other fields seen").
type shape struct {
	golden string
	extra  []string
	keyed  bool // an object keyed by names (GET /apps): each value is compared with the golden's first
	list   bool // the golden file is one element of the list answered
}

func (sh shape) check(t *testing.T, what string, got any) {
	t.Helper()
	want := goldenBody(t, sh.golden)
	switch {
	case sh.keyed:
		want, got = firstValue(want), firstValue(got)
	case sh.list:
		want = []any{want}
	}
	var diffs []string
	compareShape(&diffs, what, want, got, sh.extra)
	if len(diffs) > 0 {
		t.Errorf("%s differs from %s:\n  %s", what, sh.golden, strings.Join(diffs, "\n  "))
	}
}

func firstValue(v any) any {
	m, _ := v.(map[string]any)
	for _, k := range sortedKeys(m) {
		return m[k]
	}
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func compareShape(diffs *[]string, at string, want, got any, extra []string) {
	if kindOf(want) != kindOf(got) {
		*diffs = append(*diffs, fmt.Sprintf("%s: %s, want %s", at, kindOf(got), kindOf(want)))
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for _, k := range sortedKeys(w) {
			if _, ok := g[k]; !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s: no %q", at, k))
			} else if !slices.Contains(userData, k) {
				compareShape(diffs, at+"."+k, w[k], g[k], nil)
			} else if kindOf(w[k]) != kindOf(g[k]) {
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: %s, want %s", at, k, kindOf(g[k]), kindOf(w[k])))
			}
		}
		var more []string
		for k := range g {
			if _, ok := w[k]; !ok && !slices.Contains(extra, k) {
				more = append(more, k)
			}
		}
		sort.Strings(more)
		if len(more) > 0 {
			*diffs = append(*diffs, fmt.Sprintf("%s: keys %q that the reference does not show", at, more))
		}
	case []any:
		g := got.([]any)
		if len(w) > 0 && len(g) == 0 {
			*diffs = append(*diffs, at+": empty, so its elements cannot be compared")
		}
		for i, e := range g {
			if len(w) > 0 {
				compareShape(diffs, fmt.Sprintf("%s[%d]", at, i), w[0], e, extra)
			}
		}
	}
}

func TestGoldenShapes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	flow := shape{golden: "flow.json", extra: []string{"type", "revision"}}
	flowID := shape{golden: "flow-id.json"}
	count := shape{golden: "count.json"}

	login := h.must(200, "POST", "/user/auth", "", map[string]any{"username": h.s.AdminUsername(), "password": h.s.AdminPassword()})
	shape{golden: "login.json"}.check(t, "POST /user/auth", login.body)
	tok := str(login.obj()["token"])
	shape{golden: "user.json"}.check(t, "GET /user", h.must(200, "GET", "/user", tok, nil).body)
	shape{golden: "info.json"}.check(t, "GET /", h.must(200, "GET", "/", "", nil).body)

	// The flow of flow.json, created as a client would.
	doc, _ := goldenBody(t, "flow.json").(map[string]any)
	created := h.must(200, "POST", "/flows", tok, map[string]any{
		"name": doc["name"], "flow": doc["flow"], "customFields": doc["customFields"], "thumbnail": doc["thumbnail"], "sharedWith": doc["sharedWith"],
	})
	flowID.check(t, "POST /flows", created.body)
	id := str(created.obj()["flowId"])
	flow.check(t, "GET /flows/{id}", h.must(200, "GET", "/flows/"+id, tok, nil).body)
	flowList := flow
	flowList.list = true
	flowList.check(t, "GET /flows", h.must(200, "GET", "/flows", tok, nil).body)
	count.check(t, "GET /flows/count", h.must(200, "GET", "/flows/count", tok, nil).body)
	count.check(t, "GET /users/count", h.must(200, "GET", "/users/count", tok, nil).body)
	flowID.check(t, "POST /flows/{id}/coordinator", h.must(200, "POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "start"}).body)
	h.must(200, "POST", "/flows/"+id+"/coordinator", tok, map[string]any{"command": "stop"})
	flowID.check(t, "DELETE /flows/{id}", h.must(200, "DELETE", "/flows/"+id, tok, nil).body)
	shape{golden: "boom-404.json"}.check(t, "GET /flows/{id} of no flow", h.do("GET", "/flows/"+id, tok, nil).body)

	shape{golden: "apps.json", keyed: true}.check(t, "GET /apps", h.must(200, "GET", "/apps", tok, nil).body)
	if _, err := h.s.AddAccount(h.s.AdminUsername(), AccountSeed{Service: "appmixer:slack", Name: "ops@example.com", DisplayName: "Ops Slack"}); err != nil {
		t.Fatal(err)
	}
	// "revoked" is in the engine's account model and in POST /accounts' answer (§1.5, §8).
	shape{golden: "accounts.json", extra: []string{"revoked"}}.check(t, "GET /accounts", h.must(200, "GET", "/accounts", tok, nil).body)

	upload := func(archive []byte) string {
		r := h.must(200, "POST", "/components", tok, archive)
		shape{golden: "upload-ticket.json"}.check(t, "POST /components", r.body)
		status := h.storedTicket(tok, str(r.obj()["ticket"]))
		h.must(200, "GET", status, tok, nil) // in progress at the first poll
		return status
	}
	shape{golden: "upload-finished.json"}.check(t, "GET /components/uploader/{ticket}, finished",
		h.must(200, "GET", upload(makeZip(t, acmePackage(""))), tok, nil).body)
	bad := acmePackage("")
	bad["acme/tools/core/Ping/component.json"] = `{"label":"Ping"}` // no name: Appmixer refuses it
	shape{golden: "upload-rejected.json"}.check(t, "GET /components/uploader/{ticket}, rejected",
		h.must(200, "GET", upload(makeZip(t, bad)), tok, nil).body)
}
