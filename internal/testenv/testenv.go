// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package testenv gives a test binary the environment its tests assume, whatever the shell that runs it
// exports. A developer who uses the provider has APPMIXER_BASE_URL and friends set, maybe TF_LOG or a
// TF_CLI_CONFIG_FILE of their own; the provider, terraform and the tests would all read them. Each test
// package calls Clean from its TestMain, and a test that needs one of these variables sets it itself
// (t.Setenv, or the environment of the terraform it runs).
package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Hostile is an environment that points everywhere but where the tests go: a tenant that does not
// answer, trace logging, a CLI configuration that does not exist, the contract dialect, saved plans'
// flags. A test binary run with it must pass all the same (the tests named ...HostileEnvironment).
var Hostile = []string{
	"APPMIXER_BASE_URL=http://127.0.0.1:9",
	"APPMIXER_TENANT=acme",
	"APPMIXER_USERNAME=developer@example.com",
	"APPMIXER_PASSWORD=developer-password",
	"APPMIXER_TOKEN=developer-token",
	"APPMIXER_API_DIALECT=contract",
	"APPMIXER_MAX_RETRIES=0",
	"APPMIXER_REQUEST_TIMEOUT=1ms",
	"APPMIXER_BATCH_REFRESH=false",
	"APPMIXER_MAX_REQUESTS_PER_SECOND=1",
	"TF_LOG=trace",
	"TF_LOG_PROVIDER_APPMIXER_API=trace",
	"TF_LOG_PATH=/nonexistent/dir/terraform.log",
	"TF_CLI_CONFIG_FILE=/nonexistent/terraformrc",
	"TF_CLI_ARGS_plan=-refresh=false",
	"TF_CLI_ARGS_apply=-parallelism=1",
	"TF_DATA_DIR=/nonexistent/tfdata",
	"TF_WORKSPACE=developer",
	"TF_VAR_appmixer_password=developer-password",
}

// kept are the variables that choose, on purpose, what the suite runs against: which terraform
// (TF_ACC_TERRAFORM_PATH, the provider address of an OpenTofu leg), whether acceptance tests run, and a
// real tenant (APPMIXER_ACC_*, see internal/provider/acc_tenant_test.go).
func kept(name string) bool {
	return name == "TF_ACC" || strings.HasPrefix(name, "TF_ACC_") || strings.HasPrefix(name, "APPMIXER_ACC_")
}

// cleared reports whether a variable changes what the provider, terraform or appmixer-local do.
func cleared(name string) bool {
	if kept(name) {
		return false
	}
	for _, prefix := range []string{"APPMIXER_", "TF_LOG", "TF_CLI_", "TF_VAR_", "TF_REATTACH_PROVIDERS",
		"TF_DATA_DIR", "TF_WORKSPACE", "TF_PLUGIN_CACHE_DIR", "TF_IN_AUTOMATION", "TF_INPUT", "TF_IGNORE", "TF_STATE_PERSIST_INTERVAL"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// Clean unsets every variable that would change what the tests see and turns off terraform's
// network checkpoint. It returns the names it unset, for a test binary that wants to say so.
func Clean() []string {
	var unset []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if cleared(name) {
			_ = os.Unsetenv(name) // fails only for a name with "=" or NUL, which Environ cannot hold
			unset = append(unset, name)
		}
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	return unset
}

// RunHostile runs the named tests of this test binary again, in a process of their own whose
// environment adds Hostile (and env), and fails t unless each of them passes: the proof that the
// package's TestMain clears what a developer's shell may hold.
func RunHostile(t *testing.T, names []string, env ...string) {
	t.Helper()
	pattern := "^(" + strings.Join(names, "|") + ")$"
	cmd := exec.Command(os.Args[0], "-test.run", pattern, "-test.count=1", "-test.v", "-test.timeout=10m") //nolint:gosec // our own test binary
	cmd.Env = append(append(os.Environ(), Hostile...), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("with %s the tests fail (%v):\n%s", strings.Join(Hostile, " "), err, tail(out, 8000))
	}
	for _, name := range names {
		if !strings.Contains(string(out), "--- PASS: "+name+" ") {
			t.Errorf("%s did not pass (skipped or not run) with the hostile environment:\n%s", name, tail(out, 8000))
		}
	}
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
