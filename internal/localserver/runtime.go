// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"encoding/json"
	"errors"
	"time"
)

// runtimeState is what a running tenant produces and a promotion check reads: engine log entries,
// messages a component could not process, people tasks and the verdicts of account tests. A test or a
// user's CI puts them there (the Go methods below, or the /_local routes of runtime_control.go),
// because the local server runs no flow that could produce them.
type runtimeState struct {
	logs         []*logEntry
	logSeq       int
	messages     map[string]*unprocessedMessage
	msgSeq       int
	tasks        map[string]*peopleTask
	taskSeq      int
	accountTests map[string]*accountVerdict // by accountId
}

// rt is the runtime state, made on first use so that New needs no change; call it with s.mu held.
func (s *Server) rt() *runtimeState {
	if s.runtime == nil {
		s.runtime = &runtimeState{
			messages:     map[string]*unprocessedMessage{},
			tasks:        map[string]*peopleTask{},
			accountTests: map[string]*accountVerdict{},
		}
	}
	return s.runtime
}

// LogEntry is one engine log entry, as AddLogEntry takes it and LogEntries gives it back.
type LogEntry struct {
	FlowID        string    `json:"flowId"`
	ComponentID   string    `json:"componentId"`
	ComponentType string    `json:"componentType"` // default: the component's type in the flow
	Severity      string    `json:"severity"`      // e.g. "info", "error"; default "info"
	Message       string    `json:"msg"`
	Err           string    `json:"err"`           // an error's text, for error entries
	PortType      string    `json:"portType"`      // "in" or "out", or empty
	Time          time.Time `json:"gridTimestamp"` // zero: the server's clock now
}

// AddLogEntry stores a log entry of an existing flow, as if its component had logged it.
func (s *Server) AddLogEntry(e LogEntry) error {
	if s.localOnly("log entries added behind the API (AddLogEntry)") {
		return errors.New("AddLogEntry needs a local server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addLogEntry(e, s.opts.Now())
}

// LogEntries returns the stored entries of a flow, oldest first: a test's oracle.
func (s *Server) LogEntries(flowID string) []LogEntry {
	if s.localOnly("the stored log entries (LogEntries)") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []LogEntry
	for _, e := range s.rt().logs {
		if e.FlowID == flowID {
			out = append(out, e.LogEntry)
		}
	}
	return out
}

// UnprocessedMessage is a message a component could not process, for AddUnprocessedMessage.
type UnprocessedMessage struct {
	FlowID      string         `json:"flowId"`
	ComponentID string         `json:"componentId"`
	InPort      string         `json:"inPort"`  // default "in"
	Content     map[string]any `json:"content"` // the message; default {}
	Err         string         `json:"err"`     // why it failed
	Created     time.Time      `json:"created"` // zero: the server's clock now
}

// AddUnprocessedMessage stores a waiting message of an existing flow and returns its messageId.
func (s *Server) AddUnprocessedMessage(m UnprocessedMessage) (string, error) {
	if s.localOnly("unprocessed messages added behind the API (AddUnprocessedMessage)") {
		return "", errors.New("AddUnprocessedMessage needs a local server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg, err := s.addUnprocessedMessage(m, s.opts.Now())
	if err != nil {
		return "", err
	}
	return msg.id, nil
}

// UnprocessedMessageIDs lists the ids of a flow's waiting messages, oldest first: a test's oracle.
func (s *Server) UnprocessedMessageIDs(flowID string) []string {
	if s.localOnly("the stored unprocessed messages (UnprocessedMessageIDs)") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.sortedMessages() {
		if m.FlowID == flowID {
			out = append(out, m.id)
		}
	}
	return out
}

// PeopleTask is a people task (an approval), for AddPeopleTask. Requester and approver are e-mail
// addresses, as in Appmixer's POST /people-task/tasks.
type PeopleTask struct {
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Requester   string    `json:"requester"`
	Approver    string    `json:"approver"`
	Status      string    `json:"status"` // pending (default), approved or rejected
	DecisionBy  time.Time `json:"decisionBy"`
	Public      bool      `json:"public"`
}

// AddPeopleTask stores a people task and returns its id.
func (s *Server) AddPeopleTask(t PeopleTask) (string, error) {
	if s.localOnly("people tasks added behind the API (AddPeopleTask)") {
		return "", errors.New("AddPeopleTask needs a local server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	task, err := s.addPeopleTask(t, s.opts.Now())
	if err != nil {
		return "", err
	}
	return task.id, nil
}

// SetAccountTest decides what POST /accounts/{id}/test answers for an account: valid, or the
// connector's error message (a token that has gone bad).
func (s *Server) SetAccountTest(accountID string, valid bool, message string) error {
	if s.localOnly("an account's test verdict (SetAccountTest)") {
		return errors.New("SetAccountTest needs a local server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setAccountTest(accountID, valid, message)
}

// decodeOneOrMany reads a control route's body: one object or an array of them.
func decodeOneOrMany[T any](body []byte) ([]T, error) {
	var many []T
	if err := json.Unmarshal(body, &many); err == nil {
		return many, nil
	}
	var one T
	if err := json.Unmarshal(body, &one); err != nil {
		return nil, badRequest("Invalid request payload JSON format: %s", err.Error())
	}
	return []T{one}, nil
}
