// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"testing"
	"time"
)

// Held jobs stay in progress whatever the polls and the clock; released, they finish as usual.
func TestHoldJobs(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	admin := h.admin()
	joeID, _ := h.signUp("joe")
	h.s.HoldJobs(true)
	deletion := "/users/" + joeID + "/delete-status/" + str(h.must(200, "DELETE", "/users/"+joeID, admin, nil).obj()["ticket"])
	upload := h.storedTicket(admin, str(h.must(200, "POST", "/components", admin, makeZip(t, acmePackage(""))).obj()["ticket"]))
	for range 3 {
		if s := h.must(200, "GET", deletion, admin, nil).obj()["status"]; s != "in-progress" {
			t.Fatalf("held deletion is %v", s)
		}
		if f := h.must(200, "GET", upload, admin, nil).obj()["finished"]; f != nil {
			t.Fatalf("held upload finished: %v", f)
		}
		h.clock.Advance(time.Hour)
	}
	h.locked(func(s *Server) {
		if s.users[joeID] == nil {
			t.Fatal("a held deletion removed the user")
		}
	})
	h.s.HoldJobs(false)
	h.clock.Advance(2 * asyncDelay) // a user without flows: two steps
	if s := h.must(200, "GET", deletion, admin, nil).obj()["status"]; s != "completed" {
		t.Fatalf("released deletion is %v", s)
	}
	if f := str(h.must(200, "GET", upload, admin, nil).obj()["finished"]); f == "" {
		t.Fatal("released upload is not finished")
	}
}
