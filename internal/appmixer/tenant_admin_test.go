// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// Client calls of the tenant configuration routes: ACL, /config, /modifiers and /public-files.

func TestACLCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.URL.Path == "/acl-types":
			replyRaw(w, 200, `["routes","components"]`)
		case r.Method == "GET":
			replyRaw(w, 200, `[{"role":"user","resource":"appmixer*","action":["use"],"attributes":["non-private"]},{"role":"a.com","resource":"*","action":["*"]}]`)
		default:
			replyRaw(w, 200, `{}`)
		}
	})
	c := newTestClient(t, f.URL)
	types, err := c.ACLTypes(ctxT(t))
	if err != nil || !reflect.DeepEqual(types, []string{"routes", "components"}) {
		t.Fatalf("types %v %v", types, err)
	}
	rules, err := c.ACL(ctxT(t), "components")
	want := []ACLRule{
		{Role: "user", Resource: "appmixer*", Action: []string{"use"}, Attributes: []string{"non-private"}},
		{Role: "a.com", Resource: "*", Action: []string{"*"}},
	}
	if err != nil || !reflect.DeepEqual(rules, want) {
		t.Fatalf("rules %+v %v", rules, err)
	}
	if err := c.SetACL(ctxT(t), "components", []ACLRule{{Role: "admin", Resource: "*", Action: []string{"*"}}}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetACL(ctxT(t), "routes", nil); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[1], "GET", "/acl/components", "")
	assertReq(t, reqs[2], "POST", "/acl/components", "")
	assertJSON(t, reqs[2].Body, `[{"role":"admin","resource":"*","action":["*"],"attributes":[]}]`)
	assertReq(t, reqs[3], "POST", "/acl/routes", "")
	if string(reqs[3].Body) != "[]" {
		t.Fatalf("an empty list must be sent as [], got %s", reqs[3].Body)
	}
}

func TestConfigCallsAndTheirLogs(t *testing.T) {
	const secret = "jwt-s3cr3t-value"
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch r.Method {
		case "GET":
			replyRaw(w, 200, `[{"key":"JWTSecret","value":"`+secret+`"},{"key":"limits","value":{"n":1.50}}]`)
		case "POST":
			if strings.Contains(string(body), "bad") {
				replyRaw(w, 400, `{"statusCode":400,"error":"Bad Request","message":"invalid","details":[{"context":{"value":"`+secret+`"}}]}`)
				return
			}
			replyRaw(w, 200, string(body))
		default:
			replyRaw(w, 200, `{"ok":true}`)
		}
	})
	c := newTestClient(t, f.URL)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	list, err := c.ListConfig(ctx)
	if err != nil || len(list) != 2 || list[0].Key != "JWTSecret" || string(list[1].Value) != `{"n":1.50}` {
		t.Fatalf("list %+v %v", list, err)
	}
	got, err := c.SetConfig(ctx, "JWTSecret", json.RawMessage(`"`+secret+`"`))
	if err != nil || got.Key != "JWTSecret" || string(got.Value) != `"`+secret+`"` {
		t.Fatalf("set %+v %v", got, err)
	}
	_, err = c.SetConfig(ctx, "bad", json.RawMessage(`"`+secret+`"`))
	if !IsBadRequest(err) || strings.Contains(err.Error(), secret) {
		t.Fatalf("error %v", err)
	}
	if err := c.DeleteConfig(ctx, "JWT Secret"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[1], "POST", "/config", "")
	assertJSON(t, reqs[1].Body, `{"key":"JWTSecret","value":"`+secret+`"}`)
	assertReq(t, reqs[3], "DELETE", "/config/JWT%20Secret", "")
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("a /config value reached the log:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), `\"key\":\"JWTSecret\"`) || !strings.Contains(buf.String(), `\u003credacted\u003e`) {
		t.Fatalf("the log should keep the keys and show the redaction:\n%s", buf.String())
	}
}

func TestModifiersCalls(t *testing.T) {
	const doc = `{"categories":{"text":{"label":"Text","index":1}},"modifiers":{"g_x":{"label":"X","helperFn":"function(v){return v}"}}}`
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			replyRaw(w, 200, doc)
			return
		}
		replyRaw(w, 200, `{}`)
	})
	c := newTestClient(t, f.URL)
	got, err := c.Modifiers(ctxT(t))
	if err != nil || string(got) != doc {
		t.Fatalf("got %s %v", got, err)
	}
	if err := c.SetModifiers(ctxT(t), json.RawMessage(doc)); err != nil {
		t.Fatal(err)
	}
	r := f.requests()[1]
	assertReq(t, r, "PUT", "/modifiers", "")
	if string(r.Body) != doc || r.ContentType != "application/json" {
		t.Fatalf("PUT sent %q as %s, want the document verbatim as JSON", r.Body, r.ContentType)
	}
}

func TestPublicFileCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			replyRaw(w, 200, `[{"filename":"logo.svg"},{"filename":"terms.html","extra":1}]`)
			return
		}
		replyRaw(w, 200, `{"ok":true}`)
	})
	c := newTestClient(t, f.URL)
	names, err := c.ListPublicFiles(ctxT(t))
	if err != nil || !reflect.DeepEqual(names, []string{"logo.svg", "terms.html"}) {
		t.Fatalf("names %v %v", names, err)
	}
	content := []byte{0x89, 'P', 'N', 'G', 0, 1, 2}
	if err := c.UploadPublicFile(ctxT(t), "logo.png", content); err != nil {
		t.Fatal(err)
	}
	if err := c.DeletePublicFile(ctxT(t), "my logo.png"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[1], "POST", "/public-files", "")
	fields := multipartFields(t, reqs[1])
	if fields["filename"] != "logo.png" || fields["file"] != string(content) {
		t.Fatalf("form fields %q", fields)
	}
	assertReq(t, reqs[2], "DELETE", "/public-files/my%20logo.png", "")
}

func multipartFields(t *testing.T, r recorded) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.ContentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q", r.ContentType)
	}
	out := map[string]string{}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		out[p.FormName()] = string(b)
	}
}
