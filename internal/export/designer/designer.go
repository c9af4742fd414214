// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package designer builds, through the API as Appmixer's own tools call it, a tenant the way a
// designer builds one by hand: the tenant the export tests read. It is test support, in its own
// package so that the export's unit tests and the end-to-end tests seed the same tenant.
package designer

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// Secrets the tenant holds; a module must never contain them.
const (
	SlackClientSecret = "slack-client-secret-from-dev"
	PartnerAPIKey     = "partner-api-key-from-dev"
	ShareUser         = "ann@shop.example"
	PublicFile        = "logo.svg"
	PublicContent     = "<svg xmlns='http://www.w3.org/2000/svg'/>"
)

// Seeded is what Build made, by name.
type Seeded struct {
	StoreID, OrdersFlowID, ReportFlowID, IntegrationID, ShareUserID string
	Objects                                                         int // resources an export of everything writes, besides the defaults (ACL routes, config and modifiers)
}

// Build seeds the tenant api logs in to (an admin), whose accounts maps service => account id of
// the accounts the flows are bound to (appmixer:slack and acme:weather). root is the repository root.
func Build(ctx context.Context, api *appmixer.Client, accounts map[string]string, root string) (*Seeded, error) {
	s := &Seeded{}
	var err error
	step := func(what string, f func() error) {
		if err == nil {
			if e := f(); e != nil {
				err = fmt.Errorf("seeding %s: %w", what, e)
			}
		}
	}
	step("the store", func() (e error) { s.StoreID, e = api.CreateStore(ctx, "Orders seen"); return })
	step("the service config", func() error {
		return api.CreateServiceConfig(ctx, appmixer.ServiceConfig{ServiceID: "appmixer:slack", Values: map[string]json.RawMessage{
			"clientId": json.RawMessage(`"slack-client-id"`), "clientSecret": json.RawMessage(`"` + SlackClientSecret + `"`),
			"sandbox": json.RawMessage(`true`)}})
	})
	step("the connector", func() error { return publish(ctx, api, root) })
	step("the user", func() error {
		u, e := api.CreateUser(ctx, appmixer.NewUser{Username: ShareUser, Email: ShareUser, Password: "ann-password-1"})
		if e == nil {
			s.ShareUserID = u.ID
		}
		return e
	})
	step("the flows", func() error { return flows(ctx, api, accounts, s) })
	step("the integration", func() error { return integration(ctx, api, s) })
	step("the public file", func() error { return api.UploadPublicFile(ctx, PublicFile, []byte(PublicContent)) })
	step("the ACL", func() error {
		return api.SetACL(ctx, "components", []appmixer.ACLRule{
			{Role: "admin", Resource: "*", Action: []string{"*"}, Attributes: []string{"*"}},
			{Role: "user", Resource: "appmixer.utils*", Action: []string{"use"}, Attributes: []string{"non-private"}},
			{Role: "user", Resource: "acme.weather*", Action: []string{"use"}, Attributes: []string{"non-private"}},
		})
	})
	step("the config keys", func() error {
		if _, e := api.SetConfig(ctx, "flowsPerUser", json.RawMessage(`{"max": 10}`)); e != nil {
			return e
		}
		_, e := api.SetConfig(ctx, "partnerApiKey", json.RawMessage(`"`+PartnerAPIKey+`"`))
		return e
	})
	step("the modifiers", func() error { return modifiers(ctx, api) })
	// store, service config, connector, 2 flows, integration, public file, 2 config keys, components ACL, modifiers
	s.Objects = 11
	return s, err
}

func publish(ctx context.Context, api *appmixer.Client, root string) error {
	pkg, _, err := connector.PackDir(filepath.Join(root, "examples/connectors/acme-weather/acme/weather"), "acme.weather")
	if err != nil {
		return err
	}
	ticket, err := api.PublishComponent(ctx, "acme.weather", pkg.Zip)
	if err != nil {
		return err
	}
	// The ticket answers 404 until the server has stored it (appmixer-api.md §1.6).
	_, err = api.WaitComponentUpload(ctx, ticket)
	return err
}

// flows: one bound to Slack that records orders in the store and runs; one that names the first
// flow, is shared with a user and has a custom field.
func flows(ctx context.Context, api *appmixer.Client, accounts map[string]string, s *Seeded) error {
	orders := fmt.Sprintf(`{
	  "o-start": {"type": "appmixer.utils.controls.OnStart", "label": "Start", "x": 100, "y": 100, "source": {}},
	  "o-store": {"type": "appmixer.utils.storage.Set", "label": "Remember", "x": 300, "y": 100,
	    "source": {"in": {"o-start": ["out"]}}, "config": {"properties": {"storeId": %q, "key": "${order}"}}},
	  "o-slack": {"type": "appmixer.slack.list.SendChannelMessage", "label": "Tell sales", "x": 500, "y": 100,
	    "source": {"in": {"o-store": ["out"]}},
	    "config": {"transform": {"in": {"o-store": {"out": {"type": "json2new", "lambda": {"channelId": "#sales", "text": "New order"}}}}}}}
	}`, s.StoreID)
	var err error
	if s.OrdersFlowID, err = api.CreateFlow(ctx, appmixer.FlowInput{Name: "Orders to Slack", Description: ptr("Every order, told to sales"),
		Definition: json.RawMessage(orders)}); err != nil {
		return err
	}
	if err := api.BindAccount(ctx, "o-slack", accounts["appmixer:slack"]); err != nil {
		return err
	}
	if err := api.StartFlow(ctx, s.OrdersFlowID); err != nil {
		return err
	}
	report := fmt.Sprintf(`{"r-timer": {"type": "appmixer.utils.timers.Timer", "label": "Nightly", "x": 100, "y": 100, "source": {}},
	  "r-weather": {"type": "acme.weather.forecast.GetForecast", "x": 300, "y": 100, "source": {"in": {"r-timer": ["out"]}},
	    "config": {"properties": {"notifyFlow": %q, "reviewer": %q}}}}`, s.OrdersFlowID, s.ShareUserID)
	if s.ReportFlowID, err = api.CreateFlow(ctx, appmixer.FlowInput{Name: "Nightly report", CustomFields: map[string]any{"team": "ops"},
		Definition: json.RawMessage(report), SharedWith: []appmixer.Share{{UserID: s.ShareUserID, Permissions: []string{"read"}}}}); err != nil {
		return err
	}
	return api.BindAccount(ctx, "r-weather", accounts["acme:weather"])
}

func integration(ctx context.Context, api *appmixer.Client, s *Seeded) error {
	draft, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: "Welcome e-mail", Type: appmixer.FlowTypeDraft,
		Definition: json.RawMessage(`{"w-start": {"type": "appmixer.utils.controls.OnStart", "x": 100, "y": 100, "source": {}},
		  "w-mail": {"type": "appmixer.utils.email.SendEmail", "x": 300, "y": 100, "source": {"in": {"w-start": ["out"]}},
		    "config": {"properties": {"to": "", "subject": "Welcome"}}}}`),
		Wizard: json.RawMessage(`{"fields": [{"type": "inspectorField", "label": "Send to", "source": "w-mail.config.properties.to"}]}`)})
	if err != nil {
		return err
	}
	s.IntegrationID = draft
	_, err = api.PublishIntegration(ctx, draft, []appmixer.Share{{Scope: "user", Permissions: []string{"read"}}})
	return err
}

// modifiers adds a custom modifier to the built-in document.
func modifiers(ctx context.Context, api *appmixer.Client) error {
	raw, err := api.Modifiers(ctx)
	if err != nil {
		return err
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	if doc["modifiers"] == nil {
		doc["modifiers"] = map[string]any{}
	}
	doc["modifiers"]["shout"] = map[string]any{"label": "Shout", "type": "modifier", "category": []string{"text"},
		"description": "Upper case and an exclamation mark.", "arguments": []any{}, "returns": map[string]any{"type": "string"},
		"helperFn": "function(value) { return String(value).toUpperCase() + '!'; }"}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return api.SetModifiers(ctx, out)
}

func ptr[T any](v T) *T { return &v }
