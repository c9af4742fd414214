// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// List resources (Terraform 1.14+: `list` blocks in .tfquery.hcl files, `terraform query`) list what a
// tenant holds of one resource type, each result with its identity and, with include_resource, the
// whole resource. That resource is what an import of the object would put in state: the list starts
// from the state the resource's own ImportState sets up and ends in the conversion its Read uses, so
// `terraform query -generate-config-out` writes a configuration that imports with no change.
// Each type is answered from one listing of the API, never a request per object.

// listedObject is one result: what Terraform shows, the identity key, and the state an import would
// produce (built only when Terraform asks for the resource).
type listedObject struct {
	display string
	key     string
	state   func(ctx context.Context, imported tfsdk.State) (any, diag.Diagnostics)
}

// listSpec describes the list resource of one resource type.
type listSpec struct {
	typeName    string // without the provider prefix: "_flow"
	description string
	keyAttr     string // the identity attribute (identity.go), e.g. "id"
	filters     map[string]listschema.Attribute
	adminRoutes string // the admin-only routes the list needs, if any, for requireAdmin
	// list lists the objects that the list block's config selects, in a stable order.
	list func(ctx context.Context, pd *providerData, cfg tfsdk.Config, includeResource bool) ([]listedObject, diag.Diagnostics)
	// imported sets up state as the resource's ImportState does for key.
	imported func(ctx context.Context, st *tfsdk.State, key string) diag.Diagnostics
}

type tenantList struct {
	spec listSpec
	pd   *providerData
}

var _ list.ListResourceWithConfigure = &tenantList{}

func newTenantList(spec listSpec) func() list.ListResource {
	return func() list.ListResource { return &tenantList{spec: spec} }
}

func (l *tenantList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.spec.typeName
}

func (l *tenantList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{MarkdownDescription: l.spec.description, Attributes: l.spec.filters}
}

func (l *tenantList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.pd = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *tenantList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if l.pd == nil {
		diags.AddError("Provider not configured", "The appmixer provider must be configured before "+
			"appmixer"+l.spec.typeName+" can list anything; give the list block a configured provider.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	what := "appmixer" + l.spec.typeName + " (list resource)"
	if !requireRealAPI(l.pd.client, &diags, what) || (l.spec.adminRoutes != "" && !l.pd.requireAdmin(&diags, what, l.spec.adminRoutes)) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	objects, diags := l.spec.list(ctx, l.pd, req.Config, req.IncludeResource)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		if len(diags) > 0 && !push(list.ListResult{Diagnostics: diags}) {
			return
		}
		for i, o := range objects {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(l.result(ctx, req, o)) {
				return
			}
		}
	}
}

// result is the list result of o: its identity and, when asked, the state its import would produce.
func (l *tenantList) result(ctx context.Context, req list.ListRequest, o listedObject) list.ListResult {
	r := req.NewListResult(ctx)
	r.DisplayName = o.display
	r.Diagnostics.Append(r.Identity.SetAttribute(ctx, path.Root(l.spec.keyAttr), o.key)...)
	if !req.IncludeResource || r.Diagnostics.HasError() {
		return r
	}
	st := tfsdk.State{Schema: r.Resource.Schema, Raw: r.Resource.Raw}
	r.Diagnostics.Append(l.spec.imported(ctx, &st, o.key)...)
	if r.Diagnostics.HasError() {
		return r
	}
	m, diags := o.state(ctx, st)
	r.Diagnostics.Append(diags...)
	if !r.Diagnostics.HasError() {
		r.Diagnostics.Append(r.Resource.Set(ctx, m)...)
	}
	if r.Diagnostics.HasError() {
		r.Diagnostics.AddError("Cannot list appmixer"+l.spec.typeName+" "+o.key,
			fmt.Sprintf("The listed object %q could not be turned into a resource; see the errors above.", o.display))
	}
	return r
}

// fromImported turns the state an import set up into the model build makes of the server's object.
func fromImported[M any](build func(prior M, diags *diag.Diagnostics) M) func(context.Context, tfsdk.State) (any, diag.Diagnostics) {
	return func(ctx context.Context, st tfsdk.State) (any, diag.Diagnostics) {
		var prior M
		diags := st.Get(ctx, &prior)
		if diags.HasError() {
			return nil, diags
		}
		return build(prior, &diags), diags
	}
}

// stringFilter is an optional string attribute of a list block's config.
func stringFilter(description string) listschema.Attribute {
	return listschema.StringAttribute{MarkdownDescription: description, Optional: true}
}

// filterValue is the value of a string filter, "" when it is not set.
func filterValue(ctx context.Context, cfg tfsdk.Config, name string, diags *diag.Diagnostics) string {
	var v types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root(name), &v)...)
	return v.ValueString()
}
