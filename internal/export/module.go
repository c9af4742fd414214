// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Options shape the module.
type Options struct {
	// Import adds import blocks for the objects' ids on the tenant read, so that the module adopts it.
	Import bool
	// Identity writes those blocks with identity = {...} (Terraform and OpenTofu 1.12+) instead of id.
	Identity bool
	// Managed, when set, leaves out what these states manage (-unmanaged).
	Managed Managed
}

// Module is the written module, by file name, and what its README tells.
type Module struct {
	Files     map[string][]byte
	Resources []Address
	Accounts  []AccountNeed
	Users     []string // usernames that sharing and definitions name, looked up on the target
	Variables []Variable
	Problems  []Problem
	Unsure    []string // service config keys kept as values that might be secrets
	Skipped   []Problem
	Public    []string // public files whose content the user must put in public/
}

// Address is one exported resource: its import id on the tenant read, and Key, the value of its
// identity attribute (the same but for a secret config key, whose import id is value_wo:<key>).
type Address struct {
	Type, Name, ID, Key, Display string
}

// AccountNeed is an account the target tenant must hold, looked up by service and name.
type AccountNeed struct{ Service, Name string }

// Variable is a sensitive variable holding one secret value.
type Variable struct {
	Name, Description string
}

// writer builds a module from a tenant.
type writer struct {
	t     *Tenant
	opts  Options
	names namer
	mod   *Module
	files map[string]*strings.Builder
	data  map[string]string // address => block, for the look-ups
	refs  refs
}

// Build writes the module for t in memory.
func Build(t *Tenant, opts Options) (*Module, error) {
	w := &writer{t: t, opts: opts, names: namer{}, mod: &Module{Files: map[string][]byte{}, Skipped: t.Skipped},
		files: map[string]*strings.Builder{}, data: map[string]string{}}
	w.refs = newRefs(w)
	steps := []func() error{w.stores, w.components, w.serviceConfigs, w.publicFiles, w.acl, w.config, w.modifiers, w.flows, w.integrations}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	w.finish()
	return w.mod, nil
}

// keep reports whether an object goes into the module, and records it when it does.
func (w *writer) keep(typ, id string) bool {
	return !w.opts.Managed.has(typ, id)
}

// resource adds a resource block to file, and its import block when asked.
func (w *writer) resource(file, typ, name, id, display, body string) {
	key := strings.TrimPrefix(id, "value_wo:")
	w.mod.Resources = append(w.mod.Resources, Address{Type: typ, Name: name, ID: id, Key: key, Display: display})
	w.out(file).WriteString(fmt.Sprintf("resource %q %q {\n%s}\n\n", typ, name, body))
}

func (w *writer) out(file string) *strings.Builder {
	if w.files[file] == nil {
		w.files[file] = &strings.Builder{}
	}
	return w.files[file]
}

func (w *writer) problem(object, why string) {
	w.mod.Problems = append(w.mod.Problems, Problem{Object: object, Why: why})
}

// finish writes the shared files: versions, variables, look-ups, imports and the README.
func (w *writer) finish() {
	writeOnly := len(w.mod.Variables) > 0
	req := ">= 1.5" // import blocks
	if writeOnly {
		req = ">= 1.11" // write-only arguments
	}
	w.out("versions.tf").WriteString("# Written by appmixer-export. The provider is configured as usual: a provider block in the\n" +
		"# calling configuration, or the APPMIXER_* environment variables.\n" +
		fmt.Sprintf("terraform {\n  required_version = %q\n  required_providers {\n    appmixer = {\n      source = \"appmixer/appmixer\"\n    }\n  }\n}\n", req))
	for _, v := range w.mod.Variables {
		w.out("variables.tf").WriteString(fmt.Sprintf("variable %q {\n  description = %s\n  type        = string\n  sensitive   = true\n}\n\n", v.Name, quote(v.Description)))
	}
	addrs := make([]string, 0, len(w.data))
	for a := range w.data {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		w.out("lookups.tf").WriteString(w.data[a])
	}
	if w.opts.Import {
		for _, r := range w.mod.Resources {
			by := "id = " + quote(r.ID)
			if w.opts.Identity {
				by = fmt.Sprintf("identity = {\n    %s = %s\n  }", importKey[r.Type], quote(r.Key))
			}
			w.out("imports.tf").WriteString(fmt.Sprintf("import {\n  to = %s.%s\n  %s\n}\n\n", r.Type, r.Name, by))
		}
	}
	for name, b := range w.files {
		content := []byte(strings.TrimRight(b.String(), "\n") + "\n")
		if strings.HasSuffix(name, ".tf") {
			// Laid out as terraform fmt lays it out, so that formatting the module changes nothing.
			content = hclwrite.Format(content)
		}
		w.mod.Files[name] = content
	}
	w.mod.Files["README.md"] = w.readme()
}

// CheckOut refuses an output directory that is not empty unless force is set: checked before the
// tenant is read, so that a long read is not wasted.
func CheckOut(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0 && !force:
		return fmt.Errorf("-out %s is not empty (%d entries): choose an empty directory, or give -force to write over it", dir, len(entries))
	}
	return nil
}

// ownFiles are what an export writes, so that -force removes a previous export's files (a flow gone
// since must not stay in the module) and keeps the user's: public/, state, .terraform, their own .tf.
var ownFiles = []string{"versions.tf", "variables.tf", "lookups.tf", "imports.tf", "flows.tf", "integrations.tf", "components.tf",
	"data_stores.tf", "service_configs.tf", "public_files.tf", "acl.tf", "config.tf", "modifiers.tf", "modifiers.json", "README.md",
	"flows", "integrations", "connectors"}

// WriteDir writes the module into dir, which must be empty or missing unless force is set.
func (m *Module) WriteDir(dir string, force bool) error {
	if err := CheckOut(dir, force); err != nil {
		return err
	}
	for _, f := range ownFiles {
		if err := os.RemoveAll(filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(m.Files))
	for n := range m.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(p, m.Files[n], 0o600); err != nil {
			return err
		}
	}
	return nil
}

// unzipInto adds a connector package's files under prefix (its entries are vendor/service/...).
func unzipInto(files map[string][]byte, prefix string, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("the server's package is not a zip: %w", err)
	}
	for _, f := range zr.File {
		name := filepath.ToSlash(filepath.Clean(f.Name))
		if f.FileInfo().IsDir() {
			continue
		}
		if strings.HasPrefix(name, "../") || strings.HasPrefix(name, "/") || name == ".." {
			return fmt.Errorf("package entry %q lies outside the package", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		content, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return err
		}
		files[prefix+name] = content
	}
	return nil
}
