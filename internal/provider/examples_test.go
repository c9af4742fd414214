// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestEveryTypeHasExamples keeps the docs complete: tfplugindocs renders a page without an example
// silently, so a new resource or data source would ship undocumented. Every resource needs
// examples/resources/<type>/resource.tf and import.sh, and import-by-identity.tf naming each attribute
// of its identity; every data source data-source.tf; every list resource list-resource.tfquery.hcl
// and every action action.tf.
func TestEveryTypeHasExamples(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	examples := filepath.Join(testfixture.Root(), "examples")
	need := func(kind, typeName string, files ...string) {
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(examples, kind, typeName, f)); err != nil {
				t.Errorf("%s %s has no examples/%s/%s/%s", kind, typeName, kind, typeName, f)
			}
		}
	}
	for _, newResource := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		newResource().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		need("resources", resp.TypeName, "resource.tf", "import.sh")
		if r, ok := newResource().(resource.ResourceWithIdentity); ok {
			needIdentityExample(t, filepath.Join(examples, "resources", resp.TypeName, "import-by-identity.tf"), r)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		need("data-sources", resp.TypeName, "data-source.tf")
	}
	ap := p.(*appmixerProvider)
	for _, newList := range ap.ListResources(ctx) {
		var resp resource.MetadataResponse
		newList().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		need("list-resources", resp.TypeName, "list-resource.tfquery.hcl")
	}
	for _, newAction := range ap.Actions(ctx) {
		var resp action.MetadataResponse
		newAction().Metadata(ctx, action.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		need("actions", resp.TypeName, "action.tf")
	}
	if len(p.Resources(ctx)) == 0 || len(p.DataSources(ctx)) == 0 {
		t.Fatal("the provider lists no resources or no data sources")
	}
}

// needIdentityExample requires an import block with identity = {...} setting every attribute of r's
// identity that an import needs.
func needIdentityExample(t *testing.T, file string, r resource.ResourceWithIdentity) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Errorf("no identity import example: %v", err)
		return
	}
	if !regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{`).Match(src) {
		t.Errorf("%s has no identity = { ... }", file)
	}
	var resp resource.IdentitySchemaResponse
	r.IdentitySchema(context.Background(), resource.IdentitySchemaRequest{}, &resp)
	for name, a := range resp.IdentitySchema.Attributes {
		if a.IsRequiredForImport() && !regexp.MustCompile(`(?m)^\s*`+regexp.QuoteMeta(name)+`\s*=`).Match(src) {
			t.Errorf("%s does not set the identity attribute %s", file, name)
		}
	}
}
