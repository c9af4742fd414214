// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// Account is a connected third-party account.
type Account struct {
	ID          string
	Name        string
	DisplayName string
	Service     string // "vendor:service", e.g. "appmixer:slack"
	UserID      string
	Revoked     *bool // nil where the server does not say
}

type accountWire struct {
	AccountID   flexString `json:"accountId"`
	ID          flexString `json:"id"`
	Name        flexString `json:"name"`
	DisplayName flexString `json:"displayName"`
	Service     flexString `json:"service"`
	UserID      flexString `json:"userId"`
	Revoked     *flexBool  `json:"revoked"`
}

func (w *accountWire) account() Account {
	a := Account{ID: w.id(), Name: string(w.Name), DisplayName: string(w.DisplayName), Service: string(w.Service), UserID: string(w.UserID)}
	if w.Revoked != nil {
		b := bool(*w.Revoked)
		a.Revoked = &b
	}
	return a
}

func (w *accountWire) id() string {
	if w.AccountID != "" {
		return string(w.AccountID)
	}
	return string(w.ID)
}

// ListAccounts returns the caller's accounts, of one service when service
// is set. The filter is also applied here because the contract ignores it.
func (c *Client) ListAccounts(ctx context.Context, service string) ([]Account, error) {
	cl := call{method: http.MethodGet, path: "/accounts"}
	if service != "" && c.dialect != DialectContract {
		cl.query = url.Values{"filter": {"service:" + service}}
	}
	var ws []accountWire
	if err := c.do(ctx, cl, &ws); err != nil {
		return nil, err
	}
	out := make([]Account, 0, len(ws))
	for i := range ws {
		w := &ws[i]
		if service != "" && string(w.Service) != service {
			continue
		}
		out = append(out, w.account())
	}
	return out, nil
}

// DeleteAccount revokes and deletes an account.
func (c *Client) DeleteAccount(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/accounts/" + esc(id)}, nil)
}

// NewAccount is the input of CreateAccount.
type NewAccount struct {
	Service     string
	Name        string
	DisplayName string          // omitted when empty
	Token       json.RawMessage // the credentials, shaped by the service's auth.js
}

// CreateAccount is POST /accounts: it injects credentials as a connected account. The provider asks
// Appmixer neither to check the token's scope nor to fetch a profile from the third party, so the
// account is what the configuration says. The body is secret in logs: the token's keys are free-form.
func (c *Client) CreateAccount(ctx context.Context, in NewAccount) (*Account, error) {
	body := map[string]any{"service": in.Service, "name": in.Name, "token": in.Token}
	if in.DisplayName != "" {
		body["displayName"] = in.DisplayName
	}
	q := url.Values{"validateScope": {"false"}, "requestProfileInfo": {"false"}}
	var w accountWire
	if err := c.do(ctx, call{method: http.MethodPost, path: "/accounts", query: q, body: body, class: retryCreate, secretKeys: everyKey}, &w); err != nil {
		return nil, err
	}
	if w.id() == "" {
		return nil, errors.New("POST /accounts: the response has no accountId")
	}
	a := w.account()
	return &a, nil
}

// SetAccountDisplayName is PUT /accounts/{id} {"displayName"}, the one field Appmixer lets change; an
// empty name clears it.
func (c *Client) SetAccountDisplayName(ctx context.Context, id, displayName string) error {
	var v any = displayName
	if displayName == "" {
		v = nil
	}
	return c.do(ctx, call{method: http.MethodPut, path: "/accounts/" + esc(id), body: map[string]any{"displayName": v}}, nil)
}
