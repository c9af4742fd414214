// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Unit tests of the tenant settings' pieces: import IDs, conversions, private state, warnings.

func TestParseConfigImportID(t *testing.T) {
	for id, want := range map[string]struct {
		key       string
		writeOnly bool
		err       bool
	}{
		"JWTSecret":          {key: "JWTSecret"},
		"value_wo:JWTSecret": {key: "JWTSecret", writeOnly: true},
		"a:b":                {key: "a:b"},
		"":                   {err: true},
		"value_wo:":          {err: true},
		"  ":                 {err: true},
	} {
		key, wo, err := parseConfigImportID(id)
		if (err != nil) != want.err || key != want.key || wo != want.writeOnly {
			t.Errorf("%q: got %q %v %v, want %+v", id, key, wo, err, want)
		}
	}
}

func TestParseACLImportID(t *testing.T) {
	for id, ok := range map[string]bool{"components": true, "routes": true, "custom-type": true, "": false, "a/b": false, "1x": false, "x y": false} {
		got, err := parseACLImportID(id)
		if (err == nil) != ok || (ok && got != id) {
			t.Errorf("%q: got %q, %v", id, got, err)
		}
		if !ok && err != nil && !strings.Contains(err.Error(), "expected an ACL type: components or routes") {
			t.Errorf("%q: message %q", id, err)
		}
	}
}

func TestConfigFromAPI(t *testing.T) {
	prior := configModel{Key: types.StringValue("limits"), Value: newJSONValue[plainJSON](`{ "b": 1, "a": [true] }`), ValueWOVersion: types.Int64Value(3)}
	// The same value in the server's spelling keeps the configured text.
	m := configFromAPI(prior, "limits", json.RawMessage(`{"a":[true],"b":1.0}`), nil)
	if m.Value.ValueString() != `{ "b": 1, "a": [true] }` || m.ID.ValueString() != "limits" || !m.ValueWOVersion.IsNull() {
		t.Fatalf("same value: %+v", m)
	}
	// Another value shows as the server's, normalised; typed values stay typed.
	if m := configFromAPI(prior, "limits", json.RawMessage(`{"b":"1"}`), nil); m.Value.ValueString() != `{"b":"1"}` {
		t.Fatalf("changed value: %s", m.Value.ValueString())
	}
	if m := configFromAPI(prior, "limits", nil, nil); m.Value.ValueString() != "null" {
		t.Fatalf("absent value: %s", m.Value.ValueString())
	}

	// A write-only value never enters state; a hand change nulls the version so the plan sends it again.
	rec := newSecretRecord(`"s3cret"`)
	m = configFromAPI(prior, "JWTSecret", json.RawMessage(`"s3cret"`), &rec)
	if !m.Value.IsNull() || m.ValueWOVersion.ValueInt64() != 3 {
		t.Fatalf("unchanged secret: %+v", m)
	}
	rec.Seen = rec.hash([]byte(`"other"`))
	if m := configFromAPI(prior, "JWTSecret", json.RawMessage(`"other"`), &rec); !m.Value.IsNull() || !m.ValueWOVersion.IsNull() {
		t.Fatalf("changed secret: %+v", m)
	}
}

func TestSecretRecordHashesCanonicalSaltedJSON(t *testing.T) {
	r := newSecretRecord(`{"b": 1.0, "a": "hunter2"}`)
	if r.hash([]byte(`{"a":"hunter2","b":1}`)) != r.Sent || r.changedByHand() {
		t.Fatal("the server's spelling of the same value must hash the same")
	}
	if r.hash([]byte(`{"a":"hunter3","b":1}`)) == r.Sent {
		t.Fatal("another value must hash differently")
	}
	if other := newSecretRecord(`{"a":"hunter2","b":1}`); other.Sent == r.Sent {
		t.Fatal("hashes must be salted per record")
	}
	if strings.Contains(r.Sent, "hunter2") || strings.Contains(r.Salt, "hunter2") {
		t.Fatal("the record must not hold the value")
	}
}

func TestACLFromAPIAndBack(t *testing.T) {
	rules := []appmixer.ACLRule{
		{Role: "user", Resource: "appmixer*", Action: []string{"use"}, Attributes: []string{"non-private"}},
		{Role: "acme.com", Resource: "*", Action: []string{"*"}}, // no attributes on the server
	}
	m, diags := aclFromAPI(aclModel{}, "components", rules)
	if diags.HasError() || m.ID.ValueString() != "components" || len(m.Rules.Elements()) != 2 {
		t.Fatalf("%+v %v", m, diags)
	}
	back, diags := aclRules(context.Background(), m.Rules)
	if diags.HasError() || len(back) != 2 || back[0].Role != "acme.com" || back[0].Attributes != nil || back[1].Action[0] != "use" {
		t.Fatalf("back: %+v %v", back, diags)
	}
	if empty, _ := aclFromAPI(aclModel{}, "routes", nil); empty.Rules.IsNull() || len(empty.Rules.Elements()) != 0 {
		t.Fatalf("an empty list must be an empty set, not null: %v", empty.Rules)
	}
}

// TestACLDefaults: what destroy puts back on a type Terraform found empty. Components: every role may use
// every non-private component (Appmixer's documented default); routes: "by default all users have
// access to all routes" (appmixer-api.md, ACL), so every role, every route, every action.
func TestACLDefaults(t *testing.T) {
	rules := func(attribute string) []appmixer.ACLRule {
		var want []appmixer.ACLRule
		for _, role := range []string{"admin", "user", "tester"} {
			want = append(want, appmixer.ACLRule{Role: role, Resource: "*", Action: []string{"*"}, Attributes: []string{attribute}})
		}
		return want
	}
	for aclType, want := range map[string][]appmixer.ACLRule{"components": rules("non-private"), "routes": rules("*")} {
		got, ok := aclDefaults(aclType)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s defaults: %+v, want %+v", aclType, got, want)
		}
	}
	if _, ok := aclDefaults("reports"); ok {
		t.Fatal("a type this provider does not know has no default")
	}
}

func TestACLWarnings(t *testing.T) {
	if d := aclWarnings("components", nil); d.WarningsCount() != 1 || !strings.Contains(d[0].Summary(), "locks everyone out") || d.HasError() {
		t.Fatalf("empty components: %v", d)
	}
	if d := aclWarnings("routes", nil); len(d) != 0 {
		t.Fatalf("empty routes: %v", d)
	}
	d := aclWarnings("components", []appmixer.ACLRule{
		{Role: "user", Resource: "*", Action: []string{"use", "read"}, Attributes: []string{"hidden", "*"}},
		{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"private"}},
	})
	if d.WarningsCount() != 2 || d.HasError() || !strings.Contains(d[0].Detail(), `action "read"`) || !strings.Contains(d[1].Detail(), `attributes "hidden"`) {
		t.Fatalf("unusual values: %v", d)
	}
}

func TestModifiersDocumentValidator(t *testing.T) {
	run := func(doc string) diag.Diagnostics {
		var resp validator.StringResponse
		modifiersDocumentValidator{}.ValidateString(context.Background(),
			validator.StringRequest{Path: path.Root("document"), ConfigValue: types.StringValue(doc)}, &resp)
		return resp.Diagnostics
	}
	if d := run(customModifiers); len(d) != 0 {
		t.Fatalf("a complete document: %v", d)
	}
	if d := run(`{"categories": {}, "modifiers": []}`); !d.HasError() || !strings.Contains(d[0].Detail(), `must have "modifiers", an object`) {
		t.Fatalf("modifiers an array: %v", d)
	}
	if d := run(`{"modifiers": {}}`); d.ErrorsCount() != 1 || !strings.Contains(d[0].Detail(), `"categories"`) {
		t.Fatalf("no categories: %v", d)
	}
	d := run(`{"categories": {}, "modifiers": {"g_a": {"label": "A"}, "g_b": "x"}}`)
	if d.HasError() || d.WarningsCount() != 2 || !strings.Contains(d[0].Detail(), `Modifier "g_a"`) {
		t.Fatalf("modifiers without helperFn: %v", d)
	}
}

// memoryPrivate is private state in memory, as the framework keeps it between calls.
type memoryPrivate map[string][]byte

func (m memoryPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

func (m memoryPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if len(value) == 0 {
		delete(m, key)
	} else {
		m[key] = value
	}
	return nil
}

func TestPrivateJSONCompressesLargeValuesAndRemovesNil(t *testing.T) {
	ctx := context.Background()
	p := memoryPrivate{}
	small := map[string]string{"a": "b"}
	mustNoDiags(t, setPrivateJSON(ctx, p, "small", small))
	if !json.Valid(p["small"]) || strings.Contains(string(p["small"]), "gzip") {
		t.Fatalf("small value stored as %s", p["small"])
	}
	large := json.RawMessage(`{"modifiers":{"x":"` + strings.Repeat("function(v){return v} ", 2000) + `"}}`)
	mustNoDiags(t, setPrivateJSON(ctx, p, "large", large))
	if !strings.Contains(string(p["large"]), `"gzip"`) || len(p["large"]) > len(large)/4 {
		t.Fatalf("a %d-byte value is stored in %d bytes, uncompressed?", len(large), len(p["large"]))
	}
	var gotLarge json.RawMessage
	if ok, _ := getPrivateJSON(ctx, p, "large", &gotLarge); !ok || string(gotLarge) != string(large) {
		t.Fatal("the large value does not read back as it was")
	}
	var gotSmall map[string]string
	if ok, _ := getPrivateJSON(ctx, p, "small", &gotSmall); !ok || gotSmall["a"] != "b" {
		t.Fatalf("small read back: %v", gotSmall)
	}
	mustNoDiags(t, setPrivateJSON(ctx, p, "small", (*secretRecord)(nil)))
	if ok, _ := getPrivateJSON(ctx, p, "small", &gotSmall); ok {
		t.Fatal("a nil value must remove the key")
	}
	p["junk"] = []byte(`{"gzip":"not base64"}`)
	if ok, _ := getPrivateJSON(ctx, p, "junk", &gotSmall); ok {
		t.Fatal("an unreadable value must read as absent")
	}
}

func mustNoDiags(t *testing.T, d diag.Diagnostics) {
	t.Helper()
	if d.HasError() {
		t.Fatal(d)
	}
}

// A kind without a single-object route (config keys, public files) is answered from one listing per
// process: concurrent reads share it, a missing key costs nothing more, and after a write the next
// read lists again and reports that listing's own error.
func TestListedKindsListOnceUntilAWrite(t *testing.T) {
	var calls atomic.Int32
	fail := atomic.Bool{}
	type kv struct {
		k string
		v int
	}
	lc := appmixer.NewListCache(func(context.Context) ([]kv, error) {
		calls.Add(1)
		if fail.Load() {
			return nil, errors.New("down")
		}
		return []kv{{"a", 1}, {"b", 2}}, nil
	}, func(e kv) string { return e.k })
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if e, ok, err := listed(ctx, lc, "b"); e.v != 2 || !ok || err != nil {
				t.Errorf("get b = %v %v %v", e, ok, err)
			}
		})
	}
	wg.Wait()
	if _, ok, _ := listed(ctx, lc, "zz"); ok || calls.Load() != 1 {
		t.Fatalf("20 concurrent reads and a missing key made %d listings, want 1", calls.Load())
	}
	lc.Forget("a")
	fail.Store(true)
	if _, _, err := listed(ctx, lc, "a"); err == nil || calls.Load() != 2 {
		t.Fatalf("after a write the next read must list again and report its error: %v, %d", err, calls.Load())
	}
	fail.Store(false)
	if e, ok, err := listed(ctx, lc, "a"); e.v != 1 || !ok || err != nil || calls.Load() != 3 {
		t.Fatalf("a failed listing must not be kept: %v %v %v, %d listings", e, ok, err, calls.Load())
	}
}
