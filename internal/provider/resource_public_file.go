// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure      = &publicFileResource{}
	_ resource.ResourceWithModifyPlan     = &publicFileResource{}
	_ resource.ResourceWithImportState    = &publicFileResource{}
	_ resource.ResourceWithValidateConfig = &publicFileResource{}
)

// NewPublicFileResource uploads one of the tenant's public files from a local file.
func NewPublicFileResource() resource.Resource { return &publicFileResource{} }

type publicFileResource struct{ pd *providerData }

type publicFileModel struct {
	ID         types.String   `tfsdk:"id"`
	Filename   types.String   `tfsdk:"filename"`
	Source     types.String   `tfsdk:"source"`
	SourceHash types.String   `tfsdk:"source_hash"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

const publicFileRoutes = "GET, POST and DELETE /public-files"

func (r *publicFileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_public_file"
}

func (r *publicFileResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A public file of the tenant (`/public-files`), uploaded from a local file. The provider " +
			"must log in as an admin.\n\n" +
			"The plan hashes `source` into `source_hash`, so editing the local file plans an in-place update that " +
			"uploads it again. Appmixer lists public files by name only, so a file deleted by hand is uploaded again, " +
			"but a file replaced by hand with other content cannot be seen. Refresh reads `GET /public-files` " +
			"once per run for all files. Creating a file that Appmixer already has fails: import it instead.\n\n" +
			"Import with the file name. The content is not read back, so `source` must be added to the " +
			"configuration, also to one written by `-generate-config-out`, whose plan otherwise fails on the missing " +
			"`source`; the next apply uploads the local file.",
		Attributes: map[string]schema.Attribute{
			"id":       computedID("Same as `filename`."),
			"filename": replacingName("The file's name on the server, e.g. `logo.svg`."),
			"source": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Path of the local file to upload, e.g. `${path.module}/assets/logo.svg` (relative paths " +
					"start where Terraform runs).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"source_hash": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Hex SHA-256 of the local file, computed at plan time. Null after an import: the " +
					"next apply uploads the configured source.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// ValidateConfig names the line to add when source is missing, as in the configuration that
// -generate-config-out writes for an imported file: the file's content is not on the server's list,
// so nothing can fill it in. The framework's own "required" error comes with it.
func (r *publicFileResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg publicFileModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !cfg.Source.IsNull() {
		return
	}
	name := "the file"
	if !cfg.Filename.IsNull() && !cfg.Filename.IsUnknown() {
		name = cfg.Filename.ValueString()
	}
	resp.Diagnostics.AddAttributeError(path.Root("source"), "Missing source",
		fmt.Sprintf("Add the line source = \"<path of the local copy of %s>\": the provider uploads the public file "+
			"from it. An imported file needs it too, since Appmixer lists public files by name only.", name))
}

func (r *publicFileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan hashes the source, so that a changed local file shows as a change and an unreadable
// one fails before anything is sent.
func (r *publicFileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !tenantAdminGuards(r.pd, &resp.Diagnostics, "appmixer_public_file", publicFileRoutes) || req.Plan.Raw.IsNull() {
		return
	}
	var plan publicFileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.Filename
	switch {
	case plan.Source.IsUnknown():
		plan.SourceHash = types.StringUnknown()
	default:
		_, hash, d := readPublicFileSource(plan.Source.ValueString())
		resp.Diagnostics.Append(d...)
		plan.SourceHash = types.StringValue(hash)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// readPublicFileSource reads the local file and its hash.
func readPublicFileSource(name string) ([]byte, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	content, err := os.ReadFile(name)
	if err != nil {
		diags.AddAttributeError(path.Root("source"), "Cannot read the public file's source", err.Error())
		return nil, "", diags
	}
	sum := sha256.Sum256(content)
	return content, hex.EncodeToString(sum[:]), diags
}

// Create refuses to take over a file the tenant already has, then uploads; once the upload is sent, a
// failure keeps the file in state (tainted), so the next apply uploads it again instead of demanding an
// import.
func (r *publicFileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	createSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, "The Appmixer public file", func(m publicFileModel) timeoutGetter { return m.Timeouts.Create },
		func(ctx context.Context, m *publicFileModel, mayExist func()) {
			name := m.Filename.ValueString()
			_, exists, err := listed(ctx, r.pd.lists.publicFiles, name)
			if err != nil {
				addAPIError(&resp.Diagnostics, "Cannot list the Appmixer public files", err)
				return
			}
			if exists {
				resp.Diagnostics.AddAttributeError(path.Root("filename"), "Public file already exists",
					fmt.Sprintf("Appmixer already has a public file %q. Import it (terraform import, or an import block with "+
						"id = %q) rather than overwrite a file that destroy would then delete.", name, name))
				return
			}
			r.upload(ctx, m, &resp.Diagnostics, mayExist)
		})
}

func (r *publicFileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	writeSetting(ctx, req.Plan, &resp.State, &resp.Diagnostics, func(m publicFileModel) timeoutGetter { return m.Timeouts.Update },
		func(ctx context.Context, m *publicFileModel) { r.upload(ctx, m, &resp.Diagnostics, func() {}) })
}

// upload sends the source as it was planned and checks that the server lists the file. sending is
// called just before the upload.
func (r *publicFileResource) upload(ctx context.Context, m *publicFileModel, diags *diag.Diagnostics, sending func()) {
	content, hash, d := readPublicFileSource(m.Source.ValueString())
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	if !m.SourceHash.IsUnknown() && m.SourceHash.ValueString() != hash {
		diags.AddAttributeError(path.Root("source"), "Public file changed after the plan",
			"The source no longer has the source_hash of the plan; run terraform plan again.")
		return
	}
	name := m.Filename.ValueString()
	m.ID = m.Filename
	sending()
	err := r.pd.client.UploadPublicFile(ctx, name, content)
	r.pd.lists.publicFiles.Forget(name)
	if err != nil {
		diags.AddAttributeError(path.Root("source"), fmt.Sprintf("Cannot upload public file %q", name), err.Error()+timeoutAdvice(err))
		return
	}
	if _, listed, err := listed(ctx, r.pd.lists.publicFiles, name); err != nil || !listed {
		diags.AddError(fmt.Sprintf("Public file %q was uploaded but is not listed", name),
			fmt.Sprintf("POST /public-files succeeded, yet GET /public-files does not list it (%v).", err))
		return
	}
	m.ID = m.Filename
	m.SourceHash = types.StringValue(hash)
}

func (r *publicFileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state publicFileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Filename.ValueString()
	_, listed, err := listed(ctx, r.pd.lists.publicFiles, name)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Cannot read public file %q", name), err)
		return
	}
	if !listed {
		resp.State.RemoveResource(ctx) // deleted by hand: the next plan uploads it again
		return
	}
	state.ID = state.Filename
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *publicFileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state publicFileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _ := operationContext(ctx, state.Timeouts.Delete, defaultTenantAdminTimeout, &resp.Diagnostics)
	defer cancel()
	err := r.pd.client.DeletePublicFile(ctx, state.Filename.ValueString())
	r.pd.lists.publicFiles.Forget(state.Filename.ValueString())
	addDeleteError(&resp.Diagnostics, fmt.Sprintf("public file %q", state.Filename.ValueString()), err)
}

// ImportState takes the file name; source stays null until the configuration names it.
func (r *publicFileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		resp.Diagnostics.AddError("Invalid import ID", `Got "", expected the public file's name, e.g. logo.svg.`)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("filename"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}
