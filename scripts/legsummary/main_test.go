// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"slices"
	"testing"
)

func TestUnnamedSkips(t *testing.T) {
	events := []event{
		{Action: "output", Package: "p", Test: "TestA_query", Output: "    Terraform 1.11.4 lacks list resources: skipping\n"},
		{Action: "skip", Package: "p", Test: "TestA_query"},
		{Action: "output", Package: "p", Test: "TestB_action", Output: "    OpenTofu 1.12.6 does not support actions: skipping\n"},
		{Action: "skip", Package: "p", Test: "TestB_action"},
		{Action: "output", Package: "p", Test: "TestC", Output: "    flaky, skipping\n"},
		{Action: "skip", Package: "p", Test: "TestC"},
		{Action: "skip", Package: "p", Test: "TestD"},
		{Action: "pass", Package: "p", Test: "TestE"},
	}
	if got := unnamedSkips(events); !slices.Equal(got, []string{"TestC", "TestD"}) {
		t.Errorf("unnamed skips %v, want TestC and TestD", got)
	}
}
