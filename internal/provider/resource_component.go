// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

var (
	_ resource.ResourceWithConfigure        = &componentResource{}
	_ resource.ResourceWithModifyPlan       = &componentResource{}
	_ resource.ResourceWithImportState      = &componentResource{}
	_ resource.ResourceWithConfigValidators = &componentResource{}
	_ resource.ResourceWithValidateConfig   = &componentResource{}
)

const (
	defaultPublishTimeout = 10 * time.Minute
	// privateManifestKey holds the hash of the manifests the server listed right after this provider
	// published; a later difference means someone re-published by hand.
	privateManifestKey = "published_manifest_hash"
)

// NewComponentResource publishes a custom connector (service, module or component) from its source.
func NewComponentResource() resource.Resource { return &componentResource{} }

type componentResource struct {
	client         *appmixer.Client
	componentTypes *componentTypes
}

func (r *componentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_component"
}

func (r *componentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Publishes a custom connector (a whole service, one module or one component) to Appmixer " +
			"from its source, the way `appmixer pack` and `appmixer publish` do.\n\n" +
			"The provider packs `source_dir` deterministically (entries sorted, fixed times and modes, prefixed " +
			"`vendor/service/` from `service.json`) and hashes the result into `source_hash`, so editing any packed " +
			"file plans an in-place update that re-publishes the package. Like `appmixer pack`, it leaves out " +
			"`node_modules/`, `package-lock.json`, `artifacts/` and `test-flow*.json`; the engine installs " +
			"dependencies from `package.json`.\n\n" +
			"Before anything is sent, the plan checks the package. It fails only for what Appmixer or its official " +
			"tooling certainly refuses:\n\n" +
			"- a manifest (`service.json`, `module.json`, `component.json`, `bundle.json`) that is not a JSON object;\n" +
			"- a `component.json` without `name`;\n" +
			"- a manifest `name` in another vendor or service than the package's `service.json`, or a resource `name` " +
			"outside the package or matching none of its components;\n" +
			"- a `service.json` without `name`;\n" +
			"- a package over 10 MB packed;\n" +
			"- `node_modules/` inside a `source_zip`.\n\n" +
			"Everything else that looks wrong is a **warning** naming the file and the key, and the apply goes on, " +
			"because Appmixer's own connectors ship it and Appmixer runs them: a component name that does not match its " +
			"folders (Appmixer registers a component under its manifest's `name`, which is the type flows use), " +
			"components directly under the service (`vendor.service.Component`), keys the CLI's component schema does " +
			"not list, no `service.json` (the service is then the one `name` names), `label`, `category`, `icon` or " +
			"`description` missing from `service.json` or `module.json`, a " +
			"`bundle.json` name that differs from its folders, a service folder not named after the service, and zip " +
			"entries outside the service folder.\n\n" +
			"A module or component `name` publishes the components whose manifest name falls under it, wherever their " +
			"folder, with the service-level files, the folders holding no component (helpers such as `lib/`) and the " +
			"rest of their module folders. `version` is that of the `bundle.json` nearest to the published components " +
			"(a module's own before the service's).\n\n" +
			"Drift: a component deleted by hand is re-created; a package re-published by hand with different " +
			"manifests is re-published from the configured source (the plan warns and shows `manifest_hash` " +
			"changing). With `api_dialect = \"contract\"` the server lists components without their manifests, so " +
			"only the list of components (and their labels) is compared.\n\n" +
			"Import takes the selector. The source is not on the server, so an import sets `source_dir` to " +
			"`connectors/<vendor>/<service>` (relative to where Terraform runs): the configuration `-generate-config-out` " +
			"or `terraform query` writes expects the connector's source there. Put it there or change the line; a " +
			"missing folder fails the plan and says so. The plan compares the source with the files the server serves " +
			"back (`GET /components/{selector}`, what `appmixer download` saves) and re-publishes only when they " +
			"differ; while they are the same, `source_hash` stays null and each plan compares again (one download).\n\n" +
			"Versions: Appmixer freezes a component's version at its first publish. Publishing again under a " +
			"`bundle.json` version the tenant already has (or an older one) is accepted and reported as installed, but " +
			"changes neither manifests nor code; it only appends another copy of the files to what the tenant serves " +
			"back, and the runtime uses the first. A change of the source under such a version therefore fails the plan, " +
			"naming the version to raise in `bundle.json`; `replace_published_version = true` removes the version and " +
			"publishes it again instead, at a cost to the flows using it (see the attribute). Comparisons with what the " +
			"tenant serves use the first copy of each file. When the source is unchanged, the plan adds no request to the refresh.\n\n" +
			"Components are per-user copies: publish and remove act on the copies of the provider's user, so a " +
			"connector published by another user is not this resource's, and the flows of other users keep theirs.\n\n" +
			"Publishing to a vendor namespace needs the provider's user to have that `vendor` (see `appmixer_user`).",
		Attributes: map[string]schema.Attribute{
			"id": computedID("Same as `name`."),
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Selector of what is published: the service (`vendor.service`), one module " +
					"(`vendor.service.module`, packed with the service-level files) or one component " +
					"(`vendor.service.module.Component`, packed with the service- and module-level files); a component directly " +
					"under its service is `vendor.service.Component`. It is matched against the manifests' names, not the " +
					"folders. Changing it replaces the resource.",
				Validators: []validator.String{stringvalidator.RegexMatches(connector.SelectorPattern,
					"must be vendor.service, vendor.service.module or vendor.service.module.Component (letters, digits and _ only)")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"source_dir": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The connector's service directory, the folder holding `service.json` and the modules (for example " +
					"`${path.module}/connectors/acme/weather`; relative paths start where Terraform runs). Its name must be the " +
					"service's name. Exactly one of `source_dir` and `source_zip` is required.",
			},
			"source_zip": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A ready-made package, as `appmixer pack` writes it (entries under " +
					"`vendor/service/`). It is published as it is, so it must not contain `node_modules/`.",
			},
			"source_hash": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Hex SHA-256 of the zip the provider uploads, computed at plan time. Null after " +
					"an import until the configured source differs from what the server has and is published.",
			},
			"components": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Full names of the published components, e.g. `acme.weather.forecast.GetForecast`, sorted.",
			},
			"version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Version of the published components from their nearest `bundle.json` (module level, else service level), or as the server reports it when they have none or differ.",
			},
			"replace_published_version": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "When the source differs from what the tenant serves but its `bundle.json` version is already " +
					"published there, remove that version (`DELETE /components/{name}`) and publish the source again, instead of " +
					"failing the plan. Appmixer freezes a component's version at its first publish, so this is the only way to " +
					"change a version's files without raising it. It costs the flows that use the components: between the removal " +
					"and the new publish they cannot run them, and an apply that fails in between leaves the tenant without the " +
					"connector until the next apply. Raising the version in `bundle.json` is the safe way. Default `false`.",
			},
			"manifest_hash": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Hash of the component manifests as the server lists them. It changes when " +
					"the connector is re-published outside Terraform.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}

func (r *componentResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("source_dir"), path.MatchRoot("source_zip")),
	}
}

// ValidateConfig asks for the source when none is configured, saying which line to add: Appmixer does
// not hand sources back (an import sets source_dir to where component_adopt.go expects the source).
func (r *componentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var name, dir, zip types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("source_dir"), &dir)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("source_zip"), &zip)...)
	if resp.Diagnostics.HasError() || !dir.IsNull() || !zip.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("source_dir"), "Missing connector source", missingSourceDetail(name))
}

func (r *componentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if pd := providerDataFrom(req.ProviderData, &resp.Diagnostics); pd != nil {
		r.client, r.componentTypes = pd.client, pd.componentTypes
	}
}

// ModifyPlan packs the source at plan time: problems are reported before anything is sent, and a change
// in any packed file shows as a new source_hash.
func (r *componentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state componentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.Name
	src, _ := plan.source()
	if plan.Name.IsUnknown() || src.IsUnknown() {
		plan.SourceHash, plan.Version, plan.ManifestHash = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
		plan.Components = types.ListUnknown(types.StringType)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	pkg, diags := loadComponentPackage(plan, true)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.SourceHash = types.StringValue(pkg.Hash)
	plan.Components = stringList(pkg.Components)

	drift := false
	if !creating {
		published, d := req.Private.GetKey(ctx, privateManifestKey)
		resp.Diagnostics.Append(d...)
		drift = len(published) > 0 && !state.ManifestHash.IsNull() && string(published) != quoteJSON(state.ManifestHash.ValueString())
	}
	if drift {
		resp.Diagnostics.AddWarning("Component changed outside Terraform",
			fmt.Sprintf("The manifests Appmixer lists for %q differ from the ones this provider published: it was "+
				"re-published by hand. Applying re-publishes it from the configured source.", plan.Name.ValueString()))
	}
	republish := creating || drift || !state.SourceHash.Equal(plan.SourceHash) || !state.Components.Equal(plan.Components) ||
		(pkg.Version != "" && state.Version.ValueString() != pkg.Version)
	if republish {
		switch r.frozenCheck(ctx, plan, state, creating || !plan.Name.Equal(state.Name), pkg, &resp.Diagnostics) {
		case versionFrozen:
			return
		case alreadyServed:
			if creating {
				break
			}
			// The tenant serves exactly this source (an import, or a version published again by hand):
			// nothing to publish. source_hash keeps its value (null after an import, and each plan then
			// compares again) until a change of the source publishes and records it.
			plan.SourceHash, plan.Components, plan.Version, plan.ManifestHash = state.SourceHash, state.Components, state.Version, state.ManifestHash
			resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
			return
		}
	}
	switch {
	case pkg.Version != "":
		plan.Version = types.StringValue(pkg.Version)
	case republish:
		plan.Version = types.StringUnknown() // the server picks a default version
	default:
		plan.Version = state.Version
	}
	if republish {
		plan.ManifestHash = types.StringUnknown()
	} else {
		plan.ManifestHash = state.ManifestHash
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *componentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan componentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultPublishTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.replacePublished(ctx, plan, componentModel{}, true, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	uploaded := r.publishAndRecord(ctx, &plan, timeout, "create", &resp.Diagnostics, resp.Private)
	if resp.Diagnostics.HasError() {
		if uploaded {
			// The server took the package and may install it: keeping the component in state (Terraform
			// marks it tainted) lets the next apply publish it again and a destroy remove it.
			plan.settleAfterFailedUpload()
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		}
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *componentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan componentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.ManifestHash.IsUnknown() {
		// The plan publishes nothing (ModifyPlan leaves manifest_hash known then): the source's place,
		// replace_published_version or the timeouts changed, or the tenant already serves the source.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	var state componentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	timeout, d := plan.Timeouts.Update(ctx, defaultPublishTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.replacePublished(ctx, plan, state, false, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	r.publishAndRecord(ctx, &plan, timeout, "update", &resp.Diagnostics, resp.Private)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// privateSetter is the part of the framework's private state that Create and Update share.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// publishAndRecord re-packs the source (the plan only kept its hash), publishes it, waits for the
// upload ticket and fills m with what the server then lists. It reports whether the server accepted
// the upload, which matters when a later step fails.
func (r *componentResource) publishAndRecord(ctx context.Context, m *componentModel, timeout time.Duration, block string, diags *diag.Diagnostics, private privateSetter) (uploaded bool) {
	pkg, d := loadComponentPackage(*m, false)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	_, attr := m.source()
	if !m.SourceHash.IsUnknown() && m.SourceHash.ValueString() != pkg.Hash {
		diags.AddAttributeError(path.Root(attr), "Connector source changed after the plan",
			"The packed source no longer has the source_hash of the plan; run terraform plan again.")
		return false
	}
	name := m.Name.ValueString()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	ticket, err := r.client.PublishComponent(ctx, name, pkg.Zip)
	if err != nil {
		diags.AddAttributeError(path.Root(attr), fmt.Sprintf("Cannot publish component %q", name), timeoutHint(err, timeout, block))
		return false
	}
	if ticket != "" {
		var st *appmixer.UploadStatus
		if st, err = r.client.WaitComponentUpload(ctx, ticket); err == nil && (st.Err != "" || len(st.Problems) > 0) {
			err = &uploadRejectedError{status: st}
		}
		if rejected := (*uploadRejectedError)(nil); errors.As(err, &rejected) {
			diags.AddAttributeError(path.Root(attr), fmt.Sprintf("Appmixer rejected the package of %q", name), rejected.Error())
			return false // a rejected package is not installed
		}
		if err != nil {
			diags.AddAttributeError(path.Root(attr), fmt.Sprintf("Cannot follow the upload of %q (ticket %s)", name, ticket),
				timeoutHint(err, timeout, block))
			return true
		}
	}

	list, err := r.client.ListComponents(ctx, name, true)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Component %q was published but cannot be listed", name), err)
		return true
	}
	// Publishing is an upsert: components dropped from the source stay installed until removed here.
	if list, err = r.removeStaleComponents(ctx, list, pkg.Components); err != nil {
		addAPIError(diags, fmt.Sprintf("Component %q was published but a component removed from its source cannot be deleted", name), err)
		return true
	}
	server := summarizeManifests(list, name)
	if len(server.Names) == 0 {
		diags.AddError(fmt.Sprintf("Component %q was published but the server does not list it", name),
			"The upload finished without errors, yet GET /components lists nothing under this selector.")
		return true
	}
	m.ID = m.Name
	m.SourceHash = types.StringValue(pkg.Hash)
	m.Components = stringList(pkg.Components)
	if m.Version.IsUnknown() {
		m.Version = optionalString(server.Version)
	}
	m.ManifestHash = types.StringValue(server.ManifestHash)
	diags.Append(private.SetKey(ctx, privateManifestKey, []byte(quoteJSON(server.ManifestHash)))...)
	return true
}

func (r *componentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state componentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	list, err := r.client.ListComponents(ctx, name, true)
	if err != nil && !appmixer.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Cannot read component %q", name), err)
		return
	}
	server := summarizeManifests(list, name)
	if len(server.Names) == 0 {
		resp.State.RemoveResource(ctx)
		return
	}
	state = componentFromAPI(state, server)
	published, d := req.Private.GetKey(ctx, privateManifestKey)
	resp.Diagnostics.Append(d...)
	if len(published) == 0 {
		// Imported: what the server lists now is the baseline for later drift.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateManifestKey, []byte(quoteJSON(server.ManifestHash)))...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *componentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state componentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Flows checked later in this apply must not see the deleted types as installed.
	defer r.componentTypes.forget()
	addDeleteError(&resp.Diagnostics, fmt.Sprintf("component %q", state.Name.ValueString()), r.client.DeleteComponent(ctx, state.Name.ValueString()))
}

// ImportState takes a selector. The source attributes stay null, so the next apply re-publishes from
// whatever source the configuration names.
func (r *componentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(importComponent(ctx, &resp.State, req.ID)...)
}

// importComponent is the state an import of selector starts from: its name and id.
func importComponent(ctx context.Context, st *tfsdk.State, selector string) diag.Diagnostics {
	var diags diag.Diagnostics
	if !connector.SelectorPattern.MatchString(selector) {
		diags.AddError("Invalid import ID",
			fmt.Sprintf("Got %q, expected a selector: vendor.service, vendor.service.module or vendor.service.module.Component.", selector))
		return diags
	}
	diags.Append(st.SetAttribute(ctx, path.Root("name"), selector)...)
	diags.Append(st.SetAttribute(ctx, path.Root("id"), selector)...)
	diags.Append(st.SetAttribute(ctx, path.Root("source_dir"), conventionalSourceDir(selector))...)
	return diags
}

// componentFromAPI refreshes prior from what the server lists under its selector; the source
// attributes are the configuration's, since the server keeps no source path.
func componentFromAPI(prior componentModel, server serverComponents) componentModel {
	m := prior
	m.ID = m.Name
	m.Components = stringList(server.Names)
	// The contract lists no versions; keep the last known one there rather than invent a change.
	if server.Version != "" {
		m.Version = types.StringValue(server.Version)
	}
	m.ManifestHash = types.StringValue(server.ManifestHash)
	return m
}

// quoteJSON turns a string into the JSON value private state requires.
func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// removeStaleComponents deletes the listed components that the package no longer has and returns
// the rest of the list.
func (r *componentResource) removeStaleComponents(ctx context.Context, listed []appmixer.ComponentManifest, packed []string) ([]appmixer.ComponentManifest, error) {
	keep := make(map[string]bool, len(packed))
	for _, name := range packed {
		keep[name] = true
	}
	var kept []appmixer.ComponentManifest
	for _, c := range listed {
		if keep[c.Name] {
			kept = append(kept, c)
			continue
		}
		if err := r.client.DeleteComponent(ctx, c.Name); err != nil && !appmixer.IsNotFound(err) {
			return nil, err
		}
	}
	return kept, nil
}
