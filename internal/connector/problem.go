// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import "fmt"

// Severity says whether a problem stops the package from being published.
type Severity int

const (
	// Error is for what Appmixer or its official tooling certainly refuses (a manifest that is not JSON,
	// a component without a name, a package over 10 MB, node_modules in a ready-made zip, a manifest
	// naming another vendor or service than the one being published).
	Error Severity = iota
	// Warning is for what looks wrong but ships in Appmixer's own connectors (names that do not match
	// their folders, components directly under the service, keys the CLI's schemas do not list, ...).
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one finding about a package. File is the offending file as the user knows it (a path on
// disk or "archive.zip:entry"); empty for problems with the selector itself. Key is the manifest key
// the problem is about, if any.
type Problem struct {
	Severity Severity
	File     string
	Key      string
	Message  string
}

func (p Problem) String() string {
	s := p.Message
	if p.Key != "" {
		s = fmt.Sprintf("key %q: %s", p.Key, s)
	}
	if p.File == "" {
		return s
	}
	return p.File + ": " + s
}

// HasErrors reports whether any problem stops publishing.
func HasErrors(problems []Problem) bool {
	for _, p := range problems {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// findings collects the problems of one package; where turns a path relative to the service folder
// into what the user should look at.
type findings struct {
	where    func(rel string) string
	problems []Problem
}

func (f *findings) add(sev Severity, rel, key, format string, args ...any) {
	f.problems = append(f.problems, Problem{Severity: sev, File: f.where(rel), Key: key, Message: fmt.Sprintf(format, args...)})
}

func (f *findings) errorf(rel, key, format string, args ...any) {
	f.add(Error, rel, key, format, args...)
}
func (f *findings) warnf(rel, key, format string, args ...any) {
	f.add(Warning, rel, key, format, args...)
}

// selectorError is a problem with the resource's name rather than with a file.
func (f *findings) selectorError(format string, args ...any) {
	f.problems = append(f.problems, Problem{Severity: Error, Message: fmt.Sprintf(format, args...)})
}
