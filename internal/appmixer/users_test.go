// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
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
			replyRaw(w, 200, `{"ticket":"tk1","status":"in-progress"}`)
		case polls.Load() == 2:
			replyRaw(w, 200, `{"ticket":"tk1","status":"completed"}`)
		default:
			replyRaw(w, 200, `{"ticket":"tk1","status":"failed","error":"boom"}`)
		}
	})
	c := newTestClient(t, f.URL)
	ticket, err := c.DeleteUser(ctxT(t), "u2")
	if err != nil || ticket != "tk1" {
		t.Fatalf("ticket=%q err=%v", ticket, err)
	}
	for _, want := range []DeleteStatus{{}, {Done: true}, {Done: true, Err: "boom"}} {
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
	if err != nil || !st.Done || len(f.requests()) != 4 {
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
