package main

import "os"

// pluginLogLevels are the plugin-side log levels of the SDK, its protocol and framework subsystems,
// this provider and its API client (see internal/appmixer/logging.go).
var pluginLogLevels = []string{
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_APPMIXER", "TF_LOG_PROVIDER_APPMIXER_API",
}

// silenceUnseenLogs turns plugin logging off when Terraform would discard it anyway. Unless told
// otherwise, a plugin writes every trace line as JSON to stderr, and Terraform parses each line only
// to drop it when neither TF_LOG nor TF_LOG_PROVIDER is set; for a plan of a few hundred resources
// that is more than half of the wall time (see BENCHMARKS.md). Levels set explicitly are kept.
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
