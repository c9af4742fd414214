// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

func TestRequireAdmin(t *testing.T) {
	cases := []struct {
		name    string
		me      *appmixer.User
		err     error
		wantErr string
	}{
		{name: "admin", me: &appmixer.User{Username: "root@x", Scope: []string{"user", "admin"}}},
		{name: "plain user", me: &appmixer.User{Username: "joe@x", Scope: []string{"user"}},
			wantErr: `The provider's user "joe@x" has scope [user], without "admin". POST /acl/{type} are admin-only`},
		{name: "scope not shown: the server decides", me: &appmixer.User{Username: "joe@x"}},
		{name: "user not readable: the server decides", err: errors.New("boom")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pd := &providerData{me: func() (*appmixer.User, error) { return c.me, c.err }}
			var diags diag.Diagnostics
			ok := pd.requireAdmin(&diags, "appmixer_acl", "POST /acl/{type}")
			if got := detailOf(diags); !strings.Contains(got, c.wantErr) || ok != (c.wantErr == "") || (c.wantErr == "") != (got == "") {
				t.Errorf("ok %v, error %q; want error containing %q", ok, got, c.wantErr)
			}
		})
	}
}

func TestRequireRealAPI(t *testing.T) {
	for dialect, wantOK := range map[appmixer.Dialect]bool{appmixer.DialectContract: false, appmixer.DialectAuto: true, appmixer.DialectAppmixer: true} {
		c, err := appmixer.New(appmixer.Config{BaseURL: "http://127.0.0.1:1", Token: "t", Dialect: dialect})
		if err != nil {
			t.Fatal(err)
		}
		var diags diag.Diagnostics
		if ok := requireRealAPI(c, &diags, "appmixer_acl"); ok != wantOK || diags.HasError() == wantOK {
			t.Errorf("%s: ok %v, diagnostics %v", dialect, ok, diags)
		}
		if !wantOK && !strings.Contains(detailOf(diags), `api_dialect = "appmixer"`) {
			t.Errorf("%s: the error must say which dialect works: %q", dialect, detailOf(diags))
		}
	}
}

func TestReadFoundAndDeleteError(t *testing.T) {
	ctx := context.Background()
	notFound := &appmixer.Error{StatusCode: http.StatusNotFound, Message: "Flow not found."}
	failed := &appmixer.Error{StatusCode: http.StatusInternalServerError, Message: "database down"}
	state := func() *resource.ReadResponse {
		typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}
		sch := schema.Schema{Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{Computed: true}}}
		return &resource.ReadResponse{State: tfsdk.State{Schema: sch,
			Raw: tftypes.NewValue(typ, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "x")})}}
	}

	resp := state()
	if readFound(ctx, resp, "flow x", notFound) || !resp.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		t.Errorf("404: the resource must leave state without an error (state null %v, %v)", resp.State.Raw.IsNull(), resp.Diagnostics)
	}
	resp = state()
	if readFound(ctx, resp, "flow x", failed) || resp.State.Raw.IsNull() || !strings.Contains(detailOf(resp.Diagnostics), "database down") {
		t.Errorf("500: the resource must stay in state with the server's message (%v)", resp.Diagnostics)
	}
	if resp := state(); !readFound(ctx, resp, "flow x", nil) {
		t.Error("no error: Read goes on")
	}

	var diags diag.Diagnostics
	addDeleteError(&diags, "flow x", notFound)
	if diags.HasError() {
		t.Errorf("a 404 on delete is success: %v", diags)
	}
	addDeleteError(&diags, "flow x", failed)
	if !strings.Contains(diags.Errors()[0].Summary(), "Cannot delete flow x") {
		t.Errorf("a failed delete names the object: %v", diags)
	}
}

func TestOperationContext(t *testing.T) {
	var diags diag.Diagnostics
	configured := func(context.Context, time.Duration) (time.Duration, diag.Diagnostics) { return 3 * time.Second, nil }
	ctx, cancel, d := operationContext(context.Background(), configured, time.Minute, &diags)
	defer cancel()
	deadline, ok := ctx.Deadline()
	if d != 3*time.Second || !ok || time.Until(deadline) > 3*time.Second || diags.HasError() {
		t.Errorf("timeout %s, deadline in %s (set %v)", d, time.Until(deadline), ok)
	}
	if got := timeoutHint(context.DeadlineExceeded, d, "create"); !strings.Contains(got, "gave up after 3s; raise timeouts.create") {
		t.Errorf("hint %q", got)
	}
}

func detailOf(d diag.Diagnostics) string {
	var parts []string
	for _, e := range d.Errors() {
		parts = append(parts, e.Detail())
	}
	return strings.Join(parts, "\n")
}
