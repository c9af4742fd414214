// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The golden files (testdata/golden, see its README) are response bodies of the real API as its
// documentation shows them. These tests serve them and check what the client makes of them, field
// by field, against values read off the files.

func golden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// goldenServer answers "METHOD /path" with the named golden file (status 200 unless the file is a
// Boom error) and logs in with login.json.
func goldenServer(t *testing.T, routes map[string]string) *Client {
	t.Helper()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		name, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			boom(w, 404, "no golden file for "+r.Method+" "+r.URL.Path)
			return
		}
		status := 200
		if strings.HasPrefix(name, "boom-") {
			status = 404
		}
		replyRaw(w, status, string(golden(t, name)))
	})
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, string(golden(t, "login.json")))
	})
	return newTestClient(t, f.URL, withDialect(DialectAppmixer))
}

func TestGoldenFlow(t *testing.T) {
	c := goldenServer(t, map[string]string{
		"GET /flows/9089f275-5a3e-4c4b-8d1b-6a2f3c0e7d41": "flow.json",
		"GET /flows/count": "count.json",
		"GET /flows/nope":  "boom-404.json",
	})
	f, err := c.GetFlow(ctxT(t), "9089f275-5a3e-4c4b-8d1b-6a2f3c0e7d41")
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "9089f275-5a3e-4c4b-8d1b-6a2f3c0e7d41" || f.UserID != "58593f07c3ee4f239dc69ff7" || f.Name != "Flow #4" ||
		f.Stage != "stopped" || f.Running() || f.CreatedAt != "2018-03-29T19:24:08.950Z" || f.UpdatedAt != "2018-04-05T12:50:15.952Z" ||
		f.Description != nil || !strings.HasPrefix(f.Thumbnail, "data:image/svg+xml,") ||
		!reflect.DeepEqual(f.CustomFields, map[string]any{"category": "x"}) {
		t.Fatalf("flow = %+v", f)
	}
	var def map[string]map[string]any
	if err := json.Unmarshal(f.Definition, &def); err != nil {
		t.Fatal(err)
	}
	if len(def) != 3 || def["2b6f0c1e-2222-4a7e-9c01-000000000002"]["type"] != "appmixer.twilio.sms.SendSMS" {
		t.Fatalf("definition = %s", f.Definition)
	}
	if n, err := c.CountFlowsDirect(ctxT(t), ListFlowsOptions{}); err != nil || n != 4 {
		t.Fatalf("count = %d, %v", n, err)
	}
	_, err = c.GetFlow(ctxT(t), "nope")
	var e *Error
	if !IsNotFound(err) || !errors.As(err, &e) || e.StatusCode != 404 || e.ErrorText != "Not Found" || e.Message != "Flow not found." {
		t.Fatalf("404 = %#v", err)
	}
}

func TestGoldenFlowWrites(t *testing.T) {
	const id = "9089f275-5a3e-4c4b-8d1b-6a2f3c0e7d41"
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		replyRaw(w, 200, string(golden(t, "flow-id.json")))
	})
	c := newTestClient(t, f.URL, withDialect(DialectAppmixer))
	// PUT /flows/{new id} may answer only {flowId}: that id is the flow's.
	got, err := c.CreateFlow(ctxT(t), FlowInput{Name: "x", Definition: json.RawMessage(`{}`)})
	if err != nil || got != id {
		t.Fatalf("CreateFlow = %q, %v; want %s", got, err, id)
	}
	for name, op := range map[string]func() error{
		"start":  func() error { return c.StartFlow(ctxT(t), id) },
		"stop":   func() error { return c.StopFlow(ctxT(t), id) },
		"delete": func() error { return c.DeleteFlow(ctxT(t), id) },
	} {
		if err := op(); err != nil {
			t.Errorf("%s answered {flowId}: %v", name, err)
		}
	}
}

func TestGoldenUserAndLogin(t *testing.T) {
	c := goldenServer(t, map[string]string{"GET /user": "user.json", "GET /": "info.json"})
	u, err := c.CurrentUser(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "5c88a7e3f2b7c1001b2f3a4d" || u.Username != "a@b.c" || u.Email != "a@b.c" || u.Plan != "free" ||
		u.IsActive == nil || !*u.IsActive || !reflect.DeepEqual(u.Scope, []string{"user"}) || len(u.Vendor) != 0 {
		t.Fatalf("user = %+v", u)
	}
	info, err := c.Info(ctxT(t))
	if err != nil || info.Version != "6.2.2" {
		t.Fatalf("info = %+v, %v", info, err)
	}
}

// The token of login.json is what the client then sends.
func TestGoldenLoginToken(t *testing.T) {
	var login struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(golden(t, "login.json"), &login); err != nil {
		t.Fatal(err)
	}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { replyRaw(w, 200, `[]`) })
	f.setLogin(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, string(golden(t, "login.json")))
	})
	c := newTestClient(t, f.URL, withDialect(DialectAppmixer))
	if _, err := c.ListFlows(ctxT(t), ListFlowsOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := only(t, f).Auth; got != "Bearer "+login.Token {
		t.Fatalf("Authorization = %q, want the token of login.json", got)
	}
}

func TestGoldenAppsAndAccounts(t *testing.T) {
	c := goldenServer(t, map[string]string{"GET /apps": "apps.json", "GET /accounts": "accounts.json"})
	apps, err := c.ListApps(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	wantApp := App{Name: "appmixer.asana", Label: "Asana", Category: "applications",
		Description: "Asana is a web and mobile application designed to help teams track their work.", Icon: "data:image/png;base64,iVBORw0KGgo="}
	if len(apps) != 1 || apps[0] != wantApp {
		t.Fatalf("apps = %+v", apps)
	}
	accounts, err := c.ListAccounts(ctxT(t), "")
	if err != nil {
		t.Fatal(err)
	}
	wantAccount := Account{ID: "5a6e21f3b266224186ac7d03", Name: "ops@example.com", DisplayName: "Ops Slack",
		Service: "appmixer:slack", UserID: "58593f07c3ee4f239dc69ff7"}
	if len(accounts) != 1 || accounts[0] != wantAccount {
		t.Fatalf("accounts = %+v", accounts)
	}
}

func TestGoldenUpload(t *testing.T) {
	c := goldenServer(t, map[string]string{
		"POST /components": "upload-ticket.json",
		"GET /components/uploader/3f0a1c9e-7b2d-4e5f-9a8b-1c2d3e4f5a6b": "upload-finished.json",
		"GET /components/uploader/rejected":                             "upload-rejected.json",
	})
	ticket, err := c.PublishComponent(ctxT(t), "appmixer.myservice", testZip(t))
	if err != nil || ticket != "3f0a1c9e-7b2d-4e5f-9a8b-1c2d3e4f5a6b" {
		t.Fatalf("ticket = %q, %v", ticket, err)
	}
	st, err := c.ComponentUploadStatus(ctxT(t), ticket)
	if err != nil || !st.Finished || st.Err != "" || len(st.Problems) != 0 {
		t.Fatalf("finished status = %+v, %v", st, err)
	}
	st, err = c.ComponentUploadStatus(ctxT(t), "rejected")
	want := []UploadProblem{{DataPath: ".inPorts[0].name", Message: "should have required property 'name'"}}
	if err != nil || !st.Finished || st.Err != "Validation failed." || !reflect.DeepEqual(st.Problems, want) {
		t.Fatalf("rejected status = %+v, %v", st, err)
	}
}
