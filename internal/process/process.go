// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package process tunes the plugin process before it serves: it silences logs no one will read and
// sets a soft memory limit. BENCHMARKS.md has the measurements behind both.
package process

import (
	"os"
	"runtime/debug"
)

// pluginLogLevels are the plugin-side log levels of the SDK, its protocol and framework subsystems,
// this provider and its API client (see internal/appmixer/logging.go).
var pluginLogLevels = []string{
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_APPMIXER", "TF_LOG_PROVIDER_APPMIXER_API",
}

// SilenceUnseenLogs turns plugin logging off when Terraform would discard it anyway. Unless told
// otherwise, a plugin writes every trace line as JSON to stderr, and Terraform parses each line only
// to drop it when neither TF_LOG nor TF_LOG_PROVIDER is set; for a plan of a few hundred resources
// that was more than half of the wall time. Levels set explicitly are kept.
func SilenceUnseenLogs() { silenceUnseenLogs(osEnv{}) }

// env is the part of the process environment the tuning reads and writes; tests pass a map.
type env interface {
	LookupEnv(key string) (string, bool)
	Setenv(key, value string) error
}

type osEnv struct{}

func (osEnv) LookupEnv(key string) (string, bool) { return os.LookupEnv(key) }
func (osEnv) Setenv(key, value string) error      { return os.Setenv(key, value) }

func silenceUnseenLogs(e env) {
	for _, shown := range []string{"TF_LOG", "TF_LOG_PROVIDER"} {
		if v, _ := e.LookupEnv(shown); v != "" {
			return
		}
	}
	for _, name := range pluginLogLevels {
		if _, set := e.LookupEnv(name); !set {
			_ = e.Setenv(name, "OFF")
		}
	}
}

// softMemoryLimit makes the garbage collector work harder before the heap reaches it; it is no cap.
// The plugin's live data is small, but the framework allocates heavily on every call (about 600 KB
// per resource in a plan, much of it reflection), and with the default pacing the heap of a plan of
// 1000 flows peaked near 160 MB; with this limit it stays near 115 MB for about 4% more time.
const softMemoryLimit = 100 << 20

// LimitMemory applies softMemoryLimit unless GOMEMLIMIT chooses another.
func LimitMemory() {
	if limit, ok := memoryLimit(osEnv{}); ok {
		debug.SetMemoryLimit(limit)
	}
}

// memoryLimit is the limit to set, if any: the runtime reads GOMEMLIMIT by itself.
func memoryLimit(e env) (int64, bool) {
	if _, set := e.LookupEnv("GOMEMLIMIT"); set {
		return 0, false
	}
	return softMemoryLimit, true
}
