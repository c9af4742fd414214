// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
)

// App is an app of the catalog: a module, or a service without modules.
type App struct {
	Name        string
	Label       string
	Category    string
	Description string
	Icon        string
}

type appWire struct {
	Name        flexString `json:"name"`
	Label       flexString `json:"label"`
	Category    flexString `json:"category"`
	Description flexString `json:"description"`
	Icon        flexString `json:"icon"`
}

func (w *appWire) app(key string) App {
	a := App{Name: string(w.Name), Label: string(w.Label), Category: string(w.Category),
		Description: string(w.Description), Icon: string(w.Icon)}
	if a.Name == "" {
		a.Name = key
	}
	return a
}

// ListApps returns the apps sorted by name. The real API answers an object
// keyed by app name, the contract an array.
func (c *Client) ListApps(ctx context.Context) ([]App, error) {
	resp, err := c.send(ctx, call{method: http.MethodGet, path: "/apps"})
	if err != nil {
		return nil, err
	}
	var apps []App
	switch jsonKind(resp.body) {
	case '{':
		var m map[string]appWire
		if err := json.Unmarshal(resp.body, &m); err != nil {
			return nil, fmt.Errorf("GET /apps: decoding response: %w", err)
		}
		for k, w := range m {
			apps = append(apps, w.app(k))
		}
	case '[':
		var list []appWire
		if err := json.Unmarshal(resp.body, &list); err != nil {
			return nil, fmt.Errorf("GET /apps: decoding response: %w", err)
		}
		for i := range list {
			apps = append(apps, list[i].app(""))
		}
	case 0, 'n': // empty or null: no apps
	default:
		return nil, fmt.Errorf("GET /apps: unexpected response: %s", truncate(string(resp.body), 200))
	}
	sort.Slice(apps, func(i, j int) bool { return apps[i].Name < apps[j].Name })
	return apps, nil
}
