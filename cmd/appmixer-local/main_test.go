// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"flag"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

func TestDefaultListenIsLoopback(t *testing.T) {
	host, port, err := net.SplitHostPort(defaultListen)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() || port == "" {
		t.Fatalf("default -listen %q is not a loopback address", defaultListen)
	}
}

func TestBadFlagsFailFast(t *testing.T) {
	for _, args := range [][]string{
		{"-validate-contract"}, // needs -dialect contract
		{"-dialect", "v5", "-listen", "127.0.0.1:0"},
		{"-fault-rate", "2", "-listen", "127.0.0.1:0"},
		{"-no-such-flag"},
		{"-seed", "no-such-tenant.json", "-listen", "127.0.0.1:0"},
		{"-listen", "127.0.0.1:0", "extra-argument"},
		{"-listen", "127.0.0.1:0", "-tls-cert", "server.crt"},                             // no key
		{"-listen", "127.0.0.1:0", "-tls-client-ca", "ca.crt"},                            // mutual TLS without HTTPS
		{"-listen", "127.0.0.1:0", "-tls-cert", "missing.crt", "-tls-key", "missing.key"}, // unreadable
		{"-listen", "127.0.0.1:0", "-require-header", "no colon"},
	} {
		if err := run(args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestHelpDocumentsEveryFlag: -help succeeds and describes the seed file and every flag.
func TestHelpDocumentsEveryFlag(t *testing.T) {
	help := captureStderr(t, func() {
		if err := run([]string{"-help"}); err != nil {
			t.Errorf("-help: %v", err)
		}
	})
	for _, want := range []string{`"users"`, `"connectors"`, `"accounts"`, "source_dir", "/_local/stats",
		"/_local/logs", "/_local/unprocessed-messages", "/_local/people-tasks", "/_local/accounts/{accountId}/test",
		"https://", "mutual-TLS"} {
		if !strings.Contains(help, want) {
			t.Errorf("-help does not mention %s", want)
		}
	}
	flags := regexp.MustCompile(`(?m)^  -([\w-]+)`).FindAllStringSubmatch(help, -1)
	for _, want := range []string{"listen", "seed", "admin-username", "admin-password", "dialect", "latency", "fault-rate", "rate-limit", "token-ttl", "validate-contract", "v", "version", "tls-cert", "tls-key", "tls-client-ca", "require-header"} {
		found := false
		for _, f := range flags {
			found = found || f[1] == want
		}
		if !found {
			t.Errorf("-help does not list -%s:\n%s", want, help)
		}
	}
}

// TestHelpListsEveryGuess: a user of the local server reads in -help every behaviour it only guesses.
func TestHelpListsEveryGuess(t *testing.T) {
	help := captureStderr(t, func() {
		if err := run([]string{"-help"}); err != nil {
			t.Errorf("-help: %v", err)
		}
	})
	guesses := localserver.Guesses()
	if len(guesses) == 0 {
		t.Fatal("the local server registers no guesses, yet the notes leave several behaviours open")
	}
	for _, g := range guesses {
		if !strings.Contains(help, g.Behaviour) {
			t.Errorf("-help does not list the guess %q", g.Behaviour)
		}
	}
}

func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = saved }()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&out, r); close(done) }()
	fn()
	_ = w.Close()
	<-done
	return out.String()
}

func TestVersionFlag(t *testing.T) {
	var v versionValue
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Var(&v, "version", "")
	if err := fs.Parse([]string{"-version=6.2.2"}); err != nil || v.api != "6.2.2" || v.show {
		t.Fatalf("-version=6.2.2: %+v, %v", v, err)
	}
	if err := fs.Parse([]string{"-version"}); err != nil || !v.show {
		t.Fatalf("-version: %+v, %v", v, err)
	}
}
