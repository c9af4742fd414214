// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestClientAndServerUnderConcurrency drives one server through one client from many goroutines, the
// way Terraform's parallel operations share a provider's client: creates, updates, reads and lists,
// with 5% faults and every token expiring half way. Run with -race it checks both packages for data
// races; its assertions check that no write is lost or torn and that no flow is duplicated.
func TestClientAndServerUnderConcurrency(t *testing.T) {
	t.Parallel()
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{FaultRate: 0.05, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("stopping the local Appmixer server: %v", err)
		}
	})
	c, err := appmixer.New(appmixer.Config{
		BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword(), Dialect: appmixer.DialectAppmixer,
		MaxRetries: 10, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const workers, flowsEach, rounds = 16, 4, 5
	shared, err := c.CreateFlow(ctx, flowInput("shared", -1))
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg      sync.WaitGroup
		expired sync.Once
		mu      sync.Mutex
		owned   = map[string]string{} // flow id -> name of its last write
	)
	for w := range workers {
		wg.Go(func() {
			var ids []string
			for f := range flowsEach {
				id, err := c.CreateFlow(ctx, flowInput(fmt.Sprintf("w%d-f%d-r0", w, f), w))
				if err != nil {
					t.Errorf("create: %v", err)
					return
				}
				ids = append(ids, id)
			}
			for r := 1; r <= rounds; r++ {
				if r == 3 {
					// Every token dies while the other goroutines are mid-request: each must log in again
					// (once, shared) and repeat its request.
					expired.Do(srv.ExpireTokens)
				}
				for f, id := range ids {
					name := fmt.Sprintf("w%d-f%d-r%d", w, f, r)
					if err := c.UpdateFlow(ctx, id, flowInput(name, w), false); err != nil {
						t.Errorf("update %s: %v", name, err)
						return
					}
					// Read your own write, through the same client the others hammer.
					if got, err := c.GetFlow(ctx, id); err != nil || got.Name != name {
						t.Errorf("read after writing %s: %v %+v", name, err, got)
						return
					}
				}
				// Everyone overwrites the shared flow as a whole; the last write must win whole.
				if err := c.UpdateFlow(ctx, shared, flowInput(fmt.Sprintf("shared-by-w%d", w), w), false); err != nil {
					t.Errorf("update shared: %v", err)
				}
				if _, err := c.ListFlows(ctx, appmixer.ListFlowsOptions{Limit: 20, Pattern: fmt.Sprintf("w%d-", w)}); err != nil {
					t.Errorf("list: %v", err)
				}
			}
			mu.Lock()
			for f, id := range ids {
				owned[id] = fmt.Sprintf("w%d-f%d-r%d", w, f, rounds)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	if logins := srv.Stats().Requests["POST /user/auth"]; logins < 2 {
		t.Errorf("%d logins: the expired tokens were never replaced", logins)
	}
	all, err := c.ListAllFlows(ctx, appmixer.ListFlowsOptions{Limit: 25})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != workers*flowsEach+1 {
		t.Fatalf("%d flows on the server, want %d: a create was lost or duplicated", len(all), workers*flowsEach+1)
	}
	for _, f := range all {
		if f.ID == shared {
			checkWhole(t, f)
			if want := fmt.Sprintf("shared-by-w%v", f.CustomFields["writer"]); f.Name != want {
				t.Errorf("shared flow named %q, but its last writer says %q", f.Name, want)
			}
			continue
		}
		if want, ok := owned[f.ID]; !ok || f.Name != want {
			t.Errorf("flow %s is %q, want %q: an update was lost", f.ID, f.Name, want)
		}
		checkWhole(t, f)
	}
}

// flowInput tags name, custom field and definition with the writer, so a flow mixing two writes shows.
func flowInput(name string, writer int) appmixer.FlowInput {
	def := fmt.Sprintf(`{"start":{"type":"appmixer.utils.controls.OnStart","x":%d,"y":0,"source":{},"config":{}}}`, writer)
	return appmixer.FlowInput{
		Name: name, Definition: json.RawMessage(def),
		CustomFields: map[string]any{"writer": float64(writer)},
	}
}

// checkWhole fails when a flow's fields come from different writes.
func checkWhole(t *testing.T, f appmixer.Flow) {
	t.Helper()
	var def struct {
		Start struct {
			X float64 `json:"x"`
		} `json:"start"`
	}
	if err := json.Unmarshal(f.Definition, &def); err != nil || f.CustomFields["writer"] != def.Start.X {
		t.Errorf("flow %s (%q) is torn: custom field writer %v, definition %s", f.ID, f.Name, f.CustomFields["writer"], f.Definition)
	}
}
