// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package upgrade holds the upgrade tests: state written by old releases of the provider, built from
// this repository's own history, must plan with no change under the current build. They run in a CI leg
// of their own (scripts/upgrade-leg.sh, which builds the old providers and sets UPGRADE_OLD_PROVIDERS);
// their build tag, upgrade, keeps them out of make test, and this file keeps the package buildable there.
package upgrade
