// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
)

// DeleteStatus is the progress of an asynchronous user deletion.
type DeleteStatus struct {
	Status                string // as the server says it: in-progress, completed, failed, cancelled
	StepsDone, StepsTotal int    // progress, when HasSteps
	HasSteps              bool
	Done                  bool
	Err                   string // set when the deletion failed or was cancelled
}

// DeleteUser deletes a user and returns the ticket of the asynchronous
// deletion, or "" when the server deleted synchronously.
func (c *Client) DeleteUser(ctx context.Context, id string) (string, error) {
	var w struct {
		Ticket flexString `json:"ticket"`
	}
	if err := c.do(ctx, call{method: http.MethodDelete, path: "/users/" + esc(id)}, &w); err != nil {
		return "", err
	}
	return string(w.Ticket), nil
}

// UserDeleteStatus polls an asynchronous user deletion
// (GET /users/{id}/delete-status/{ticket}). An empty ticket (synchronous
// deletion) is done at once. A deletion that ended failed or cancelled is
// Done with Err quoting the server.
func (c *Client) UserDeleteStatus(ctx context.Context, id, ticket string) (*DeleteStatus, error) {
	if ticket == "" {
		return &DeleteStatus{Done: true}, nil
	}
	if c.dialect == DialectContract {
		return nil, c.notSupported("polling user deletion", nil)
	}
	var w struct {
		Status     flexString `json:"status"`
		StepsDone  *int       `json:"stepsDone"`
		StepsTotal *int       `json:"stepsTotal"`
		Error      flexString `json:"error"`
		Message    flexString `json:"message"`
	}
	path := "/users/" + esc(id) + "/delete-status/" + esc(ticket)
	if err := c.do(ctx, call{method: http.MethodGet, path: path}, &w); err != nil {
		return nil, err
	}
	st := &DeleteStatus{Status: string(w.Status)}
	if w.StepsDone != nil && w.StepsTotal != nil {
		st.StepsDone, st.StepsTotal, st.HasSteps = *w.StepsDone, *w.StepsTotal, true
	}
	reason := cmp.Or(string(w.Error), string(w.Message))
	switch strings.ToLower(st.Status) {
	case "completed", "complete", "done", "finished", "success", "succeeded":
		st.Done, st.Err = true, reason
	case "failed", "error", "cancelled", "canceled":
		st.Done, st.Err = true, deletionEnd(st, reason)
	case "":
		if reason != "" {
			st.Done, st.Err = true, reason
		}
	}
	return st, nil
}

// deletionEnd quotes a deletion that did not succeed: its status, its steps, and any reason given.
func deletionEnd(st *DeleteStatus, reason string) string {
	msg := fmt.Sprintf("the server reports the deletion %q", st.Status)
	if st.HasSteps {
		msg += fmt.Sprintf(" after %d of %d steps", st.StepsDone, st.StepsTotal)
	}
	if reason != "" {
		msg += ": " + reason
	}
	return msg
}
