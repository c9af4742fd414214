// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Values that resources keep in private state as JSON: what destroy must put back (an ACL list,
// the modifiers document) and hashes of write-only values. Private state travels in every plan and
// is stored in the state file, so a value past gzipThreshold is kept gzip-compressed: the modifiers
// document a tenant starts with is tens of kilobytes.

const gzipThreshold = 4 << 10

// privateEnvelope is what a key holds: the value as JSON, or compressed.
type privateEnvelope struct {
	JSON json.RawMessage `json:"json,omitempty"`
	Gzip string          `json:"gzip,omitempty"` // base64 of the gzipped JSON
}

// setPrivateJSON keeps v under key; a v that encodes as null (nil, a nil pointer) removes the key.
func setPrivateJSON(ctx context.Context, private privateSetter, key string, v any) diag.Diagnostics {
	raw, err := json.Marshal(v)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot keep private state", fmt.Sprintf("Encoding %s: %v. This is a bug in the provider.", key, err))
		return diags
	}
	if string(raw) == "null" {
		return private.SetKey(ctx, key, nil)
	}
	env := privateEnvelope{JSON: raw}
	if len(raw) > gzipThreshold {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(raw) // writes to memory do not fail
		_ = zw.Close()
		env = privateEnvelope{Gzip: base64.StdEncoding.EncodeToString(buf.Bytes())}
	}
	out, _ := json.Marshal(env)
	return private.SetKey(ctx, key, out)
}

// getPrivateJSON reads key into v and reports whether it was there. A value that cannot be read is
// reported as absent, which every caller treats as "never recorded".
func getPrivateJSON(ctx context.Context, private privateGetter, key string, v any) (bool, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, key)
	if diags.HasError() || len(raw) == 0 {
		return false, diags
	}
	var env privateEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return false, diags
	}
	data := []byte(env.JSON)
	if env.Gzip != "" {
		z, err := base64.StdEncoding.DecodeString(env.Gzip)
		if err != nil {
			return false, diags
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			return false, diags
		}
		if data, err = io.ReadAll(zr); err != nil {
			return false, diags
		}
	}
	if len(data) == 0 || string(data) == "null" || json.Unmarshal(data, v) != nil {
		return false, diags
	}
	return true, diags
}
