// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"crypto/md5" //nolint:gosec // Appmixer reports a file's MD5; it is compared, not trusted for security
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// fileIDDescription says what a file's import ID is.
const fileIDDescription = "a file id (fileId), e.g. 3f1c2a9e-5b7d-4c1e-9a0b-2d4e6f8a0c1e"

type fileModel struct {
	ID          types.String   `tfsdk:"id"`
	Source      types.String   `tfsdk:"source"`
	Filename    types.String   `tfsdk:"filename"`
	ContentType types.String   `tfsdk:"content_type"`
	MD5         types.String   `tfsdk:"md5"`
	Size        types.Int64    `tfsdk:"size"`
	UploadDate  types.String   `tfsdk:"upload_date"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// fileFromAPI rebuilds the whole model from the server's metadata. source and the timeouts are the
// provider's own; an md5 the server does not report keeps the prior one (newer GridFS drivers dropped it).
func fileFromAPI(f *appmixer.File, prior fileModel) fileModel {
	m := fileModel{
		ID: types.StringValue(f.ID), Source: prior.Source, Filename: types.StringValue(f.Filename),
		ContentType: types.StringValue(f.ContentType), MD5: prior.MD5, Size: types.Int64Value(f.Length),
		UploadDate: optionalString(f.UploadDate), Timeouts: prior.Timeouts,
	}
	if f.MD5 != "" {
		m.MD5 = types.StringValue(strings.ToLower(f.MD5))
	}
	return m
}

// readFileSource reads the local file and its hex MD5, the hash Appmixer reports for a file.
func readFileSource(name string) ([]byte, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	content, err := os.ReadFile(name)
	if err != nil {
		diags.AddAttributeError(path.Root("source"), "Cannot read the file's source", err.Error())
		return nil, "", diags
	}
	sum := md5.Sum(content) //nolint:gosec // see the import
	return content, hex.EncodeToString(sum[:]), diags
}

// fileContentTypes are the content types sent for common extensions when content_type is not set.
// The provider's own table, not the machine's MIME database, so that every machine plans the same.
var fileContentTypes = map[string]string{
	".csv": "text/csv", ".txt": "text/plain", ".json": "application/json", ".xml": "application/xml",
	".html": "text/html", ".htm": "text/html", ".md": "text/markdown", ".yaml": "application/yaml",
	".yml": "application/yaml", ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
	".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".zip": "application/zip",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// defaultContentType is the content type sent for filename when none is configured.
func defaultContentType(filename string) string {
	if t, ok := fileContentTypes[strings.ToLower(filepath.Ext(filename))]; ok {
		return t
	}
	return "application/octet-stream"
}
