package main

import (
	"os"
	"runtime/debug"
)

// Process settings that make the plugin cheaper to run; BENCHMARKS.md has the measurements.

// pluginLogLevels are the plugin-side log levels of the SDK, its protocol and framework subsystems,
// this provider and its API client (see internal/appmixer/logging.go).
var pluginLogLevels = []string{
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_APPMIXER", "TF_LOG_PROVIDER_APPMIXER_API",
}

// silenceUnseenLogs turns plugin logging off when Terraform would discard it anyway. Unless told
// otherwise, a plugin writes every trace line as JSON to stderr, and Terraform parses each line only
// to drop it when neither TF_LOG nor TF_LOG_PROVIDER is set; for a plan of a few hundred resources
// that was more than half of the wall time. Levels set explicitly are kept.
func silenceUnseenLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, name := range pluginLogLevels {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, "OFF")
		}
	}
}

// softMemoryLimit makes the garbage collector work harder before the heap reaches it; it is no cap.
// The plugin's live data is small, but the framework allocates heavily on every call (about 600 KB
// per resource in a plan, much of it reflection), and with the default pacing the heap of a plan of
// 1000 flows peaked near 160 MB; with this limit it stays near 115 MB for about 4% more time.
const softMemoryLimit = 100 << 20

// limitMemory applies softMemoryLimit unless GOMEMLIMIT chooses another.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
