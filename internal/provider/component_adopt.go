// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// An appmixer_component adopted from a tenant (an import, or terraform query) has no source: the
// server keeps the published files, not where they came from. The import therefore sets source_dir to
// the place this provider's guides keep connectors, connectors/<vendor>/<service>, so that the
// configuration written for it is complete; the plan compares the source found there with the
// server's copy and re-publishes only when they differ, and a missing folder is an error that says
// where the source goes.

// conventionalSourceDir is where an adopted connector's source is expected: connectors/vendor/service.
func conventionalSourceDir(selector string) string {
	parts := strings.SplitN(selector, ".", 3)
	if len(parts) < 2 {
		return "connectors/<vendor>/<service>"
	}
	return "connectors/" + parts[0] + "/" + parts[1]
}

// componentSourceValidator requires exactly one of source_dir and source_zip, and names the line to add
// when both are missing, which is what a generated configuration holds.
type componentSourceValidator struct{}

func (componentSourceValidator) Description(context.Context) string {
	return "exactly one of source_dir and source_zip must be set"
}

func (v componentSourceValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (componentSourceValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m componentModel
	for attr, v := range map[string]*types.String{"name": &m.Name, "source_dir": &m.SourceDir, "source_zip": &m.SourceZip} {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attr), v)...)
	}
	if resp.Diagnostics.HasError() || m.SourceDir.IsUnknown() || m.SourceZip.IsUnknown() {
		return
	}
	switch {
	case !m.SourceDir.IsNull() && !m.SourceZip.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("source_zip"), "Conflicting connector sources",
			"Set either source_dir (the folder holding service.json) or source_zip (a packed connector), not both.")
	case m.SourceDir.IsNull() && m.SourceZip.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("source_dir"), "Missing connector source", missingSourceDetail(m.Name))
	}
}

// missingSourceDetail says which line to add for the connector name selects.
func missingSourceDetail(name types.String) string {
	return fmt.Sprintf("appmixer_component needs the connector's source, which is not on the Appmixer server. Set "+
		"source_dir to the folder holding the connector's service.json, replacing source_dir = null with, for example:\n\n"+
		"  source_dir = \"${path.module}/%s\"\n\n"+
		"or set source_zip to a zip that appmixer pack wrote. When the source holds the files the server has, "+
		"the plan changes nothing; otherwise the apply re-publishes the connector from it.", conventionalSourceDir(name.ValueString()))
}

// samePublished reports whether the server serves back exactly the files of pkg for selector. Any
// failure to tell (no download route, a 403 for another vendor) is a difference: the plan then
// re-publishes, as it did before adoption was compared.
func (r *componentResource) samePublished(ctx context.Context, selector string, pkg *connector.Package) bool {
	served, err := r.client.DownloadComponent(ctx, selector)
	if err != nil {
		tflog.Debug(ctx, "cannot download the published component to compare it with its source",
			map[string]any{"component": selector, "error": err.Error()})
		return false
	}
	return connector.SameFiles(pkg.Zip, served)
}
