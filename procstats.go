// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

//go:build bench

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"

	"github.com/appmixer/terraform-provider-appmixer/internal/provider"
)

// Built only with the bench tag (scripts/bench.sh), so a release binary writes no stats file.

// statsFileEnv names a file to which the provider process appends one JSON line when it exits: its pid,
// how often it configured a client, and its peak resident memory (VmHWM) as the kernel counted it. The benchmark (scripts/bench.sh) sets
// it; measuring terraform's own process, or sampling the plugin from outside, would miss or blur the peak.
const statsFileEnv = "APPMIXER_PROVIDER_STATS_FILE"

// writeProcessStats appends the line when statsFileEnv is set; errors are ignored, since the provider's
// work is done by then and the benchmark notices a missing line.
func writeProcessStats() {
	path := os.Getenv(statsFileEnv)
	if path == "" {
		return
	}
	line := map[string]any{"pid": os.Getpid(), "configured": provider.ConfiguredCount()}
	if f, err := os.Open("/proc/self/status"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			key, value, ok := strings.Cut(s.Text(), ":")
			if ok && (key == "VmHWM" || key == "VmRSS") {
				line[key] = strings.TrimSpace(value)
			}
		}
		_ = f.Close()
	}
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	out, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) //nolint:gosec // the file the benchmark asked for
	if err != nil {
		return
	}
	_, _ = out.Write(append(b, '\n'))
	_ = out.Close()
}
