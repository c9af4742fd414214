// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// The kinds of objects an export covers, as -only names them.
const (
	KindFlows          = "flows"
	KindIntegrations   = "integrations"
	KindComponents     = "components"
	KindStores         = "data_stores"
	KindServiceConfigs = "service_configs"
	KindPublicFiles    = "public_files"
	KindACL            = "acl"
	KindConfig         = "config"
	KindModifiers      = "modifiers"
)

// AllKinds in the order the export reads them.
var AllKinds = []string{KindStores, KindComponents, KindServiceConfigs, KindPublicFiles, KindACL, KindConfig, KindModifiers, KindFlows, KindIntegrations}

// Filter chooses what an export covers.
type Filter struct {
	// Kinds to export; empty means all.
	Kinds []string
	// FlowPattern, when set, is a glob (path.Match) that flow and integration names must match.
	FlowPattern string
}

// ParseKinds reads -only: a comma-separated list of kinds.
func ParseKinds(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(AllKinds, k) {
			return nil, fmt.Errorf("-only: unknown kind %q; the kinds are %s", k, strings.Join(AllKinds, ", "))
		}
		out = append(out, k)
	}
	return out, nil
}

// Check reports a pattern path.Match cannot use.
func (f Filter) Check() error {
	if f.FlowPattern == "" {
		return nil
	}
	if _, err := path.Match(f.FlowPattern, ""); err != nil {
		return fmt.Errorf("-flows %q is not a valid pattern (a glob such as \"Orders*\"): %w", f.FlowPattern, err)
	}
	return nil
}

func (f Filter) wants(kind string) bool { return len(f.Kinds) == 0 || slices.Contains(f.Kinds, kind) }

func (f Filter) wantsFlow(name string) bool {
	if f.FlowPattern == "" {
		return true
	}
	ok, _ := path.Match(f.FlowPattern, name)
	return ok
}
