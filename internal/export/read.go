// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Tenant is what an export read from a tenant.
type Tenant struct {
	Me             *appmixer.User
	Accounts       map[string]appmixer.Account // by id
	Users          map[string]*appmixer.User   // by id; those the reader could see
	FileIDs        map[string]string           // file id => filename, to find them in definitions
	Stores         []appmixer.Store
	StoresExported bool // false when stores were read only to resolve their ids
	Flows          []appmixer.Flow
	Bindings       map[string]map[string]string // flow id => component id => account id
	Integrations   []Integration
	Components     []Component
	ServiceConfigs []appmixer.ServiceConfig
	PublicFiles    []string
	ACL            map[string][]appmixer.ACLRule
	Config         []appmixer.ConfigEntry
	Modifiers      json.RawMessage
	// Skipped are objects read but left out, with why (flows owned by someone else, ...).
	Skipped []Problem
}

// Integration is a draft with its first template (nil while unpublished).
type Integration struct {
	Draft    appmixer.Flow
	Template *appmixer.Flow
	// Categories and notes (issue 23) are not read yet: see the hook in integrationBlock.
}

// Component is a custom connector's service and its source as the server gives it.
type Component struct {
	Service string // vendor.service
	Zip     []byte
}

// Problem is something the module cannot make portable, or an object left out, and why.
type Problem struct {
	Object string
	Why    string
}

// Progress is told how far each kind got; total is 0 while unknown.
type Progress func(kind string, done, total int)

// reader reads one kind; a failure names the kind and the route.
type reader struct {
	ctx      context.Context
	c        *appmixer.Client
	progress Progress
	workers  int
}

// Read reads what filter asks for. A route the user may not read fails the export with the scope it
// needs, rather than writing a module that silently lacks a kind.
func Read(ctx context.Context, c *appmixer.Client, filter Filter, progress Progress) (*Tenant, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	r := &reader{ctx: ctx, c: c, progress: progress, workers: 8}
	t := &Tenant{Accounts: map[string]appmixer.Account{}, Users: map[string]*appmixer.User{}, FileIDs: map[string]string{},
		Bindings: map[string]map[string]string{}, ACL: map[string][]appmixer.ACLRule{}}
	me, err := c.CurrentUser(ctx)
	if err != nil {
		return nil, explain("the current user", "GET /user", err)
	}
	t.Me = me
	t.StoresExported = filter.wants(KindStores)
	if err := r.lookups(t, filter); err != nil {
		return nil, err
	}
	steps := []struct {
		kind string
		read func(*Tenant) error
	}{
		{KindStores, r.stores}, {KindComponents, r.components}, {KindServiceConfigs, r.serviceConfigs},
		{KindPublicFiles, r.publicFiles}, {KindACL, r.acl}, {KindConfig, r.config}, {KindModifiers, r.modifiers},
	}
	for _, s := range steps {
		if filter.wants(s.kind) {
			if err := s.read(t); err != nil {
				return nil, err
			}
		}
	}
	if filter.wants(KindFlows) || filter.wants(KindIntegrations) {
		if err := r.flows(t, filter); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// lookups reads what references are resolved against: accounts, users, files and stores (stores are
// needed even when not exported, to find their ids in definitions and look them up by name).
func (r *reader) lookups(t *Tenant, filter Filter) error {
	if !filter.wants(KindFlows) && !filter.wants(KindIntegrations) {
		return nil
	}
	accounts, err := r.c.ListAccounts(r.ctx, "")
	if err != nil {
		return explain("accounts", "GET /accounts", err)
	}
	for _, a := range accounts {
		t.Accounts[a.ID] = a
	}
	// Users and files are only looked for in definitions and sharing; a user who may not list them
	// gets a module that lists such ids as not portable instead of no module.
	if users, err := r.c.ListUsers(r.ctx, ""); err == nil {
		for _, u := range users {
			t.Users[u.ID] = u
		}
	}
	t.Users[t.Me.ID] = t.Me
	if files, err := r.c.ListFiles(r.ctx, ""); err == nil {
		for _, f := range files {
			t.FileIDs[f.ID] = f.Filename
		}
	}
	if !filter.wants(KindStores) {
		return r.stores(t)
	}
	return nil
}

func (r *reader) stores(t *Tenant) error {
	if t.Stores != nil {
		return nil
	}
	stores, err := r.c.ListStores(r.ctx)
	if err != nil {
		return explain("data stores", "GET /stores", err)
	}
	sort.Slice(stores, func(i, j int) bool { return stores[i].Name < stores[j].Name })
	t.Stores = append([]appmixer.Store{}, stores...)
	r.progress(KindStores, len(stores), len(stores))
	return nil
}

// components reads the custom connectors (every vendor but appmixer, whose connectors come with the
// platform) and downloads each service's source.
func (r *reader) components(t *Tenant) error {
	manifests, err := r.c.ListComponents(r.ctx, "", false)
	if err != nil {
		return explain("connectors", "GET /components", err)
	}
	seen := map[string]bool{}
	var services []string
	for _, m := range manifests {
		parts := strings.Split(m.Name, ".")
		if len(parts) < 2 || parts[0] == "appmixer" || seen[parts[0]+"."+parts[1]] {
			continue
		}
		seen[parts[0]+"."+parts[1]] = true
		services = append(services, parts[0]+"."+parts[1])
	}
	sort.Strings(services)
	for i, s := range services {
		zip, err := r.c.DownloadComponent(r.ctx, s)
		if err != nil {
			return explain("the source of connector "+s, "GET /components/"+s, err)
		}
		t.Components = append(t.Components, Component{Service: s, Zip: zip})
		r.progress(KindComponents, i+1, len(services))
	}
	return nil
}

func (r *reader) serviceConfigs(t *Tenant) error {
	scs, err := r.c.ListServiceConfigs(r.ctx)
	if err != nil {
		return explain("service configurations", "GET /service-config", err)
	}
	sort.Slice(scs, func(i, j int) bool { return scs[i].ServiceID < scs[j].ServiceID })
	t.ServiceConfigs = scs
	r.progress(KindServiceConfigs, len(scs), len(scs))
	return nil
}

func (r *reader) publicFiles(t *Tenant) error {
	names, err := r.c.ListPublicFiles(r.ctx)
	if err != nil {
		return explain("public files", "GET /public-files", err)
	}
	sort.Strings(names)
	t.PublicFiles = names
	r.progress(KindPublicFiles, len(names), len(names))
	return nil
}

func (r *reader) acl(t *Tenant) error {
	types, err := r.c.ACLTypes(r.ctx)
	if err != nil {
		return explain("ACL types", "GET /acl-types", err)
	}
	for i, typ := range types {
		rules, err := r.c.ACL(r.ctx, typ)
		if err != nil {
			return explain("the ACL of "+typ, "GET /acl/"+typ, err)
		}
		t.ACL[typ] = rules
		r.progress(KindACL, i+1, len(types))
	}
	return nil
}

func (r *reader) config(t *Tenant) error {
	entries, err := r.c.ListConfig(r.ctx)
	if err != nil {
		return explain("system configuration", "GET /config", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Key < entries[j].Key })
	t.Config = entries
	r.progress(KindConfig, len(entries), len(entries))
	return nil
}

func (r *reader) modifiers(t *Tenant) error {
	doc, err := r.c.Modifiers(r.ctx)
	if err != nil {
		return explain("the modifiers document", "GET /modifiers", err)
	}
	t.Modifiers = doc
	r.progress(KindModifiers, 1, 1)
	return nil
}

// explain turns a failed read into an error that says what was being read and, for 401/403, what
// the user lacks.
func explain(what, route string, err error) error {
	switch {
	case appmixer.IsForbidden(err):
		return fmt.Errorf("reading %s (%s) was refused (403): the user lacks the right (most of a tenant's settings need "+
			"the admin scope, a connector's source its vendor's developer rights); export as a tenant admin, or leave this "+
			"kind out with -only: %w", what, route, err)
	case appmixer.IsUnauthorized(err):
		return fmt.Errorf("reading %s (%s): the credentials were rejected (401); check APPMIXER_USERNAME and "+
			"APPMIXER_PASSWORD or APPMIXER_TOKEN: %w", what, route, err)
	}
	return fmt.Errorf("reading %s (%s): %w", what, route, err)
}

// parallel runs f on each index with n workers and returns the first error.
func parallel(n, count int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := first != nil || i >= count
				mu.Unlock()
				if stop {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}
