// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package conformance

import (
	"os"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/testenv"
)

// TestMain runs the tests in an environment cleared of the developer's own provider and terraform
// settings (APPMIXER_*, TF_LOG*, TF_CLI_*...): a test that needs one sets it itself.
func TestMain(m *testing.M) {
	testenv.Clean()
	os.Exit(m.Run())
}
