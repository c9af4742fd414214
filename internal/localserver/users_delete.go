// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// The end states of a user deletion's ticket (appmixer-api.md §1.2).
const (
	deletionCompleted = "completed"
	deletionFailed    = "failed"
	deletionCancelled = "cancelled"
)

// userDeletion tracks an asynchronous DELETE /users/{id}.
type userDeletion struct {
	ticket, userID string
	progress       steppedProgress
	endAs          string // failed or cancelled: how EndNextUserDeletion makes it end, before its last step
	status         string // the end state, "" while in progress
}

var _ = guess("users", "a user deletion has one step per flow of the user, one for the accounts and one for the user itself "+
	"(stepsTotal = flows + 2); each status poll, and each 300 ms, finishes a step",
	"appmixer-api.md §1.2 documents stepsDone and stepsTotal but not what a step is")

var _ = guess("users", "a user deletion that ends failed or cancelled stops before its last step: the user stays (visible again, "+
	"able to log in with a new token), without the flows and accounts the steps before removed",
	"appmixer-api.md §1.2 says failed and cancelled end the wait with an error, not what is left of the user")

// deleteUser stops and removes the user's flows and accounts: at once in the contract dialect,
// behind a ticket in the appmixer dialect, as Appmixer does.
func (s *Server) deleteUser(c *call) (any, error) {
	u, err := s.visibleUser(c.param("id"))
	if err != nil {
		return nil, err
	}
	if u.id == c.user.id {
		return nil, badRequest("You cannot delete your own user.")
	}
	if s.contract {
		s.removeUser(u.id)
		return map[string]any{}, nil
	}
	u.deleting = true
	s.revokeTokens(u.id)
	flows := 0
	for _, f := range s.flows {
		if f.owner() == u.id {
			flows++
		}
	}
	d := &userDeletion{ticket: uuid.NewString(), userID: u.id, endAs: s.nextDeletionEnd,
		progress: steppedProgress{total: flows + 2, last: c.now}}
	s.nextDeletionEnd = ""
	s.userDeletions[d.ticket] = d
	return map[string]any{"ticket": d.ticket}, nil
}

// userDeleteStatus is GET /users/{id}/delete-status/{ticket}: {status, stepsDone, stepsTotal}.
func (s *Server) userDeleteStatus(c *call) (any, error) {
	d := s.userDeletions[c.param("ticket")]
	if d == nil || d.userID != c.param("id") {
		return nil, notFound("Ticket")
	}
	s.advanceUserDeletion(d, c.now, true)
	status := d.status
	if status == "" {
		status = "in-progress"
	}
	return map[string]any{"status": status, "stepsDone": d.progress.done, "stepsTotal": d.progress.total}, nil
}

// settleUserDeletions moves deletions on as time passes, even if nobody polls them.
func (s *Server) settleUserDeletions(now time.Time) {
	for _, t := range sortedKeys(s.userDeletions) {
		s.advanceUserDeletion(s.userDeletions[t], now, false)
	}
}

func (s *Server) advanceUserDeletion(d *userDeletion, now time.Time, polled bool) {
	if s.jobsHeld || d.status != "" {
		return
	}
	for n := d.progress.due(now, polled); n > 0; n-- {
		last := d.progress.done == d.progress.total-1
		if last && d.endAs != "" {
			d.status = d.endAs
			if u := s.users[d.userID]; u != nil {
				u.deleting = false
			}
			return
		}
		s.userDeletionStep(d.userID, last)
		d.progress.step(now)
	}
	if d.progress.done == d.progress.total {
		d.status = deletionCompleted
	}
}

// userDeletionStep removes one of the user's flows, oldest first, then their accounts, and last the user.
func (s *Server) userDeletionStep(userID string, last bool) {
	if last {
		if s.users[userID] != nil {
			s.removeUser(userID)
		}
		return
	}
	for _, f := range s.sortedFlows() {
		if f.owner() == userID {
			delete(s.flows, f.id())
			return
		}
	}
	s.removeAccounts(userID)
}

// EndNextUserDeletion makes the next DELETE /users/{id} end with status (failed or cancelled) instead of
// completing, just before its last step, so that a test can see how a client meets a deletion that
// does not succeed.
func (s *Server) EndNextUserDeletion(status string) error {
	if s.localOnly("a failed or cancelled user deletion (EndNextUserDeletion)") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.armDeletionEnd(status)
}

func (s *Server) armDeletionEnd(status string) error {
	if status != deletionFailed && status != deletionCancelled {
		return fmt.Errorf("a user deletion can end %q or %q, not %q", deletionFailed, deletionCancelled, status)
	}
	s.nextDeletionEnd = status
	return nil
}

// userFaultsRoute is POST /_local/users/faults {"endNextDeletion": "failed"|"cancelled"}: EndNextUserDeletion
// for a server run from the command line.
func (s *Server) userFaultsRoute(c *call) (any, error) {
	body, err := c.object()
	if err != nil {
		return nil, err
	}
	if err := onlyKeys(body, "endNextDeletion"); err != nil {
		return nil, err
	}
	status, err := requiredString(body, "endNextDeletion")
	if err != nil {
		return nil, err
	}
	if err := s.armDeletionEnd(status); err != nil {
		return nil, badRequest("\"endNextDeletion\" must be one of [%s, %s]", deletionFailed, deletionCancelled)
	}
	return map[string]any{"endNextDeletion": s.nextDeletionEnd}, nil
}

// removeUser deletes a user with everything they own; running flows are stopped first by
// virtue of being deleted.
func (s *Server) removeUser(id string) {
	for fid, f := range s.flows {
		if f.owner() == id {
			delete(s.flows, fid)
		}
	}
	s.removeAccounts(id)
	s.removeUserCopies(id)
	s.revokeTokens(id)
	delete(s.users, id)
}

// removeAccounts deletes a user's accounts and the bindings of their flows to accounts.
func (s *Server) removeAccounts(userID string) {
	for aid, a := range s.accounts {
		if a.userID == userID {
			delete(s.accounts, aid)
		}
	}
	for k := range s.bindings {
		if k.userID == userID {
			delete(s.bindings, k)
		}
	}
}
