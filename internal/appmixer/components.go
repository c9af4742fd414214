// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ComponentManifest is a component of the catalog. With names only, just
// Name is set.
type ComponentManifest struct {
	Name    string
	Label   string
	Version string
	Trigger bool
	Service string          // auth.service, e.g. "appmixer:slack"
	Raw     json.RawMessage // the object as returned; nil for a bare name
}

// UploadStatus is the state of an asynchronous component publish.
type UploadStatus struct {
	Finished bool
	Err      string // set when the publish failed
	Problems []UploadProblem
}

// UploadProblem is one validation error of a published package.
type UploadProblem struct {
	DataPath string
	Message  string
}

type manifestWire struct {
	Name    flexString      `json:"name"`
	Label   flexString      `json:"label"`
	Version flexString      `json:"version"`
	Trigger flexBool        `json:"trigger"`
	Type    flexString      `json:"type"` // contract: {name, label, type}
	Auth    json.RawMessage `json:"auth"`
}

func decodeManifest(raw json.RawMessage) (ComponentManifest, error) {
	if jsonKind(raw) != '{' {
		var name flexString
		err := json.Unmarshal(raw, &name)
		return ComponentManifest{Name: string(name)}, err
	}
	var w manifestWire
	if err := json.Unmarshal(raw, &w); err != nil {
		return ComponentManifest{}, err
	}
	m := ComponentManifest{Name: string(w.Name), Label: string(w.Label), Version: string(w.Version),
		Trigger: bool(w.Trigger), Raw: raw}
	if m.Name == "" && strings.Count(string(w.Type), ".") == 3 {
		m.Name = string(w.Type)
	}
	if strings.EqualFold(string(w.Type), "trigger") {
		m.Trigger = true
	}
	if jsonKind(w.Auth) == '{' {
		var a struct {
			Service flexString `json:"service"`
		}
		if json.Unmarshal(w.Auth, &a) == nil {
			m.Service = string(a.Service)
		}
	}
	return m, nil
}

// matchesSelector reports name within a service, module or component
// selector (prefix at a dot boundary).
func matchesSelector(name, selector string) bool {
	return selector == "" || name == selector || strings.HasPrefix(name, selector+".")
}

// ListComponents lists installed components under selector ("" for all),
// as names or, with withManifests, manifests. The contract takes no query,
// so the selector is applied here as well.
func (c *Client) ListComponents(ctx context.Context, selector string, withManifests bool) ([]ComponentManifest, error) {
	cl := call{method: http.MethodGet, path: "/components"}
	if c.dialect != DialectContract {
		q := url.Values{"manifest": {"no"}}
		if withManifests {
			q.Set("manifest", "yes")
		}
		if selector != "" {
			q.Set("selector", selector)
		}
		cl.query = q
	}
	var raws []json.RawMessage
	if err := c.do(ctx, cl, &raws); err != nil {
		return nil, err
	}
	out := make([]ComponentManifest, 0, len(raws))
	for _, raw := range raws {
		m, err := decodeManifest(raw)
		if err != nil {
			return nil, fmt.Errorf("GET /components: decoding %s: %w", truncate(string(raw), 100), err)
		}
		if m.Name != "" && matchesSelector(m.Name, selector) {
			out = append(out, m)
		}
	}
	return out, nil
}

// PublishComponent uploads a component package (a zip whose root is the
// vendor directory). The real API takes the raw zip and answers a ticket to
// poll with ComponentUploadStatus; the contract takes JSON and publishes
// synchronously ("" ticket). Being a creating POST, it is re-sent only on
// 429.
func (c *Client) PublishComponent(ctx context.Context, selector string, zip []byte) (string, error) {
	var ticket string
	jsonBody := func(ctx context.Context) error {
		body := map[string]string{"name": selector, "archive": base64.StdEncoding.EncodeToString(zip)}
		var w struct {
			Ticket flexString `json:"ticket"`
		}
		err := c.do(ctx, call{method: http.MethodPost, path: "/components", body: body, class: retryCreate}, &w)
		ticket = string(w.Ticket)
		return err
	}
	if c.contractish() {
		return "", jsonBody(ctx)
	}
	rawZip := func(ctx context.Context) error {
		var w struct {
			Ticket flexString `json:"ticket"`
		}
		cl := call{method: http.MethodPost, path: "/components", raw: zip,
			contentType: "application/octet-stream", class: retryCreate}
		err := c.do(ctx, cl, &w)
		ticket = string(w.Ticket)
		return err
	}
	// A contract server may refuse the zip's media type with 415 rather
	// than 404/405.
	unknown := func(err error) bool { return routeUnknown(err) || StatusCode(err) == http.StatusUnsupportedMediaType }
	err := c.withFallbackOn(ctx, featurePublish, unknown, rawZip, jsonBody)
	return ticket, err
}

// ComponentUploadStatus polls a publish ticket (GET
// /components/uploader/{ticket}). An empty ticket (synchronous publish) is
// finished at once. `finished` may be a bool or a timestamp.
func (c *Client) ComponentUploadStatus(ctx context.Context, ticket string) (*UploadStatus, error) {
	if ticket == "" {
		return &UploadStatus{Finished: true}, nil
	}
	if c.dialect == DialectContract {
		return nil, c.notSupported("polling a component upload", nil)
	}
	var w struct {
		Finished flexBool        `json:"finished"`
		Err      flexString      `json:"err"`
		Data     json.RawMessage `json:"data"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/components/uploader/" + esc(ticket)}, &w); err != nil {
		return nil, err
	}
	st := &UploadStatus{Finished: bool(w.Finished) || w.Err != "", Err: string(w.Err)}
	if st.Err != "" {
		st.Problems = uploadProblems(w.Data)
	}
	return st, nil
}

// uploadProblems reads `data`: usually [{dataPath, message}], but the API
// allows anything, which is then kept as one message.
func uploadProblems(data json.RawMessage) []UploadProblem {
	if !isJSONValue(data) {
		return nil
	}
	var items []json.RawMessage
	if jsonKind(data) != '[' || json.Unmarshal(data, &items) != nil {
		return []UploadProblem{{Message: compactJSON(data)}}
	}
	out := make([]UploadProblem, 0, len(items))
	for _, it := range items {
		var p struct {
			DataPath     flexString `json:"dataPath"`
			InstancePath flexString `json:"instancePath"`
			Message      flexString `json:"message"`
		}
		if jsonKind(it) != '{' || json.Unmarshal(it, &p) != nil {
			var s flexString
			_ = json.Unmarshal(it, &s)
			out = append(out, UploadProblem{Message: string(s)})
			continue
		}
		path := string(p.DataPath)
		if path == "" {
			path = string(p.InstancePath)
		}
		out = append(out, UploadProblem{DataPath: path, Message: string(p.Message)})
	}
	return out
}

// DeleteComponent removes a component, module or service by selector.
func (c *Client) DeleteComponent(ctx context.Context, selector string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/components/" + esc(selector)}, nil)
}

// DownloadComponent is GET /components/{selector}: a zip of what was published under the selector, as
// `appmixer download` saves it. 403 means the user is not a developer of its vendor.
func (c *Client) DownloadComponent(ctx context.Context, selector string) ([]byte, error) {
	if err := c.realOnly("downloading components"); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, call{method: http.MethodGet, path: "/components/" + esc(selector)})
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// UploadTicketGrace bounds how long a new upload ticket may answer 404: Appmixer's uploader answers
// 404 until it has stored the ticket (appmixer-api.md §1.6), so an early 404 means "not yet". Past the
// grace, or once the ticket has answered, a 404 is a ticket the server does not know. Tests shrink it.
var UploadTicketGrace = time.Minute

// WaitComponentUpload polls an upload ticket until it finishes (with err set when the package was
// refused) or the wait fails: ctx ends, a request fails, or the ticket stays unknown past
// UploadTicketGrace.
func (c *Client) WaitComponentUpload(ctx context.Context, ticket string) (*UploadStatus, error) {
	issued := time.Now()
	seen := false
	var final *UploadStatus
	err := Poll(ctx, func(ctx context.Context) (bool, error) {
		st, err := c.ComponentUploadStatus(ctx, ticket)
		switch {
		case IsNotFound(err) && !seen && time.Since(issued) < UploadTicketGrace:
			return false, nil
		case IsNotFound(err) && !seen:
			return true, fmt.Errorf("the upload ticket was still unknown to the server %s after the upload: %w", UploadTicketGrace, err)
		case err != nil:
			return false, err
		}
		seen, final = true, st
		return st.Finished, nil
	})
	return final, err
}
