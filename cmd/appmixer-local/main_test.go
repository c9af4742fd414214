package main

import (
	"net"
	"testing"
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
	} {
		if err := run(args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
