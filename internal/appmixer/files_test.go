// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"sync"
	"testing"
)

// chunkSeen is what the fake server saw of one POST /files.
type chunkSeen struct {
	headers  map[string]string
	filename string
	ctype    string
	data     []byte
}

func readChunk(t *testing.T, r *http.Request, body []byte) chunkSeen {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("POST /files content type %q: %v", r.Header.Get("Content-Type"), err)
	}
	part, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).NextPart()
	if err != nil || part.FormName() != "file" {
		t.Fatalf("POST /files: no multipart field file (%v)", err)
	}
	data, _ := io.ReadAll(part)
	h := map[string]string{}
	for _, k := range []string{"uploader-file-name", "uploader-file-id", "uploader-chunk-number", "uploader-chunk-size", "uploader-chunks-total"} {
		h[k] = r.Header.Get(k)
	}
	return chunkSeen{headers: h, filename: part.FileName(), ctype: part.Header.Get("Content-Type"), data: data}
}

// TestUploadFileChunks: a file larger than a chunk goes in numbered chunks, the later ones naming the
// file the first one created; the answer of the last is the result.
func TestUploadFileChunks(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []chunkSeen
	)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, readChunk(t, r, body))
		reply(w, http.StatusOK, map[string]any{"fileId": "f-1", "filename": "big.csv", "length": len(seen) * 4,
			"md5": "abc", "contentType": "text/csv", "uploadDate": "2026-01-02T03:04:05.000Z", "metadata": map[string]any{"userId": "u1"}})
	})
	c := newTestClient(t, f.URL)
	got, err := c.UploadFile(context.Background(), FileUpload{Filename: "big.csv", ContentType: "text/csv", Content: []byte("0123456789"), ChunkSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	want := &File{ID: "f-1", Filename: "big.csv", ContentType: "text/csv", MD5: "abc", Length: 12, UploadDate: "2026-01-02T03:04:05.000Z", UserID: "u1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UploadFile = %+v, want %+v", got, want)
	}
	if len(seen) != 3 {
		t.Fatalf("sent %d chunks, want 3", len(seen))
	}
	for i, wantData := range []string{"0123", "4567", "89"} {
		s := seen[i]
		wantID := "f-1"
		if i == 0 {
			wantID = ""
		}
		wantHeaders := map[string]string{"uploader-file-name": "big.csv", "uploader-file-id": wantID,
			"uploader-chunk-number": []string{"0", "1", "2"}[i], "uploader-chunk-size": "4", "uploader-chunks-total": "3"}
		if !reflect.DeepEqual(s.headers, wantHeaders) || string(s.data) != wantData || s.filename != "big.csv" || s.ctype != "text/csv" {
			t.Errorf("chunk %d: headers %v, part %q (%s) %q; want headers %v and %q", i, s.headers, s.filename, s.ctype, s.data, wantHeaders, wantData)
		}
	}
}

// TestUploadFileLaterChunkFails: the id of the partial file comes back with the error.
func TestUploadFileLaterChunkFails(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Header.Get("uploader-file-id") != "" {
			boom(w, http.StatusBadRequest, "chunk refused")
			return
		}
		reply(w, http.StatusOK, map[string]any{"fileId": "f-2", "filename": "a.bin"})
	})
	got, err := newTestClient(t, f.URL).UploadFile(context.Background(), FileUpload{Filename: "a.bin", Content: []byte("abcdef"), ChunkSize: 3})
	if err == nil || got == nil || got.ID != "f-2" {
		t.Fatalf("UploadFile = %+v, %v; want the partial file f-2 and an error", got, err)
	}
}

func TestFileReads(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Method + " " + r.URL.Path {
		case "GET /files/metadata/f 1":
			reply(w, http.StatusOK, map[string]any{"fileId": "f 1", "filename": "a.csv", "length": 3, "md5": "m"})
		case "GET /files":
			if r.URL.Query().Get("offset") != "0" {
				reply(w, http.StatusOK, []any{})
				return
			}
			reply(w, http.StatusOK, []any{map[string]any{"fileId": "f1", "filename": "invoice.csv"}})
		case "DELETE /files/f1":
			reply(w, http.StatusOK, map[string]any{})
		default:
			boom(w, http.StatusNotFound, "File not found.")
		}
	})
	c := newTestClient(t, f.URL)
	ctx := context.Background()
	got, err := c.GetFile(ctx, "f 1")
	if err != nil || got.Filename != "a.csv" || got.Length != 3 || got.MD5 != "m" {
		t.Errorf("GetFile = %+v, %v", got, err)
	}
	if _, err := c.GetFile(ctx, "missing"); !IsNotFound(err) {
		t.Errorf("GetFile of a missing file: %v, want a 404", err)
	}
	list, err := c.ListFiles(ctx, "invoice")
	if err != nil || len(list) != 1 || list[0].ID != "f1" {
		t.Errorf("ListFiles = %+v, %v", list, err)
	}
	if err := c.DeleteFile(ctx, "f1"); err != nil {
		t.Error(err)
	}
	reqs := f.requests()
	if reqs[0].Path != "/files/metadata/f%201" {
		t.Errorf("GetFile path %s, want /files/metadata/f%%201", reqs[0].Path)
	}
	q := reqs[2].Query()
	if q.Get("filter") != "filename:~invoice" || q.Get("sort") != "filename:1" || q.Get("limit") == "" {
		t.Errorf("ListFiles query %s, want filter=filename:~invoice, sort=filename:1 and a limit", reqs[2].RawQuery)
	}
}
