// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

const flowDef = `{"c1":{"type":"appmixer.utils.controls.OnStart","source":{},"config":{}}}`

func strPtr(s string) *string { return &s }

func TestListFlowsQuery(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `[{"flowId":"f1","userId":"u1","name":"A","stage":"running","flow":{},"customFields":{"x":1},
			"btime":"2024-01-01T00:00:00Z","mtime":"2024-01-02T00:00:00Z","description":"d","thumbnail":"data:x"},
			{"id":"f2","name":"B","stage":"stopped"}]`)
	})
	c := newTestClient(t, f.URL)
	flows, err := c.ListFlows(ctxT(t), ListFlowsOptions{
		Limit: 10, Offset: 20, Pattern: "my flow", Sort: "mtime:-1", Projection: "-flow,-thumbnail",
		Filters: []string{"customFields.category:x", "stage:running"},
	})
	if err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "GET", "/flows",
		"limit=10&offset=20&pattern=my+flow&sort=mtime%3A-1&projection=-flow%2C-thumbnail&filter=customFields.category%3Ax&filter=stage%3Arunning")
	if len(flows) != 2 {
		t.Fatalf("got %d flows", len(flows))
	}
	a, b := flows[0], flows[1]
	if a.ID != "f1" || a.UserID != "u1" || a.Name != "A" || a.Description == nil || *a.Description != "d" ||
		!a.Running() || a.CreatedAt != "2024-01-01T00:00:00Z" || a.UpdatedAt != "2024-01-02T00:00:00Z" ||
		a.Thumbnail != "data:x" || a.CustomFields["x"] != float64(1) || string(a.Definition) != "{}" {
		t.Fatalf("flow a = %+v", a)
	}
	if b.ID != "f2" || b.Description != nil || b.Running() || b.Definition != nil {
		t.Fatalf("flow b = %+v", b)
	}
}

// A summary listing keeps only what a summary shows: the real API takes the fields to keep, the
// contract's projection only names fields to leave out.
func TestListFlowsSummaryProjection(t *testing.T) {
	for dialect, want := range map[Dialect]string{
		DialectAppmixer: "flowId,userId,name,type,stage,mtime,customFields",
		DialectContract: "-flow,-thumbnail",
	} {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `[]`) })
		c := newTestClient(t, f.URL, withDialect(dialect))
		if _, err := c.ListAllFlows(ctxT(t), ListFlowsOptions{Summary: true, Pattern: "x"}); err != nil {
			t.Fatal(err)
		}
		assertReq(t, only(t, f), "GET", "/flows", "limit=100&pattern=x&projection="+want)
	}
}

func TestFlowRunningStages(t *testing.T) {
	for stage, want := range map[string]bool{"running": true, "starting": true, "stopped": false, "paused": false, "": false} {
		if got := (&Flow{Stage: stage}).Running(); got != want {
			t.Errorf("Running(%q) = %v", stage, got)
		}
	}
}

func TestListAllFlowsPages(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.URL.Query().Get("offset") {
		case "":
			replyRaw(w, 200, `[{"flowId":"a"},{"flowId":"b"}]`)
		case "2":
			replyRaw(w, 200, `[{"flowId":"c"},{"flowId":"d"}]`)
		default:
			replyRaw(w, 200, `[{"flowId":"e"}]`)
		}
	})
	c := newTestClient(t, f.URL)
	flows, err := c.ListAllFlows(ctxT(t), ListFlowsOptions{Limit: 2, Pattern: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 5 || flows[4].ID != "e" {
		t.Fatalf("flows = %+v", flows)
	}
	reqs := f.requests()
	if len(reqs) != 3 || reqs[2].RawQuery != "limit=2&offset=4&pattern=p" {
		t.Fatalf("requests = %+v", reqs)
	}
}

func TestListAllFlowsStopsWhenServerIgnoresPaging(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `[{"flowId":"a"},{"flowId":"b"}]`)
	})
	c := newTestClient(t, f.URL)
	flows, err := c.ListAllFlows(ctxT(t), ListFlowsOptions{Limit: 2})
	if err != nil || len(flows) != 2 || len(f.requests()) != 2 {
		t.Fatalf("flows=%v err=%v requests=%d", flows, err, len(f.requests()))
	}
}

func TestCountFlows(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{"count":7}`) })
	c := newTestClient(t, f.URL)
	n, err := c.CountFlows(ctxT(t), ListFlowsOptions{Limit: 5, Pattern: "x", Filters: []string{"stage:running"}})
	if err != nil || n != 7 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	assertReq(t, only(t, f), "GET", "/flows/count", "pattern=x&filter=stage%3Arunning")
}

func TestGetFlow(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"flowId":"f/1","name":"A","stage":"stopped","flow":`+flowDef+`}`)
	})
	c := newTestClient(t, f.URL)
	fl, err := c.GetFlow(ctxT(t), "f/1")
	if err != nil {
		t.Fatal(err)
	}
	assertReq(t, only(t, f), "GET", "/flows/f%2F1", "")
	assertJSON(t, fl.Definition, flowDef)
}

var uuidV4 = regexp.MustCompile(`^/flows/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestCreateFlowPutsToNewUUID(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		id := strings.TrimPrefix(r.URL.Path, "/flows/")
		reply(w, 200, map[string]any{"flowId": id, "name": "A"})
	})
	c := newTestClient(t, f.URL)
	id, err := c.CreateFlow(ctxT(t), FlowInput{
		Name: "A", Description: strPtr("desc"), Definition: json.RawMessage(flowDef), CustomFields: map[string]any{"k": "v"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := only(t, f)
	if r.Method != "PUT" || !uuidV4.MatchString(r.Path) || r.RawQuery != "" {
		t.Fatalf("request = %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	if id != strings.TrimPrefix(r.Path, "/flows/") {
		t.Fatalf("id %q does not match the PUT path %q", id, r.Path)
	}
	assertJSON(t, r.Body, `{"name":"A","description":"desc","flow":`+flowDef+`,"customFields":{"k":"v"}}`)
	if r.ContentType != "application/json" {
		t.Fatalf("content type %q", r.ContentType)
	}
}

// A create whose every answer was lost may have been stored: the caller gets the chosen id to look for.
// A refusal (4xx) cannot have stored anything and gets no id.
func TestCreateFlowReturnsIDWhenOutcomeUnknown(t *testing.T) {
	lost := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { hangUp(w) })
	id, err := newTestClient(t, lost.URL, func(c *Config) { c.MaxRetries = 1 }).CreateFlow(ctxT(t), FlowInput{Name: "A", Definition: json.RawMessage(flowDef)})
	if err == nil || !uuidV4.MatchString("/flows/"+id) {
		t.Fatalf("lost answers: id %q, err %v; want the chosen id and an error", id, err)
	}
	if puts := len(lost.requests()); puts != 2 || lost.requests()[1].Path != "/flows/"+id {
		t.Fatalf("want 2 PUTs to /flows/%s, got %+v", id, lost.requests())
	}

	refused := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		reply(w, 400, map[string]any{"statusCode": 400, "error": "Bad Request", "message": "Invalid flow."})
	})
	if id, err := newTestClient(t, refused.URL).CreateFlow(ctxT(t), FlowInput{Name: "A", Definition: json.RawMessage(flowDef)}); err == nil || id != "" {
		t.Fatalf("refused: id %q, err %v; want no id and an error", id, err)
	}
}

func TestCreateFlowContractPosts(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"id":"f9","name":"A","flow":{},"stage":"stopped"}`)
	})
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	id, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A", Description: strPtr("dropped"), Definition: json.RawMessage(flowDef)})
	if err != nil || id != "f9" {
		t.Fatalf("id=%q err=%v", id, err)
	}
	r := only(t, f)
	assertReq(t, r, "POST", "/flows", "")
	assertJSON(t, r.Body, `{"name":"A","flow":`+flowDef+`}`)
}

func TestCreateFlowPostWithoutID(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{}`) })
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	if _, err := c.CreateFlow(ctxT(t), FlowInput{Name: "A"}); err == nil || !strings.Contains(err.Error(), "no flow id") {
		t.Fatalf("err = %v", err)
	}
}

func TestUpdateFlow(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL)
	in := FlowInput{Name: "B", Description: strPtr(""), Definition: json.RawMessage(flowDef)}
	if err := c.UpdateFlow(ctxT(t), "f1", in, true); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateFlow(ctxT(t), "f1", in, false); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "PUT", "/flows/f1", "forceUpdate=true")
	assertJSON(t, reqs[0].Body, `{"name":"B","description":"","flow":`+flowDef+`}`)
	assertReq(t, reqs[1], "PUT", "/flows/f1", "")
}

func TestDeleteFlow(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{"flowId":"f1"}`) })
	c := newTestClient(t, f.URL)
	if err := c.DeleteFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	r := only(t, f)
	assertReq(t, r, "DELETE", "/flows/f1", "")
	assertJSON(t, r.Body, "")
}

func TestStartStopFlowCoordinator(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{"flowId":"f1"}`) })
	c := newTestClient(t, f.URL)
	if err := c.StartFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if err := c.StopFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "POST", "/flows/f1/coordinator", "")
	assertJSON(t, reqs[0].Body, `{"command":"start"}`)
	assertReq(t, reqs[1], "POST", "/flows/f1/coordinator", "")
	assertJSON(t, reqs[1].Body, `{"command":"stop"}`)
}

func TestStartStopFlowContract(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	if err := c.StartFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	if err := c.StopFlow(ctxT(t), "f1"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "PUT", "/flows/f1/start", "")
	assertReq(t, reqs[1], "PUT", "/flows/f1/stop", "")
	assertJSON(t, reqs[0].Body, "")
}

func TestStartMissingFlowKeepsRealError(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if strings.HasSuffix(r.URL.Path, "/coordinator") {
			boom(w, 404, "Flow not found.")
			return
		}
		boom(w, 404, "Not Found")
	})
	c := newTestClient(t, f.URL, withDialect(DialectAuto))
	err := c.StartFlow(ctxT(t), "nope")
	if !IsNotFound(err) || !strings.Contains(err.Error(), "Flow not found.") {
		t.Fatalf("err = %v", err)
	}
	// Neither route was recognised as the contract's, so nothing is remembered.
	if c.useContract(featureStartStop) {
		t.Fatal("start-stop wrongly remembered as contract")
	}
}
