// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"fmt"
	"strings"
)

// readme tells the module's user what the module needs that it cannot hold: accounts on the target,
// secret variables, public files, and what it could not make portable.
func (w *writer) readme() []byte {
	m := w.mod
	var b strings.Builder
	b.WriteString("# Appmixer tenant, exported\n\n")
	b.WriteString("Written by `appmixer-export`. It holds no id of the tenant it was read from: accounts are looked up by\n" +
		"service and name, users by username, and data stores and flows that definitions name are references\n" +
		"(definitions are the `*.json.tftpl` templates, rendered with `templatefile`). Configure the provider as\n" +
		"usual (a provider block in the calling configuration, or the `APPMIXER_*` environment variables).\n\n")
	fmt.Fprintf(&b, "It manages %d objects.\n\n", len(m.Resources))
	if w.opts.Import {
		b.WriteString("## Adopting the tenant it was read from\n\n" +
			"`imports.tf` imports every object from the tenant it was read from: there, `terraform plan` shows\n" +
			"each one to import and nothing to add. Delete `imports.tf` before applying the module to another tenant\n" +
			"(import blocks name the source's ids). On adoption the only change is the one-time sending of the\n" +
			"secrets below from their variables (until then an adopted object keeps the secrets already on the\n" +
			"tenant), and public files are uploaded again from `public/`. To rotate a secret later, change its\n" +
			"variable and increase the `_version` argument next to it (`secret_values_wo_version`, `value_wo_version`).\n\n")
	}
	if len(m.Accounts) > 0 {
		b.WriteString("## Accounts the target tenant must hold\n\n" +
			"Connected accounts cannot be created by Terraform (they need the vendor's consent). Connect these, with\n" +
			"these names, as the user the provider logs in as, before applying:\n\n| Service | Account name |\n|---|---|\n")
		for _, a := range m.Accounts {
			fmt.Fprintf(&b, "| `%s` | `%s` |\n", a.Service, a.Name)
		}
		b.WriteString("\n")
	}
	if len(m.Users) > 0 {
		b.WriteString("## Users the target tenant must hold\n\nSharing and definitions name these users; they are looked up by username (which needs the\n" +
			"admin scope), so create them on the target tenant first:\n\n")
		for _, u := range m.Users {
			fmt.Fprintf(&b, "- `%s`\n", u)
		}
		b.WriteString("\n")
	}
	if len(m.Variables) > 0 {
		b.WriteString("## Secrets\n\nNo secret was read from the tenant. Give each of these sensitive variables (for example\n" +
			"`TF_VAR_<name>` in CI); they are sent write-only and never stored in state:\n\n")
		for _, v := range m.Variables {
			fmt.Fprintf(&b, "- `%s`: %s\n", v.Name, v.Description)
		}
		b.WriteString("\n")
	}
	if len(m.Unsure) > 0 {
		b.WriteString("## Settings that may be secrets\n\nThese are kept as plain values because their names do not say they are secrets, but their\n" +
			"values look generated. If they are secrets, move them into `secret_values_wo` and a variable:\n\n")
		for _, u := range m.Unsure {
			fmt.Fprintf(&b, "- %s\n", u)
		}
		b.WriteString("\n")
	}
	if len(m.Public) > 0 {
		b.WriteString("## Public files\n\nAppmixer has no documented route to download a public file, so their content is not here.\n" +
			"Put each file into `public/` before planning:\n\n")
		for _, f := range m.Public {
			fmt.Fprintf(&b, "- `public/%s`\n", f)
		}
		b.WriteString("\n")
	}
	if len(m.Problems) > 0 {
		b.WriteString("## Not portable\n\n")
		for _, p := range m.Problems {
			fmt.Fprintf(&b, "- %s: %s.\n", p.Object, p.Why)
		}
		b.WriteString("\n")
	}
	if len(m.Skipped) > 0 {
		b.WriteString("## Left out\n\n")
		for _, p := range m.Skipped {
			fmt.Fprintf(&b, "- %s: %s.\n", p.Object, p.Why)
		}
		b.WriteString("\n")
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}
