// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

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
