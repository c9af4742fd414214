// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseErrorBoom(t *testing.T) {
	e := parseError("GET", "/flows/x", &response{status: 404,
		body: []byte(`{"statusCode":404,"error":"Not Found","message":"Flow not found."}`)}, nil)
	if e.StatusCode != 404 || e.ErrorText != "Not Found" || e.Message != "Flow not found." || e.Details != nil {
		t.Fatalf("e = %+v", e)
	}
	if got := e.Error(); got != "GET /flows/x: 404 Not Found: Flow not found." {
		t.Fatalf("Error() = %q", got)
	}
}

func TestParseErrorDetailsAndData(t *testing.T) {
	e := parseError("PUT", "/flows/x", &response{status: 400,
		body: []byte(`{"statusCode":400,"error":"Bad Request","message":"Invalid flow.","details":[{"path":"c1.type"}]}`)}, nil)
	if string(e.Details) != `[{"path":"c1.type"}]` || !strings.Contains(e.Error(), `(details: [{"path":"c1.type"}])`) {
		t.Fatalf("e = %+v / %s", e, e.Error())
	}
	e = parseError("POST", "/components", &response{status: 400,
		body: []byte(`{"statusCode":400,"error":"Bad Request","message":"Validation failed.","data":{"x":1},"details":null}`)}, nil)
	if string(e.Details) != `{"x":1}` {
		t.Fatalf("details = %s", e.Details)
	}
}

func TestParseErrorNonJSON(t *testing.T) {
	html := "<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>"
	e := parseError("GET", "/flows", &response{status: 502, body: []byte(html)}, nil)
	if e.ErrorText != "" || !strings.Contains(e.Error(), "GET /flows: 502 Bad Gateway: <html><body><h1>502 Bad Gateway</h1> <hr>nginx") {
		t.Fatalf("Error() = %q", e.Error())
	}
	long := strings.Repeat("x", 5000)
	e = parseError("GET", "/flows", &response{status: 500, body: []byte(long)}, nil)
	if len(e.Message) > 600 || !strings.Contains(e.Message, "truncated, 5000 bytes") {
		t.Fatalf("message not truncated: %d bytes", len(e.Message))
	}
	e = parseError("GET", "/flows", &response{status: 500, body: []byte(`{"unexpected":true}`)}, nil)
	if e.Message != `{"unexpected":true}` {
		t.Fatalf("non-Boom JSON message = %q", e.Message)
	}
}

func TestParseErrorEmpty(t *testing.T) {
	e := parseError("DELETE", "/flows/x", &response{status: 503}, nil)
	if got := e.Error(); got != "DELETE /flows/x: 503 Service Unavailable" {
		t.Fatalf("Error() = %q", got)
	}
	e = parseError("GET", "/", &response{status: 499}, nil)
	if got := e.Error(); got != "GET /: 499" {
		t.Fatalf("Error() = %q", got)
	}
}

func TestErrorHelpersThroughWrapping(t *testing.T) {
	for code, is := range map[int]func(error) bool{
		404: IsNotFound, 401: IsUnauthorized, 403: IsForbidden, 400: IsBadRequest,
	} {
		err := fmt.Errorf("reading flow: %w", fmt.Errorf("layer: %w", &Error{StatusCode: code}))
		if !is(err) || StatusCode(err) != code {
			t.Errorf("%d not detected through wrapping", code)
		}
	}
	if StatusCode(errors.New("plain")) != 0 || StatusCode(nil) != 0 || IsNotFound(nil) {
		t.Fatal("non-API errors have status 0")
	}
	both := fmt.Errorf("%w: x: %w", ErrNotSupported, &Error{StatusCode: 405})
	if !errors.Is(both, ErrNotSupported) || StatusCode(both) != 405 {
		t.Fatal("ErrNotSupported wrapping must keep the *Error")
	}
}

func TestServerErrorReachesCaller(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		boom(w, 400, `Flow is running. Use forceUpdate=true to update a running flow.`)
	})
	c := newTestClient(t, f.URL)
	err := c.UpdateFlow(ctxT(t), "f1", FlowInput{Name: "x"}, false)
	if !IsBadRequest(err) || err.Error() != "PUT /flows/f1: 400 Bad Request: Flow is running. Use forceUpdate=true to update a running flow." {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeErrorIsReported(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{"not":"a list"}`) })
	c := newTestClient(t, f.URL)
	if _, err := c.ListFlows(ctxT(t), ListFlowsOptions{}); err == nil || !strings.Contains(err.Error(), "GET /flows: decoding 200 response") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseErrorBoundsAndRedacts(t *testing.T) {
	huge := `{"statusCode":500,"error":"` + strings.Repeat("E", 1000) + `","message":"` + strings.Repeat("m", 100000) + `"}`
	e := parseError("GET", "/flows", &response{status: 500, body: []byte(huge)}, nil)
	if len(e.Error()) > maxErrorLen || !strings.Contains(e.Message, "truncated, 100000 bytes") {
		t.Fatalf("Error() has %d bytes: %.200s", len(e.Error()), e.Error())
	}
	// Validation details may echo the request body back.
	e = parseError("POST", "/user", &response{status: 400, body: []byte(
		`{"statusCode":400,"error":"Bad Request","message":"Invalid password=hunter2","details":[{"context":{"password":"hunter2","key":"password"}}]}`)}, nil)
	if msg := e.Error(); strings.Contains(msg, "hunter2") || !strings.Contains(msg, `"key":"password"`) {
		t.Fatalf("Error() = %s", msg)
	}
}

// A validation message may quote what was sent in its own words; for a call that carries secrets the
// values sent under secret keys never reach the error, whatever the wording.
func TestErrorOfASecretCallDoesNotQuoteTheSecret(t *testing.T) {
	const secret = "s3cr3t-JWT-v@lue"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/user/auth" {
			_, _ = w.Write([]byte(`{"token":"t"}`))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"statusCode":400,"error":"Bad Request","message":"\"value\" with value \"` + secret +
			`\" fails to match the required pattern","details":[{"message":"` + secret + ` is too short"}]}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.SetConfig(context.Background(), "JWTSecret", json.RawMessage(`"`+secret+`"`))
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "fails to match the required pattern") {
		t.Fatalf("error = %v", err)
	}
}

// Where every value of a request may be secret (an account's free-form token), the values that name
// what it creates stay readable in the error, and the token's values do not.
func TestErrorOfAnAccountKeepsItsNameNotItsToken(t *testing.T) {
	const apiKey = "k3y-0f-the-customer"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/user/auth" {
			_, _ = w.Write([]byte(`{"token":"t"}`))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"statusCode":400,"error":"Bad Request","message":"Account w of acme:weather: apiKey ` + apiKey + ` rejected"}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.CreateAccount(context.Background(), NewAccount{Service: "acme:weather", Name: "w", Token: json.RawMessage(`{"apiKey":"` + apiKey + `"}`)})
	if err == nil || strings.Contains(err.Error(), apiKey) || !strings.Contains(err.Error(), "Account w of acme:weather: apiKey <redacted> rejected") {
		t.Fatalf("error = %v", err)
	}
}
