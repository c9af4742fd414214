// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"strings"
	"time"
)

// People tasks (appmixer-api.md §1.9): approvals that flows ask people for. appmixer-local serves the
// list route; tasks come from AddPeopleTask or POST /_local/people-tasks.

type peopleTask struct {
	PeopleTask
	id  string
	seq int
}

var peopleTaskStatuses = []string{"pending", "approved", "rejected"}

var _ = guess("people-task", "role=approver lists the tasks whose approver is the caller's e-mail or username, role=requester those it requested; "+
	"without role both; another role answers 400",
	"§1.9 names role=approver|requester but not how a task's approver is matched to a user, nor the default")

func (s *Server) addPeopleTask(in PeopleTask, now time.Time) (*peopleTask, error) {
	if strings.TrimSpace(in.Title) == "" {
		return nil, badRequest(`"title" is required`)
	}
	if in.Requester == "" || in.Approver == "" {
		return nil, badRequest(`"requester" and "approver" are required`)
	}
	if in.Status == "" {
		in.Status = "pending"
	}
	if !slices.Contains(peopleTaskStatuses, in.Status) {
		return nil, badRequest(`"status" must be one of %s`, strings.Join(peopleTaskStatuses, ", "))
	}
	rt := s.rt()
	rt.taskSeq++
	t := &peopleTask{PeopleTask: in, id: objectID(), seq: rt.taskSeq}
	rt.tasks[t.id] = t
	return t, nil
}

func (t *peopleTask) view() map[string]any {
	var decisionBy any
	if !t.DecisionBy.IsZero() {
		decisionBy = isoTime(t.DecisionBy)
	}
	return map[string]any{
		"id": t.id, "title": t.Title, "description": t.Description, "requester": t.Requester, "approver": t.Approver,
		"decisionBy": decisionBy, "status": t.Status, "public": t.Public,
	}
}

func isUser(u *user, who string) bool {
	return who != "" && (strings.EqualFold(who, u.email) || strings.EqualFold(who, u.username))
}

// listPeopleTasks is GET /people-task/tasks: role, then filter, pattern, sort, limit, offset and
// projection as on Appmixer's other lists.
func (s *Server) listPeopleTasks(c *call) (any, error) {
	role := c.query().Get("role")
	if role != "" && role != "approver" && role != "requester" {
		return nil, badRequest(`"role" must be one of [approver, requester]`)
	}
	lq, err := s.listQuery(c, "id", "title", "description")
	if err != nil {
		return nil, err
	}
	tasks := make([]*peopleTask, 0, len(s.rt().tasks))
	for _, t := range s.rt().tasks {
		approver, requester := isUser(c.user, t.Approver), isUser(c.user, t.Requester)
		if (role == "approver" && approver) || (role == "requester" && requester) || (role == "" && (approver || requester)) {
			tasks = append(tasks, t)
		}
	}
	slices.SortFunc(tasks, func(a, b *peopleTask) int { return a.seq - b.seq })
	docs := make([]map[string]any, len(tasks))
	for i, t := range tasks {
		docs[i] = t.view()
	}
	return lq.apply(docs), nil
}
