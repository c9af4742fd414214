// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

var _ datasource.DataSourceWithConfigure = &filesDataSource{}

// NewFilesDataSource lists the provider user's files, for files that Terraform does not manage.
func NewFilesDataSource() datasource.DataSource { return &filesDataSource{} }

type filesDataSource struct{ client *appmixer.Client }

type filesModel struct {
	Filename types.String    `tfsdk:"filename"`
	Files    []fileListEntry `tfsdk:"files"`
}

type fileListEntry struct {
	ID          types.String `tfsdk:"id"`
	Filename    types.String `tfsdk:"filename"`
	ContentType types.String `tfsdk:"content_type"`
	MD5         types.String `tfsdk:"md5"`
	Size        types.Int64  `tfsdk:"size"`
	UploadDate  types.String `tfsdk:"upload_date"`
}

func (d *filesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_files"
}

func (d *filesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the files of the provider's user (`GET /files`), sorted by file name, e.g. to pass " +
			"the id of a file uploaded by hand into a flow definition. Only metadata: the content is not read.",
		Attributes: map[string]schema.Attribute{
			"filename": schema.StringAttribute{
				MarkdownDescription: "Only files whose name contains this text, case-insensitive, e.g. `rates` or `.csv`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"files": schema.ListNestedAttribute{
				MarkdownDescription: "The files found.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           computed("The file id (`fileId`), as flows name the file."),
					"filename":     computed("The file's name."),
					"content_type": computed("The file's content type."),
					"md5":          computed("Hex MD5 of the content; null where the server does not report it."),
					"size":         schema.Int64Attribute{Computed: true, MarkdownDescription: "Size in bytes."},
					"upload_date":  computed("When the file was uploaded."),
				}},
			},
		},
	}
}

func (d *filesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *filesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg filesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireRealAPI(d.client, &resp.Diagnostics, "appmixer_files") {
		return
	}
	files, err := filesNamed(ctx, d.client, cfg.Filename.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot list Appmixer files", err)
		return
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Filename < files[j].Filename })
	cfg.Files = make([]fileListEntry, 0, len(files))
	for _, f := range files {
		cfg.Files = append(cfg.Files, fileListEntry{
			ID: types.StringValue(f.ID), Filename: types.StringValue(f.Filename), ContentType: optionalString(f.ContentType),
			MD5: optionalString(f.MD5), Size: types.Int64Value(f.Length), UploadDate: optionalString(f.UploadDate),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
