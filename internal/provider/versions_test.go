package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Tests of features that newer Terraform releases add skip, with a message naming the version or
// OpenTofu, where the CLI under test (TF_ACC_TERRAFORM_PATH, else terraform on PATH) lacks them.
// .ci/run runs them again with Terraform 1.15 and OpenTofu 1.12.

// isOpenTofu reports whether the acceptance tests drive OpenTofu: its provider host, or its binary.
func isOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" ||
		strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

// needsTerraform skips a test below Terraform minimum, and under OpenTofu unless tofuHasIt.
func needsTerraform(minimum, feature string, tofuHasIt bool) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{featureCheck{minimum: version.Must(version.NewVersion(minimum)), feature: feature, tofu: tofuHasIt}}
}

type featureCheck struct {
	minimum *version.Version
	feature string
	tofu    bool
}

func (c featureCheck) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	switch {
	case isOpenTofu() && !c.tofu:
		resp.Skip = fmt.Sprintf("OpenTofu %s does not support %s: skipping", req.TerraformVersion, c.feature)
	case !isOpenTofu() && req.TerraformVersion.Core().LessThan(c.minimum):
		resp.Skip = fmt.Sprintf("Terraform %s lacks %s, which needs Terraform %s or newer: skipping", req.TerraformVersion, c.feature, c.minimum)
	}
}

// Feature gates of the tests.
var (
	needsIdentity = needsTerraform("1.12.0", "resource identity", true) // OpenTofu 1.12 has it too
)
