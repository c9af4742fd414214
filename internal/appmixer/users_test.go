// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCurrentUserShapes(t *testing.T) {
	for name, body := range map[string]string{
		"bare":   `{"id":"u1","username":"a@b.c","email":"a@b.c","isActive":true,"scope":["user","admin"],"plan":"free","vendor":"acme"}`,
		"nested": `{"user":{"id":"u1","username":"a@b.c","email":"a@b.c","isActive":true,"scope":["user","admin"],"plan":"free","vendor":["acme"]},"token":"x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, body) })
			c := newTestClient(t, f.URL)
			u, err := c.CurrentUser(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != "u1" || u.Username != "a@b.c" || u.Email != "a@b.c" || u.IsActive == nil || !*u.IsActive ||
				strings.Join(u.Scope, ",") != "user,admin" || u.Plan != "free" || strings.Join(u.Vendor, ",") != "acme" {
				t.Fatalf("user = %+v", u)
			}
		})
	}
}

func TestUserVendorShapes(t *testing.T) {
	for body, want := range map[string]string{
		`{"id":"1","vendor":null}`:         "",
		`{"id":"1","vendor":"a"}`:          "a",
		`{"id":"1","vendor":["a","b"]}`:    "a,b",
		`{"id":"1"}`:                       "",
		`{"id":1,"vendor":""}`:             "",
		`{"user":{"id":"1","vendor":"x"}}`: "x",
	} {
		u, err := decodeUser([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if got := strings.Join(u.Vendor, ","); got != want || u.ID != "1" {
			t.Errorf("%s: vendor %q id %q", body, got, u.ID)
		}
	}
}

func TestCreateUser(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"id":"u2","username":"joe","email":"joe@x.io","token":"secret-token"}`)
	})
	c := newTestClient(t, f.URL)
	u, err := c.CreateUser(ctxT(t), NewUser{Username: "joe", Email: "joe@x.io", Password: "pw123"})
	if err != nil || u.ID != "u2" || u.Username != "joe" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	r := only(t, f)
	assertReq(t, r, "POST", "/user", "")
	assertJSON(t, r.Body, `{"username":"joe","email":"joe@x.io","password":"pw123"}`)
}

// jwt builds a token whose payload is claims, as the oracle of tokenUserID.
func jwt(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJl"
}

// Appmixer answers 201 {token} alone: the id is the token's id claim (appmixer-api.md §1.2).
func TestCreateUserLearnsIDFromToken(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 201, `{"token":"`+jwt(`{"id":"5c88aa","scope":["user"],"iat":1,"exp":2}`)+`"}`)
	})
	c := newTestClient(t, f.URL)
	u, err := c.CreateUser(ctxT(t), NewUser{Username: "joe", Password: "pw123"})
	if err != nil || u.ID != "5c88aa" || u.Username != "joe" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	only(t, f)
}

// Without an id anywhere in the answer, the new user is looked up by username; when that fails too,
// the error names the user left behind.
func TestCreateUserLooksTheUserUp(t *testing.T) {
	var listing atomic.Value
	listing.Store(`[{"id":"7","username":"joe"}]`)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "POST" {
			replyRaw(w, 201, `{"token":"opaque"}`)
			return
		}
		replyRaw(w, 200, listing.Load().(string))
	})
	c := newTestClient(t, f.URL)
	u, err := c.CreateUser(ctxT(t), NewUser{Username: "joe", Password: "pw123"})
	if err != nil || u.ID != "7" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	assertReq(t, f.requests()[1], "GET", "/users", "pattern=joe&limit=100&offset=0")

	listing.Store(`[]`)
	_, err = c.CreateUser(ctxT(t), NewUser{Username: "joe", Password: "pw123"})
	var orphan *OrphanUserError
	if !errors.As(err, &orphan) || orphan.Username != "joe" ||
		!strings.Contains(err.Error(), `Appmixer created the user "joe", but its id is unknown`) ||
		!strings.Contains(err.Error(), `username:joe`) {
		t.Fatalf("err = %v", err)
	}
}

// A sign-up answered 502 may or may not have made the user: a login with the password sent tells.
// When it succeeds the user is ours and its id comes from that login; when it is refused nothing
// is claimed, and the error says the user most likely does not exist.
func TestCreateUserAfterALostAnswer(t *testing.T) {
	var created atomic.Bool
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 502, `{"statusCode":502,"error":"Bad Gateway","message":"upstream reset"}`)
	})
	f.login = func(w http.ResponseWriter, _ *http.Request, body []byte) {
		switch {
		case !strings.Contains(string(body), `"joe"`):
			replyRaw(w, 200, `{"user":{"id":"admin"},"token":"admin-token"}`)
		case created.Load():
			replyRaw(w, 200, `{"user":{"id":"5c88bb","username":"joe"},"token":"`+jwt(`{"id":"5c88bb","scope":["user"],"iat":1,"exp":2}`)+`"}`)
		default:
			replyRaw(w, 403, `{"statusCode":403,"error":"Forbidden","message":"Invalid credentials."}`)
		}
	}
	c := newTestClient(t, f.URL)

	_, err := c.CreateUser(ctxT(t), NewUser{Username: "joe", Password: "pw123"})
	var maybe *MaybeCreatedUserError
	if !errors.As(err, &maybe) || !strings.Contains(err.Error(), `no user "joe" logs in with the password sent`) {
		t.Fatalf("without a user behind the lost answer: err = %v", err)
	}

	created.Store(true) // the server acted, and only its answer was lost
	u, err := c.CreateUser(ctxT(t), NewUser{Username: "joe", Password: "pw123"})
	if err != nil || u.ID != "5c88bb" || u.Username != "joe" {
		t.Fatalf("with the user made behind the lost answer: u=%+v err=%v", u, err)
	}
}

func TestTokenUserID(t *testing.T) {
	for token, want := range map[string]string{
		jwt(`{"id":"abc"}`):  "abc",
		jwt(`{"id":42}`):     "42",
		jwt(`{"sub":"abc"}`): "",
		jwt(`not json`):      "",
		"a.b":                "",
		"":                   "",
		"x.!!!.y":            "",
	} {
		if got := tokenUserID(token); got != want {
			t.Errorf("tokenUserID(%q) = %q, want %q", token, got, want)
		}
	}
}

func TestCreateUserContractAndNestedResponse(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"token":"t","user":{"id":"u3","username":"joe"}}`)
	})
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	u, err := c.CreateUser(ctxT(t), NewUser{Username: "joe", Email: "joe@x.io", Password: "pw123"})
	if err != nil || u.ID != "u3" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	assertJSON(t, only(t, f).Body, `{"username":"joe","password":"pw123"}`)
}

func TestGetUser(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		replyRaw(w, 200, `{"id":"u2","username":"joe","scope":["user"],"vendor":"acme","isActive":false}`)
	})
	c := newTestClient(t, f.URL)
	u, err := c.GetUser(ctxT(t), "u2")
	if err != nil || u.Username != "joe" || u.IsActive == nil || *u.IsActive {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	assertReq(t, only(t, f), "GET", "/users/u2", "")
}

func TestFindUserByUsername(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Query().Get("pattern") == "joe" {
			replyRaw(w, 200, `[{"id":"1","username":"joe2"},{"id":"2","username":"joe"},{"id":"3","username":"xjoe"}]`)
			return
		}
		replyRaw(w, 200, `[]`)
	})
	c := newTestClient(t, f.URL)
	u, err := c.FindUserByUsername(ctxT(t), "joe")
	if err != nil || u.ID != "2" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	assertReq(t, only(t, f), "GET", "/users", "pattern=joe&limit=100&offset=0")

	_, err = c.FindUserByUsername(ctxT(t), "nobody")
	if !IsNotFound(err) || !strings.Contains(err.Error(), `User "nobody" not found.`) {
		t.Fatalf("err = %v", err)
	}
}

// ListUsers walks every page of a pattern search.
func TestListUsers(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.URL.Query().Get("pattern") != "tfacc-":
			replyRaw(w, 400, `{"statusCode":400,"error":"Bad Request","message":"pattern expected"}`)
		case r.URL.Query().Get("offset") == "0":
			replyRaw(w, 200, `[{"id":"1","username":"tfacc-a"},{"id":"2","username":"tfacc-b"}]`)
		default:
			replyRaw(w, 200, `[]`)
		}
	})
	c := newTestClient(t, f.URL)
	users, err := c.ListUsers(ctxT(t), "tfacc-")
	if err != nil || len(users) != 2 || users[0].Username != "tfacc-a" || users[1].ID != "2" {
		t.Fatalf("users = %+v, %v", users, err)
	}
}

func TestFindUserByUsernameRegexFallback(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Query().Get("filter") == "username:a+b@x.io" {
			replyRaw(w, 200, `[{"id":"9","username":"a+b@x.io"}]`)
			return
		}
		replyRaw(w, 200, `[]`)
	})
	c := newTestClient(t, f.URL)
	u, err := c.FindUserByUsername(ctxT(t), "a+b@x.io")
	if err != nil || u.ID != "9" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
}

func TestUpdateUser(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL)
	err := c.UpdateUser(ctxT(t), "u2", UserUpdate{Email: strPtr("n@x.io"), Scope: []string{"user", "admin"}, Vendor: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	r := only(t, f)
	assertReq(t, r, "PUT", "/users/u2", "")
	assertJSON(t, r.Body, `{"email":"n@x.io","scope":["user","admin"],"vendor":[]}`)
}

// 6.x's PUT /users ignores password: it goes through POST /user/reset-password by the user's e-mail,
// the new one when it changes in the same update (appmixer-api.md §1.2).
func TestUpdateUserPasswordGoesThroughResetPassword(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			replyRaw(w, 200, `{"id":"u2","username":"joe","email":"joe@x.io"}`)
			return
		}
		replyRaw(w, 200, `{}`)
	})
	c := newTestClient(t, f.URL)
	if err := c.UpdateUser(ctxT(t), "u2", UserUpdate{Password: strPtr("rotated")}); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want GET /users/u2 and POST /user/reset-password", len(reqs))
	}
	assertReq(t, reqs[0], "GET", "/users/u2", "")
	assertReq(t, reqs[1], "POST", "/user/reset-password", "")
	assertJSON(t, reqs[1].Body, `{"email":"joe@x.io","password":"rotated"}`)

	if err := c.UpdateUser(ctxT(t), "u2", UserUpdate{Email: strPtr("new@x.io"), Password: strPtr("again")}); err != nil {
		t.Fatal(err)
	}
	reqs = f.requests()[2:]
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want PUT then reset-password", len(reqs))
	}
	assertJSON(t, reqs[0].Body, `{"email":"new@x.io"}`)
	assertJSON(t, reqs[1].Body, `{"email":"new@x.io","password":"again"}`)

	// 6.x ignores a username in PUT: renaming is refused rather than silently dropped.
	if err := c.UpdateUser(ctxT(t), "u2", UserUpdate{Username: strPtr("joseph")}); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("rename err = %v", err)
	}
	if n := len(f.requests()); n != 4 {
		t.Fatalf("the refused rename sent a request (%d in all)", n)
	}
}

func TestUpdateUserContract(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	if err := c.UpdateUser(ctxT(t), "u2", UserUpdate{Scope: []string{"admin"}}); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("err = %v", err)
	}
	if err := c.UpdateUser(ctxT(t), "u2", UserUpdate{Username: strPtr("n"), Password: strPtr("p")}); err != nil {
		t.Fatal(err)
	}
	assertJSON(t, only(t, f).Body, `{"username":"n","password":"p"}`)
}

func TestDeleteUserAndStatus(t *testing.T) {
	var polls atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.Method == "DELETE":
			replyRaw(w, 200, `{"ticket":"tk1"}`)
		case polls.Add(1) == 1:
			replyRaw(w, 200, `{"status":"in-progress","stepsDone":1,"stepsTotal":4}`)
		case polls.Load() == 2:
			replyRaw(w, 200, `{"status":"completed","stepsDone":4,"stepsTotal":4}`)
		case polls.Load() == 3:
			replyRaw(w, 200, `{"status":"failed","stepsDone":2,"stepsTotal":4}`)
		case polls.Load() == 4:
			replyRaw(w, 200, `{"status":"cancelled","stepsDone":3,"stepsTotal":4}`)
		default:
			replyRaw(w, 200, `{"status":"failed","error":"boom"}`)
		}
	})
	c := newTestClient(t, f.URL)
	ticket, err := c.DeleteUser(ctxT(t), "u2")
	if err != nil || ticket != "tk1" {
		t.Fatalf("ticket=%q err=%v", ticket, err)
	}
	// Failed and cancelled end the wait with an error quoting the server (appmixer-api.md §1.2).
	for _, want := range []DeleteStatus{
		{Status: "in-progress", StepsDone: 1, StepsTotal: 4, HasSteps: true},
		{Status: "completed", StepsDone: 4, StepsTotal: 4, HasSteps: true, Done: true},
		{Status: "failed", StepsDone: 2, StepsTotal: 4, HasSteps: true, Done: true, Err: `the server reports the deletion "failed" after 2 of 4 steps`},
		{Status: "cancelled", StepsDone: 3, StepsTotal: 4, HasSteps: true, Done: true, Err: `the server reports the deletion "cancelled" after 3 of 4 steps`},
		{Status: "failed", Done: true, Err: `the server reports the deletion "failed": boom`},
	} {
		st, err := c.UserDeleteStatus(ctxT(t), "u2", ticket)
		if err != nil || *st != want {
			t.Fatalf("status=%+v err=%v want %+v", st, err, want)
		}
	}
	reqs := f.requests()
	assertReq(t, reqs[0], "DELETE", "/users/u2", "")
	assertReq(t, reqs[1], "GET", "/users/u2/delete-status/tk1", "")

	// A synchronous deletion (contract) has no ticket and is done at once.
	st, err := c.UserDeleteStatus(ctxT(t), "u2", "")
	if err != nil || !st.Done || len(f.requests()) != 6 {
		t.Fatalf("st=%+v err=%v", st, err)
	}
}

func TestDeleteUserSynchronous(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyRaw(w, 200, `{}`) })
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	ticket, err := c.DeleteUser(ctxT(t), "u2")
	if err != nil || ticket != "" {
		t.Fatalf("ticket=%q err=%v", ticket, err)
	}
}

func TestUsersAdminNotSupportedWithContract(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f.URL, withDialect(DialectContract))
	if _, err := c.GetUser(ctxT(t), "u"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("GetUser err = %v", err)
	}
	if _, err := c.FindUserByUsername(ctxT(t), "u"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("FindUserByUsername err = %v", err)
	}
	if _, err := c.UserDeleteStatus(ctxT(t), "u", "t"); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("UserDeleteStatus err = %v", err)
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("contract dialect sent %d requests", n)
	}
}
