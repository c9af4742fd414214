// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Account bindings of a flow's components (PUT/DELETE /auth/component/...), which the descriptor
// does not hold.

const contractAccountsMessage = "accounts is not supported by the contract API dialect: it has no route to bind accounts to " +
	"components. Remove accounts (or leave it empty), or use api_dialect = \"appmixer\" against a real Appmixer API."

// syncAccounts makes the flow's bindings what want says. A null want means bindings are not managed:
// only those prior state held are removed, since the configuration dropped them. rebindAll re-binds
// every wanted component, which a definition update needs.
func (r *flowResource) syncAccounts(ctx context.Context, flowID string, want, prior types.Map, rebindAll bool) error {
	wantIDs, priorIDs := stringMap(want), stringMap(prior)
	if want.IsNull() || want.IsUnknown() {
		for _, c := range sortedKeys(priorIDs) {
			// A 404 is a component already gone with its binding.
			if err := r.client.UnbindAccount(ctx, c); err != nil && !bindingsUnsupported(err) {
				return fmt.Errorf("unbinding component %q: %w", c, err)
			}
		}
		return nil
	}
	auth, err := r.client.FlowAuth(ctx, flowID)
	if bindingsUnsupported(err) {
		if len(wantIDs) == 0 {
			return nil
		}
		return fmt.Errorf("%s (%w)", contractAccountsMessage, err)
	}
	if err != nil {
		return err
	}
	for _, c := range sortedKeys(wantIDs) {
		if _, ok := auth[c]; !ok {
			return fmt.Errorf("component %q takes no account: its type has no auth in its manifest, or it is not in the "+
				"flow; components that take one: %s", c, describeAuth(auth))
		}
	}
	for _, c := range sortedKeys(wantIDs) {
		if !rebindAll && auth[c].AccountID == wantIDs[c] {
			continue
		}
		if err := r.client.BindAccount(ctx, c, wantIDs[c]); err != nil {
			return fmt.Errorf("binding account %q to component %q: %w", wantIDs[c], c, err)
		}
	}
	for _, c := range sortedKeys(auth) {
		if _, keep := wantIDs[c]; !keep && auth[c].AccountID != "" {
			if err := r.client.UnbindAccount(ctx, c); err != nil && !appmixer.IsNotFound(err) {
				return fmt.Errorf("unbinding component %q: %w", c, err)
			}
		}
	}
	return nil
}

// bindingsUnsupported reports a server without the binding routes: the contract dialect, or (auto) a
// server answering 404/405 for a binding route. Callers use it only right after the flow was found or
// created, so a 404 there means the route, not the flow, is missing.
func bindingsUnsupported(err error) bool {
	return errors.Is(err, appmixer.ErrNotSupported) || appmixer.IsNotFound(err) ||
		appmixer.StatusCode(err) == http.StatusMethodNotAllowed
}
