// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"
)

// Flow is a flow as returned by either dialect.
type Flow struct {
	ID           string
	UserID       string
	Name         string
	Description  *string // nil when the server omits it (contract)
	Stage        string  // raw server stage
	Definition   json.RawMessage
	CustomFields map[string]any
	CreatedAt    string // btime
	UpdatedAt    string // mtime
	Thumbnail    string

	// Type is automation or an integration type (FlowTypeDraft, ...); "" when the server omits it.
	Type string
	// OriginFlowID links a template to its draft and an instance made with setOriginFlowId to its template.
	OriginFlowID string
	// TemplateID links an instance to its template (appmixer-api.md §7); Revision is the publisher's.
	TemplateID string
	Revision   int
	// SharedWith is who may see the flow; a template is published when it is not empty.
	SharedWith []Share
	// ComponentIDMap maps the original's component ids to this clone's (templates, instances).
	ComponentIDMap map[string]string
	// Wizard is the integration wizard document, nil when the flow has none.
	Wizard json.RawMessage
	// Notes are the Designer's sticky notes ({<id>: {x, y, width, height, content}}), nil when none.
	Notes json.RawMessage
	// Categories are the integration categories (ids) a draft or template is in (appmixer-api.md §10).
	Categories []string
}

// Running reports a flow that is running or on its way there.
func (f *Flow) Running() bool { return f.Stage == "running" || f.Stage == "starting" }

// FlowInput is what the client writes for a flow.
type FlowInput struct {
	Name         string
	Description  *string // nil leaves it out; never sent to a contract server
	Definition   json.RawMessage
	CustomFields map[string]any // nil leaves it out

	// The fields below are never sent to a contract server.
	Type           string            // "" leaves it out
	Wizard         json.RawMessage   // nil leaves it out
	SharedWith     []Share           // nil leaves it out; empty (not nil) unshares
	ComponentIDMap map[string]string // nil leaves it out
	Revision       *int              // nil leaves it out
	TemplateID     string            // an instance's link to its template; "" leaves it out
	Notes          json.RawMessage   // nil leaves it out
	Categories     []string          // nil leaves it out; empty (not nil) clears them
}

// ListFlowsOptions are the GET /flows query parameters; zero values are not
// sent.
type ListFlowsOptions struct {
	Limit, Offset             int
	Pattern, Sort, Projection string
	Filters                   []string // each "path:value", ANDed
	// Summary asks only for the id, owner, name, type, stage, mtime and custom fields (when Projection is
	// empty; a flow stored without a type is a plain automation when it has an owner):
	// a listing then downloads no descriptors or thumbnails.
	Summary bool
}

// Projections of a summary listing. The real API takes the fields to keep; the contract documents
// projection as fields to leave out, so there the large ones are excluded instead.
const (
	summaryProjection         = "flowId,userId,name,type,stage,mtime,customFields"
	contractSummaryProjection = "-flow,-thumbnail"
)

// defaultPageSize matches the server's default limit.
const defaultPageSize = 100

// flowWire accepts the real (`flowId`) and the contract (`id`) shape.
type flowWire struct {
	FlowID       flexString      `json:"flowId"`
	ID           flexString      `json:"id"`
	UserID       flexString      `json:"userId"`
	Name         flexString      `json:"name"`
	Description  *string         `json:"description"`
	Stage        flexString      `json:"stage"`
	Flow         json.RawMessage `json:"flow"`
	CustomFields map[string]any  `json:"customFields"`
	BTime        flexString      `json:"btime"`
	MTime        flexString      `json:"mtime"`
	Thumbnail    flexString      `json:"thumbnail"`

	Type           flexString      `json:"type"`
	OriginFlowID   flexString      `json:"originFlowId"`
	TemplateID     flexString      `json:"templateId"`
	Revision       flexInt         `json:"revision"`
	SharedWith     json.RawMessage `json:"sharedWith"`
	ComponentIDMap json.RawMessage `json:"componentIdMap"`
	Wizard         json.RawMessage `json:"wizard"`
	Notes          json.RawMessage `json:"notes"`
	Categories     flexStrings     `json:"categories"`
}

func (w *flowWire) id() string {
	if w.FlowID != "" {
		return string(w.FlowID)
	}
	return string(w.ID)
}

func (w *flowWire) flow() Flow {
	f := Flow{
		ID: w.id(), UserID: string(w.UserID), Name: string(w.Name), Description: w.Description,
		Stage: string(w.Stage), CustomFields: w.CustomFields,
		CreatedAt: string(w.BTime), UpdatedAt: string(w.MTime), Thumbnail: string(w.Thumbnail),
	}
	if isJSONValue(w.Flow) {
		f.Definition = w.Flow
	}
	f.Type, f.OriginFlowID = string(w.Type), string(w.OriginFlowID)
	f.TemplateID, f.Revision = string(w.TemplateID), int(w.Revision)
	f.SharedWith = decodeShares(w.SharedWith)
	f.ComponentIDMap = decodeStringMap(w.ComponentIDMap)
	if isJSONValue(w.Wizard) {
		f.Wizard = w.Wizard
	}
	if isJSONValue(w.Notes) {
		f.Notes = w.Notes
	}
	f.Categories = []string(w.Categories)
	return f
}

func (o ListFlowsOptions) query(paging bool) url.Values {
	q := url.Values{}
	if paging && o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if paging && o.Offset > 0 {
		q.Set("offset", strconv.Itoa(o.Offset))
	}
	if o.Pattern != "" {
		q.Set("pattern", o.Pattern)
	}
	if paging && o.Sort != "" {
		q.Set("sort", o.Sort)
	}
	if paging && o.Projection != "" {
		q.Set("projection", o.Projection)
	}
	for _, f := range o.Filters {
		q.Add("filter", f)
	}
	return q
}

// ListFlows returns one page of flows.
func (c *Client) ListFlows(ctx context.Context, opts ListFlowsOptions) ([]Flow, error) {
	if opts.Summary && opts.Projection == "" {
		opts.Projection = summaryProjection
		if c.contractish() {
			opts.Projection = contractSummaryProjection
		}
	}
	var ws []flowWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/flows", query: opts.query(true)}, &ws); err != nil {
		return nil, err
	}
	out := make([]Flow, 0, len(ws))
	for i := range ws {
		out = append(out, ws[i].flow())
	}
	return out, nil
}

// ListAllFlows pages through GET /flows (Limit is the page size, default
// 100) to the end of the list; see walkPages for how the end is found.
func (c *Client) ListAllFlows(ctx context.Context, opts ListFlowsOptions) ([]Flow, error) {
	return walkPages(ctx, pageWalk[Flow]{
		size: opts.Limit,
		fetch: func(ctx context.Context, limit, offset int) ([]Flow, error) {
			page := opts
			page.Limit, page.Offset = limit, offset
			return c.ListFlows(ctx, page)
		},
		key: func(f Flow) string { return f.ID },
	})
}

// CountFlows counts the flows matching opts' Pattern and Filters with GET
// /flows/count, or, where the server lacks it, by listing them.
func (c *Client) CountFlows(ctx context.Context, opts ListFlowsOptions) (int, error) {
	var n int
	err := c.withFallback(ctx, featureFlowCount, func(ctx context.Context) error {
		var w struct {
			Count int `json:"count"`
		}
		err := c.do(ctx, call{method: http.MethodGet, path: "/flows/count", query: opts.query(false)}, &w)
		n = w.Count
		return err
	}, func(ctx context.Context) error {
		all, err := c.ListAllFlows(ctx, ListFlowsOptions{Pattern: opts.Pattern, Filters: opts.Filters})
		n = len(all)
		return err
	})
	return n, err
}

// CountFlowsDirect counts like CountFlows but only ever asks GET
// /flows/count: where the server lacks that route it returns the error (with
// the contract dialect ErrNotSupported) instead of listing every flow, so a
// caller can use it to decide whether listing is worth its cost.
func (c *Client) CountFlowsDirect(ctx context.Context, opts ListFlowsOptions) (int, error) {
	if c.useContract(featureFlowCount) {
		return 0, c.notSupported("counting flows with GET /flows/count", nil)
	}
	var w struct {
		Count *int `json:"count"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/flows/count", query: opts.query(false)}, &w); err != nil {
		return 0, err
	}
	if w.Count == nil || *w.Count < 0 {
		return 0, errors.New("GET /flows/count: the response carried no count")
	}
	return *w.Count, nil
}

// flowWritten tells the FlowWritten hook, if any, that id changes.
func (c *Client) flowWritten(id string) {
	if c.cfg.FlowWritten != nil && id != "" {
		c.cfg.FlowWritten(id)
	}
}

// GetFlow returns one flow.
func (c *Client) GetFlow(ctx context.Context, id string) (*Flow, error) {
	var w flowWire
	if err := c.do(ctx, call{method: http.MethodGet, path: "/flows/" + esc(id)}, &w); err != nil {
		return nil, err
	}
	f := w.flow()
	if f.ID == "" {
		f.ID = id
	}
	return &f, nil
}

// flowBody builds a flow write body; a contract server gets only the keys
// the contract defines.
func (c *Client) flowBody(in FlowInput, contract bool) map[string]any {
	b := map[string]any{"name": in.Name}
	if len(in.Definition) > 0 {
		b["flow"] = in.Definition
	}
	if in.CustomFields != nil {
		b["customFields"] = in.CustomFields
	}
	if contract {
		return b
	}
	if in.Description != nil {
		b["description"] = *in.Description
	}
	if in.Type != "" {
		b["type"] = in.Type
	}
	if in.Wizard != nil {
		b["wizard"] = in.Wizard
	}
	if in.SharedWith != nil {
		b["sharedWith"] = in.SharedWith
	}
	if in.ComponentIDMap != nil {
		b["componentIdMap"] = in.ComponentIDMap
	}
	if in.Revision != nil {
		b["revision"] = *in.Revision
	}
	if in.TemplateID != "" {
		b["templateId"] = in.TemplateID
	}
	if in.Notes != nil {
		b["notes"] = in.Notes
	}
	if in.Categories != nil {
		b["categories"] = in.Categories
	}
	return b
}

// CreateFlow creates a flow and returns its id. The real API gets PUT
// /flows/{new UUID}, an upsert, so a retry after a lost response cannot
// create a duplicate. The contract gets POST /flows, which is never re-sent
// once the server may have acted on it.
//
// When the PUT fails without the server refusing it (retries ran out on lost
// responses or gateway errors), the flow may exist all the same: CreateFlow
// then returns the chosen id with the error, so the caller can look for it
// instead of leaving it behind.
func (c *Client) CreateFlow(ctx context.Context, in FlowInput) (string, error) {
	var id, putID string
	err := c.withFallback(ctx, featureCreateFlow, func(ctx context.Context) error {
		u, err := uuid.NewRandom()
		if err != nil {
			return fmt.Errorf("generating flow id: %w", err)
		}
		putID = u.String()
		var w flowWire
		cl := call{method: http.MethodPut, path: "/flows/" + putID, body: c.flowBody(in, c.contractish())}
		if err := c.do(ctx, cl, &w); err != nil {
			return err
		}
		id = w.id()
		if id == "" {
			id = putID
		}
		return nil
	}, func(ctx context.Context) error {
		putID = ""
		var w flowWire
		cl := call{method: http.MethodPost, path: "/flows", body: c.flowBody(in, true), class: retryCreate}
		if err := c.do(ctx, cl, &w); err != nil {
			return err
		}
		if id = w.id(); id == "" {
			return errors.New("POST /flows: the response carried no flow id")
		}
		return nil
	})
	if err != nil {
		if code := StatusCode(err); putID != "" && (code == 0 || code >= 500) {
			// The flow may exist all the same; a cache must not vouch for it.
			c.flowWritten(putID)
			return putID, err
		}
		return "", err
	}
	c.flowWritten(id)
	return id, nil
}

// UpdateFlow replaces the flow's name, definition and the other set fields.
// A running flow needs force (forceUpdate=true).
func (c *Client) UpdateFlow(ctx context.Context, id string, in FlowInput, force bool) error {
	c.flowWritten(id)
	cl := call{method: http.MethodPut, path: "/flows/" + esc(id), body: c.flowBody(in, c.contractish())}
	if force {
		cl.query = url.Values{"forceUpdate": {"true"}}
	}
	return c.do(ctx, cl, nil)
}

// DeleteFlow deletes a flow (the server stops a running one first).
func (c *Client) DeleteFlow(ctx context.Context, id string) error {
	c.flowWritten(id)
	return c.do(ctx, call{method: http.MethodDelete, path: "/flows/" + esc(id)}, nil)
}

// StartFlow starts a flow; starting a running flow is a no-op.
func (c *Client) StartFlow(ctx context.Context, id string) error {
	return c.coordinate(ctx, id, "start")
}

// StopFlow stops a flow; stopping a stopped flow is a no-op.
func (c *Client) StopFlow(ctx context.Context, id string) error {
	return c.coordinate(ctx, id, "stop")
}

// coordinate uses POST /flows/{id}/coordinator (real) or PUT
// /flows/{id}/{command} (contract). Both are safe to repeat.
func (c *Client) coordinate(ctx context.Context, id, command string) error {
	c.flowWritten(id)
	return c.withFallback(ctx, featureStartStop, func(ctx context.Context) error {
		cl := call{method: http.MethodPost, path: "/flows/" + esc(id) + "/coordinator",
			body: map[string]string{"command": command}, class: retrySafe}
		return c.do(ctx, cl, nil)
	}, func(ctx context.Context) error {
		return c.do(ctx, call{method: http.MethodPut, path: "/flows/" + esc(id) + "/" + command}, nil)
	})
}
