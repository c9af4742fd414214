// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"slices"
	"time"
)

// Unprocessed messages (appmixer-api.md §1.11): messages a component failed on, kept when its
// errorHandling says storeUnprocessed, until someone retries or deletes them.

type unprocessedMessage struct {
	UnprocessedMessage
	id     string
	seq    int
	userID string
}

var _ = guess("unprocessed-messages", "GET /unprocessed-messages lists the caller's messages oldest first and takes no parameters",
	"§1.11 gives the route and the object; order, paging and filters are not documented")

var _ = guess("unprocessed-messages", "a retry (POST …/{messageId} or …/{messageId}/retry) removes the message from the list whatever the flow's stage, and answers {messageId}",
	"§1.11 names both routes but neither the answer nor what happens to the message; the engine sends it to the component again, and a new failure would store a new message")

var _ = guess("unprocessed-messages", "DELETE /unprocessed-messages/{messageId} answers {messageId}",
	"§1.11 names the route, not its answer")

func (s *Server) addUnprocessedMessage(in UnprocessedMessage, now time.Time) (*unprocessedMessage, error) {
	f := s.flows[in.FlowID]
	if f == nil {
		return nil, notFound("Flow")
	}
	if in.ComponentID == "" {
		return nil, badRequest(`"componentId" is required`)
	}
	if in.InPort == "" {
		in.InPort = "in"
	}
	if in.Content == nil {
		in.Content = map[string]any{}
	}
	if in.Created.IsZero() {
		in.Created = now
	}
	rt := s.rt()
	rt.msgSeq++
	m := &unprocessedMessage{UnprocessedMessage: in, id: objectID(), seq: rt.msgSeq, userID: f.owner()}
	rt.messages[m.id] = m
	return m, nil
}

func (s *Server) sortedMessages() []*unprocessedMessage {
	out := make([]*unprocessedMessage, 0, len(s.rt().messages))
	for _, m := range s.rt().messages {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *unprocessedMessage) int { return a.seq - b.seq })
	return out
}

func (m *unprocessedMessage) view() map[string]any {
	v := map[string]any{
		"messageId": m.id, "flowId": m.FlowID, "componentId": m.ComponentID, "userId": m.userID,
		"messages": map[string]any{m.InPort: []any{m.Content}}, "created": isoTime(m.Created),
	}
	if m.Err != "" {
		v["err"] = m.Err
	}
	return v
}

func (s *Server) ownMessage(c *call) (*unprocessedMessage, error) {
	m := s.rt().messages[c.param("id")]
	if m == nil || m.userID != c.user.id {
		return nil, notFound("Message")
	}
	return m, nil
}

// listUnprocessed is GET /unprocessed-messages.
func (s *Server) listUnprocessed(c *call) (any, error) {
	out := []any{}
	for _, m := range s.sortedMessages() {
		if m.userID == c.user.id {
			out = append(out, m.view())
		}
	}
	return out, nil
}

// getUnprocessed is GET /unprocessed-messages/{id}.
func (s *Server) getUnprocessed(c *call) (any, error) {
	m, err := s.ownMessage(c)
	if err != nil {
		return nil, err
	}
	return m.view(), nil
}

// removeUnprocessed is DELETE …/{id} and both retry routes: the message leaves the list.
func (s *Server) removeUnprocessed(c *call) (any, error) {
	m, err := s.ownMessage(c)
	if err != nil {
		return nil, err
	}
	delete(s.rt().messages, m.id)
	return map[string]any{"messageId": m.id}, nil
}
