// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"bytes"
	"crypto/md5" //nolint:gosec // the oracle of the md5 a file object reports
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// uploadChunk is one POST /files: multipart field "file", with uploader-* headers.
func (s *session) uploadChunk(t testing.TB, partName string, content []byte, headers map[string]string) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", partName)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest("POST", s.tn.baseURL+"/files", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("POST /files: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST /files: reading the answer: %v", err)
	}
	return reply{status: resp.StatusCode, raw: raw, header: resp.Header}
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b) //nolint:gosec // see the import
	return hex.EncodeToString(sum[:])
}

// TestConformanceFiles covers the file routes appmixer_file relies on (appmixer-api.md §1.8).
func TestConformanceFiles(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	name := uniqueName("file") + ".csv"
	content := []byte("currency,rate\nEUR,1\n")
	upload := admin.uploadChunk(t, "part.csv", content, map[string]string{"uploader-file-name": name})
	if upload.status != http.StatusOK {
		t.Fatalf("POST /files: %d %s", upload.status, upload.raw)
	}
	id, _ := upload.object(t)["fileId"].(string)
	if id == "" {
		t.Fatalf("POST /files answered no fileId: %s", upload.raw)
	}
	t.Cleanup(func() { admin.do(t, "DELETE", "/files/"+id, nil) })

	t.Run("the file object has fileId, uploadDate and md5, not createdAt", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.8", source: "docs /api/files v4.5-6", confidence: "high"})
		f := admin.must(c, http.StatusOK, "GET", "/files/metadata/"+id, nil).object(c)
		for _, k := range []string{"fileId", "filename", "length", "chunkSize", "uploadDate", "md5", "contentType", "metadata"} {
			if _, ok := f[k]; !ok {
				c.Errorf("the file object lacks %q: keys %v", k, keys(f))
			}
		}
		if _, ok := f["createdAt"]; ok {
			c.Errorf("the file object has createdAt; Appmixer's key is uploadDate")
		}
		if f["filename"] != name || f["length"] != float64(len(content)) {
			c.Errorf("filename %v, length %v; want %s (uploader-file-name) and %d", f["filename"], f["length"], name, len(content))
		}
		if md5, _ := f["md5"].(string); md5 != "" && md5 != md5Hex(content) {
			c.Errorf("md5 %s, want %s", md5, md5Hex(content))
		}
	})

	t.Run("GET /files filters by filename and /files/count counts", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.8", source: "docs /api/files v4.5-6", confidence: "high"})
		list := admin.must(c, http.StatusOK, "GET", "/files?filter="+url.QueryEscape("filename:~"+name)+"&sort=filename:1", nil).array(c)
		found := slices.ContainsFunc(list, func(v any) bool { m, _ := v.(map[string]any); return m["fileId"] == id })
		if !found {
			c.Errorf("GET /files?filter=filename:~%s does not list file %s: %v", name, id, list)
		}
		if n, ok := admin.must(c, http.StatusOK, "GET", "/files/count", nil).object(c)["count"].(float64); !ok || n < 1 {
			c.Errorf("GET /files/count answered no count >= 1")
		}
	})

	t.Run("a chunk with uploader-file-id is appended to that file", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.8", source: "docs /api/files v4.5-6", confidence: "high"})
		more := []byte("USD,1.08\n")
		r := admin.uploadChunk(c, "part.csv", more, map[string]string{"uploader-file-id": id, "uploader-chunk-number": "1"})
		if r.status != http.StatusOK {
			c.Fatalf("appending a chunk: %d %s", r.status, r.raw)
		}
		f := admin.must(c, http.StatusOK, "GET", "/files/metadata/"+id, nil).object(c)
		if f["length"] != float64(len(content)+len(more)) {
			c.Errorf("length after appending %v, want %d", f["length"], len(content)+len(more))
		}
	})

	t.Run("DELETE /files/{id} deletes; the metadata is then a 404", func(t *testing.T) {
		c := cite(t, evidence{section: "§1.8, §0", source: "docs /api/files v4.5-6", confidence: "high"})
		other := admin.uploadChunk(c, uniqueName("gone")+".txt", []byte("x"), nil)
		otherID, _ := other.object(c)["fileId"].(string)
		admin.must(c, http.StatusOK, "DELETE", "/files/"+otherID, nil)
		if r := admin.do(c, "GET", "/files/metadata/"+otherID, nil); r.status != http.StatusNotFound {
			c.Errorf("metadata of a deleted file: %d, want 404: %s", r.status, r.raw)
		}
	})
}

// TestConformanceUserGroups covers the user-group routes appmixer_user_group relies on (§10).
func TestConformanceUserGroups(t *testing.T) {
	tn := target(t)
	admin := tn.admin(t)
	me, _ := admin.must(t, http.StatusOK, "GET", "/user", nil).object(t)["id"].(string)
	created := admin.must(t, http.StatusOK, "POST", "/user-groups", map[string]any{"name": uniqueName("group")}).object(t)
	id, _ := created["id"].(string)
	if id == "" {
		t.Fatalf("POST /user-groups answered no id: %v", created)
	}
	t.Cleanup(func() { admin.do(t, "DELETE", "/user-groups/"+id, nil) })
	members := func(t testing.TB) []any {
		m, _ := admin.must(t, http.StatusOK, "GET", "/user-groups/"+id, nil).object(t)["members"].([]any)
		return m
	}

	t.Run("admins are in the admin group", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "docs user-groups", confidence: "high"})
		groups := admin.must(c, http.StatusOK, "GET", "/user-groups", nil).array(c)
		ok := slices.ContainsFunc(groups, func(v any) bool {
			g, _ := v.(map[string]any)
			m, _ := g["members"].([]any)
			return g["name"] == "admin" && slices.Contains(m, any(me))
		})
		if !ok {
			c.Errorf("no group named admin lists the admin %s: %v", me, groups)
		}
	})

	t.Run("POST /user-groups/{id}/members {userIds} adds members", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "docs user-groups", confidence: "high"})
		admin.must(c, http.StatusOK, "POST", "/user-groups/"+id+"/members", map[string]any{"userIds": []string{me}})
		if !slices.Contains(members(c), any(me)) {
			c.Errorf("members after adding %s: %v", me, members(c))
		}
	})

	t.Run("PUT /user-groups/{id} with members replaces them", func(t *testing.T) {
		c := cite(t, evidence{section: "§10", source: "docs user-groups (PUT exists; its body does not)", confidence: "low", guess: true})
		admin.must(c, http.StatusOK, "PUT", "/user-groups/"+id, map[string]any{"name": uniqueName("group"), "members": []string{}})
		if m := members(c); len(m) != 0 {
			c.Errorf("members after PUT with members []: %v", m)
		}
	})

	t.Run("DELETE /user-groups/{id} deletes; GET is then a 404", func(t *testing.T) {
		c := cite(t, evidence{section: "§10, §0", source: "docs user-groups", confidence: "high"})
		admin.must(c, http.StatusOK, "DELETE", "/user-groups/"+id, nil)
		if r := admin.do(c, "GET", "/user-groups/"+id, nil); r.status != http.StatusNotFound {
			c.Errorf("GET of a deleted group: %d, want 404: %s", r.status, r.raw)
		}
	})
}
