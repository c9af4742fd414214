//go:build !bench

package provider

// noteConfigured counts configured clients only in benchmark builds (bench_stats.go).
func noteConfigured() {}
