// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// TestParallelism50 applies 50 flows with -parallelism=50 against one tenant, with a little latency so
// that the requests really overlap in the server, then destroys them the same way. Every flow must exist
// exactly once, with the definition of its own instance, and the state must name the server's flows.
// (Terraform's default parallelism, 10, is what the acceptance tests run with.)
func TestParallelism50(t *testing.T) {
	requireTF(t)
	t.Parallel()
	const n = 50
	s, err := localserver.New(localserver.Options{Latency: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// Counting requests in flight shows that terraform really ran more than its default 10 at once.
	var inFlight, peak atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv := &localserver.Running{Server: s, URL: ts.URL} // not listening itself: never Close it
	w := newWorkspace(t, fmt.Sprintf(`
provider "appmixer" {
  base_url = %q
  username = %q
  password = %q
}

resource "appmixer_flow" "many" {
  count = %d
  name  = "parallel-${count.index}"
  definition = jsonencode({
    start = { type = "appmixer.utils.controls.OnStart" }
    mail = {
      type   = "appmixer.utils.email.SendEmail"
      source = { in = { start = ["out"] } }
      config = { properties = { to = "team-${count.index}@example.com" } }
    }
  })
}
`, srv.URL, srv.AdminUsername(), srv.AdminPassword(), n))
	mustTerraform(t, w.dir, nil, 0, "apply", "-auto-approve", "-no-color", "-parallelism=50")

	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	if err != nil {
		t.Fatal(err)
	}
	flows, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]appmixer.Flow{}
	for _, f := range flows {
		if _, dup := byName[f.Name]; dup {
			t.Errorf("flow %q exists twice", f.Name)
		}
		byName[f.Name] = f
	}
	stateIDs := stateFlowIDs(t, w.dir)
	for i := range n {
		f, ok := byName[fmt.Sprintf("parallel-%d", i)]
		var def struct {
			Mail struct {
				Config struct {
					Properties struct {
						To string `json:"to"`
					} `json:"properties"`
				} `json:"config"`
			} `json:"mail"`
		}
		switch {
		case !ok:
			t.Errorf("flow parallel-%d is missing", i)
		case json.Unmarshal(f.Definition, &def) != nil || def.Mail.Config.Properties.To != fmt.Sprintf("team-%d@example.com", i):
			t.Errorf("flow parallel-%d holds another instance's definition: %s", i, f.Definition)
		case stateIDs[i] != f.ID:
			t.Errorf("the state has %q for parallel-%d, the server %q", stateIDs[i], i, f.ID)
		}
	}
	if len(flows) != n {
		t.Fatalf("%d flows on the server, want %d", len(flows), n)
	}

	if p := peak.Load(); p <= 10 {
		t.Errorf("at most %d requests were in flight at once; -parallelism=50 had no effect", p)
	}

	mustTerraform(t, w.dir, nil, 0, "plan", "-detailed-exitcode", "-no-color", "-parallelism=50")
	mustTerraform(t, w.dir, nil, 0, "destroy", "-auto-approve", "-no-color", "-parallelism=50")
	if left, err := api.ListAllFlows(context.Background(), appmixer.ListFlowsOptions{}); err != nil || len(left) != 0 {
		t.Fatalf("%d flows left after destroy (%v)", len(left), err)
	}
}

// stateFlowIDs reads the ids of appmixer_flow.many's instances, by index, from terraform.tfstate.
func stateFlowIDs(t *testing.T, dir string) map[int]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				IndexKey   int `json:"index_key"`
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	ids := map[int]string{}
	for _, r := range st.Resources {
		if r.Type != "appmixer_flow" {
			continue
		}
		for _, in := range r.Instances {
			ids[in.IndexKey] = in.Attributes.ID
		}
	}
	return ids
}
