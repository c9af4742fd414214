// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"crypto/md5" //nolint:gosec // the file object's md5 is GridFS's checksum, not a security measure
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Files (appmixer-api.md §1.8): the tenant's file storage (GridFS on Appmixer), which flows read by
// fileId. Uploads are multipart with the field "file" and uploader-* headers; a chunk that names an
// uploader-file-id is appended to that file.

type storedFile struct {
	seq         int
	id, userID  string
	filename    string
	contentType string
	content     []byte
	uploadDate  time.Time
}

// gridFSChunkSize is the chunkSize a file object reports: GridFS's default, how the engine stores it.
const gridFSChunkSize = 261120

var _ = guess("files", "a file object reports chunkSize 261120 (GridFS's default), whatever chunk size the upload used",
	"§1.8 lists chunkSize among the file object's keys but not its value")

var _ = guess("files", "files belong to the uploader: GET /files lists the caller's own files, and another user's file is 404",
	"§1.8 shows metadata.userId but does not say who may see a file; stores (§1.7) work this way")

func (f *storedFile) view() map[string]any {
	sum := md5.Sum(f.content) //nolint:gosec // see the import
	return map[string]any{
		"fileId": f.id, "filename": f.filename, "length": json.Number(strconv.Itoa(len(f.content))),
		"chunkSize": json.Number(strconv.Itoa(gridFSChunkSize)), "uploadDate": isoTime(f.uploadDate),
		"md5": hex.EncodeToString(sum[:]), "contentType": f.contentType, "metadata": map[string]any{"userId": f.userID},
	}
}

func (s *Server) fileStore() map[string]*storedFile {
	if s.files == nil {
		s.files = map[string]*storedFile{}
	}
	return s.files
}

func (s *Server) ownFile(c *call, id string) (*storedFile, error) {
	f := s.fileStore()[id]
	if f == nil || f.userID != c.user.id {
		return nil, notFound("File")
	}
	return f, nil
}

// ownFileDocs are the caller's file objects in upload order.
func (s *Server) ownFileDocs(c *call) []map[string]any {
	var own []*storedFile
	for _, f := range s.fileStore() {
		if f.userID == c.user.id {
			own = append(own, f)
		}
	}
	slices.SortFunc(own, func(a, b *storedFile) int { return a.seq - b.seq })
	docs := make([]map[string]any, len(own))
	for i, f := range own {
		docs[i] = f.view()
	}
	return docs
}

// listFiles is GET /files?limit&offset&sort&projection&filter. Component source files are not kept
// here, so includeComponentSourceFiles changes nothing.
func (s *Server) listFiles(c *call) (any, error) {
	q, err := s.listQuery(c, "fileId", "filename")
	if err != nil {
		return nil, err
	}
	return q.apply(s.ownFileDocs(c)), nil
}

func (s *Server) countFiles(c *call) (any, error) {
	q, err := s.listQuery(c, "fileId", "filename")
	if err != nil {
		return nil, err
	}
	return map[string]any{"count": q.count(s.ownFileDocs(c))}, nil
}

func (s *Server) getFileMetadata(c *call) (any, error) {
	f, err := s.ownFile(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	return f.view(), nil
}

func (s *Server) deleteFile(c *call) (any, error) {
	f, err := s.ownFile(c, c.param("id"))
	if err != nil {
		return nil, err
	}
	delete(s.files, f.id)
	return map[string]any{}, nil
}

var _ = guess("files", "DELETE /files?filter=... answers {deletedCount}; without a filter it deletes all the caller's files",
	"§1.8 documents deleting many by filter, not the answer nor what no filter means")

// deleteFiles is DELETE /files?filter=...: the caller's files that match.
func (s *Server) deleteFiles(c *call) (any, error) {
	q, err := parseListQuery(c.query(), "fileId", "filename")
	if err != nil {
		return nil, err
	}
	n := 0
	for _, d := range q.matching(s.ownFileDocs(c)) {
		delete(s.files, d["fileId"].(string))
		n++
	}
	return map[string]any{"deletedCount": n}, nil
}

var _ = guess("files", "chunks append in the order they arrive: uploader-chunk-number and uploader-chunks-total are not checked, "+
	"and every chunk answers the file's metadata so far",
	"§1.8 names the uploader-* headers, not how the engine orders chunks or what a middle chunk answers")

// uploadFile is POST /files: multipart with the field "file". uploader-file-name names the file
// (else the part's file name); uploader-file-id appends this chunk to the caller's file of that id.
func (s *Server) uploadFile(c *call) (any, error) {
	content, partName, ctype, err := fileField(c)
	if err != nil {
		return nil, err
	}
	if id := c.r.Header.Get("uploader-file-id"); id != "" {
		f, err := s.ownFile(c, id)
		if err != nil {
			return nil, err
		}
		f.content = append(f.content, content...)
		return f.view(), nil
	}
	name := c.r.Header.Get("uploader-file-name")
	if name == "" {
		name = partName
	}
	if name == "" {
		return nil, badRequest(`"filename" is required: send the uploader-file-name header or a file name in the part`)
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	s.seq++
	f := &storedFile{seq: s.seq, id: uuid.NewString(), userID: c.user.id, filename: name, contentType: ctype,
		content: content, uploadDate: c.now}
	s.fileStore()[f.id] = f
	return f.view(), nil
}

// fileField reads the multipart field "file": its bytes, file name and content type.
func fileField(c *call) ([]byte, string, string, error) {
	mediaType, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, "", "", errorf(http.StatusUnsupportedMediaType, "Send the file as multipart/form-data with the field file.")
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", "", badRequest(`"file" is required`)
		}
		if err != nil {
			return nil, "", "", badRequest("Invalid multipart payload")
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, "", "", badRequest("Invalid multipart payload")
		}
		return data, part.FileName(), part.Header.Get("Content-Type"), nil
	}
}

// StoredFile returns a file's content as the server holds it, for tests that check what was uploaded.
func (s *Server) StoredFile(id string) ([]byte, bool) {
	if s.localOnly("a file's stored content (StoredFile)") {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.fileStore()[id]
	if !ok {
		return nil, false
	}
	return bytes.Clone(f.content), true
}
