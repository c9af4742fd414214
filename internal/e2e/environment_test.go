// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"os"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/testenv"
)

// TestHostileEnvironment: terraform and the provider inherit the test's environment, so a developer's
// own tenant, credentials, dialect, log level or CLI configuration would reach them; TestMain clears
// them and the quickstart passes all the same.
func TestHostileEnvironment(t *testing.T) {
	requireTF(t)
	t.Parallel()
	testenv.RunHostile(t, []string{"TestQuickstartExample"}, reuseBuildsEnv+"="+cliConfig+string(os.PathListSeparator)+benchCLIConfig)
}
