// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Provider functions for the files users have: pure, so Terraform 1.8+ and OpenTofu 1.7+ call them at
// plan time without configuring the provider.

var (
	_ function.Function = flowFromExportFunction{}
	_ function.Function = definitionServicesFunction{}
)

// NewFlowFromExportFunction turns an `appmixer flow export` file into a definition.
func NewFlowFromExportFunction() function.Function { return flowFromExportFunction{} }

// NewDefinitionServicesFunction lists the services a definition's components belong to.
func NewDefinitionServicesFunction() function.Function { return definitionServicesFunction{} }

type flowFromExportFunction struct{}

func (flowFromExportFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "flow_from_export"
}

func (flowFromExportFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The definition inside an `appmixer flow export` file",
		MarkdownDescription: "Takes the whole file `appmixer flow export` writes (`{\"name\": ..., \"flow\": {...}, ...}`), as " +
			"text, and returns its `flow`, the descriptor `appmixer_flow.definition` and `appmixer_integration.definition` " +
			"take, as compact JSON: `definition = provider::appmixer::flow_from_export(file(\"orders.json\"))`. The file's " +
			"other keys (name, stage, thumbnail, ...) are left out: set them on the resource. Anything that is not such a " +
			"file is an error that says what it is instead.",
		Parameters: []function.Parameter{function.StringParameter{
			Name:                "json",
			MarkdownDescription: "The export file's text, e.g. `file(\"orders.json\")`.",
		}},
		Return: function.StringReturn{},
	}
}

func (flowFromExportFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var in string
	if resp.Error = req.Arguments.Get(ctx, &in); resp.Error != nil {
		return
	}
	out, err := flowFromExport(in)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, types.StringValue(out))
}

// flowFromExport returns the export's flow as compact JSON, its text otherwise as the file holds it.
func flowFromExport(in string) (string, error) {
	var doc any
	if err := json.Unmarshal([]byte(in), &doc); err != nil {
		return "", fmt.Errorf("the argument is not JSON: %v", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", fmt.Errorf("an `appmixer flow export` file is a JSON object with \"name\" and \"flow\"; got %s", jsonKindName(doc))
	}
	if !isFlowExport(obj) {
		if _, hasFlow := obj["flow"]; hasFlow {
			return "", fmt.Errorf("the file's \"flow\" is not a flow descriptor (an object of components keyed by id), or \"name\" is missing")
		}
		return "", fmt.Errorf("this is not an `appmixer flow export` file (no \"name\" and \"flow\"): if it is already a " +
			"descriptor, pass it to definition as it is")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(in), &raw); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw["flow"]); err != nil {
		return "", err
	}
	return b.String(), nil
}

type definitionServicesFunction struct{}

func (definitionServicesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "definition_services"
}

func (definitionServicesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The services whose accounts a flow definition needs",
		MarkdownDescription: "Lists the services (`vendor:service`, as `appmixer_account.service` and the `appmixer_account` " +
			"data source name them) of a definition's components, sorted and without repeats, leaving out Appmixer's " +
			"utilities (`appmixer.utils.*`), which take no account. For `precondition`s before a promotion, e.g. that the " +
			"target tenant has an account of every service: `contains(keys(local.accounts), s)` for each. A function " +
			"cannot read the connectors' manifests, so a connector whose components take no account is listed too.",
		Parameters: []function.Parameter{function.StringParameter{
			Name:                "definition",
			MarkdownDescription: "The flow descriptor as JSON, as `appmixer_flow.definition` takes it.",
		}},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (definitionServicesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var in string
	if resp.Error = req.Arguments.Get(ctx, &in); resp.Error != nil {
		return
	}
	services, err := definitionServices(in)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, services)
}

func definitionServices(in string) ([]string, error) {
	def, err := decodeDefinition(in)
	if err != nil {
		return nil, fmt.Errorf("the definition is %v", err)
	}
	if isFlowExport(def) {
		return nil, fmt.Errorf("this is a whole `appmixer flow export` file; pass its flow: " +
			"provider::appmixer::definition_services(provider::appmixer::flow_from_export(file(\"x.json\")))")
	}
	seen := map[string]bool{}
	services := []string{}
	for _, id := range sortedKeys(def) {
		comp, _ := def[id].(map[string]any)
		typ, _ := comp["type"].(string)
		parts := strings.Split(typ, ".")
		if len(parts) < 3 {
			return nil, fmt.Errorf("component %q has type %q, which is not of the form vendor.service.module.Component", id, typ)
		}
		if parts[0] == "appmixer" && parts[1] == "utils" {
			continue
		}
		if s := parts[0] + ":" + parts[1]; !seen[s] {
			seen[s] = true
			services = append(services, s)
		}
	}
	sort.Strings(services)
	return services, nil
}
