package provider

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestEveryTypeHasExamples keeps the docs complete: tfplugindocs renders a page without an example
// silently, so a new resource or data source would ship undocumented. Every resource needs
// examples/resources/<type>/resource.tf and import.sh, every data source data-source.tf, every list
// resource list-resource.tfquery.hcl and every action action.tf.
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
