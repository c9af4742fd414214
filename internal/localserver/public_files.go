// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
)

// Public files (§8): files a tenant serves to its users, kept by name. GET lists names only.

type publicFile struct {
	seq         int
	content     []byte
	contentType string
}

func (s *Server) listPublicFiles(*call) (any, error) {
	names := sortedKeys(s.publicFiles)
	slices.SortFunc(names, func(a, b string) int { return s.publicFiles[a].seq - s.publicFiles[b].seq })
	out := []any{}
	for _, n := range names {
		out = append(out, map[string]any{"filename": n})
	}
	return out, nil
}

// uploadPublicFile is POST /public-files, multipart with the fields filename and file. A file of the
// same name is replaced.
func (s *Server) uploadPublicFile(c *call) (any, error) {
	mediaType, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, errorf(http.StatusUnsupportedMediaType, "Send the public file as multipart/form-data with the fields filename and file.")
	}
	var (
		filename, ctype string
		content         []byte
		haveFile        bool
	)
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, badRequest("Invalid multipart payload")
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, badRequest("Invalid multipart payload")
		}
		switch part.FormName() {
		case "filename":
			filename = string(data)
		case "file":
			content, haveFile, ctype = data, true, part.Header.Get("Content-Type")
			if filename == "" {
				filename = part.FileName()
			}
		default:
			return nil, badRequest("%q is not allowed", part.FormName())
		}
	}
	switch {
	case !haveFile:
		return nil, badRequest(`"file" is required`)
	case filename == "" || strings.ContainsAny(filename, "/\\"):
		return nil, badRequest(`"filename" is required and must not contain a path`)
	}
	f, ok := s.publicFiles[filename]
	if !ok {
		s.seq++
		f = &publicFile{seq: s.seq}
		s.publicFiles[filename] = f
	}
	f.content, f.contentType = content, ctype
	return map[string]any{"ok": true}, nil
}

func (s *Server) deletePublicFile(c *call) (any, error) {
	name := c.param("filename")
	if _, ok := s.publicFiles[name]; !ok {
		return nil, notFound("File")
	}
	delete(s.publicFiles, name)
	return map[string]any{"ok": true}, nil
}

// PublicFile returns a stored public file's content, for tests that check what was uploaded.
func (s *Server) PublicFile(filename string) ([]byte, bool) {
	if s.localOnly("a public file's stored content (PublicFile)") {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.publicFiles[filename]
	if !ok {
		return nil, false
	}
	return bytes.Clone(f.content), true
}
