// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// componentModel is an appmixer_component.
type componentModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	SourceDir    types.String `tfsdk:"source_dir"`
	SourceZip    types.String `tfsdk:"source_zip"`
	SourceHash   types.String `tfsdk:"source_hash"`
	Components   types.List   `tfsdk:"components"`
	Version      types.String `tfsdk:"version"`
	ManifestHash types.String `tfsdk:"manifest_hash"`
	// ReplacePublishedVersion opts in to removing a published version before publishing other files
	// under it (component_frozen.go).
	ReplacePublishedVersion types.Bool     `tfsdk:"replace_published_version"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
}

// source returns the configured source and the attribute holding it.
func (m componentModel) source() (types.String, string) {
	if !m.SourceZip.IsNull() {
		return m.SourceZip, "source_zip"
	}
	return m.SourceDir, "source_dir"
}

// settleAfterFailedUpload makes a planned model storable after the server took its package but the
// apply failed later: what only the server could tell becomes null.
func (m *componentModel) settleAfterFailedUpload() {
	m.ID = m.Name
	for _, v := range []*types.String{&m.SourceHash, &m.Version, &m.ManifestHash} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	if m.Components.IsUnknown() {
		m.Components = types.ListNull(types.StringType)
	}
}

// loadComponentPackage packs (source_dir) or reads (source_zip) the configured package and reports each
// problem found as its own diagnostic, naming the attribute and the file: errors for what Appmixer
// certainly refuses, warnings for the rest (the apply goes on). withWarnings is false at apply time,
// when the plan has shown them already.
func loadComponentPackage(m componentModel, withWarnings bool) (*connector.Package, diag.Diagnostics) {
	var diags diag.Diagnostics
	src, attr := m.source()
	var (
		pkg      *connector.Package
		problems []connector.Problem
		err      error
	)
	if attr == "source_zip" {
		pkg, problems, err = connector.ReadZip(src.ValueString(), m.Name.ValueString())
	} else {
		pkg, problems, err = connector.PackDir(src.ValueString(), m.Name.ValueString())
	}
	if err != nil {
		detail := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			detail += fmt.Sprintf("\n\nThe provider never reads a connector's source from the server. Put the source of %q "+
				"there (for source_dir, the folder holding its service.json), or set %s to where it is.", m.Name.ValueString(), attr)
		}
		diags.AddAttributeError(path.Root(attr), "Cannot read the connector package", detail)
		return nil, diags
	}
	for _, p := range problems {
		switch {
		case p.Severity == connector.Warning:
			if withWarnings {
				diags.AddAttributeWarning(path.Root(attr), "Unusual connector package",
					p.String()+".\n\nThis is a warning only: the package is published as it is.")
			}
		case p.File == "":
			diags.AddAttributeError(path.Root("name"), "Invalid component name", p.Message+".")
		default:
			diags.AddAttributeError(path.Root(attr), "Invalid connector package", p.String()+".")
		}
	}
	if diags.HasError() {
		return nil, diags
	}
	return pkg, diags
}

// selectorMatches reports whether a component's full name lies under selector; the client's own
// filtering is a plain prefix, under which "acme.weather" would also match "acme.weatherx".
func selectorMatches(name, selector string) bool {
	return name == selector || strings.HasPrefix(name, selector+".")
}

// serverComponents is what GET /components says about a selector.
type serverComponents struct {
	Names        []string
	Version      string // the version every component reports; "" when they differ or report none
	ManifestHash string
}

func summarizeManifests(list []appmixer.ComponentManifest, selector string) serverComponents {
	var kept []appmixer.ComponentManifest
	for _, m := range list {
		if selectorMatches(m.Name, selector) {
			kept = append(kept, m)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Name < kept[j].Name })
	out := serverComponents{}
	h := sha256.New()
	for i, m := range kept {
		out.Names = append(out.Names, m.Name)
		if i == 0 {
			out.Version = m.Version
		} else if out.Version != m.Version {
			out.Version = ""
		}
		fmt.Fprintf(h, "%s\n%s\n", m.Name, canonicalJSON(m.Raw))
	}
	if len(kept) > 0 {
		out.ManifestHash = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// canonicalJSON re-encodes a manifest with sorted keys and no insignificant whitespace, so the hash
// changes only when the manifest's content does.
func canonicalJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return string(raw)
	}
	return string(b)
}

func stringList(values []string) types.List {
	elems := make([]types.String, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	l, _ := types.ListValueFrom(context.Background(), types.StringType, elems)
	return l
}

// uploadRejectedError is a finished upload ticket that carries err/data.
type uploadRejectedError struct {
	status *appmixer.UploadStatus
}

func (e *uploadRejectedError) Error() string {
	var b strings.Builder
	b.WriteString(e.status.Err)
	for _, p := range e.status.Problems {
		b.WriteString("\n  - ")
		if p.DataPath != "" {
			b.WriteString(p.DataPath + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}
