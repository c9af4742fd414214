// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"path/filepath"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// contentTypePattern is a media type, type/subtype with optional parameters.
var contentTypePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$`)

// ModifyPlan hashes the source and decides between keeping the file and replacing it: no route
// overwrites a file, so any change of what the server holds (content, name, content type) replaces
// it, and a changed local file fails before anything is sent when it cannot be read.
func (r *fileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if r.pd != nil && !requireRealAPI(r.pd.client, &resp.Diagnostics, "appmixer_file") {
		return
	}
	var plan, config fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	state := stateFile(ctx, req.State, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case config.Source.IsUnknown():
		plan.MD5 = types.StringUnknown()
	case config.Source.IsNull() && state == nil:
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Missing source",
			`Creating an appmixer_file uploads it from source: add source = "<path of the local file>". Only an `+
				"imported file may leave source out, to keep the server's content.")
		return
	case config.Source.IsNull():
		plan.MD5 = state.MD5
	default:
		_, hash, d := readFileSource(config.Source.ValueString())
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		plan.MD5 = types.StringValue(hash)
	}
	if config.Filename.IsNull() {
		switch {
		case config.Source.IsUnknown():
			plan.Filename = types.StringUnknown()
		case !config.Source.IsNull():
			plan.Filename = types.StringValue(filepath.Base(config.Source.ValueString()))
		default:
			plan.Filename = state.Filename
		}
	}
	if config.ContentType.IsNull() {
		switch {
		case state != nil:
			plan.ContentType = state.ContentType // the server's: nothing configured to compare with
		case plan.Filename.IsUnknown():
			plan.ContentType = types.StringUnknown()
		default:
			plan.ContentType = types.StringValue(defaultContentType(plan.Filename.ValueString()))
		}
	}
	replace := state == nil
	if state != nil {
		for name, pair := range map[string][2]types.String{
			"md5": {plan.MD5, state.MD5}, "filename": {plan.Filename, state.Filename}, "content_type": {plan.ContentType, state.ContentType},
		} {
			// An unknown planned value may differ from the state's: only a replacement can follow it.
			if !pair[0].Equal(pair[1]) && !(name == "md5" && state.MD5.IsNull()) {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
				replace = true
			}
		}
	}
	if replace {
		plan.ID, plan.UploadDate, plan.Size = types.StringUnknown(), types.StringUnknown(), types.Int64Unknown()
	} else {
		plan.ID, plan.UploadDate, plan.Size = state.ID, state.UploadDate, state.Size
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}
