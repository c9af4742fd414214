// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
)

func TestFlowIntegrationFields(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"flowId":"t1","type":"integration-template","originFlowId":"d1",
			"sharedWith":[{"scope":"user","permissions":["read"]},{"email":"a@b.c","permissions":"read"},"junk",{"userId":42,"permissions":null}],
			"componentIdMap":{"a":"A","b":7},"wizard":{"fields":[]}}`)
	})
	got, err := newTestClient(t, f.URL).GetFlow(ctxT(t), "t1")
	if err != nil {
		t.Fatal(err)
	}
	want := []Share{{Scope: "user", Permissions: []string{"read"}}, {Email: "a@b.c", Permissions: []string{"read"}}, {UserID: "42"}}
	if got.Type != FlowTypeTemplate || got.OriginFlowID != "d1" || !reflect.DeepEqual(got.SharedWith, want) ||
		!reflect.DeepEqual(got.ComponentIDMap, map[string]string{"a": "A", "b": "7"}) || string(got.Wizard) != `{"fields":[]}` {
		t.Fatalf("flow = %+v", got)
	}
	// Odd values never fail a read: a sharedWith that is no list, a null wizard.
	f.handle = func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"flowId":"t1","sharedWith":"everyone","componentIdMap":[1],"wizard":null}`)
	}
	got, err = newTestClient(t, f.URL).GetFlow(ctxT(t), "t1")
	if err != nil || got.SharedWith != nil || got.ComponentIDMap != nil || got.Wizard != nil {
		t.Fatalf("flow = %+v, %v", got, err)
	}
}

func TestFlowBodyIntegrationFields(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL)
	err := c.UpdateFlow(ctxT(t), "t1", FlowInput{Name: "n", Type: FlowTypeTemplate, Wizard: []byte(`{"fields":[]}`),
		SharedWith: []Share{}, ComponentIDMap: map[string]string{"a": "A"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, only(t, f).Body, `{"name":"n","type":"integration-template","wizard":{"fields":[]},"sharedWith":[],"componentIdMap":{"a":"A"}}`)
	// A contract server gets none of them.
	f2 := newFake(t, nil)
	c = newTestClient(t, f2.URL, withDialect(DialectContract))
	if err := c.UpdateFlow(ctxT(t), "t1", FlowInput{Name: "n", Type: FlowTypeDraft, SharedWith: []Share{{Scope: "user"}}}, false); err != nil {
		t.Fatal(err)
	}
	assertJSON(t, only(t, f2).Body, `{"name":"n"}`)
}

func TestPublishAndInstantiate(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { reply(w, 200, map[string]any{"cloneId": "c1"}) })
	c := newTestClient(t, f.URL)
	id, err := c.PublishIntegration(ctxT(t), "d1", []Share{{Domain: "acme.com", Permissions: []string{"read"}}})
	if err != nil || id != "c1" {
		t.Fatalf("PublishIntegration = %q, %v", id, err)
	}
	if _, err := c.CreateIntegrationInstance(ctxT(t), "t1"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "POST", "/flows/d1/clone", "")
	assertJSON(t, reqs[0].Body, `{"projection":"-sharedWith","connectAccounts":false,"isTemplateInstance":false,"setOriginFlowId":true,
		"additional":{"type":"integration-template","sharedWith":[{"domain":"acme.com","permissions":["read"]}]}}`)
	assertReq(t, reqs[1], "POST", "/flows/t1/clone", "")
	assertJSON(t, reqs[1].Body, `{"projection":"-sharedWith","connectAccounts":false,"isTemplateInstance":true,"setOriginFlowId":true,
		"additional":{"type":"integration-instance"}}`)

	// A gateway error is not repeated: a second clone would be a second template.
	f.handle = func(w http.ResponseWriter, _ *http.Request, _ []byte) { boom(w, 502, "Bad Gateway") }
	before := f.count("POST", "/flows/d1/clone")
	if _, err := c.PublishIntegration(ctxT(t), "d1", nil); StatusCode(err) != 502 {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("POST", "/flows/d1/clone") - before; n != 1 {
		t.Fatalf("clone sent %d times", n)
	}
	if _, err := newTestClient(t, f.URL, withDialect(DialectContract)).PublishIntegration(ctxT(t), "d1", nil); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("contract: %v", err)
	}
}

func TestTemplatesAndInstancesQueries(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path == "/flows/count" {
			reply(w, 200, map[string]any{"count": 3})
			return
		}
		replyRaw(w, 200, `[]`)
	})
	c := newTestClient(t, f.URL)
	if _, err := c.FindTemplates(ctxT(t), "d1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListIntegrationInstances(ctxT(t), "t1"); err != nil {
		t.Fatal(err)
	}
	n, err := c.CountIntegrationInstances(ctxT(t), "t1")
	if err != nil || n != 3 {
		t.Fatalf("count = %d, %v", n, err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "GET", "/flows", "limit=100&filter=originFlowId:d1&filter=type:integration-template")
	// Instances by either link, whatever their type: templateId, originFlowId, and the count less both.
	assertReq(t, reqs[1], "GET", "/flows", "limit=100&projection="+instanceProjection+"&filter=templateId:t1")
	assertReq(t, reqs[2], "GET", "/flows", "limit=100&projection="+instanceProjection+"&filter=originFlowId:t1")
	assertReq(t, reqs[3], "GET", "/flows/count", "filter=templateId:t1")
	assertReq(t, reqs[4], "GET", "/flows/count", "filter=originFlowId:t1")
	assertReq(t, reqs[5], "GET", "/flows/count", "filter=templateId:t1&filter=originFlowId:t1")
}

func TestRolloutAndDeleteTickets(t *testing.T) {
	var status string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Method {
		case http.MethodGet:
			replyRaw(w, 200, status)
		default:
			reply(w, 200, map[string]any{"ticket": "tk"})
		}
	})
	c := newTestClient(t, f.URL)
	if tk, err := c.UpdateIntegrationInstances(ctxT(t), "t1", "delete"); err != nil || tk != "tk" {
		t.Fatalf("rollout = %q, %v", tk, err)
	}
	if tk, err := c.DeleteIntegration(ctxT(t), "d1"); err != nil || tk != "tk" {
		t.Fatalf("delete = %q, %v", tk, err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "POST", "/integrations/t1/update-integration-instances", "")
	assertJSON(t, reqs[0].Body, `{"inProgressData":"delete"}`)
	assertReq(t, reqs[1], "DELETE", "/integrations/d1", "")

	for body, want := range map[string]IntegrationStatus{
		`{"status":"in-progress","stepsTotal":3,"stepsCompleted":1}`:        {Status: "in-progress", StepsTotal: 3, StepsCompleted: 1},
		`{"state":"completed","stepsTotal":"3","progress":3}`:               {Status: "completed", StepsTotal: 3, StepsCompleted: 3},
		`{"status":"failed","stepsTotal":2,"stepsCompleted":1,"error":"x"}`: {Status: "failed", StepsTotal: 2, StepsCompleted: 1, Error: "x"},
		`{"status":"failed","message":"why"}`:                               {Status: "failed", Error: "why"},
	} {
		status = body
		got, err := c.GetIntegrationStatus(ctxT(t), "tk")
		if err != nil || !reflect.DeepEqual(*got, want) {
			t.Errorf("%s: %+v, %v", body, got, err)
		}
	}
	f.handle = func(w http.ResponseWriter, _ *http.Request, _ []byte) { reply(w, 200, map[string]any{}) }
	if _, err := c.UpdateIntegrationInstances(ctxT(t), "t1", "keep"); err == nil {
		t.Fatal("an answer without a ticket must fail")
	}
}

func TestListBundlesShapes(t *testing.T) {
	var body string
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, body) })
	c := newTestClient(t, f.URL)
	want := []Bundle{{Name: "appmixer.slack", Version: "1.2.3"}, {Name: "appmixer.utils.controls", Version: ""}}
	for _, shape := range []string{
		`[{"name":"appmixer.slack","version":"1.2.3"},{"name":"appmixer.utils.controls"},{"nameless":1},"junk"]`,
		`{"data":[{"bundleId":"appmixer.slack","bundleVersion":"1.2.3"},{"id":"appmixer.utils.controls"}]}`,
		`{"items":[{"name":"appmixer.slack","latestVersion":"1.2.3"},{"name":"appmixer.utils.controls"}]}`,
		`{"appmixer.utils.controls":{},"appmixer.slack":{"currentVersion":"1.2.3"}}`,
		`{"appmixer.utils.controls":null,"appmixer.slack":"1.2.3"}`,
	} {
		body = shape
		got, err := c.ListBundles(ctxT(t))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, %v", shape, got, err)
		}
	}
	body = `"nope"`
	if _, err := c.ListBundles(ctxT(t)); err == nil {
		t.Fatal("a string answer must fail")
	}
}
