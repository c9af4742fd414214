// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

//go:build bench

package provider

import "sync/atomic"

// configured counts the Configure calls of this process that reached Appmixer (and so logged in).
var configured atomic.Int64

func noteConfigured() { configured.Add(1) }

// ConfiguredCount is how often this process configured a client; the benchmark, built with the bench
// tag, compares it with the logins the server saw.
func ConfiguredCount() int64 { return configured.Load() }
