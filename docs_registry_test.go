// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/provider"
)

// TestEveryTypeHasASubcategory fails for a resource, data source, ephemeral resource, list resource or
// action whose docs page would have no subcategory: add its line to docs_subcategories.txt.
func TestEveryTypeHasASubcategory(t *testing.T) {
	subcategories := readSubcategories(t)
	for _, name := range providerTypeNames(t) {
		if subcategories[name] == "" {
			t.Errorf("%s has no subcategory: add a line \"%s = <Subcategory>\" to docs_subcategories.txt", name, name)
		}
	}
}

// TestEveryResourceHasAnImportBlockExample: the registries show how to import with an import block
// (examples/resources/<type>/import-by-string-id.tf) beside the import command (import.sh, which
// internal/provider's TestEveryTypeHasExamples requires).
func TestEveryResourceHasAnImportBlockExample(t *testing.T) {
	for _, name := range resourceTypeNames(t) {
		if _, err := os.Stat(filepath.Join("examples", "resources", name, "import-by-string-id.tf")); err != nil {
			t.Errorf("%s has no examples/resources/%s/import-by-string-id.tf", name, name)
		}
	}
}

// TestSubcategoryTemplatesAgree: tfplugindocs reads the fallback templates of resources, data sources
// and list resources from three files; they must stay one template. Actions have their own, which
// also looks up the subcategory.
func TestSubcategoryTemplatesAgree(t *testing.T) {
	resources, err := os.ReadFile("templates/resources.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	dataSources, err := os.ReadFile("templates/data-sources.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resources, dataSources) {
		t.Error("templates/data-sources.md.tmpl differs from templates/resources.md.tmpl; keep them identical")
	}
	// List resources are rendered with the resources' template data, so the same template serves them.
	if listResources, err := os.ReadFile("templates/list-resources.md.tmpl"); err != nil || !bytes.Equal(resources, listResources) {
		t.Errorf("templates/list-resources.md.tmpl differs from templates/resources.md.tmpl; keep them identical (%v)", err)
	}
	for _, name := range []string{"templates/resources.md.tmpl", "templates/actions.md.tmpl"} {
		if tmpl, err := os.ReadFile(name); err != nil || !bytes.Contains(tmpl, []byte(`codefile "" "docs_subcategories.txt"`)) {
			t.Errorf("%s no longer reads docs_subcategories.txt (%v)", name, err)
		}
	}
}

// readSubcategories parses the mapping the way the templates do: a line split at " = " into exactly
// two parts is a type name and its subcategory (trimmed); other lines are ignored.
func readSubcategories(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("docs_subcategories.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if pair := strings.Split(line, " = "); len(pair) == 2 {
			out[pair[0]] = strings.TrimSpace(pair[1])
		}
	}
	return out
}

// newProvider is the provider and its type name, as Terraform sees them.
func newProvider() (fwprovider.Provider, string) {
	p := provider.New("test")()
	var meta fwprovider.MetadataResponse
	p.Metadata(context.Background(), fwprovider.MetadataRequest{}, &meta)
	return p, meta.TypeName
}

func resourceTypeNames(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	p, providerType := newProvider()
	var names []string
	for _, r := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		r().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: providerType}, &resp)
		names = append(names, resp.TypeName)
	}
	if len(names) == 0 {
		t.Fatal("the provider serves no resources")
	}
	return names
}

// providerTypeNames lists the type names of everything the provider serves that gets a docs page.
func providerTypeNames(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	p, providerType := newProvider()
	names := resourceTypeNames(t)
	for _, d := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		d().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: providerType}, &resp)
		names = append(names, resp.TypeName)
	}
	if pe, ok := p.(fwprovider.ProviderWithEphemeralResources); ok {
		for _, e := range pe.EphemeralResources(ctx) {
			var resp ephemeral.MetadataResponse
			e().Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: providerType}, &resp)
			names = append(names, resp.TypeName)
		}
	}
	if pl, ok := p.(fwprovider.ProviderWithListResources); ok {
		for _, l := range pl.ListResources(ctx) {
			var resp resource.MetadataResponse // a list resource's Metadata is the resource one
			l().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: providerType}, &resp)
			names = append(names, resp.TypeName)
		}
	}
	if pa, ok := p.(fwprovider.ProviderWithActions); ok {
		for _, a := range pa.Actions(ctx) {
			var resp action.MetadataResponse
			a().Metadata(ctx, action.MetadataRequest{ProviderTypeName: providerType}, &resp)
			names = append(names, resp.TypeName)
		}
	}
	return names
}
