// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"crypto/md5" //nolint:gosec // the oracle of the file object's md5
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
)

// uploadChunk posts one multipart chunk to /files with the given uploader-* headers.
func (h *harness) uploadChunk(token, partName string, content []byte, headers map[string]string) resp {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", partName)
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", h.url+"/files", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b) //nolint:gosec // see the import
	return hex.EncodeToString(sum[:])
}

func TestFilesUploadChunksAndMetadata(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	me := str(h.must(200, "GET", "/user", admin, nil).obj()["id"])
	r := h.uploadChunk(admin, "ignored.bin", []byte("id,name\n"), map[string]string{"uploader-file-name": "lookup.csv", "uploader-chunk-number": "0", "uploader-chunks-total": "2"})
	if r.status != 200 {
		t.Fatalf("first chunk: %d %s", r.status, r.raw)
	}
	id := str(r.obj()["fileId"])
	r = h.uploadChunk(admin, "ignored.bin", []byte("1,Ann\n"), map[string]string{"uploader-file-id": id, "uploader-chunk-number": "1"})
	if r.status != 200 || str(r.obj()["fileId"]) != id {
		t.Fatalf("second chunk: %d %s", r.status, r.raw)
	}
	got := h.must(200, "GET", "/files/metadata/"+id, admin, nil).obj()
	want := map[string]any{"fileId": id, "filename": "lookup.csv", "length": float64(14), "chunkSize": float64(261120),
		"uploadDate": "2026-01-02T03:04:05.000Z", "md5": md5Hex([]byte("id,name\n1,Ann\n")),
		"contentType": "application/octet-stream", "metadata": map[string]any{"userId": me}}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("metadata = %s\nwant       %s", mustJSON(got), mustJSON(want))
	}
	if content, _ := h.s.StoredFile(id); string(content) != "id,name\n1,Ann\n" {
		t.Errorf("stored content %q", content)
	}
	// Without uploader-file-name, the part's file name names the file.
	if r := h.uploadChunk(admin, "logo.png", []byte{1, 2}, nil); str(r.obj()["filename"]) != "logo.png" {
		t.Errorf("upload without uploader-file-name: %s", r.raw)
	}
	if r := h.uploadChunk(admin, "x", []byte("more"), map[string]string{"uploader-file-id": "no-such-file"}); r.status != 404 {
		t.Errorf("chunk for a missing file: %d %s", r.status, r.raw)
	}
	assertBoom(t, h.do("POST", "/files", admin, map[string]any{"file": "x"}), http.StatusUnsupportedMediaType, "")
}

func TestFilesListFilterDeleteAndOwnership(t *testing.T) {
	h := newHarness(t, Options{})
	admin := h.admin()
	_, other := h.signUp("other@example.com")
	var ids []string
	for _, name := range []string{"invoice-2.pdf", "avatar.png", "Invoice-1.pdf"} {
		ids = append(ids, str(h.uploadChunk(admin, name, []byte(name), nil).obj()["fileId"]))
	}
	mine := str(h.uploadChunk(other, "invoice-other.pdf", []byte("x"), nil).obj()["fileId"])

	list := h.must(200, "GET", "/files?filter=filename:~invoice&sort=filename:1", admin, nil).arr()
	if len(list) != 2 || list[0].(map[string]any)["filename"] != "Invoice-1.pdf" || list[1].(map[string]any)["filename"] != "invoice-2.pdf" {
		t.Errorf("filtered list: %v", list)
	}
	if n := h.must(200, "GET", "/files/count", admin, nil).obj()["count"]; n != float64(3) {
		t.Errorf("count %v, want 3: another user's file is not counted", n)
	}
	assertBoom(t, h.do("GET", "/files/metadata/"+mine, admin, nil), 404, "File not found.")
	h.must(200, "DELETE", "/files/"+ids[1], admin, nil)
	assertBoom(t, h.do("GET", "/files/metadata/"+ids[1], admin, nil), 404, "File not found.")
	assertBoom(t, h.do("DELETE", "/files/"+ids[1], admin, nil), 404, "File not found.")
	if n := h.must(200, "DELETE", "/files?filter=filename:~invoice", admin, nil).obj()["deletedCount"]; n != float64(2) {
		t.Errorf("deletedCount %v, want 2", n)
	}
	if _, ok := h.s.StoredFile(mine); !ok {
		t.Error("deleting by filter deleted another user's file")
	}
}
