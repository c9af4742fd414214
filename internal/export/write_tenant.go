// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

func (w *writer) stores() error {
	for _, s := range w.t.Stores {
		if !w.t.StoresExported || !w.keep("appmixer_data_store", s.ID) {
			continue
		}
		name := w.names.name("appmixer_data_store", s.Name)
		w.refs.storeRes[s.ID] = name
		w.resource("data_stores.tf", "appmixer_data_store", name, s.ID, s.Name, fmt.Sprintf("  name = %s\n", quote(s.Name)))
	}
	return nil
}

// components writes each custom connector with its source unpacked where source_dir points.
func (w *writer) components() error {
	for _, c := range w.t.Components {
		if !w.keep("appmixer_component", c.Service) {
			continue
		}
		if err := unzipInto(w.mod.Files, "connectors/", c.Zip); err != nil {
			return fmt.Errorf("connector %s: %w", c.Service, err)
		}
		dir := "connectors/" + strings.Replace(c.Service, ".", "/", 1)
		if !hasPrefix(w.mod.Files, dir+"/") {
			w.problem("connector "+c.Service, "the package the server gave has no "+strings.Replace(c.Service, ".", "/", 1)+
				"/ folder: put the connector's source in "+dir)
		}
		w.resource("components.tf", "appmixer_component", w.names.name("appmixer_component", c.Service), c.Service, c.Service,
			fmt.Sprintf("  name       = %s\n  source_dir = %s\n", quote(c.Service), modulePath(dir)))
	}
	return nil
}

func hasPrefix(files map[string][]byte, prefix string) bool {
	for f := range files {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

// serviceConfigs writes plain settings as values and every secret-looking one (the provider's rule,
// which an import follows too) as a sensitive variable sent write-only.
func (w *writer) serviceConfigs() error {
	for _, sc := range w.t.ServiceConfigs {
		if !w.keep("appmixer_service_config", sc.ServiceID) {
			continue
		}
		name := w.names.name("appmixer_service_config", sc.ServiceID)
		var b strings.Builder
		fmt.Fprintf(&b, "  service_id = %s\n", quote(sc.ServiceID))
		plain, secret := map[string]json.RawMessage{}, map[string]string{}
		for _, k := range sortedKeys(sc.Values) {
			v := sc.Values[k]
			if !appmixer.SecretLookingKey(k) {
				plain[k] = v
				if looksRandom(v) {
					w.mod.Unsure = append(w.mod.Unsure, fmt.Sprintf("`%s` of the service configuration %s", k, sc.ServiceID))
				}
				continue
			}
			secret[k] = w.secretVariable(name+"_"+k, fmt.Sprintf("%s of the service configuration %s", k, sc.ServiceID), v)
		}
		if len(plain) > 0 {
			raw, _ := json.Marshal(plain)
			doc, err := hclJSON(raw)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "  values = jsonencode(%s)\n", doc)
		}
		if len(secret) > 0 {
			fmt.Fprintf(&b, "  secret_values_wo = jsonencode(%s)\n  secret_values_wo_version = 1\n", exprMap(secret, "  "))
		}
		w.resource("service_configs.tf", "appmixer_service_config", name, sc.ServiceID, sc.ServiceID, b.String())
	}
	return nil
}

// secretVariable declares one variable for a secret value and returns the expression that gives the
// value as the API holds it: the string itself, or the variable's JSON text decoded.
func (w *writer) secretVariable(name, what string, v json.RawMessage) string {
	n := w.names.name("variable", name)
	var s string
	if json.Unmarshal(v, &s) == nil {
		w.mod.Variables = append(w.mod.Variables, Variable{Name: n, Description: "The secret " + what + "."})
		return "var." + n
	}
	w.mod.Variables = append(w.mod.Variables, Variable{Name: n, Description: "The secret " + what + ", as JSON text (it is not a string on the tenant)."})
	return "jsondecode(var." + n + ")"
}

// looksRandom flags a string value that reads like a generated credential though its key does not
// say so: long, no spaces, letters mixed with digits.
func looksRandom(v json.RawMessage) bool {
	var s string
	if json.Unmarshal(v, &s) != nil || len(s) < 20 || strings.ContainsAny(s, " ./:@") {
		return false
	}
	var letters, digits bool
	for _, r := range s {
		letters = letters || unicode.IsLetter(r)
		digits = digits || unicode.IsDigit(r)
	}
	return letters && digits
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// publicFiles names each file with a source the user fills in: the API has no documented download.
func (w *writer) publicFiles() error {
	for _, f := range w.t.PublicFiles {
		if !w.keep("appmixer_public_file", f) {
			continue
		}
		w.mod.Public = append(w.mod.Public, f)
		w.resource("public_files.tf", "appmixer_public_file", w.names.name("appmixer_public_file", f), f, f,
			fmt.Sprintf("  filename = %s\n  # Put the file here: Appmixer has no documented route to download it.\n  source = %s\n",
				quote(f), modulePath("public/"+f)))
	}
	return nil
}

func (w *writer) acl() error {
	for _, typ := range sortedKeys(w.t.ACL) {
		if !w.keep("appmixer_acl", typ) {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "  type = %s\n  rules = [\n", quote(typ))
		for _, r := range w.t.ACL[typ] {
			fmt.Fprintf(&b, "    {\n      role       = %s\n      resource   = %s\n      action     = %s\n      attributes = %s\n    },\n",
				quote(r.Role), quote(r.Resource), stringList(r.Action), stringList(r.Attributes))
		}
		b.WriteString("  ]\n")
		w.resource("acl.tf", "appmixer_acl", w.names.name("appmixer_acl", typ), typ, typ, b.String())
	}
	return nil
}

// config writes each system setting; a secret-looking key's value becomes a variable sent write-only.
func (w *writer) config() error {
	for _, e := range w.t.Config {
		if !w.keep("appmixer_config", e.Key) {
			continue
		}
		name := w.names.name("appmixer_config", e.Key)
		var b strings.Builder
		fmt.Fprintf(&b, "  key = %s\n", quote(e.Key))
		id := e.Key
		if appmixer.SecretLookingKey(e.Key) {
			id = "value_wo:" + e.Key // the import that keeps the value out of state
			expr := w.secretVariable("config_"+e.Key, "system setting "+e.Key, e.Value)
			fmt.Fprintf(&b, "  value_wo = jsonencode(%s)\n  value_wo_version = 1\n", expr)
		} else {
			doc, err := hclJSON(e.Value)
			if err != nil {
				return fmt.Errorf("system setting %s is not JSON: %w", e.Key, err)
			}
			fmt.Fprintf(&b, "  value = jsonencode(%s)\n", doc)
		}
		w.resource("config.tf", "appmixer_config", name, id, e.Key, b.String())
	}
	return nil
}

func (w *writer) modifiers() error {
	if len(w.t.Modifiers) == 0 || !w.keep("appmixer_modifiers", "modifiers") {
		return nil
	}
	if !json.Valid(w.t.Modifiers) {
		return fmt.Errorf("the modifiers document is not JSON")
	}
	// Byte for byte as the server gave it: an import reads that text into state, and a file that
	// differed only in spacing would show as a change when the module adopts the tenant.
	w.mod.Files["modifiers.json"] = w.t.Modifiers
	w.resource("modifiers.tf", "appmixer_modifiers", "this", "modifiers", "modifiers",
		"  document = file(\"${path.module}/modifiers.json\")\n")
	return nil
}

// modulePath is a path inside the module as the resources keep it: relative to where Terraform runs,
// without the "./" that path.module gives in a root module, which an import (connectors/...) lacks.
func modulePath(rel string) string {
	return fmt.Sprintf("trimprefix(\"${path.module}/%s\", \"./\")", strings.Trim(quote(rel), `"`))
}
