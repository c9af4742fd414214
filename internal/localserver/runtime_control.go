// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "encoding/json"

// The /_local routes that give a local tenant a runtime to check (appmixer-local -help lists them):
// log entries, unprocessed messages, people tasks and bad account tokens. Admin only, like the other
// control routes that add data behind the API.

// addLogsRoute is POST /_local/logs: one LogEntry object or an array of them.
func (s *Server) addLogsRoute(c *call) (any, error) {
	entries, err := decodeOneOrMany[LogEntry](c.body)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := s.addLogEntry(e, c.now); err != nil {
			return nil, err
		}
	}
	return map[string]any{"added": len(entries)}, nil
}

// addUnprocessedRoute is POST /_local/unprocessed-messages: one UnprocessedMessage or an array;
// it answers the stored messages as GET /unprocessed-messages shows them.
func (s *Server) addUnprocessedRoute(c *call) (any, error) {
	msgs, err := decodeOneOrMany[UnprocessedMessage](c.body)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, in := range msgs {
		m, err := s.addUnprocessedMessage(in, c.now)
		if err != nil {
			return nil, err
		}
		out = append(out, m.view())
	}
	return out, nil
}

// addPeopleTasksRoute is POST /_local/people-tasks: one PeopleTask or an array.
func (s *Server) addPeopleTasksRoute(c *call) (any, error) {
	tasks, err := decodeOneOrMany[PeopleTask](c.body)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, in := range tasks {
		t, err := s.addPeopleTask(in, c.now)
		if err != nil {
			return nil, err
		}
		out = append(out, t.view())
	}
	return out, nil
}

// setAccountTestRoute is PUT /_local/accounts/{id}/test {"valid": false, "message": "..."}.
func (s *Server) setAccountTestRoute(c *call) (any, error) {
	var in struct {
		Valid   *bool  `json:"valid"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil || in.Valid == nil {
		return nil, badRequest(`the body must be {"valid": true|false, "message": "..."}`)
	}
	id := c.param("id")
	if err := s.setAccountTest(id, *in.Valid, in.Message); err != nil {
		return nil, err
	}
	v := s.verdict(id)
	return map[string]any{"accountId": id, "valid": v.valid, "message": v.message}, nil
}
