// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Command legsummary reads the output of `go test -json` for scripts/ci-legs.sh, so that CI needs
// nothing beyond Go: `legsummary counts FILE` prints "PASSED FAILED SKIPPED", `legsummary unnamed FILE`
// the skipped tests whose messages name no Terraform version nor OpenTofu, and `legsummary output FILE`
// everything the tests printed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// event is one line of go test -json.
type event struct {
	Action, Package, Test, Output string
}

// namesAVersion is what a skip must say: the Terraform version or OpenTofu it lacks.
var namesAVersion = regexp.MustCompile(`OpenTofu|Terraform [0-9]`)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: legsummary counts|unnamed|output FILE")
		os.Exit(2)
	}
	events, err := read(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "legsummary:", err)
		os.Exit(1)
	}
	switch os.Args[1] {
	case "counts":
		n := map[string]int{}
		for _, e := range events {
			if e.Test != "" {
				n[e.Action]++
			}
		}
		fmt.Println(n["pass"], n["fail"], n["skip"])
	case "unnamed":
		fmt.Println(strings.Join(unnamedSkips(events), " "))
	case "output":
		for _, e := range events {
			fmt.Print(e.Output)
		}
	default:
		fmt.Fprintln(os.Stderr, "legsummary: unknown command", os.Args[1])
		os.Exit(2)
	}
}

// unnamedSkips lists the skipped tests whose output does not say why in terms of versions.
func unnamedSkips(events []event) []string {
	output := map[string]*strings.Builder{}
	var skipped []string
	for _, e := range events {
		if e.Test == "" {
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if output[key] == nil {
				output[key] = &strings.Builder{}
			}
			_, _ = output[key].WriteString(e.Output) // a strings.Builder never fails
		case "skip":
			skipped = append(skipped, key)
		}
	}
	var out []string
	for _, key := range skipped {
		if b := output[key]; b == nil || !namesAVersion.MatchString(b.String()) {
			out = append(out, key[strings.Index(key, " ")+1:])
		}
	}
	sort.Strings(out)
	return out
}

func read(path string) ([]event, error) {
	f, err := os.Open(path) //nolint:gosec // the log the CI script names
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var events []event
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 64<<20)
	for s.Scan() {
		var e event
		if json.Unmarshal(s.Bytes(), &e) == nil {
			events = append(events, e)
		}
	}
	return events, s.Err()
}
