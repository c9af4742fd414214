// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
)

// File is the metadata of a file in the tenant's file storage (appmixer-api.md §1.8). Flows name a
// file by its ID (fileId); no route overwrites a file's content in place.
type File struct {
	ID          string
	Filename    string
	ContentType string
	MD5         string // hex MD5 of the content; "" where the server does not report it
	Length      int64
	UploadDate  string
	UserID      string
}

type fileWire struct {
	FileID      flexString `json:"fileId"`
	Filename    flexString `json:"filename"`
	Length      flexString `json:"length"`
	UploadDate  flexString `json:"uploadDate"`
	MD5         flexString `json:"md5"`
	ContentType flexString `json:"contentType"`
	Metadata    struct {
		UserID flexString `json:"userId"`
	} `json:"metadata"`
}

func (w fileWire) file() File {
	n, _ := strconv.ParseInt(string(w.Length), 10, 64)
	return File{ID: string(w.FileID), Filename: string(w.Filename), ContentType: string(w.ContentType), MD5: string(w.MD5),
		Length: n, UploadDate: string(w.UploadDate), UserID: string(w.Metadata.UserID)}
}

// DefaultFileChunkSize is how much of a file one POST /files carries. Larger files go in several
// requests (uploader-file-id names the file a chunk belongs to), which keeps each request below the
// body limits of Appmixer's API and of the proxies in front of it.
const DefaultFileChunkSize = 4 << 20

// FileUpload is the input of UploadFile.
type FileUpload struct {
	Filename    string
	ContentType string // "" sends application/octet-stream
	Content     []byte
	ChunkSize   int // 0 = DefaultFileChunkSize
}

// UploadFile uploads a new file (POST /files, multipart field "file") in chunks and returns the
// server's metadata after the last chunk. When a later chunk fails, the returned File still carries
// the ID the first chunk got, so that the caller can keep track of the partial file.
func (c *Client) UploadFile(ctx context.Context, in FileUpload) (*File, error) {
	size := in.ChunkSize
	if size <= 0 {
		size = DefaultFileChunkSize
	}
	total := max(1, (len(in.Content)+size-1)/size)
	var got *File
	for n := range total {
		chunk := in.Content[n*size : min(len(in.Content), (n+1)*size)]
		h := http.Header{}
		h.Set("uploader-file-name", in.Filename)
		h.Set("uploader-chunk-number", strconv.Itoa(n))
		h.Set("uploader-chunk-size", strconv.Itoa(size))
		h.Set("uploader-chunks-total", strconv.Itoa(total))
		if got != nil {
			h.Set("uploader-file-id", got.ID)
		}
		f, err := c.postFileChunk(ctx, in, chunk, h)
		if err != nil {
			return got, err
		}
		if got != nil && f.ID != "" && f.ID != got.ID {
			return got, fmt.Errorf("POST /files: chunk %d of file %s was stored as another file, %s", n+1, got.ID, f.ID)
		}
		if f.ID == "" && got != nil {
			f.ID = got.ID
		}
		if f.ID == "" {
			return nil, errors.New("POST /files: the response has no fileId")
		}
		got = f
	}
	return got, nil
}

func (c *Client) postFileChunk(ctx context.Context, in FileUpload, chunk []byte, h http.Header) (*File, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	ctype := in.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	part := textproto.MIMEHeader{}
	part.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, in.Filename))
	part.Set("Content-Type", ctype)
	fw, err := mw.CreatePart(part)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(chunk); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("POST /files: building the form: %w", err)
	}
	// The first chunk creates a file and a later one appends to it: neither may be repeated once the
	// server may have acted.
	cl := call{method: http.MethodPost, path: "/files", raw: buf.Bytes(), contentType: mw.FormDataContentType(), header: h, class: retryCreate}
	var w fileWire
	if err := c.do(ctx, cl, &w); err != nil {
		return nil, err
	}
	f := w.file()
	return &f, nil
}

// GetFile is GET /files/metadata/{id}: the file's metadata, not its content.
func (c *Client) GetFile(ctx context.Context, id string) (*File, error) {
	var w fileWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/files/metadata/" + esc(id)}, &w); err != nil {
		return nil, err
	}
	f := w.file()
	if f.ID == "" {
		f.ID = id
	}
	return &f, nil
}

// ListFiles pages through GET /files, sorted by filename; a non-empty filename keeps the files whose
// name contains it (filter=filename:~<text>, case-insensitive on Appmixer).
func (c *Client) ListFiles(ctx context.Context, filename string) ([]File, error) {
	return walkPages(ctx, pageWalk[File]{
		fetch: func(ctx context.Context, limit, offset int) ([]File, error) {
			q := url.Values{"sort": {"filename:1"}, "limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
			if filename != "" {
				q.Set("filter", "filename:~"+filename)
			}
			var page []fileWire
			if err := c.do(ctx, call{method: http.MethodGet, path: "/files", query: q}, &page); err != nil {
				return nil, err
			}
			out := make([]File, 0, len(page))
			for _, w := range page {
				out = append(out, w.file())
			}
			return out, nil
		},
		key: func(f File) string { return f.ID },
	})
}

// DeleteFile is DELETE /files/{id}.
func (c *Client) DeleteFile(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/files/" + esc(id)}, nil)
}
