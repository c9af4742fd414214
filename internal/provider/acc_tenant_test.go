// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// Real-tenant mode (README: "Running the acceptance tests against a real tenant"). With
// APPMIXER_ACC_BASE_URL, APPMIXER_ACC_USERNAME and APPMIXER_ACC_PASSWORD set, startServer hands
// every test that tenant instead of a local server, the way tfe and vercel run their suites
// against a real account. Tests that need what only a local server has skip there, saying what;
// in a normal run nothing skips. Objects a test makes there are named accPrefix..., and the
// sweepers below remove what a failed run leaves behind.

// accPrefix starts the name of every flow and user that a test running against a tenant makes.
const accPrefix = "tfacc-"

// tenantEnv holds the variable names, so that the messages and the README say the same.
var tenantEnv = struct{ baseURL, username, password string }{
	"APPMIXER_ACC_BASE_URL", "APPMIXER_ACC_USERNAME", "APPMIXER_ACC_PASSWORD",
}

type accTenantConfig struct{ baseURL, username, password string }

// accTenant is the tenant of this run; nil runs every test against its own local server.
var accTenant, accTenantErr = tenantFromEnv(os.LookupEnv)

func tenantFromEnv(env envLookup) (*accTenantConfig, error) {
	base, _ := env(tenantEnv.baseURL)
	if base == "" {
		return nil, nil
	}
	if err := checkHTTPURL(base); err != nil {
		return nil, fmt.Errorf("%s %w", tenantEnv.baseURL, err)
	}
	user, _ := env(tenantEnv.username)
	password, _ := env(tenantEnv.password)
	if user == "" || password == "" {
		return nil, fmt.Errorf("%s is set, so the acceptance tests run against that tenant; set %s and %s to an admin of it too",
			tenantEnv.baseURL, tenantEnv.username, tenantEnv.password)
	}
	return &accTenantConfig{baseURL: strings.TrimRight(base, "/"), username: user, password: password}, nil
}

// requireLocal skips the test in real-tenant mode: it needs what, which only a local server has.
func requireLocal(t *testing.T, what string) {
	t.Helper()
	if accTenant != nil {
		t.Skipf("needs %s, which only a local Appmixer server has: skipped in real-tenant mode (%s=%s)",
			what, tenantEnv.baseURL, accTenant.baseURL)
	}
}

// localOnlyOptions names what of opts only a local server can do.
func localOnlyOptions(opts localserver.Options) []string {
	var out []string
	for _, o := range []struct {
		set  bool
		what string
	}{
		{opts.Dialect == localserver.DialectContract, "the contract dialect"},
		{opts.ValidateContract, "contract validation"},
		{opts.AdminUsername != "" || opts.AdminPassword != "", "an admin of its own"},
		{opts.Latency != 0, "added latency"},
		{opts.FaultRate != 0 || opts.Seed != 0, "injected faults"},
		{opts.RateLimit != 0, "a rate limit"},
		{opts.TokenTTL != 0, "a token lifetime of its own"},
		{opts.MaxBodyBytes != 0, "a body size limit of its own"},
		{opts.MaxPageSize != 0, "a page size cap"},
		{opts.Now != nil, "a clock of its own"},
		{opts.Logf != nil, "a request log"},
	} {
		if o.set {
			out = append(out, o.what)
		}
	}
	return out
}

// tenantServer stands for the tenant: its URL and admin, and a skip for every local-only switch a
// test reaches for without having called requireLocal first.
func tenantServer(t *testing.T, opts localserver.Options) *localserver.Running {
	t.Helper()
	if local := localOnlyOptions(opts); len(local) > 0 {
		requireLocal(t, strings.Join(local, ", "))
	}
	return localserver.Remote(accTenant.baseURL, accTenant.username, accTenant.password, func(what string) {
		requireLocal(t, what)
	})
}

func init() {
	resource.AddTestSweepers("appmixer_flow", &resource.Sweeper{Name: "appmixer_flow", F: sweepFlows})
	resource.AddTestSweepers("appmixer_data_store", &resource.Sweeper{Name: "appmixer_data_store", F: sweepStores})
	// Deleting a user deletes its flows too; the flows of the admin go first.
	resource.AddTestSweepers("appmixer_user", &resource.Sweeper{Name: "appmixer_user", F: sweepUsers, Dependencies: []string{"appmixer_flow"}})
}

// sweepClient talks to the tenant of APPMIXER_ACC_*; the sweepers' "region" argument is unused.
func sweepClient() (*appmixer.Client, error) {
	if accTenantErr != nil {
		return nil, accTenantErr
	}
	if accTenant == nil {
		return nil, fmt.Errorf("set %s, %s and %s to the tenant to sweep", tenantEnv.baseURL, tenantEnv.username, tenantEnv.password)
	}
	return appmixer.New(appmixer.Config{BaseURL: accTenant.baseURL, Username: accTenant.username, Password: accTenant.password,
		Dialect: appmixer.DialectAppmixer})
}

// sweepFlows deletes the admin's flows named accPrefix..., stopping running ones first.
func sweepFlows(string) error {
	c, err := sweepClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	flows, err := c.ListAllFlows(ctx, appmixer.ListFlowsOptions{Pattern: accPrefix, Summary: true})
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range flows {
		if !strings.HasPrefix(f.Name, accPrefix) {
			continue
		}
		if f.Running() {
			if err := c.StopFlow(ctx, f.ID); err != nil && !appmixer.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("stopping flow %s (%q): %w", f.ID, f.Name, err))
				continue
			}
		}
		if err := c.DeleteFlow(ctx, f.ID); err != nil && !appmixer.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting flow %s (%q): %w", f.ID, f.Name, err))
		}
	}
	return errors.Join(errs...)
}

// sweepStores deletes the admin's data stores named accPrefix..., with their records.
func sweepStores(string) error {
	c, err := sweepClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	stores, err := c.ListStores(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, st := range stores {
		if strings.HasPrefix(st.Name, accPrefix) {
			if err := c.DeleteStore(ctx, st.ID); err != nil && !appmixer.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("deleting data store %s (%q): %w", st.ID, st.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// sweepUsers deletes the users named accPrefix... and waits for each deletion to finish.
func sweepUsers(string) error {
	c, err := sweepClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	users, err := c.ListUsers(ctx, accPrefix)
	if err != nil {
		return err
	}
	var errs []error
	for _, u := range users {
		if !strings.HasPrefix(u.Username, accPrefix) {
			continue
		}
		if err := deleteUserAndWait(ctx, c, u.ID); err != nil {
			errs = append(errs, fmt.Errorf("deleting user %s (%q): %w", u.ID, u.Username, err))
		}
	}
	return errors.Join(errs...)
}

// deleteUserAndWait deletes a user outside Terraform and polls the deletion to its end; a user
// already gone is no error.
func deleteUserAndWait(ctx context.Context, c *appmixer.Client, id string) error {
	ticket, err := c.DeleteUser(ctx, id)
	if appmixer.IsNotFound(err) {
		return nil
	}
	if err != nil || ticket == "" {
		return err
	}
	return appmixer.Poll(ctx, func(ctx context.Context) (bool, error) {
		st, err := c.UserDeleteStatus(ctx, id, ticket)
		if err != nil {
			return false, err
		}
		if st.Err != "" {
			return true, errors.New(st.Err)
		}
		return st.Done, nil
	})
}

func TestTenantFromEnv(t *testing.T) {
	if c, err := tenantFromEnv(envOf(nil)); c != nil || err != nil {
		t.Fatalf("no variables: %+v, %v; want local servers", c, err)
	}
	c, err := tenantFromEnv(envOf(map[string]string{
		"APPMIXER_ACC_BASE_URL": "https://api.acme.appmixer.cloud/", "APPMIXER_ACC_USERNAME": "ci@acme.example", "APPMIXER_ACC_PASSWORD": "pw",
	}))
	if err != nil || *c != (accTenantConfig{"https://api.acme.appmixer.cloud", "ci@acme.example", "pw"}) {
		t.Fatalf("tenant = %+v, %v", c, err)
	}
	if _, err := tenantFromEnv(envOf(map[string]string{"APPMIXER_ACC_BASE_URL": "https://api.acme.appmixer.cloud"})); err == nil ||
		!strings.Contains(err.Error(), "set APPMIXER_ACC_USERNAME and APPMIXER_ACC_PASSWORD") {
		t.Fatalf("missing credentials: %v", err)
	}
	if _, err := tenantFromEnv(envOf(map[string]string{"APPMIXER_ACC_BASE_URL": "acme"})); err == nil {
		t.Fatal("a base URL that is no URL was accepted")
	}
}
