// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

//go:build !bench

package main

// writeProcessStats is a no-op unless the binary is built with the bench tag (procstats.go).
func writeProcessStats() {}
