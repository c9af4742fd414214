// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// flows writes each automation: its definition as a template file, its bindings as account look-ups.
func (w *writer) flows() error {
	var kept []appmixer.Flow
	for _, f := range w.t.Flows {
		if w.keep("appmixer_flow", f.ID) {
			kept = append(kept, f)
			w.refs.flowRes[f.ID] = w.names.name("appmixer_flow", f.Name)
		}
	}
	graph := flowRefs{}
	for _, f := range kept {
		name := w.refs.flowRes[f.ID]
		object := fmt.Sprintf("flow %q (%s)", f.Name, f.ID)
		var b strings.Builder
		fmt.Fprintf(&b, "  name = %s\n", quote(f.Name))
		if f.Description != nil && *f.Description != "" {
			fmt.Fprintf(&b, "  description = %s\n", quote(*f.Description))
		}
		def, err := w.definition(object, "flows/"+name+".json.tftpl", f.Definition, f.ID, func(id string) bool {
			_, exported := w.refs.flowRes[id]
			return !exported || graph.allow(f.ID, id)
		})
		if err != nil {
			return err
		}
		b.WriteString(def)
		if bound := w.t.Bindings[f.ID]; len(bound) > 0 {
			accounts := map[string]string{}
			for cid, aid := range bound {
				expr, ok := w.refs.account(aid)
				if !ok {
					w.problem(object, fmt.Sprintf("component %q is bound to account %s, which the exporting user cannot see: the binding is written as it is", cid, aid))
					expr = quote(aid)
				}
				accounts[cid] = expr
			}
			fmt.Fprintf(&b, "  accounts = %s\n", exprMap(accounts, "  "))
		}
		w.customFields(&b, f.CustomFields)
		w.shares(&b, object, f.SharedWith)
		if f.Running() {
			b.WriteString("  stage = \"running\"\n")
		}
		w.resource("flows.tf", "appmixer_flow", name, f.ID, f.Name, b.String())
	}
	return nil
}

// flowRefs records the references between exported flows made so far, so that one that would close
// a cycle (which Terraform refuses) is refused and that id written as it is: only the edges that
// close a cycle stay literal.
type flowRefs map[string][]string

// allow reports whether from may reference to, and records it when it may.
func (g flowRefs) allow(from, to string) bool {
	if from == to || g.reaches(to, from) {
		return false
	}
	g[from] = append(g[from], to)
	return true
}

func (g flowRefs) reaches(from, to string) bool {
	seen := map[string]bool{}
	stack := []string{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		if !seen[n] {
			seen[n] = true
			stack = append(stack, g[n]...)
		}
	}
	return false
}

// definition writes def as a template file and returns the definition argument that renders it.
func (w *writer) definition(object, file string, def json.RawMessage, self string, allow func(string) bool) (string, error) {
	text, vars, err := w.refs.template(object, def, self, allow)
	if err != nil {
		return "", err
	}
	w.out(file).WriteString(text)
	// jsonencode(jsondecode(...)) gives the compact, key-sorted text an import keeps in state, so that
	// adopting the tenant shows no change; the file stays readable.
	return fmt.Sprintf("  definition = jsonencode(jsondecode(templatefile(\"${path.module}/%s\", %s)))\n", file, exprMap(vars, "  ")), nil
}

// customFields writes custom_fields as the resource reads them: strings as they are, other values
// as JSON text.
func (w *writer) customFields(b *strings.Builder, fields map[string]any) {
	if len(fields) == 0 {
		return
	}
	m := map[string]string{}
	for k, v := range fields {
		if s, ok := v.(string); ok {
			m[k] = quote(s)
		} else {
			raw, _ := json.Marshal(v)
			m[k] = quote(string(raw))
		}
	}
	fmt.Fprintf(b, "  custom_fields = %s\n", exprMap(m, "  "))
}

// shares writes shared_with; user ids become look-ups of the user by username.
func (w *writer) shares(b *strings.Builder, object string, shares []appmixer.Share) {
	if len(shares) == 0 {
		return
	}
	b.WriteString("  shared_with = [\n")
	for _, s := range shares {
		var who string
		switch {
		case s.Scope != "":
			who = "scope = " + quote(s.Scope)
		case s.Domain != "":
			who = "domain = " + quote(s.Domain)
		case s.Email != "":
			who = "email = " + quote(s.Email)
		default:
			expr, ok := w.refs.user(s.UserID)
			if !ok {
				w.problem(object, fmt.Sprintf("it is shared with user %s, whom the exporting user cannot list: the id is written as it is", s.UserID))
				expr = quote(s.UserID)
			}
			who = "user_id = " + expr
		}
		perms := append([]string{}, s.Permissions...)
		sort.Strings(perms)
		fmt.Fprintf(b, "    { %s, permissions = %s },\n", who, stringList(perms))
	}
	b.WriteString("  ]\n")
}

// integrations writes each integration: its draft's definition, the wizard and who may use it.
func (w *writer) integrations() error {
	for _, in := range w.t.Integrations {
		d := in.Draft
		if !w.keep("appmixer_integration", d.ID) {
			continue
		}
		name := w.names.name("appmixer_integration", d.Name)
		object := fmt.Sprintf("integration %q (%s)", d.Name, d.ID)
		var b strings.Builder
		fmt.Fprintf(&b, "  name = %s\n", quote(d.Name))
		if d.Description != nil && *d.Description != "" {
			fmt.Fprintf(&b, "  description = %s\n", quote(*d.Description))
		}
		def, err := w.definition(object, "integrations/"+name+".json.tftpl", d.Definition, d.ID, func(string) bool { return true })
		if err != nil {
			return err
		}
		b.WriteString(def)
		if len(d.Wizard) > 0 && string(d.Wizard) != "null" {
			wiz, err := prettyJSON(d.Wizard)
			if err != nil {
				return fmt.Errorf("%s: the wizard is not JSON: %w", object, err)
			}
			w.out("integrations/" + name + ".wizard.json").Write(wiz)
			fmt.Fprintf(&b, "  wizard = jsonencode(jsondecode(file(\"${path.module}/integrations/%s.wizard.json\")))\n", name)
		}
		w.customFields(&b, d.CustomFields)
		if in.Template != nil {
			w.shares(&b, object, in.Template.SharedWith)
		}
		// HOOK(issue 23): integration categories and notes. When the appmixer_integration resource gains
		// them, read them in read_flows.go (Integration) and write them here: a category as a reference
		// to its exported resource (or a look-up by name), notes as they are.
		w.resource("integrations.tf", "appmixer_integration", name, d.ID, d.Name, b.String())
	}
	return nil
}
