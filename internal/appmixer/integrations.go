// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
)

// Appmixer 6's embedded integrations (appmixer-api.md §7): a draft flow, at most one template cloned
// from it and shared with end users (published), and each end user's instance cloned from the template.
// None of this exists in the contract dialect.

// Flow types.
const (
	FlowTypeAutomation = "automation"
	FlowTypeDraft      = "integration-draft"
	FlowTypeTemplate   = "integration-template"
	FlowTypeInstance   = "integration-instance"
)

// Share is one sharedWith entry: exactly one of Scope, Domain, Email or UserID names who, and
// Permissions what they may do.
type Share struct {
	Scope       string   `json:"scope,omitempty"`
	Domain      string   `json:"domain,omitempty"`
	Email       string   `json:"email,omitempty"`
	UserID      string   `json:"userId,omitempty"`
	Permissions []string `json:"permissions"`
}

type shareWire struct {
	Scope       flexString  `json:"scope"`
	Domain      flexString  `json:"domain"`
	Email       flexString  `json:"email"`
	UserID      flexString  `json:"userId"`
	Permissions flexStrings `json:"permissions"`
}

// decodeShares reads sharedWith leniently: entries that are not objects are skipped, and a value
// that is not an array reads as no sharing, so an odd value never fails a flow read.
func decodeShares(raw json.RawMessage) []Share {
	var items []json.RawMessage
	if jsonKind(raw) != '[' || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	out := make([]Share, 0, len(items))
	for _, it := range items {
		var w shareWire
		if jsonKind(it) != '{' || json.Unmarshal(it, &w) != nil {
			continue
		}
		out = append(out, Share{Scope: string(w.Scope), Domain: string(w.Domain), Email: string(w.Email),
			UserID: string(w.UserID), Permissions: []string(w.Permissions)})
	}
	return out
}

// decodeStringMap reads an object of strings (componentIdMap); anything else reads as nil.
func decodeStringMap(raw json.RawMessage) map[string]string {
	var m map[string]flexString
	if jsonKind(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// CloneOptions is the body of POST /flows/{id}/clone that the client uses.
type CloneOptions struct {
	Projection         string // fields not copied, e.g. "-sharedWith"
	ConnectAccounts    bool
	IsTemplateInstance bool
	SetOriginFlowID    bool
	Type               string  // additional.type; "" leaves it out
	SharedWith         []Share // additional.sharedWith; nil leaves it out
}

// CloneFlow clones a flow and returns the clone's id. It is not repeated once the server may have
// acted, since a second clone would be a second flow; a caller that loses the answer looks for the
// clone instead (FindTemplates for a template).
func (c *Client) CloneFlow(ctx context.Context, id string, o CloneOptions) (string, error) {
	if err := c.realOnly("cloning flows"); err != nil {
		return "", err
	}
	body := map[string]any{}
	if o.Projection != "" {
		body["projection"] = o.Projection
	}
	body["connectAccounts"], body["isTemplateInstance"], body["setOriginFlowId"] = o.ConnectAccounts, o.IsTemplateInstance, o.SetOriginFlowID
	additional := map[string]any{}
	if o.Type != "" {
		additional["type"] = o.Type
	}
	if o.SharedWith != nil {
		additional["sharedWith"] = o.SharedWith
	}
	if len(additional) > 0 {
		body["additional"] = additional
	}
	var w struct {
		CloneID flexString `json:"cloneId"`
	}
	cl := call{method: http.MethodPost, path: "/flows/" + esc(id) + "/clone", body: body, class: retryCreate}
	if err := c.do(ctx, cl, &w); err != nil {
		return "", err
	}
	if w.CloneID == "" {
		return "", errors.New("POST /flows/" + id + "/clone: the response carried no cloneId")
	}
	c.flowWritten(string(w.CloneID))
	return string(w.CloneID), nil
}

// PublishIntegration publishes a draft the first time: a template cloned from it with these shares,
// as Appmixer's own tooling does. It returns the template's id.
func (c *Client) PublishIntegration(ctx context.Context, draftID string, shares []Share) (string, error) {
	if shares == nil {
		shares = []Share{}
	}
	return c.CloneFlow(ctx, draftID, CloneOptions{Projection: "-sharedWith", SetOriginFlowID: true,
		Type: FlowTypeTemplate, SharedWith: shares})
}

// CreateIntegrationInstance is what the official CLI's e2e test sends for the logged-in end user: an
// instance of a template shared with them, linked by originFlowId only. It returns the instance's id.
func (c *Client) CreateIntegrationInstance(ctx context.Context, templateID string) (string, error) {
	return c.CloneFlow(ctx, templateID, CloneOptions{Projection: "-sharedWith", IsTemplateInstance: true,
		SetOriginFlowID: true, Type: FlowTypeInstance})
}

// originFilters are the filters of a draft's templates.
func originFilters(originID, flowType string) []string {
	return []string{"originFlowId:" + originID, "type:" + flowType}
}

// instanceLinks are the two filters that find a template's instances (appmixer-api.md §7): templateId,
// which the Wizard and the SDK set with a PUT after the clone, and originFlowId, which a clone made
// with setOriginFlowId carries. Either is the link, whatever the instance's type (an end user's
// customised copy included). Filters on different keys are ANDed, so the two are asked separately.
func instanceLinks(templateID string) [][]string {
	return [][]string{{"templateId:" + templateID}, {"originFlowId:" + templateID}}
}

// IsInstanceOf reports a flow linked to the template by either link; drafts and templates never are.
func (f *Flow) IsInstanceOf(templateID string) bool {
	if templateID == "" || f.Type == FlowTypeTemplate || f.Type == FlowTypeDraft {
		return false
	}
	return f.TemplateID == templateID || f.OriginFlowID == templateID
}

// FindTemplates lists the templates cloned from a draft (normally at most one), oldest first.
func (c *Client) FindTemplates(ctx context.Context, draftID string) ([]Flow, error) {
	if err := c.realOnly("integrations"); err != nil {
		return nil, err
	}
	return c.ListAllFlows(ctx, ListFlowsOptions{Filters: originFilters(draftID, FlowTypeTemplate)})
}

// instanceProjection is what a list of instances needs.
const instanceProjection = "flowId,userId,name,stage,btime,mtime,type,originFlowId,templateId,revision"

// ListIntegrationInstances lists the template's instances that the client's user can see, by either
// link, each once, oldest link first. An admin token is not known to see other users' flows: this is
// the user's own and shared instances, and may miss customers' (appmixer-api.md §7).
func (c *Client) ListIntegrationInstances(ctx context.Context, templateID string) ([]Flow, error) {
	if err := c.realOnly("integrations"); err != nil {
		return nil, err
	}
	var out []Flow
	seen := map[string]bool{}
	for _, filters := range instanceLinks(templateID) {
		flows, err := c.ListAllFlows(ctx, ListFlowsOptions{Filters: filters, Projection: instanceProjection})
		if err != nil {
			return nil, err
		}
		for _, f := range flows {
			if !seen[f.ID] && f.IsInstanceOf(templateID) {
				seen[f.ID] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// CountIntegrationInstances counts the template's instances the client's user can see (see
// ListIntegrationInstances): those linked by templateId plus those linked by originFlowId, less those
// linked by both, which are three counts and no listing.
func (c *Client) CountIntegrationInstances(ctx context.Context, templateID string) (int, error) {
	if err := c.realOnly("integrations"); err != nil {
		return 0, err
	}
	return countLinked(ctx, c.CountFlows, templateID)
}

func countLinked(ctx context.Context, count func(context.Context, ListFlowsOptions) (int, error), templateID string) (int, error) {
	links := instanceLinks(templateID)
	n := 0
	for i, filters := range [][]string{links[0], links[1], append(links[0], links[1]...)} {
		k, err := count(ctx, ListFlowsOptions{Filters: filters})
		if err != nil {
			return 0, err
		}
		if i == 2 {
			k = -k
		}
		n += k
	}
	return max(n, 0), nil
}

// UpdateIntegrationInstances pushes a template to all its instances and returns the ticket of the
// rollout. inProgressData is "keep" or "delete". Not repeated once the server may have acted: a lost
// answer must not start a second rollout.
func (c *Client) UpdateIntegrationInstances(ctx context.Context, templateID, inProgressData string) (string, error) {
	if err := c.realOnly("integrations"); err != nil {
		return "", err
	}
	cl := call{method: http.MethodPost, path: "/integrations/" + esc(templateID) + "/update-integration-instances",
		body: map[string]string{"inProgressData": inProgressData}, class: retryCreate}
	return c.ticket(ctx, cl)
}

// DeleteIntegration deletes a draft (or template) with its template and every instance and returns
// the ticket of the deletion.
func (c *Client) DeleteIntegration(ctx context.Context, id string) (string, error) {
	if err := c.realOnly("integrations"); err != nil {
		return "", err
	}
	c.flowWritten(id)
	return c.ticket(ctx, call{method: http.MethodDelete, path: "/integrations/" + esc(id)})
}

func (c *Client) ticket(ctx context.Context, cl call) (string, error) {
	var w struct {
		Ticket flexString `json:"ticket"`
	}
	if err := c.do(ctx, cl, &w); err != nil {
		return "", err
	}
	if w.Ticket == "" {
		return "", errors.New(cl.method + " " + cl.path + ": the response carried no ticket")
	}
	return string(w.Ticket), nil
}

// IntegrationStatus is the progress of a rollout or an integration deletion.
type IntegrationStatus struct {
	Status         string // "completed", "failed", or anything else while it runs
	StepsTotal     int
	StepsCompleted int
	Error          string // the server's text when it failed
}

// Completed and Failed are the two ends of a job.
func (s *IntegrationStatus) Completed() bool { return s.Status == "completed" }
func (s *IntegrationStatus) Failed() bool    { return s.Status == "failed" }

// GetIntegrationStatus reads GET /integrations/status/{ticket}; like the official CLI it takes
// state or status, and progress or stepsCompleted.
func (c *Client) GetIntegrationStatus(ctx context.Context, ticket string) (*IntegrationStatus, error) {
	var w struct {
		State          flexString `json:"state"`
		Status         flexString `json:"status"`
		StepsTotal     flexInt    `json:"stepsTotal"`
		Progress       *flexInt   `json:"progress"`
		StepsCompleted flexInt    `json:"stepsCompleted"`
		Error          flexString `json:"error"`
		Message        flexString `json:"message"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/integrations/status/" + esc(ticket)}, &w); err != nil {
		return nil, err
	}
	st := &IntegrationStatus{Status: string(w.State), StepsTotal: int(w.StepsTotal), StepsCompleted: int(w.StepsCompleted), Error: string(w.Error)}
	if st.Status == "" {
		st.Status = string(w.Status)
	}
	if w.Progress != nil {
		st.StepsCompleted = int(*w.Progress)
	}
	if st.Failed() && st.Error == "" {
		st.Error = string(w.Message)
	}
	return st, nil
}

// Bundle is an installed connector bundle.
type Bundle struct {
	Name    string
	Version string // "" when the server does not say
}

// ListBundles reads GET /bundles in every shape the official CLI accepts: an array of objects,
// {data: [...]}, {items: [...]}, or an object keyed by name. Name is bundleId, id or name; version
// is bundleVersion, version, latestVersion or currentVersion.
func (c *Client) ListBundles(ctx context.Context) ([]Bundle, error) {
	if err := c.realOnly("listing bundles"); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := c.do(ctx, call{method: http.MethodGet, path: "/bundles"}, &raw); err != nil {
		return nil, err
	}
	return decodeBundles(raw)
}

type bundleWire struct {
	BundleID       flexString `json:"bundleId"`
	ID             flexString `json:"id"`
	Name           flexString `json:"name"`
	BundleVersion  flexString `json:"bundleVersion"`
	Version        flexString `json:"version"`
	LatestVersion  flexString `json:"latestVersion"`
	CurrentVersion flexString `json:"currentVersion"`
}

func (w bundleWire) bundle(key string) Bundle {
	b := Bundle{Name: first(string(w.BundleID), string(w.ID), string(w.Name), key)}
	b.Version = first(string(w.BundleVersion), string(w.Version), string(w.LatestVersion), string(w.CurrentVersion))
	return b
}

func decodeBundles(raw json.RawMessage) ([]Bundle, error) {
	var list []json.RawMessage
	switch jsonKind(raw) {
	case '[':
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
	case '{':
		var env map[string]json.RawMessage
		if err := json.Unmarshal(raw, &env); err != nil {
			return nil, err
		}
		if inner, ok := env["data"]; ok && jsonKind(inner) == '[' {
			return decodeBundles(inner)
		}
		if inner, ok := env["items"]; ok && jsonKind(inner) == '[' {
			return decodeBundles(inner)
		}
		out := make([]Bundle, 0, len(env))
		for _, name := range slices.Sorted(maps.Keys(env)) {
			var w bundleWire
			if jsonKind(env[name]) == '{' {
				_ = json.Unmarshal(env[name], &w)
			} else {
				_ = json.Unmarshal(env[name], &w.Version) // {"name": "1.2.3"}
			}
			out = append(out, w.bundle(name))
		}
		return out, nil
	default:
		return nil, errors.New("GET /bundles: the response is neither a list nor an object")
	}
	out := make([]Bundle, 0, len(list))
	for _, item := range list {
		var w bundleWire
		if jsonKind(item) != '{' || json.Unmarshal(item, &w) != nil {
			continue
		}
		if b := w.bundle(""); b.Name != "" {
			out = append(out, b)
		}
	}
	return out, nil
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// flexInt accepts a number or a numeric string; anything else is 0.
type flexInt int

func (v *flexInt) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*v = 0
	// Anything that is not a finite number reads as 0, never as a decoding error.
	if f, err := strconv.ParseFloat(string(s), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		*v = flexInt(f)
	}
	return nil
}
