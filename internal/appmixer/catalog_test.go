// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
)

func TestListAppsObjectAndArray(t *testing.T) {
	for name, body := range map[string]string{
		"object": `{"appmixer.slack":{"name":"appmixer.slack","label":"Slack","category":"applications","description":"d","icon":"i"},
			"appmixer.asana":{"label":"Asana"}}`,
		"array": `[{"name":"appmixer.slack","label":"Slack","category":"applications","description":"d","icon":"i"},
			{"name":"appmixer.asana","label":"Asana"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, body) })
			c := newTestClient(t, f.URL)
			apps, err := c.ListApps(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			assertReq(t, only(t, f), "GET", "/apps", "")
			want := []App{
				{Name: "appmixer.asana", Label: "Asana"},
				{Name: "appmixer.slack", Label: "Slack", Category: "applications", Description: "d", Icon: "i"},
			}
			if len(apps) != 2 || apps[0] != want[0] || apps[1] != want[1] {
				t.Fatalf("apps = %+v", apps)
			}
		})
	}
}

func TestListAccounts(t *testing.T) {
	body := `[{"accountId":"a1","name":"n","displayName":"D","service":"appmixer:slack","userId":"u1","profileInfo":{}},
		{"accountId":"a2","service":"appmixer:google","valid":true}]`
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, body) })
	c := newTestClient(t, f.URL)
	accts, err := c.ListAccounts(ctxT(t), "appmixer:slack")
	if err != nil {
		t.Fatal(err)
	}
	// The second account is dropped client-side: the contract ignores the filter.
	want := Account{ID: "a1", Name: "n", DisplayName: "D", Service: "appmixer:slack", UserID: "u1"}
	if len(accts) != 1 || accts[0] != want {
		t.Fatalf("accounts = %+v", accts)
	}
	assertReq(t, only(t, f), "GET", "/accounts", "filter=service%3Aappmixer%3Aslack")

	all, err := c.ListAccounts(ctxT(t), "")
	if err != nil || len(all) != 2 {
		t.Fatalf("all=%+v err=%v", all, err)
	}
	assertReq(t, f.requests()[1], "GET", "/accounts", "")
}

func TestListAccountsContractSendsNoFilter(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `[]`) })
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	if _, err := c.ListAccounts(ctxT(t), "appmixer:slack"); err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "GET", "/accounts", "")
}

func TestDeleteAccount(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{"accountId":"a1"}`) })
	c := newTestClient(t, f.URL)
	if err := c.DeleteAccount(ctxT(t), "a1"); err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "DELETE", "/accounts/a1", "")
}

func TestFlowAuthAndBindings(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Method {
		case "GET":
			replyRaw(w, 200, `{"c1":{"componentType":"appmixer.slack.list.SendChannelMessage","service":"appmixer:slack","accountId":"a1"},
				"c2":{"componentType":"appmixer.google.gmail.SendEmail","service":"appmixer:google"},
				"c3":{"type":"appmixer.x.y.Z","service":"appmixer:x","account":{"accountId":"a3"}}}`)
		case "PUT":
			replyRaw(w, 200, `{"componentId":"c2","accountId":"a2"}`)
		default:
			replyRaw(w, 200, `{}`)
		}
	})
	c := newTestClient(t, f.URL)
	auth, err := c.FlowAuth(ctxT(t), "f1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ComponentAuth{
		"c1": {ComponentID: "c1", ComponentType: "appmixer.slack.list.SendChannelMessage", Service: "appmixer:slack", AccountID: "a1"},
		"c2": {ComponentID: "c2", ComponentType: "appmixer.google.gmail.SendEmail", Service: "appmixer:google"},
		"c3": {ComponentID: "c3", ComponentType: "appmixer.x.y.Z", Service: "appmixer:x", AccountID: "a3"},
	}
	if len(auth) != 3 || auth["c1"] != want["c1"] || auth["c2"] != want["c2"] || auth["c3"] != want["c3"] {
		t.Fatalf("auth = %+v", auth)
	}
	if err := c.BindAccount(ctxT(t), "c2", "a2"); err != nil {
		t.Fatal(err)
	}
	if err := c.UnbindAccount(ctxT(t), "c1"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "GET", "/auth/flow/f1", "")
	assertReq(t, reqs[1], "PUT", "/auth/component/c2/a2", "")
	assertJSON(t, reqs[1].Body, "")
	assertReq(t, reqs[2], "DELETE", "/auth/component/c1", "")
}

func TestBindingsNotSupportedWithContract(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	if _, err := c.FlowAuth(ctxT(t), "f"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("FlowAuth err = %v", err)
	}
	if err := c.BindAccount(ctxT(t), "c", "a"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("BindAccount err = %v", err)
	}
	if err := c.UnbindAccount(ctxT(t), "c"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("UnbindAccount err = %v", err)
	}
	if len(f.requests()) != 0 {
		t.Fatal("contract dialect must not call /auth routes")
	}
}

func TestBindings405IsNotSupported(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { boom(w, 405, "Method Not Allowed") })
	c := newTestClient(t, f.URL)
	err := c.BindAccount(ctxT(t), "c", "a")
	if !errors.Is(err, ErrNotSupported) || StatusCode(err) != 405 {
		t.Fatalf("err = %v", err)
	}
}

func TestListComponents(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Query().Get("manifest") == "yes" {
			replyRaw(w, 200, `[{"name":"appmixer.slack.list.SendChannelMessage","label":"Send","version":"1.2.0",
				"auth":{"service":"appmixer:slack"},"inPorts":["in"]},
				{"name":"appmixer.slack.list.NewChannelMessage","trigger":true,"version":1},
				{"name":"appmixer.slackbot.x.Y"}]`)
			return
		}
		replyRaw(w, 200, `["appmixer.slack.list.SendChannelMessage","appmixer.slack.list.NewChannelMessage","appmixer.other.a.B"]`)
	})
	c := newTestClient(t, f.URL)
	names, err := c.ListComponents(ctxT(t), "appmixer.slack", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names[0].Name != "appmixer.slack.list.SendChannelMessage" || names[0].Raw != nil {
		t.Fatalf("names = %+v", names)
	}
	assertReq(t, f.requests()[0], "GET", "/components", "manifest=no&selector=appmixer.slack")

	ms, err := c.ListComponents(ctxT(t), "appmixer.slack", true)
	if err != nil {
		t.Fatal(err)
	}
	assertReq(t, f.requests()[1], "GET", "/components", "manifest=yes&selector=appmixer.slack")
	if len(ms) != 2 {
		t.Fatalf("manifests = %+v", ms)
	}
	if m := ms[0]; m.Label != "Send" || m.Version != "1.2.0" || m.Service != "appmixer:slack" || m.Trigger || len(m.Raw) == 0 {
		t.Fatalf("manifest 0 = %+v", m)
	}
	if m := ms[1]; !m.Trigger || m.Version != "1" {
		t.Fatalf("manifest 1 = %+v", m)
	}
}

func TestListComponentsContract(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `[{"name":"appmixer.utils.email.SendEmail","label":"Send Email","type":"action"},
			{"name":"appmixer.utils.timers.Timer","label":"Timer","type":"trigger"},
			{"name":"appmixer.slack.list.X","type":"action"}]`)
	})
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	ms, err := c.ListComponents(ctxT(t), "appmixer.utils", true)
	if err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "GET", "/components", "")
	if len(ms) != 2 || ms[0].Label != "Send Email" || ms[0].Trigger || !ms[1].Trigger {
		t.Fatalf("manifests = %+v", ms)
	}
}

func testZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("appmixer/myservice/service.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(`{"name":"appmixer.myservice"}`)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPublishComponentRawZip(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "POST" {
			replyRaw(w, 200, `{"ticket":"tk"}`)
			return
		}
		replyRaw(w, 200, `{"finished":"2024-05-01T10:00:00.000Z","err":"Validation failed.",
			"data":[{"dataPath":"appmixer/x/y/Z/component.json .name","message":"bad name"}]}`)
	})
	c := newTestClient(t, f.URL)
	z := testZip(t)
	ticket, err := c.PublishComponent(ctxT(t), "appmixer.myservice", z)
	if err != nil || ticket != "tk" {
		t.Fatalf("ticket=%q err=%v", ticket, err)
	}
	r := f.requests()[0]
	assertReq(t, r, "POST", "/components", "")
	if r.ContentType != "application/octet-stream" || !bytes.Equal(r.Body, z) {
		t.Fatalf("content type %q, body %d bytes", r.ContentType, len(r.Body))
	}
	st, err := c.ComponentUploadStatus(ctxT(t), ticket)
	if err != nil {
		t.Fatal(err)
	}
	assertReq(t, f.requests()[1], "GET", "/components/uploader/tk", "")
	if !st.Finished || st.Err != "Validation failed." || len(st.Problems) != 1 ||
		st.Problems[0] != (UploadProblem{DataPath: "appmixer/x/y/Z/component.json .name", Message: "bad name"}) {
		t.Fatalf("status = %+v", st)
	}
}

func TestUploadStatusShapes(t *testing.T) {
	cases := map[string]UploadStatus{
		`{"finished":false}`:                         {},
		`{"finished":true}`:                          {Finished: true},
		`{"finished":"2024-05-01T10:00:00Z"}`:        {Finished: true},
		`{"finished":null}`:                          {},
		`{"err":"Boom"}`:                             {Finished: true, Err: "Boom"},
		`{"finished":true,"err":"E","data":"text"}`:  {Finished: true, Err: "E", Problems: []UploadProblem{{Message: `"text"`}}},
		`{"finished":true,"err":"E","data":["m1"]}`:  {Finished: true, Err: "E", Problems: []UploadProblem{{Message: "m1"}}},
		`{"finished":true,"err":"E","data":{"a":1}}`: {Finished: true, Err: "E", Problems: []UploadProblem{{Message: `{"a":1}`}}},
	}
	for body, want := range cases {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, body) })
		c := newTestClient(t, f.URL)
		st, err := c.ComponentUploadStatus(ctxT(t), "tk")
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if st.Finished != want.Finished || st.Err != want.Err || len(st.Problems) != len(want.Problems) ||
			(len(want.Problems) > 0 && st.Problems[0] != want.Problems[0]) {
			t.Errorf("%s: status = %+v, want %+v", body, st, want)
		}
	}
}

func TestPublishComponentContract(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{}`) })
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	z := testZip(t)
	ticket, err := c.PublishComponent(ctxT(t), "appmixer.myservice", z)
	if err != nil || ticket != "" {
		t.Fatalf("ticket=%q err=%v", ticket, err)
	}
	r := only(t, f)
	assertReq(t, r, "POST", "/components", "")
	assertJSON(t, r.Body, `{"name":"appmixer.myservice","archive":"`+base64.StdEncoding.EncodeToString(z)+`"}`)
	st, err := c.ComponentUploadStatus(ctxT(t), "")
	if err != nil || !st.Finished {
		t.Fatalf("st=%+v err=%v", st, err)
	}
}

func TestDeleteComponent(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL)
	if err := c.DeleteComponent(ctxT(t), "appmixer.myservice"); err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "DELETE", "/components/appmixer.myservice", "")
}
