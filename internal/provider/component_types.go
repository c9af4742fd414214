// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// componentTypes knows which component types a tenant has installed, so that a flow using a type the
// tenant lacks fails before it is created or changed, instead of being saved as a flow that can never
// run. The server itself accepts unknown types on save, which is why the provider checks.
//
// The list is fetched at most once per provider process, lazily: a no-change plan never pays for it.
// A type missing from a list fetched earlier is looked up again once, since a connector published by
// the same apply (which the flow depends on) may have arrived after the list was read.
type componentTypes struct {
	client *appmixer.Client

	mu        sync.Mutex
	installed map[string]bool // nil until first needed
}

func newComponentTypes(client *appmixer.Client) *componentTypes {
	return &componentTypes{client: client}
}

// missing returns the types the tenant does not have, sorted.
func (c *componentTypes) missing(ctx context.Context, types []string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := false
	if c.installed == nil {
		if err := c.load(ctx); err != nil {
			return nil, err
		}
		fresh = true
	}
	absent := c.absent(types)
	if len(absent) > 0 && !fresh {
		if err := c.load(ctx); err != nil {
			return nil, err
		}
		absent = c.absent(types)
	}
	return absent, nil
}

// forget drops the list after this process published or deleted a connector.
func (c *componentTypes) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.installed = nil
}

func (c *componentTypes) load(ctx context.Context) error {
	list, err := c.client.ListComponents(ctx, "", false)
	if err != nil {
		return err
	}
	c.installed = make(map[string]bool, len(list))
	for _, m := range list {
		c.installed[m.Name] = true
	}
	return nil
}

func (c *componentTypes) absent(types []string) []string {
	var out []string
	for _, t := range types {
		if !c.installed[t] {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// definitionTypes maps each component type of a valid descriptor to the ids of the components using it.
func definitionTypes(s string) map[string][]string {
	def, err := decodeDefinition(s)
	if err != nil {
		return nil
	}
	byType := map[string][]string{}
	for _, id := range sortedKeys(def) {
		if comp, ok := def[id].(map[string]any); ok {
			if t, ok := comp["type"].(string); ok {
				byType[t] = append(byType[t], id)
			}
		}
	}
	return byType
}

// missingTypesMessage names each missing type with the components that use it, and the tenant.
func missingTypesMessage(baseURL string, missing []string, byType map[string][]string) string {
	lines := make([]string, 0, len(missing))
	for _, t := range missing {
		lines = append(lines, fmt.Sprintf("  - %s (component %s)", t, strings.Join(quoteAll(byType[t]), ", ")))
	}
	return fmt.Sprintf("The Appmixer tenant at %s has no component of these types:\n%s\n\n"+
		"Publish the connector to this tenant first (an appmixer_component resource that the flow depends on, "+
		"e.g. with depends_on), or install it there. Nothing was created or changed.",
		baseURL, strings.Join(lines, "\n"))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
