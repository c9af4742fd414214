// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// gatewayInFront is a real Appmixer (flow "gone" does not exist, a JSON
// component body is refused with 400) behind a gateway or WAF that answers
// status to every route the real API lacks and to zip uploads.
func gatewayInFront(status int) func(w http.ResponseWriter, r *http.Request, _ []byte) {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.Method == "POST" && r.URL.Path == "/flows/gone/coordinator":
			boom(w, 404, "Flow not found.")
		case r.Method == "POST" && r.URL.Path == "/components" && r.Header.Get("Content-Type") == "application/octet-stream":
			boom(w, status, "Blocked by the gateway")
		case r.Method == "POST" && r.URL.Path == "/components":
			boom(w, 400, "Invalid component archive.")
		case r.Method == "PUT" && (strings.HasSuffix(r.URL.Path, "/start") || strings.HasSuffix(r.URL.Path, "/stop")):
			boom(w, status, "Blocked by the gateway")
		default:
			replyRaw(w, 200, `{}`)
		}
	}
}

// A gateway's 405 or 415 is no proof of a contract server: auto mode keeps
// speaking the real API, so flow bodies keep type and description and
// account bindings are still sent.
func TestAutoGatewayRefusalDoesNotSwitchToContract(t *testing.T) {
	for _, status := range []int{http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFake(t, gatewayInFront(status))
			c := newTestClient(t, f.URL, withDialect(DialectAuto))

			// Starting a flow deleted by hand: the real route's 404 is the answer.
			if err := c.StartFlow(ctxT(t), "gone"); !IsNotFound(err) || !strings.Contains(err.Error(), "Flow not found.") {
				t.Fatalf("StartFlow err = %v, want the real route's 404", err)
			}
			// A WAF that refuses zip bodies: the publish fails, whatever the JSON attempt says.
			if _, err := c.PublishComponent(ctxT(t), "appmixer.myservice", testZip(t)); err == nil {
				t.Fatal("PublishComponent succeeded; the fake refuses both bodies")
			}

			before := len(f.requests())
			in := FlowInput{Name: "A", Description: strPtr("d"), Type: "automation", Definition: json.RawMessage(flowDef)}
			if err := c.UpdateFlow(ctxT(t), "f1", in, false); err != nil {
				t.Fatal(err)
			}
			assertJSON(t, f.requests()[before].Body, `{"name":"A","description":"d","type":"automation","flow":`+flowDef+`}`)
			if err := c.BindAccount(ctxT(t), "c1", "a1"); err != nil {
				t.Fatalf("BindAccount err = %v, want it sent", err)
			}
			if n := f.count("PUT", "/auth/component/c1/a1"); n != 1 {
				t.Fatalf("PUT /auth/component/c1/a1 sent %d times, want 1", n)
			}
			// The next start goes to the real route first again.
			before = len(f.requests())
			if err := c.StartFlow(ctxT(t), "f1"); err != nil {
				t.Fatal(err)
			}
			assertReq(t, f.requests()[before], "POST", "/flows/f1/coordinator", "")
		})
	}
}
