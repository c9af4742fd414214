// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"fmt"
	"sort"
	"sync"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// flows reads automations (with their account bindings) and integration drafts (with their
// templates). Instances are end users' and templates belong to their draft: neither is exported.
func (r *reader) flows(t *Tenant, filter Filter) error {
	all, err := r.c.ListAllFlows(r.ctx, appmixer.ListFlowsOptions{})
	if err != nil {
		return explain("flows", "GET /flows", err)
	}
	templates := map[string]*appmixer.Flow{}
	for i := range all {
		if f := &all[i]; f.Type == appmixer.FlowTypeTemplate && templates[f.OriginFlowID] == nil {
			templates[f.OriginFlowID] = f
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	for _, f := range all {
		switch {
		case f.Type == appmixer.FlowTypeTemplate || f.Type == appmixer.FlowTypeInstance || !filter.wantsFlow(f.Name):
		case f.UserID != "" && t.Me.ID != "" && f.UserID != t.Me.ID:
			// The provider manages the flows of the user it logs in as; another user's flow would be
			// created as this user's on the target.
			t.Skipped = append(t.Skipped, Problem{Object: fmt.Sprintf("flow %q (%s)", f.Name, f.ID),
				Why: "it belongs to another user (" + owner(t, f.UserID) + "); export as that user to include it"})
		case f.Type == appmixer.FlowTypeDraft:
			if filter.wants(KindIntegrations) {
				t.Integrations = append(t.Integrations, Integration{Draft: f, Template: templates[f.ID]})
			}
		default:
			if filter.wants(KindFlows) {
				t.Flows = append(t.Flows, f)
			}
		}
	}
	return r.bindings(t)
}

func owner(t *Tenant, id string) string {
	if u := t.Users[id]; u != nil {
		return u.Username
	}
	return "user " + id
}

// bindings reads each flow's account bindings, several at a time: one request per flow is what a
// large tenant's export spends its time on.
func (r *reader) bindings(t *Tenant) error {
	var (
		mu   sync.Mutex
		done int
	)
	total := len(t.Flows)
	r.progress(KindFlows, 0, total)
	return parallel(r.workers, total, func(i int) error {
		f := t.Flows[i]
		auth, err := r.c.FlowAuth(r.ctx, f.ID)
		if err != nil && !appmixer.IsNotFound(err) {
			return explain(fmt.Sprintf("the account bindings of flow %q", f.Name), "GET /auth/flow/"+f.ID, err)
		}
		bound := map[string]string{}
		for cid, a := range auth {
			if a.AccountID != "" {
				bound[cid] = a.AccountID
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(bound) > 0 {
			t.Bindings[f.ID] = bound
		}
		done++
		r.progress(KindFlows, done, total)
		return nil
	})
}
