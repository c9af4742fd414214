// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// tenantSizeKey is the private-state key under which each flow keeps the tenant's flow count, the
// hint of rule 2 of appmixer.FlowReader.
const tenantSizeKey = "tenant_flows"

// privateGetter and privateSetter are the parts of the framework's private state used here.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// tenantSizeFrom reads the hint; 0 when there is none (an import, an older state).
func tenantSizeFrom(ctx context.Context, private privateGetter) int {
	raw, diags := private.GetKey(ctx, tenantSizeKey)
	if diags.HasError() || len(raw) == 0 {
		return 0
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0
	}
	return n
}

// recordTenantSize keeps a known size as the hint; an unknown one leaves the recorded hint alone.
func recordTenantSize(ctx context.Context, private privateSetter, flows int, diags *diag.Diagnostics) {
	if flows <= 0 {
		return
	}
	diags.Append(private.SetKey(ctx, tenantSizeKey, []byte(strconv.Itoa(flows)))...)
}
