// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+): every resource is identified by its natural key, one string
// attribute named like the attribute it imports by (id, name, service_id, type, key, filename). The
// identity is what import blocks with `identity = {...}` and `terraform query` results carry.
//
// identified adds it to a resource in one place rather than in each CRUD method: after Create, Read,
// Update and ImportState it copies the key attribute from state into the identity, and an import by
// identity hands the key to the resource's own ImportState as if it were the import ID, so the same
// parsing and look-ups apply. Terraform before 1.12 ignores identities.

// identityKey names a resource's identity attribute and says what it holds.
type identityKey struct {
	attr        string
	description string
}

// identified wraps newResource with the identity key.
func identified(newResource func() resource.Resource, key identityKey) func() resource.Resource {
	return func() resource.Resource { return &identifiedResource{inner: newResource(), key: key} }
}

type identifiedResource struct {
	inner resource.Resource
	key   identityKey
}

var (
	_ resource.ResourceWithIdentity         = &identifiedResource{}
	_ resource.ResourceWithConfigure        = &identifiedResource{}
	_ resource.ResourceWithImportState      = &identifiedResource{}
	_ resource.ResourceWithModifyPlan       = &identifiedResource{}
	_ resource.ResourceWithValidateConfig   = &identifiedResource{}
	_ resource.ResourceWithConfigValidators = &identifiedResource{}
)

func (r *identifiedResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		r.key.attr: identityschema.StringAttribute{RequiredForImport: true, Description: r.key.description},
	}}
}

func (r *identifiedResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.inner.Metadata(ctx, req, resp)
}

func (r *identifiedResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.inner.Schema(ctx, req, resp)
}

func (r *identifiedResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.inner.Create(ctx, req, resp)
	r.copyKey(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *identifiedResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.inner.Read(ctx, req, resp)
	if resp.State.Raw.IsNull() {
		// Removed (deleted by hand). The framework still wants an identity, and a Terraform older than
		// 1.12 never stored one to pass back, so the prior state's key serves.
		r.copyKey(ctx, &req.State, resp.Identity, &resp.Diagnostics)
		return
	}
	r.copyKey(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *identifiedResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.inner.Update(ctx, req, resp)
	r.copyKey(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *identifiedResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	r.inner.Delete(ctx, req, resp)
}

// ImportState takes the key from the identity when the import block gives one instead of an ID.
func (r *identifiedResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		var key types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(r.key.attr), &key)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if key.IsNull() || key.IsUnknown() || key.ValueString() == "" {
			resp.Diagnostics.AddAttributeError(path.Root(r.key.attr), "Invalid import identity",
				fmt.Sprintf("The identity's %s must be set: %s.", r.key.attr, r.key.description))
			return
		}
		req.ID = key.ValueString()
		if m, ok := r.inner.(identityImporter); ok {
			req.ID = m.importIDOfIdentity(req.ID)
		}
	}
	importer, ok := r.inner.(resource.ResourceWithImportState)
	if !ok {
		resp.Diagnostics.AddError("Import not supported", "This resource cannot be imported.")
		return
	}
	importer.ImportState(ctx, req, resp)
	r.copyKey(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// identityImporter is a resource whose import by identity is not its import by the same string.
type identityImporter interface {
	importIDOfIdentity(key string) string
}

// copyKey sets the identity from the key attribute of a state that holds the resource; a removed
// resource, a failed step or a key not yet known leaves it alone.
func (r *identifiedResource) copyKey(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || state.Raw.IsNull() || diags.HasError() {
		return
	}
	var key types.String
	if d := state.GetAttribute(ctx, path.Root(r.key.attr), &key); d.HasError() || key.IsNull() || key.IsUnknown() {
		return
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(r.key.attr), key)...)
}

func (r *identifiedResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c, ok := r.inner.(resource.ResourceWithConfigure); ok {
		c.Configure(ctx, req, resp)
	}
}

func (r *identifiedResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if m, ok := r.inner.(resource.ResourceWithModifyPlan); ok {
		m.ModifyPlan(ctx, req, resp)
	}
}

func (r *identifiedResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if v, ok := r.inner.(resource.ResourceWithValidateConfig); ok {
		v.ValidateConfig(ctx, req, resp)
	}
}

func (r *identifiedResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	if v, ok := r.inner.(resource.ResourceWithConfigValidators); ok {
		return v.ConfigValidators(ctx)
	}
	return nil
}
