// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

//go:build !bench

package provider

// noteConfigured counts configured clients only in benchmark builds (bench_stats.go).
func noteConfigured() {}
