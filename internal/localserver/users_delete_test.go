// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"testing"
)

// A deletion armed to fail or be cancelled ends so, before its last step: the user stays and can log in.
func TestUserDeletionEndsFailedOrCancelled(t *testing.T) {
	t.Parallel()
	for _, end := range []string{deletionFailed, deletionCancelled} {
		t.Run(end, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, Options{})
			admin := h.admin()
			joeID, joe := h.signUp("joe")
			h.createFlow(joe, "f", map[string]any{})
			if end == deletionFailed {
				mustNoErr(t, h.s.EndNextUserDeletion(end))
			} else {
				h.must(200, "POST", "/_local/users/faults", admin, map[string]any{"endNextDeletion": end})
			}
			status := "/users/" + joeID + "/delete-status/" + str(h.must(200, "DELETE", "/users/"+joeID, admin, nil).obj()["ticket"])
			var st map[string]any
			for range 4 {
				st = h.must(200, "GET", status, admin, nil).obj()
			}
			if st["status"] != end || st["stepsDone"] != float64(2) || st["stepsTotal"] != float64(3) {
				t.Fatalf("deletion ended %v, want %s after 2 of 3 steps", st, end)
			}
			h.must(200, "GET", "/users/"+joeID, admin, nil)
			h.login("joe", "secret-pw")
			h.locked(func(s *Server) {
				if len(s.flows) != 0 {
					t.Fatalf("the steps before the end left %d flows", len(s.flows))
				}
			})
			// Armed once: the next deletion completes.
			ticket := str(h.must(200, "DELETE", "/users/"+joeID, admin, nil).obj()["ticket"])
			for range 3 {
				st = h.must(200, "GET", "/users/"+joeID+"/delete-status/"+ticket, admin, nil).obj()
			}
			if st["status"] != deletionCompleted {
				t.Fatalf("the next deletion is %v", st)
			}
		})
	}
	h := newHarness(t, Options{})
	assertBoom(t, h.do("POST", "/_local/users/faults", h.admin(), map[string]any{"endNextDeletion": "completed"}), 400,
		`"endNextDeletion" must be one of [failed, cancelled]`)
	if err := h.s.EndNextUserDeletion("later"); err == nil {
		t.Fatal("EndNextUserDeletion accepted an unknown end")
	}
}

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
