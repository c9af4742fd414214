// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package testenv

import (
	"os"
	"strings"
	"testing"
)

// Clean unsets every variable of Hostile, and keeps those that choose on purpose what the suite runs
// against: TF_ACC, the terraform of a CI leg, a real tenant for the acceptance tests.
func TestCleanKeepsOnlyWhatChoosesTheRun(t *testing.T) {
	for _, kv := range Hostile {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}
	kept := map[string]string{"TF_ACC": "1", "TF_ACC_TERRAFORM_PATH": "/opt/tofu", "APPMIXER_ACC_BASE_URL": "https://api.acme.appmixer.cloud", "HOME": os.Getenv("HOME")}
	for k, v := range kept {
		t.Setenv(k, v)
	}
	Clean()
	for _, kv := range Hostile {
		name, _, _ := strings.Cut(kv, "=")
		if v, set := os.LookupEnv(name); set {
			t.Errorf("%s is still set (%q)", name, v)
		}
	}
	for k, v := range kept {
		if got := os.Getenv(k); got != v {
			t.Errorf("%s = %q, want %q kept", k, got, v)
		}
	}
	if os.Getenv("CHECKPOINT_DISABLE") != "1" {
		t.Error("terraform's checkpoint is not disabled")
	}
}
