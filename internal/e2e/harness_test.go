// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package e2e drives the real terraform CLI against a freshly built provider binary and local Appmixer
// servers, the way a CI job would, with no terraform-plugin-testing shortcuts.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testenv"
)

// cliConfig is a terraformrc whose dev_overrides point terraform at the provider built in TestMain;
// benchCLIConfig points at the same provider built with the bench tag, which writes process statistics.
var cliConfig, benchCLIConfig string

// buildProvider builds the provider into dir and returns a CLI configuration that runs it.
func buildProvider(ctx context.Context, dir string, flags ...string) (string, error) {
	args := append(append([]string{"build"}, flags...), "-o", filepath.Join(dir, "terraform-provider-appmixer"), "../..")
	build := exec.CommandContext(ctx, "go", args...)
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the provider %v: %w", flags, err)
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"appmixer/appmixer\" = %q\n  }\n  direct {}\n}\n", dir)
	config := filepath.Join(dir, "terraformrc")
	return config, os.WriteFile(config, []byte(rc), 0o600)
}

// TestMain builds the provider for the tests, in an environment cleared of the developer's own provider
// and terraform settings (testenv.Clean): terraform and the provider it runs inherit it.
func TestMain(m *testing.M) {
	reuse := os.Getenv(reuseBuildsEnv)
	testenv.Clean()
	os.Exit(run(m, reuse))
}

// reuseBuildsEnv passes the CLI configurations of builds already made to a test binary started by a test
// (TestHostileEnvironment), which then skips building.
const reuseBuildsEnv = "E2E_REUSE_PROVIDER_BUILDS"

func run(m *testing.M, reuse string) int {
	if os.Getenv("TF_ACC") == "" {
		fmt.Println("e2e: TF_ACC is not set; these tests drive real terraform and run with make test")
		return m.Run()
	}
	if configs := filepath.SplitList(reuse); len(configs) == 2 {
		cliConfig, benchCLIConfig = configs[0], configs[1]
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "appmixer-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// The release build, and a bench-tagged one for the tests that read the process statistics.
	if cliConfig, err = buildProvider(ctx, filepath.Join(dir, "release")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if benchCLIConfig, err = buildProvider(ctx, filepath.Join(dir, "bench"), "-tags", "bench"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

func requireTF(t *testing.T) {
	t.Helper()
	if cliConfig == "" {
		t.Skip("set TF_ACC=1 to run the end-to-end tests")
	}
}

// terraformBinary is the CLI the tests drive: TF_ACC_TERRAFORM_PATH when set, as for the acceptance
// tests (so one variable points a whole CI leg at Terraform 1.15 or OpenTofu), else terraform on PATH.
func terraformBinary() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

// tfResult is one terraform run.
type tfResult struct {
	exitCode int
	stdout   string
	stderr   string
}

// terraform runs the terraform CLI in dir with the dev_overrides config and the given environment.
func terraform(t *testing.T, dir string, env []string, args ...string) tfResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraformBinary(), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := tfResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.exitCode = exitErr.ExitCode()
	default:
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// mustTerraform runs terraform and fails the test unless it exits with want.
func mustTerraform(t *testing.T, dir string, env []string, want int, args ...string) tfResult {
	t.Helper()
	res := terraform(t, dir, env, args...)
	if res.exitCode != want {
		t.Fatalf("terraform %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.exitCode, want, res.stdout, res.stderr)
	}
	return res
}

// startLocalServer starts an in-process Appmixer for one test and stops it when the test ends.
func startLocalServer(t *testing.T, opts localserver.Options) *localserver.Running {
	t.Helper()
	srv, err := localserver.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("stopping the local Appmixer server: %v", err)
		}
	})
	return srv
}
