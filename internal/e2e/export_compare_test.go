// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// tenantView is what a tenant holds, read straight from the API, with every id of a store, flow,
// user or account replaced by that object's name: two tenants that hold the same objects with their
// own ids have equal views. It is the export test's oracle, independent of the export's own reading.
func tenantView(t *testing.T, tn *tenant) map[string]string {
	t.Helper()
	ctx := context.Background()
	api := tn.api
	names := map[string]string{} // id => "kind:name"
	stores, err := api.ListStores(ctx)
	must(t, err)
	for _, s := range stores {
		names[s.ID] = "store:" + s.Name
	}
	flows, err := api.ListAllFlows(ctx, appmixer.ListFlowsOptions{})
	must(t, err)
	for _, f := range flows {
		names[f.ID] = "flow:" + f.Name + ":" + f.Type
	}
	users, err := api.ListUsers(ctx, "")
	must(t, err)
	for _, u := range users {
		names[u.ID] = "user:" + u.Username
	}
	accounts, err := api.ListAccounts(ctx, "")
	must(t, err)
	for _, a := range accounts {
		names[a.ID] = "account:" + a.Service + "/" + a.Name
	}
	ids := make([]string, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) > len(ids[j]) })
	portable := func(v any) string {
		raw, err := json.Marshal(v)
		must(t, err)
		s := string(raw)
		for _, id := range ids {
			s = strings.ReplaceAll(s, id, "<"+names[id]+">")
		}
		return s
	}
	view := map[string]string{}
	for _, s := range stores {
		view["store "+s.Name] = "exists"
	}
	for _, f := range flows {
		if f.Type == appmixer.FlowTypeInstance {
			continue
		}
		// A template's component ids are made at publishing: they are compared as the draft's.
		text, wizard := string(f.Definition), string(orNull(f.Wizard))
		for draftID, templateID := range f.ComponentIDMap {
			text, wizard = strings.ReplaceAll(text, templateID, draftID), strings.ReplaceAll(wizard, templateID, draftID)
		}
		var def map[string]map[string]any
		must(t, json.Unmarshal([]byte(text), &def))
		for _, c := range def {
			delete(c, "version") // the server's, not the designer's
		}
		description := "" // the provider sends "" for a description left out, where the designer sends none
		if f.Description != nil {
			description = *f.Description
		}
		entry := map[string]any{"stage": f.Running(), "description": description, "definition": def, "custom": f.CustomFields,
			"shared": f.SharedWith, "wizard": json.RawMessage(wizard), "origin": f.OriginFlowID}
		if f.Type == appmixer.FlowTypeAutomation || f.Type == "" {
			auth, err := api.FlowAuth(ctx, f.ID)
			must(t, err)
			bound := map[string]string{}
			for cid, a := range auth {
				bound[cid] = a.AccountID
			}
			entry["bindings"] = bound
		}
		view["flow "+f.Name+" "+f.Type] = portable(entry)
	}
	comps, err := api.ListComponents(ctx, "", false)
	must(t, err)
	for _, c := range comps {
		view["component "+c.Name] = "exists"
	}
	scs, err := api.ListServiceConfigs(ctx)
	must(t, err)
	for _, sc := range scs {
		view["service config "+sc.ServiceID] = portable(sc.Values)
	}
	pub, err := api.ListPublicFiles(ctx)
	must(t, err)
	for _, f := range pub {
		content, _ := tn.srv.PublicFile(f)
		view["public file "+f] = string(content)
	}
	types, err := api.ACLTypes(ctx)
	must(t, err)
	for _, typ := range types {
		rules, err := api.ACL(ctx, typ)
		must(t, err)
		// The rules are a set.
		sort.Slice(rules, func(i, j int) bool { return fmt.Sprint(rules[i]) < fmt.Sprint(rules[j]) })
		view["acl "+typ] = portable(rules)
	}
	cfg, err := api.ListConfig(ctx)
	must(t, err)
	for _, e := range cfg {
		view["config "+e.Key] = string(e.Value)
	}
	mods, err := api.Modifiers(ctx)
	must(t, err)
	view["modifiers"] = portable(json.RawMessage(mods))
	return view
}

func orNull(raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return []byte("null")
	}
	return raw
}

// sameView reports the differences of two views, for an error message.
func sameView(a, b map[string]string) []string {
	var diffs []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("only on the source: %s", k))
		} else if v != w {
			diffs = append(diffs, fmt.Sprintf("%s differs:\n  source: %s\n  target: %s", k, v, w))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("only on the target: %s", k))
		}
	}
	sort.Strings(diffs)
	return diffs
}
