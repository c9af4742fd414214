// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// refs turns ids of the tenant read into expressions that find the same object on any tenant: a
// reference to an exported resource, else a look-up by name.
type refs struct {
	w           *writer
	storeRes    map[string]string // store id => resource name, for exported stores
	flowRes     map[string]string // flow id => resource name, for exported flows
	storeByID   map[string]string // store id => name
	flowByID    map[string]string // automation id => name, every automation read
	lookupNames map[string]string // data address key => name given
}

func newRefs(w *writer) refs {
	r := refs{w: w, storeRes: map[string]string{}, flowRes: map[string]string{}, storeByID: map[string]string{},
		flowByID: map[string]string{}, lookupNames: map[string]string{}}
	for _, s := range w.t.Stores {
		r.storeByID[s.ID] = s.Name
	}
	for _, f := range w.t.Flows {
		r.flowByID[f.ID] = f.Name
	}
	return r
}

// lookup adds (once) a data block of typ found by the given arguments and returns its address.
func (r refs) lookup(typ, label string, args [][2]string) string {
	key := typ + "\x00" + label
	for _, a := range args {
		key += "\x00" + a[0] + "=" + a[1]
	}
	if n, ok := r.lookupNames[key]; ok {
		return "data." + typ + "." + n
	}
	n := r.w.names.name("data."+typ, label)
	r.lookupNames[key] = n
	var b strings.Builder
	fmt.Fprintf(&b, "data %q %q {\n", typ, n)
	for _, a := range args {
		fmt.Fprintf(&b, "  %s = %s\n", a[0], quote(a[1]))
	}
	b.WriteString("}\n\n")
	r.w.data["data."+typ+"."+n] = b.String()
	return "data." + typ + "." + n
}

// account is the look-up of an account by service and name; ok is false for an account the reader
// cannot see.
func (r refs) account(id string) (string, bool) {
	a, ok := r.w.t.Accounts[id]
	if !ok || a.Service == "" || a.Name == "" {
		return "", false
	}
	addr := r.lookup("appmixer_account", a.Service+"_"+a.Name, [][2]string{{"service", a.Service}, {"name", a.Name}})
	if !containsNeed(r.w.mod.Accounts, a.Service, a.Name) {
		r.w.mod.Accounts = append(r.w.mod.Accounts, AccountNeed{Service: a.Service, Name: a.Name})
	}
	return addr + ".account_id", true
}

func containsNeed(needs []AccountNeed, service, name string) bool {
	for _, n := range needs {
		if n.Service == service && n.Name == name {
			return true
		}
	}
	return false
}

// user is the look-up of a user by username.
func (r refs) user(id string) (string, bool) {
	u := r.w.t.Users[id]
	if u == nil || u.Username == "" {
		return "", false
	}
	if !slices.Contains(r.w.mod.Users, u.Username) {
		r.w.mod.Users = append(r.w.mod.Users, u.Username)
	}
	return r.lookup("appmixer_user", u.Username, [][2]string{{"username", u.Username}}) + ".id", true
}

// store is a reference to the exported store, else its look-up by name.
func (r refs) store(id string) string {
	if n, ok := r.storeRes[id]; ok {
		return "appmixer_data_store." + n + ".id"
	}
	return r.lookup("appmixer_data_store", r.storeByID[id], [][2]string{{"name", r.storeByID[id]}}) + ".id"
}

// flow is a reference to the exported flow, else its look-up by name.
func (r refs) flow(id string) string {
	if n, ok := r.flowRes[id]; ok {
		return "appmixer_flow." + n + ".id"
	}
	return r.lookup("appmixer_flow", r.flowByID[id], [][2]string{{"name", r.flowByID[id]}}) + ".id"
}

// minIDLength keeps short strings, which could be ordinary words, from being taken for ids.
const minIDLength = 8

// template is a definition as a templatefile template: ids of stores, flows and users that it holds
// become template variables, which vars maps to expressions. self is the flow's own id, which it
// cannot reference; allow says (and records) whether it may reference another flow without a cycle.
func (r refs) template(object string, def json.RawMessage, self string, allow func(string) bool) (text string, vars map[string]string, err error) {
	pretty, err := prettyJSON(withoutVersions(def))
	if err != nil {
		return "", nil, fmt.Errorf("%s: the definition is not JSON: %w", object, err)
	}
	text = escapeTemplate(string(pretty))
	vars = map[string]string{}
	local := namer{} // variable names are the template's own
	// The definition's id-like words, looked up in the tenant's ids: a lookup per word rather than a
	// search per id keeps a tenant with many users and flows fast.
	words := map[string]bool{}
	for _, w := range idWord.FindAllString(text, -1) {
		words[w] = true
	}
	found := make([]string, 0, len(words))
	for w := range words {
		found = append(found, w)
	}
	for _, id := range sortedIDs(found) {
		var varName, expr string
		switch u := r.w.t.Users[id]; {
		case hasKey(r.storeByID, id):
			varName, expr = "store_"+local.name("v", r.storeByID[id]), r.store(id)
		case hasKey(r.flowByID, id):
			if id == self || !allow(id) {
				r.w.problem(object, fmt.Sprintf("its definition names flow %q (%s), which names it back (or is itself): Terraform "+
					"refuses a cycle of references, so the id is written as it is", r.flowByID[id], id))
				continue
			}
			varName, expr = "flow_"+local.name("v", r.flowByID[id]), r.flow(id)
		case u != nil && u.Username != "":
			expr, _ = r.user(id)
			varName = "user_" + local.name("v", u.Username)
		case hasKey(r.w.t.FileIDs, id):
			r.w.problem(object, fmt.Sprintf("its definition names file %q (%s), which has no portable reference: upload the file "+
				"to the target tenant and put its id into the definition", r.w.t.FileIDs[id], id))
			continue
		default:
			continue
		}
		text = strings.ReplaceAll(text, id, "${"+varName+"}")
		vars[varName] = expr
	}
	return text, vars, nil
}

// idWord matches the words of a definition that may be ids: Appmixer's are hex object ids and UUIDs.
var idWord = regexp.MustCompile(`[0-9A-Za-z][0-9A-Za-z-]{` + fmt.Sprint(minIDLength-1) + `,}`)

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// sortedIDs sorts ids longest first, so that an id inside another is replaced after it.
func sortedIDs(out []string) []string {
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// withoutVersions drops each component's version: the server sets it on every save to the newest
// installed version of the type (the provider never counts it as drift), so a version read from one
// tenant would only be a stale pin on another. Anything that is not a map of components is kept.
func withoutVersions(def json.RawMessage) json.RawMessage {
	var comps map[string]map[string]json.RawMessage
	if json.Unmarshal(def, &comps) != nil {
		return def
	}
	for _, c := range comps {
		delete(c, "version")
	}
	out, err := json.Marshal(comps)
	if err != nil {
		return def
	}
	return out
}
