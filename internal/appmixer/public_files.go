// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
)

// ListPublicFiles returns the names of the tenant's public files (GET /public-files).
func (c *Client) ListPublicFiles(ctx context.Context) ([]string, error) {
	var ws []struct {
		Filename flexString `json:"filename"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/public-files"}, &ws); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, string(w.Filename))
	}
	return out, nil
}

// UploadPublicFile uploads content as filename (POST /public-files, multipart with the fields
// filename and file).
func (c *Client) UploadPublicFile(ctx context.Context, filename string, content []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("filename", filename); err != nil {
		return err
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		return err
	}
	if _, err := fw.Write(content); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("POST /public-files: building the form: %w", err)
	}
	return c.do(ctx, call{method: http.MethodPost, path: "/public-files", raw: buf.Bytes(), contentType: mw.FormDataContentType()}, nil)
}

// DeletePublicFile deletes a public file (DELETE /public-files/{filename}).
func (c *Client) DeletePublicFile(ctx context.Context, filename string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/public-files/" + esc(filename)}, nil)
}
