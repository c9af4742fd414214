// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var (
	_ resource.ResourceWithConfigure   = &fileResource{}
	_ resource.ResourceWithImportState = &fileResource{}
	_ resource.ResourceWithModifyPlan  = &fileResource{}
)

// NewFileResource uploads a file to the tenant's file storage (/files).
func NewFileResource() resource.Resource { return &fileResource{} }

type fileResource struct{ pd *providerData }

func (r *fileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_file"
}

func (r *fileResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A file in the tenant's file storage (`/files`), such as a CSV lookup table or a template " +
			"that flows read, uploaded from a local `source`. Flows name a file by its `id` (`fileId`), which differs " +
			"per tenant: pass `appmixer_file.x.id` into the flow definition rather than copying it.\n\n" +
			"The plan hashes `source` into `md5`. Appmixer has no route that overwrites a file, so **a change of " +
			"content, `filename` or `content_type` replaces the file: it gets a new `id`**. A flow whose definition " +
			"names `appmixer_file.x.id` is updated in the same apply; give the file " +
			"`lifecycle { create_before_destroy = true }` so that the flow never names a deleted file meanwhile. " +
			"Flows that copied the old id by hand keep pointing at a deleted file.\n\n" +
			"Refresh reads the file's metadata (`GET /files/metadata/{id}`, one `GET /files` listing per run for " +
			"many files): a file deleted by hand is uploaded again, and a file whose `md5` on the server no longer " +
			"matches `source` is replaced. The file belongs to the provider's user.\n\n" +
			"Import with the file id. `source` is optional after an import: without it the file is kept as it is " +
			"on the server; with it, the next plan compares the local file with the server's `md5`.",
		Attributes: map[string]schema.Attribute{
			"id": computed("The file id (`fileId`); a new one whenever the file is replaced."),
			"source": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of the local file to upload, e.g. `${path.module}/files/rates.csv` (relative paths " +
					"start where Terraform runs). Needed to create the file; may be left out of an imported file's " +
					"configuration, which then keeps the server's content. Moving it to another path with the same " +
					"content changes nothing on the server.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"filename": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The file's name on the server. Default: the base name of `source`. Changing it " +
					"replaces the file, as no route renames one.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.NoneOf(".", "..")},
			},
			"content_type": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The file's content type, e.g. `text/csv`. Default: from the file name's extension " +
					"(`.csv`, `.json`, `.txt`, `.pdf`, `.png`, ... ), else `application/octet-stream`; once uploaded, " +
					"the server's value. Changing a configured value replaces the file.",
				Validators: []validator.String{stringvalidator.RegexMatches(contentTypePattern,
					`must be a media type such as "text/csv" or "application/json; charset=utf-8"`)},
			},
			"md5": computed("Hex MD5 of the content: of `source` at plan time, as the server reports it after a " +
				"refresh. A difference replaces the file."),
			"size":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Size of the file in bytes, as the server reports it."},
			"upload_date": computed("When the file was uploaded (the server's `uploadDate`)."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *fileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := operationContext(ctx, plan.Timeouts.Create, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	content, hash, d := readFileSource(plan.Source.ValueString())
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.MD5.IsUnknown() && plan.MD5.ValueString() != hash {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "File changed after the plan",
			"The source no longer has the md5 of the plan; run terraform plan again.")
		return
	}
	filename := plan.Filename.ValueString()
	if plan.Filename.IsUnknown() {
		filename = filepath.Base(plan.Source.ValueString())
	}
	ctype := plan.ContentType.ValueString()
	if plan.ContentType.IsUnknown() {
		ctype = defaultContentType(filename)
	}
	f, err := r.pd.client.UploadFile(ctx, appmixer.FileUpload{Filename: filename, ContentType: ctype, Content: content})
	if f != nil && f.ID != "" {
		r.pd.lists.files.Forget(f.ID)
		plan = fileFromAPI(f, plan)
		plan.MD5 = types.StringValue(hash)
		if f.MD5 != "" {
			plan.MD5 = types.StringValue(f.MD5)
		}
		// Saved even when a later chunk failed: the partial file exists and is in state (tainted).
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("source"), fmt.Sprintf("Cannot upload file %q", filename),
			timeoutHint(err, timeout, "create")+partialFileNote(f))
		return
	}
	if f.MD5 != "" && f.MD5 != hash {
		resp.Diagnostics.AddAttributeError(path.Root("source"), fmt.Sprintf("File %q arrived changed", filename),
			fmt.Sprintf("Appmixer reports MD5 %s for file %s, but the source's is %s; the file is tainted and the "+
				"next apply uploads it again.", f.MD5, f.ID, hash))
	}
}

// partialFileNote says what became of a file whose upload failed after its first chunk.
func partialFileNote(f *appmixer.File) string {
	if f == nil || f.ID == "" {
		return ""
	}
	return fmt.Sprintf(" The incomplete file %s is in the state, tainted: the next apply deletes it and uploads again.", f.ID)
}

// Update changes nothing on the server: only source's path or the timeouts can change in place.
func (r *fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, plan.Timeouts.Update, defaultTenantConfigTimeout, &resp.Diagnostics)
	defer cancel()
	f, err := r.pd.client.GetFile(ctx, plan.ID.ValueString())
	if err != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		addAPIError(&resp.Diagnostics, "Cannot read Appmixer file "+plan.ID.ValueString()+" back", err)
		return
	}
	plan = fileFromAPI(f, plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	f, err := r.pd.lists.files.Get(ctx, id, r.pd.client.GetFile)
	if !readFound(ctx, resp, "Appmixer file "+id, err) {
		return
	}
	state = fileFromAPI(f, state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *fileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteTenantObject(ctx, state.Timeouts, &resp.Diagnostics, "Appmixer file "+id, id, r.pd.lists.files.Forget, r.pd.client.DeleteFile)
}

func (r *fileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importObjectID(ctx, req, resp, fileIDDescription)
}

// stateFile reads the prior state when there is one.
func stateFile(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) *fileModel {
	if st.Raw.IsNull() {
		return nil
	}
	var m fileModel
	diags.Append(st.Get(ctx, &m)...)
	return &m
}
