package appmixer

import (
	"context"
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
}

type accountWire struct {
	AccountID   flexString `json:"accountId"`
	ID          flexString `json:"id"`
	Name        flexString `json:"name"`
	DisplayName flexString `json:"displayName"`
	Service     flexString `json:"service"`
	UserID      flexString `json:"userId"`
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
		out = append(out, Account{ID: w.id(), Name: string(w.Name), DisplayName: string(w.DisplayName),
			Service: string(w.Service), UserID: string(w.UserID)})
	}
	return out, nil
}

// DeleteAccount revokes and deletes an account.
func (c *Client) DeleteAccount(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/accounts/" + esc(id)}, nil)
}
