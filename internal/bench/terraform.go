// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// operations are measured in this order on each workspace; destroy leaves it empty for the next run.
var operations = []string{"apply", "plan", "destroy"}

// tfEnv runs the terraform CLI with the freshly built providers (appmixer and the no-op baseline)
// through dev_overrides, so no init, registry or network is involved (terraform_data is built into
// terraform).
type tfEnv struct {
	root      string
	cliConfig string
	statsFile string
}

func newTFEnv(root, providerDir string) (*tfEnv, error) {
	abs, err := filepath.Abs(providerDir)
	if err != nil {
		return nil, err
	}
	overrides := ""
	for _, w := range workloads {
		if w.source == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(abs, w.binary)); err != nil {
			return nil, fmt.Errorf("the provider binary of %s is missing: %w", w.kind, err)
		}
		overrides += fmt.Sprintf("    %q = %q\n", w.source, abs)
	}
	rc := "provider_installation {\n  dev_overrides {\n" + overrides + "  }\n  direct {}\n}\n"
	env := &tfEnv{root: root, cliConfig: filepath.Join(root, "terraformrc"), statsFile: filepath.Join(root, "provider-stats.jsonl")}
	return env, os.WriteFile(env.cliConfig, []byte(rc), 0o600)
}

// workspace writes main.tf into a new directory under the work root.
func (e *tfEnv) workspace(name, config string) (string, error) {
	dir := filepath.Join(e.root, name)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600)
}

// opResult is one terraform command.
type opResult struct {
	Seconds  float64        `json:"seconds"`
	Requests map[string]int `json:"requests,omitempty"`
	Total    int            `json:"total_requests"`
	// RateLimited and PeakPerSecond: the server's 429 answers and most requests in one of its seconds.
	RateLimited   int `json:"rate_limited,omitempty"`
	PeakPerSecond int `json:"peak_per_second,omitempty"`
	// SpanSeconds is the time from the first to the last request the server saw.
	SpanSeconds float64 `json:"span_seconds,omitempty"`
	Processes   int     `json:"provider_processes"`
	Configured  int     `json:"configured_processes"`
	PeakRSSKB   int     `json:"peak_rss_kb"`
}

// runOp times one operation in dir; for the provider's workspaces it also collects the server's
// request counts (reset first) and what each provider process wrote to the stats file at exit. extra
// are more terraform flags, such as -parallelism=30.
func (e *tfEnv) runOp(ctx context.Context, srv *server, dir, op string, provider bool, extra ...string) (*opResult, error) {
	args := map[string][]string{
		"apply":   {"apply", "-auto-approve", "-input=false", "-no-color"},
		"plan":    {"plan", "-detailed-exitcode", "-input=false", "-no-color"},
		"destroy": {"destroy", "-auto-approve", "-input=false", "-no-color"},
	}[op]
	args = append(args[:len(args):len(args)], extra...)
	if provider {
		if err := srv.resetStats(ctx); err != nil {
			return nil, err
		}
	}
	_ = os.Remove(e.statsFile)
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+e.cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_INPUT=0", "APPMIXER_PROVIDER_STATS_FILE="+e.statsFile)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := &opResult{Seconds: time.Since(start).Seconds()}
	if err != nil {
		// A no-change plan exits 0 with -detailed-exitcode; 2 would mean the benchmark saw drift.
		_ = os.WriteFile(filepath.Join(dir, op+".log"), out.Bytes(), 0o600)
		return nil, fmt.Errorf("terraform %s: %w (output in %s)", op, err, filepath.Join(dir, op+".log"))
	}
	if !provider {
		return r, nil
	}
	st, err := srv.stats(ctx)
	if err != nil {
		return nil, err
	}
	r.Total, r.Requests, r.RateLimited, r.PeakPerSecond = st.Total, st.Requests, st.RateLimited, st.PeakPerSecond
	r.SpanSeconds = st.SpanSeconds
	if err := e.readProviderStats(r); err != nil {
		return nil, err
	}
	return r, nil
}

// readProviderStats adds up the lines the provider processes of one command wrote when they exited.
func (e *tfEnv) readProviderStats(r *opResult) error {
	f, err := os.Open(e.statsFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	s := bufio.NewScanner(f)
	for s.Scan() {
		var line struct {
			Configured int    `json:"configured"`
			VmHWM      string `json:"VmHWM"`
		}
		if err := json.Unmarshal(s.Bytes(), &line); err != nil {
			return fmt.Errorf("provider stats line %q: %w", s.Text(), err)
		}
		r.Processes++
		r.Configured += line.Configured
		var kb int
		if _, err := fmt.Sscanf(line.VmHWM, "%d kB", &kb); err == nil && kb > r.PeakRSSKB {
			r.PeakRSSKB = kb
		}
	}
	return s.Err()
}

// describeMachine names what the numbers were measured on.
func describeMachine(ctx context.Context) string {
	tf := "terraform ?"
	if out, err := exec.CommandContext(ctx, "terraform", "version").Output(); err == nil {
		tf = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	}
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v) + ", "
				break
			}
		}
	}
	return fmt.Sprintf("%s%d CPUs, %s/%s, %s, %s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), tf)
}
