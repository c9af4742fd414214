// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestFlowListQueries(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		tok := h.admin()
		add := func(name string, custom map[string]any) string {
			r := h.must(200, "POST", "/flows", tok, map[string]any{"name": name, "flow": twoComponents(), "customFields": custom})
			if h.s.contract {
				return str(r.obj()["id"])
			}
			return str(r.obj()["flowId"])
		}
		alpha := add("Alpha report", map[string]any{"category": "sales", "tags": []string{"a", "b"}})
		beta := add("beta sync", map[string]any{"category": "ops"})
		add("Gamma report", map[string]any{"category": "sales"})
		add("delta", map[string]any{})
		if h.s.contract {
			h.must(200, "PUT", "/flows/"+alpha+"/start", tok, nil)
		} else {
			h.must(200, "POST", "/flows/"+alpha+"/coordinator", tok, map[string]any{"command": "start"})
		}

		cases := []struct {
			query string
			want  string
		}{
			{"", "Alpha report,beta sync,Gamma report,delta"},
			{"limit=2", "Alpha report,beta sync"},
			{"limit=2&offset=2", "Gamma report,delta"},
			{"offset=10", ""},
			{"pattern=REPORT", "Alpha report,Gamma report"},
			{"pattern=" + beta[:13], "beta sync"},
			{"sort=name:1", "Alpha report,Gamma report,beta sync,delta"},
			{"sort=name:-1", "delta,beta sync,Gamma report,Alpha report"},
			{"sort=customFields.category:1,name:-1", "delta,beta sync,Gamma report,Alpha report"},
			{"filter=customFields.category:sales", "Alpha report,Gamma report"},
			{"filter[]=customFields.category:sales&filter[]=stage:running", "Alpha report"},
			{"filter[0]=customFields.category:sales&filter[1]=stage:stopped", "Gamma report"},
			{"filter=customFields.category:!sales", "beta sync,delta"},
			{"filter=name:~REP", "Alpha report,Gamma report"},
			{"filter=customFields.tags:b", "Alpha report"},
			{"filter=stage:running&filter=name:delta", ""},
			{"pattern=report&sort=name:-1&limit=1", "Gamma report"},
		}
		for _, tc := range cases {
			var names []string
			for _, f := range h.must(200, "GET", "/flows?"+tc.query, tok, nil).arr() {
				m, _ := f.(map[string]any)
				names = append(names, str(m["name"]))
			}
			if got := strings.Join(names, ","); got != tc.want {
				t.Errorf("GET /flows?%s = %q, want %q", tc.query, got, tc.want)
			}
		}

		idKey := h.s.flowIDKey()
		for _, tc := range []struct{ projection, keys string }{
			{"-flow,-customFields", strings.Join(slices.DeleteFunc(sortedKeys(h.must(200, "GET", "/flows/"+alpha, tok, nil).obj()), func(k string) bool { return k == "flow" || k == "customFields" }), ",")},
			{"name", strings.Join(sortedSlice(idKey, "name"), ",")},
			{"name,customFields.category", strings.Join(sortedSlice(idKey, "customFields", "name"), ",")},
		} {
			list := h.must(200, "GET", "/flows?limit=1&projection="+url.QueryEscape(tc.projection), tok, nil).arr()
			first, _ := list[0].(map[string]any)
			if got := strings.Join(sortedKeys(first), ","); got != tc.keys {
				t.Errorf("projection %q gives keys %s, want %s", tc.projection, got, tc.keys)
			}
			if cf, ok := first["customFields"].(map[string]any); ok && tc.projection != "-flow,-customFields" && len(cf) != 1 {
				t.Errorf("nested inclusion kept %v", cf)
			}
		}
		// Projection works on a single flow too, and never changes what is stored.
		one := h.must(200, "GET", "/flows/"+alpha+"?projection=-flow", tok, nil).obj()
		if _, has := one["flow"]; has {
			t.Fatalf("projection ignored on GET /flows/{id}: %v", one)
		}
		if _, has := h.must(200, "GET", "/flows/"+alpha, tok, nil).obj()["flow"]; !has {
			t.Fatal("a projection modified the stored flow")
		}

		for _, tc := range []struct{ query, msg string }{
			{"limit=abc", `"limit" must be a number`},
			{"offset=-1", `"offset" must be greater than or equal to 0`},
			{"sort=name:2", `Invalid sort "name:2": expected <field>:1 or <field>:-1.`},
			{"filter=novalue", `Invalid filter "novalue": expected <path>:<value>.`},
			{"projection=name,-flow", "Projection cannot have a mix of inclusion and exclusion."},
		} {
			assertBoom(t, h.do("GET", "/flows?"+tc.query, tok, nil), 400, tc.msg)
		}

		count := h.do("GET", "/flows/count?filter=customFields.category:sales&pattern=gamma", tok, nil)
		if h.s.contract {
			assertBoom(t, count, 404, "Flow not found.") // the contract only has /flows/{flowId}
		} else if count.obj()["count"] != float64(1) {
			t.Fatalf("count: %s", count.raw)
		}
	})
}

func sortedSlice(s ...string) []string {
	slices.Sort(s)
	return s
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0}, {"1.10.0", "1.9.0", 1}, {"1.2", "1.2.1", -1}, {"2.0.0", "10.0.0", -1},
	} {
		if got := compareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("compareVersions(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestListQueryValueTypes covers the MongoDB-like ordering and matching of non-string values.
func TestListQueryValueTypes(t *testing.T) {
	t.Parallel()
	docs := []map[string]any{
		{"id": "a", "n": json.Number("10"), "ok": true, "nested": map[string]any{"keep": 1, "drop": 2}},
		{"id": "b", "n": json.Number("9"), "ok": false},
		{"id": "c", "n": "text"},
		{"id": "d", "n": nil, "ok": nil},
	}
	ids := func(query string) string {
		q, err := url.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		lq, err := parseListQuery(q, "id")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range lq.apply(docs) {
			out = append(out, str(d["id"]))
		}
		return strings.Join(out, ",")
	}
	for query, want := range map[string]string{
		"sort=n:1":                            "d,b,a,c", // null < numbers (numerically) < strings
		"sort=ok:-1,id:1":                     "a,b,c,d", // booleans sort last, true after false
		"filter=n:10":                         "a",
		"filter=ok:true":                      "a",
		"filter=ok:null":                      "d",
		"filter=nested:x":                     "",
		"filter=n:!~ex":                       "a,b,d",
		"pattern=C":                           "c",
		"limit=0&offset=3":                    "d",
		"projection=-nested.drop&filter=id:a": "a",
	} {
		if got := ids(query); got != want {
			t.Errorf("%s: got %s, want %s", query, got, want)
		}
	}
	q, err := parseListQuery(url.Values{"projection": {"-nested.drop"}}, "id")
	if err != nil {
		t.Fatal(err)
	}
	out := q.apply(docs[:1])[0]
	if nested, _ := out["nested"].(map[string]any); len(nested) != 1 || nested["keep"] != 1 {
		t.Fatalf("nested exclusion gave %v", out)
	}
	if len(docs[0]["nested"].(map[string]any)) != 2 {
		t.Fatal("nested exclusion changed the stored document")
	}
}
