// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"encoding/json"
	"fmt"
	"os"
)

// Managed is what a set of Terraform states manages: resource type => the ids the export keys
// objects by (the import ids).
type Managed map[string]map[string]bool

func (m Managed) has(typ, id string) bool { return m != nil && m[typ][id] }

// importKey is the attribute that holds each type's import id in state, which is also its identity.
var importKey = map[string]string{
	"appmixer_flow": "id", "appmixer_integration": "id", "appmixer_data_store": "id", "appmixer_component": "name",
	"appmixer_service_config": "service_id", "appmixer_public_file": "filename", "appmixer_acl": "type",
	"appmixer_config": "key", "appmixer_modifiers": "id",
}

// stateFile accepts both a state file (format 4, as `terraform state pull` writes it) and the output
// of `terraform show -json`.
type stateFile struct {
	Version   int `json:"version"`
	Resources []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Instances []struct {
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
	Values *struct {
		RootModule showModule `json:"root_module"`
	} `json:"values"`
}

type showModule struct {
	Resources []struct {
		Mode   string         `json:"mode"`
		Type   string         `json:"type"`
		Values map[string]any `json:"values"`
	} `json:"resources"`
	ChildModules []showModule `json:"child_modules"`
}

// ReadStates reads the states -unmanaged names.
func ReadStates(paths []string) (Managed, error) {
	m := Managed{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("-unmanaged: %w", err)
		}
		if err := m.add(data); err != nil {
			return nil, fmt.Errorf("-unmanaged %s: %w", p, err)
		}
	}
	return m, nil
}

func (m Managed) add(data []byte) error {
	var s stateFile
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("not a Terraform state or `terraform show -json` output: %w", err)
	}
	switch {
	case s.Values != nil:
		m.addModule(s.Values.RootModule)
	case s.Version == 4 || s.Resources != nil:
		for _, r := range s.Resources {
			for _, in := range r.Instances {
				m.addResource(r.Mode, r.Type, in.Attributes)
			}
		}
	case s.Version != 0:
		return fmt.Errorf("state format version %d is not supported (4 is)", s.Version)
	}
	return nil
}

func (m Managed) addModule(mod showModule) {
	for _, r := range mod.Resources {
		m.addResource(r.Mode, r.Type, r.Values)
	}
	for _, c := range mod.ChildModules {
		m.addModule(c)
	}
}

func (m Managed) addResource(mode, typ string, attrs map[string]any) {
	key, ok := importKey[typ]
	if mode != "managed" || !ok {
		return
	}
	id, _ := attrs[key].(string)
	if id == "" {
		return
	}
	if m[typ] == nil {
		m[typ] = map[string]bool{}
	}
	m[typ][id] = true
}
