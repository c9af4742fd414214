package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// batchedProviders serve a provider that lists flows from the first Read on, in pages of one flow, so
// that the acceptance tests' few flows take the batched path, paging included.
var batchedProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"appmixer": providerserver.NewProtocol6WithError(&appmixerProvider{version: "test", batch: &appmixer.BatchPolicy{
		SingleReads: 0, EagerMaxFlows: 100, MaxFlows: 100, PageSize: 1, Concurrency: 2, MaxAge: time.Hour,
	}}),
}

// TestAccFlowResource_driftBatched detects every kind of drift of the drift test from the listing.
func TestAccFlowResource_driftBatched(t *testing.T) {
	srv := startServer(t, localserver.Options{})
	testFlowDrift(t, srv, batchedProviders, expectReadPath(srv, true))
}

// expectReadPath checks which requests refreshed the flows since srv's stats were last reset: the
// listing without a single GET /flows/{id}, or single reads without a count or listing.
func expectReadPath(srv *localserver.Running, batched bool) plancheck.PlanCheck {
	return readPathCheck{srv: srv, batched: batched}
}

type readPathCheck struct {
	srv     *localserver.Running
	batched bool
}

func (c readPathCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	r := c.srv.Stats().Requests
	list, count, single := r["GET /flows"], r["GET /flows/count"], r["GET /flows/{id}"]
	if c.batched && (list == 0 || count == 0 || single != 0) || !c.batched && (list != 0 || count != 0 || single == 0) {
		resp.Error = fmt.Errorf("refresh took the wrong path (batched = %v): requests %v", c.batched, r)
	}
}
