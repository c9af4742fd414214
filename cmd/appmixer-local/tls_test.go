// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// TestServesMutualTLS: with -tls-cert, -tls-key and -tls-client-ca, appmixer-local prints an https
// URL and answers only clients that show a certificate of the client CA.
func TestServesMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca, clients := testfixture.NewCA(t, "Server CA"), testfixture.NewCA(t, "Client CA")
	certFile, keyFile := ca.Server(t).WriteFiles(t, dir, "server")
	clientCAFile := filepath.Join(dir, "clients.crt")
	testfixture.WriteFile(t, clientCAFile, string(clients.CertPEM))

	url := startCommand(t, "-listen", "127.0.0.1:0", "-tls-cert", certFile, "-tls-key", keyFile, "-tls-client-ca", clientCAFile)
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("printed URL %q, want https://127.0.0.1:<port>", url)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.CertPEM)
	get := func(certs ...tls.Certificate) error {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: roots, Certificates: certs, MinVersion: tls.VersionTLS12,
		}}}
		resp, err := c.Get(url + "/")
		if err != nil {
			return err
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "version") {
			t.Fatalf("GET / with a client certificate: %d %s", resp.StatusCode, body)
		}
		return nil
	}
	if err := get(); err == nil || !strings.Contains(err.Error(), "certificate required") {
		t.Fatalf("without a client certificate: %v, want the server to require one", err)
	}
	good := clients.Client(t, "ci")
	pair, err := tls.X509KeyPair(good.CertPEM, good.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if err := get(pair); err != nil {
		t.Fatalf("with a client certificate of -tls-client-ca: %v", err)
	}
}

// startCommand runs appmixer-local with args until the test ends and returns the URL it prints.
func startCommand(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, args, w); _ = w.Close() }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("appmixer-local: %v", err)
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case url, ok := <-lines:
		if !ok {
			t.Fatalf("appmixer-local printed no URL: %v", <-done)
		}
		return url
	case <-time.After(30 * time.Second):
		t.Fatal("appmixer-local printed no URL within 30s")
	}
	return ""
}

// TestRequireHeader: with -require-header appmixer-local answers 403, as a gateway would, unless the
// request carries the header with its value.
func TestRequireHeader(t *testing.T) {
	url := startCommand(t, "-listen", "127.0.0.1:0", "-require-header", "CF-Access-Client-Secret: s3cr3t")
	status := func(value string) int {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if value != "" {
			req.Header.Set("Cf-Access-Client-Secret", value)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(""); got != http.StatusForbidden {
		t.Errorf("without the header: %d, want 403", got)
	}
	if got := status("guess"); got != http.StatusForbidden {
		t.Errorf("with a wrong value: %d, want 403", got)
	}
	if got := status("s3cr3t"); got != http.StatusOK {
		t.Errorf("with the header: %d, want 200", got)
	}
}
