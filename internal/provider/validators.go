// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// httpURLValidator accepts absolute http(s) URLs without query or fragment.
type httpURLValidator struct{}

func (httpURLValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL"
}

func (v httpURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (httpURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkHTTPURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", req.Path.String()+" "+err.Error()+".")
	}
}

// durationValidator accepts positive Go durations such as "30s".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive Go duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parsePositiveDuration(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", req.Path.String()+" "+err.Error()+".")
	}
}

// serviceNameValidator checks the `vendor:service` form of account services.
type serviceNameValidator struct{}

func (serviceNameValidator) Description(context.Context) string {
	return "must be vendor:service, e.g. appmixer:slack"
}

func (v serviceNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (serviceNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !servicePattern.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid service",
			fmt.Sprintf("%s must be vendor:service, e.g. \"appmixer:slack\"; got %q.", req.Path, req.ConfigValue.ValueString()))
	}
}

var servicePattern = regexp.MustCompile(`^\w+:\w+$`)
