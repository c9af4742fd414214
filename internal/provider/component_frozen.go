// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// Appmixer freezes a (component, version) at its first publish (appmixer-api.md §1.6): publishing the
// same bundle.json version again is accepted and reported as installed, yet changes neither manifests
// nor code. An apply that re-published changed files under a published version would therefore report
// a change that never happened, so the plan stops it and names the version to raise. This is a
// deliberate exception to refusing only what Appmixer refuses. replace_published_version opts in to
// removing the published version and publishing it again instead.

// frozenVerdict is what the plan concludes about re-publishing a package.
type frozenVerdict int

const (
	publishFreely  frozenVerdict = iota // the version is new to the tenant (or the tenant cannot tell)
	alreadyServed                       // the tenant serves exactly these files under this version
	replaceVersion                      // published with other files; replace_published_version is set
	versionFrozen                       // published with other files: the plan fails
)

// effectiveVersion is the version a publish of pkg gets: its bundle.json's, else the one this resource
// published last (the server's default for packages without one).
func effectiveVersion(pkg *connector.Package, state componentModel, creating bool) string {
	if pkg.Version != "" || creating {
		return pkg.Version
	}
	return state.Version.ValueString()
}

// tenantVersion is the version the tenant serves for selector: the one state holds (Read refreshed it
// from the list, which shows the newest version only), else the one it lists. ok is false when it
// cannot tell.
func (r *componentResource) tenantVersion(ctx context.Context, selector string, state componentModel, creating bool) (version string, ok bool) {
	if r.client.Dialect() == appmixer.DialectContract {
		return "", false
	}
	if !creating && state.Version.ValueString() != "" {
		return state.Version.ValueString(), true
	}
	list, err := r.client.ListComponents(ctx, selector, true)
	if err != nil {
		tflog.Debug(ctx, "cannot list the published component to compare versions", map[string]any{"component": selector, "error": err.Error()})
		return "", false
	}
	served := summarizeManifests(list, selector)
	return served.Version, served.Version != ""
}

// publishChangesNothing reports whether publishing version cannot change what the tenant serves: it
// serves that version already, or a newer one (an older version would be added beside it, unused).
func (r *componentResource) publishChangesNothing(ctx context.Context, selector, version string, state componentModel, creating bool) (served string, frozen bool) {
	served, ok := r.tenantVersion(ctx, selector, state, creating)
	if !ok || version == "" {
		return served, false
	}
	return served, compareVersions(version, served) <= 0
}

// compareVersions orders dotted versions by their numbers; parts that are not numbers compare as text.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y string
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		nx, errX := strconv.Atoi(x)
		ny, errY := strconv.Atoi(y)
		switch {
		case errX == nil && errY == nil && nx != ny:
			return cmp.Compare(nx, ny)
		case (errX != nil || errY != nil) && x != y:
			return strings.Compare(x, y)
		}
	}
	return 0
}

// frozenCheck decides a planned re-publish of pkg; it adds the plan's error or warning. A create is
// not checked: when it replaces another appmixer_component of the same connector (a new name), the
// plan cannot tell the files that the destroy will remove from a leftover the tenant keeps.
func (r *componentResource) frozenCheck(ctx context.Context, plan, state componentModel, creating bool, pkg *connector.Package, diags *diag.Diagnostics) frozenVerdict {
	if creating {
		return publishFreely
	}
	selector := plan.Name.ValueString()
	version := effectiveVersion(pkg, state, creating)
	served, frozen := r.publishChangesNothing(ctx, selector, version, state, creating)
	if !frozen {
		return publishFreely
	}
	if r.samePublished(ctx, selector, pkg) {
		return alreadyServed
	}
	_, attr := plan.source()
	if plan.ReplacePublishedVersion.ValueBool() {
		diags.AddAttributeWarning(path.Root("replace_published_version"), fmt.Sprintf("%q will be removed and published again", selector),
			fmt.Sprintf("The tenant serves version %s of %q with other files than the source's version %s. replace_published_version is "+
				"true, so the apply removes %q (DELETE /components/%s) and publishes the source again: until it is back, flows that "+
				"use its components cannot run them, and a failure in between leaves the tenant without it.", served, selector, version, selector, selector))
		return replaceVersion
	}
	diags.AddAttributeError(path.Root(attr), fmt.Sprintf("Version %s of %q is already published", version, selector),
		fmt.Sprintf("The source of %q differs from what the tenant serves, but the tenant already has its bundle.json version %s "+
			"(it serves %s). Appmixer freezes a component's version at its first publish: publishing changed files under a "+
			"version it has is accepted and ignored, so this apply would report a change that never happens.\n\n"+
			"Raise \"version\" in the connector's bundle.json above %s (for example to %q) and plan again, or set "+
			"replace_published_version = true to remove the published version and publish it again (flows using it cannot run "+
			"its components in between).", selector, version, served, served, nextPatch(served)))
	return versionFrozen
}

// nextPatch is version with its last number raised, or version+".1" when it does not end in one.
func nextPatch(version string) string {
	i := strings.LastIndex(version, ".")
	if n, err := strconv.Atoi(version[i+1:]); err == nil {
		return version[:i+1] + strconv.Itoa(n+1)
	}
	return version + ".1"
}

// replacePublished removes the published version before an apply publishes other files under it,
// when replace_published_version asks for that (the plan warned).
func (r *componentResource) replacePublished(ctx context.Context, plan, state componentModel, creating bool, diags *diag.Diagnostics) {
	if !plan.ReplacePublishedVersion.ValueBool() {
		return
	}
	pkg, d := loadComponentPackage(plan, false)
	if d.HasError() {
		return // publishAndRecord reports it
	}
	selector := plan.Name.ValueString()
	_, frozen := r.publishChangesNothing(ctx, selector, effectiveVersion(pkg, state, creating), state, creating)
	if !frozen || r.samePublished(ctx, selector, pkg) {
		return
	}
	if err := r.client.DeleteComponent(ctx, selector); err != nil && !appmixer.IsNotFound(err) {
		addAPIError(diags, fmt.Sprintf("Cannot remove the published version of %q to publish it again", selector), err)
	}
	r.componentTypes.forget()
}
