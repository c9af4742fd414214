// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"strings"
	"testing"
)

func TestAccounts(t *testing.T) {
	t.Parallel()
	forDialects(t, Options{}, func(t *testing.T, h *harness) {
		tok := h.admin()
		slack, err := h.s.AddAccount(h.s.AdminUsername(), AccountSeed{Service: "appmixer:slack", Name: "ops@example.com", DisplayName: "Ops"})
		if err != nil {
			t.Fatal(err)
		}
		google := str(h.must(200, "POST", "/_local/accounts", tok, map[string]any{
			"service": "appmixer:google", "token": map[string]any{"accessToken": "t"}, "profileInfo": map[string]any{"email": "me@example.com"},
		}).obj()["accountId"])

		list := h.must(200, "GET", "/accounts?filter=service:appmixer:slack", tok, nil).arr()
		first, _ := list[0].(map[string]any)
		if h.s.contract {
			// The contract has no filter: everything is listed, in the contract's shape.
			if len(list) != 2 || strings.Join(sortedKeys(first), ",") != "accountId,name,profileInfo,service,valid" || first["valid"] != true {
				t.Fatalf("contract accounts %v", list)
			}
			got := h.must(200, "GET", "/accounts/"+google, tok, nil).obj()
			if got["name"] != "me@example.com" || got["service"] != "appmixer:google" {
				t.Fatalf("GET /accounts/{id} = %v", got)
			}
		} else {
			if len(list) != 1 || first["accountId"] != slack || first["displayName"] != "Ops" || first["label"] != "Slack" || first["userId"] == "" {
				t.Fatalf("filtered accounts %v", list)
			}
			if strings.Join(sortedKeys(first), ",") != "accountId,displayName,icon,label,name,profileInfo,revoked,service,userId" {
				t.Fatalf("account keys %v", sortedKeys(first))
			}
			if n := len(h.must(200, "GET", "/accounts?filter=service:!appmixer:slack", tok, nil).arr()); n != 1 {
				t.Fatalf("negated filter lists %d", n)
			}
			assertBoom(t, h.do("GET", "/accounts/"+google, tok, nil), 405, "") // Appmixer has no GET /accounts/{id}
		}
		deleted := h.must(200, "DELETE", "/accounts/"+slack, tok, nil).obj()
		if (h.s.contract && len(deleted) != 0) || (!h.s.contract && deleted["accountId"] != slack) {
			t.Fatalf("DELETE answers %v", deleted)
		}
		assertBoom(t, h.do("DELETE", "/accounts/"+slack, tok, nil), 404, "Account not found.")
		if _, err := h.s.AddAccount("nobody", AccountSeed{Service: "appmixer:slack"}); err == nil {
			t.Fatal("AddAccount for an unknown user succeeded")
		}
		if _, err := h.s.AddAccount(h.s.AdminUsername(), AccountSeed{Service: "slack"}); err == nil {
			t.Fatal("AddAccount with a bad service succeeded")
		}
	})
}

func TestBindings(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tok := h.admin()
	slack, err := h.s.AddAccount(h.s.AdminUsername(), AccountSeed{Service: "appmixer:slack", Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	google, err := h.s.AddAccount(h.s.AdminUsername(), AccountSeed{Service: "appmixer:google", Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	descriptor := map[string]any{
		"start": map[string]any{"type": "appmixer.utils.controls.OnStart"},
		"send":  map[string]any{"type": "appmixer.slack.list.SendChannelMessage", "source": map[string]any{"in": map[string]any{"start": []string{"out"}}}},
		"mail":  map[string]any{"type": "appmixer.google.gmail.SendEmail"},
		"other": map[string]any{"type": "acme.unknown.thing.Widget"},
	}
	flow := h.createFlow(tok, "bound", descriptor)

	auth := h.must(200, "GET", "/auth/flow/"+flow, tok, nil).obj()
	if strings.Join(sortedKeys(auth), ",") != "mail,send" {
		t.Fatalf("auth entries %v", auth)
	}
	if send, _ := auth["send"].(map[string]any); send["componentType"] != "appmixer.slack.list.SendChannelMessage" || send["service"] != "appmixer:slack" || send["accountId"] != nil {
		t.Fatalf("unbound entry %v", send)
	}
	r := h.must(200, "PUT", "/auth/component/send/"+slack, tok, nil).obj()
	if r["componentId"] != "send" || r["accountId"] != slack {
		t.Fatalf("bind answers %v", r)
	}
	h.must(200, "PUT", "/auth/component/other/"+google, tok, nil) // unknown types are not second-guessed
	if send, _ := h.must(200, "GET", "/auth/flow/"+flow, tok, nil).obj()["send"].(map[string]any); send["accountId"] != slack {
		t.Fatalf("bound entry %v", send)
	}
	assertBoom(t, h.do("PUT", "/auth/component/mail/"+slack, tok, nil), 400,
		`Account `+slack+` is of service appmixer:slack; component "mail" (appmixer.google.gmail.SendEmail) needs appmixer:google.`)
	assertBoom(t, h.do("PUT", "/auth/component/start/"+slack, tok, nil), 400, `Component "start" (appmixer.utils.controls.OnStart) does not use an account.`)
	assertBoom(t, h.do("PUT", "/auth/component/nope/"+slack, tok, nil), 404, "Component not found.")
	assertBoom(t, h.do("PUT", "/auth/component/send/nope", tok, nil), 404, "Account not found.")
	_, joe := h.signUp("joe")
	assertBoom(t, h.do("PUT", "/auth/component/send/"+slack, joe, nil), 404, "Component not found.")
	assertBoom(t, h.do("GET", "/auth/flow/"+flow, joe, nil), 404, "Flow not found.")

	h.must(200, "PUT", "/auth/component/mail/"+google, tok, nil)
	h.must(200, "DELETE", "/auth/component/mail", tok, nil)
	if mail, _ := h.must(200, "GET", "/auth/flow/"+flow, tok, nil).obj()["mail"].(map[string]any); mail["accountId"] != nil {
		t.Fatalf("unbind left %v", mail)
	}
	// A flow PUT keeps bindings of components that stay and drops those of removed ones.
	delete(descriptor, "other")
	h.must(200, "PUT", "/flows/"+flow, tok, map[string]any{"flow": descriptor})
	h.locked(func(s *Server) {
		if len(s.bindings) != 1 {
			t.Fatalf("bindings after PUT: %v", s.bindings)
		}
	})
	h.must(200, "DELETE", "/accounts/"+slack, tok, nil)
	if send, _ := h.must(200, "GET", "/auth/flow/"+flow, tok, nil).obj()["send"].(map[string]any); send["accountId"] != nil {
		t.Fatalf("deleted account still bound: %v", send)
	}
}
