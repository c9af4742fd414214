// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// tlsServer is an HTTPS server with a certificate of ca that counts TLS handshakes begun (attempts,
// failed or not) and remembers the headers of the last request.
type tlsServer struct {
	*httptest.Server
	hellos  atomic.Int64
	headers atomic.Pointer[http.Header]
}

func newTLSServer(t *testing.T, ca *testfixture.CA, clientCA *testfixture.CA) *tlsServer {
	t.Helper()
	s := &tlsServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		s.headers.Store(&h)
		if r.URL.Path == "/user/auth" {
			reply(w, http.StatusOK, map[string]any{"user": map[string]any{"id": "u1"}, "token": "tok"})
			return
		}
		reply(w, http.StatusOK, map[string]any{"version": "6.1.0"})
	}))
	cert := ca.Server(t)
	pair, err := tls.X509KeyPair(cert.CertPEM, cert.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	if clientCA != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(clientCA.CertPEM)
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	cfg.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) { s.hellos.Add(1); return nil, nil }
	s.TLS = cfg
	s.Config.ErrorLog = quietLog() // handshake failures are what these tests cause
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

func tlsClient(t *testing.T, url string, tr Transport) *Client {
	t.Helper()
	return mustNew(t, Config{BaseURL: url, Username: "u", Password: "p", MaxRetries: 3, RetryWaitMin: 1, RetryWaitMax: 1, Transport: tr})
}

// TestUntrustedCertificateFailsOnceUntilTrusted: a private CA's certificate is one permanent error
// (one handshake, although three retries are allowed) until CACertPEM trusts the CA.
func TestUntrustedCertificateFailsOnceUntilTrusted(t *testing.T) {
	ca := testfixture.NewCA(t, "Private CA")
	srv := newTLSServer(t, ca, nil)

	err := tlsClient(t, srv.URL, Transport{}).Login(ctxT(t))
	if CertificateProblem(err) != CertUntrusted {
		t.Fatalf("untrusted CA: %v (problem %d), want CertUntrusted", err, CertificateProblem(err))
	}
	if n := srv.hellos.Load(); n != 1 {
		t.Fatalf("%d TLS handshakes for an untrusted certificate, want 1: a certificate error must not be retried", n)
	}

	other := testfixture.NewCA(t, "Other CA")
	if err := tlsClient(t, srv.URL, Transport{CACertPEM: other.CertPEM}).Login(ctxT(t)); CertificateProblem(err) != CertUntrusted {
		t.Fatalf("another CA trusted: %v, want CertUntrusted", err)
	}
	if err := tlsClient(t, srv.URL, Transport{CACertPEM: ca.CertPEM}).Login(ctxT(t)); err != nil {
		t.Fatalf("with the CA trusted: %v", err)
	}
	if err := tlsClient(t, srv.URL, Transport{InsecureSkipVerify: true}).Login(ctxT(t)); err != nil {
		t.Fatalf("with verification off: %v", err)
	}
}

// TestMutualTLS: a server that requires client certificates refuses a client without one, or with
// one of another CA, once and permanently, and accepts one its CA signed.
func TestMutualTLS(t *testing.T) {
	ca, clients := testfixture.NewCA(t, "Server CA"), testfixture.NewCA(t, "Client CA")
	srv := newTLSServer(t, ca, clients)

	err := tlsClient(t, srv.URL, Transport{CACertPEM: ca.CertPEM}).Login(ctxT(t))
	if CertificateProblem(err) != CertClientRefused {
		t.Fatalf("without a client certificate: %v (problem %d), want CertClientRefused", err, CertificateProblem(err))
	}
	if n := srv.hellos.Load(); n != 1 {
		t.Fatalf("%d TLS handshakes for a refused client, want 1", n)
	}
	stranger := testfixture.NewCA(t, "Stranger").Client(t, "ci")
	err = tlsClient(t, srv.URL, Transport{CACertPEM: ca.CertPEM, ClientCertPEM: stranger.CertPEM, ClientKeyPEM: stranger.KeyPEM}).Login(ctxT(t))
	if CertificateProblem(err) != CertClientRefused {
		t.Fatalf("a client certificate of another CA: %v, want CertClientRefused", err)
	}
	good := clients.Client(t, "ci")
	if err := tlsClient(t, srv.URL, Transport{CACertPEM: ca.CertPEM, ClientCertPEM: good.CertPEM, ClientKeyPEM: good.KeyPEM}).Login(ctxT(t)); err != nil {
		t.Fatalf("with a client certificate of the client CA: %v", err)
	}
}

func TestTransportRefusesBadSettings(t *testing.T) {
	ca := testfixture.NewCA(t, "CA")
	a, b := ca.Client(t, "a"), ca.Client(t, "b")
	for name, tr := range map[string]Transport{
		"CA without PEM":       {CACertPEM: []byte("not a certificate")},
		"certificate only":     {ClientCertPEM: a.CertPEM},
		"key only":             {ClientKeyPEM: a.KeyPEM},
		"mismatched key":       {ClientCertPEM: a.CertPEM, ClientKeyPEM: b.KeyPEM},
		"proxy scheme":         {ProxyURL: "ftp://proxy:21"},
		"relative proxy":       {ProxyURL: "proxy:3128"},
		"reserved header":      {Headers: map[string]string{"authorization": "Bearer x"}},
		"bad header name":      {Headers: map[string]string{"X Gateway": "x"}},
		"header value newline": {Headers: map[string]string{"X-Gateway": "a\r\nInjected: yes"}},
	} {
		_, err := New(Config{BaseURL: "https://x", Token: "t", Transport: tr})
		if err == nil {
			t.Errorf("%s: New succeeded", name)
			continue
		}
		if strings.Contains(err.Error(), string(b.KeyPEM[30:60])) {
			t.Errorf("%s: the error shows the key: %v", name, err)
		}
	}
	_, err := New(Config{BaseURL: "https://x", Token: "t", Transport: Transport{ProxyURL: "ftp://ops:hunter2@proxy"}})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a bad proxy URL's error must not show its password: %v", err)
	}
}

// TestProxyAndHeaders: with ProxyURL every request goes through the proxy (plain HTTP and, for
// HTTPS, a CONNECT tunnel), carries the configured headers, and no debug log shows their values.
func TestProxyAndHeaders(t *testing.T) {
	ca := testfixture.NewCA(t, "CA")
	srv := newTLSServer(t, ca, nil)
	proxy := testfixture.NewProxy(t)
	headers := map[string]string{"CF-Access-Client-Id": "gw-id-7f3a", "CF-Access-Client-Secret": "gw-secret-91c2"}

	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	t.Setenv("TF_LOG_PROVIDER_APPMIXER_API", "DEBUG")
	c := tlsClient(t, srv.URL, Transport{CACertPEM: ca.CertPEM, ProxyURL: proxy.URL, Headers: headers})
	if _, err := c.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CurrentUser(ctx); err != nil { // logs in, then sends the token
		t.Fatal(err)
	}
	if got := proxy.Tunnels(); len(got) != 1 || got[0] != strings.TrimPrefix(srv.URL, "https://") {
		t.Fatalf("CONNECT tunnels %v, want one to the server (the connection is reused)", got)
	}
	h := *srv.headers.Load()
	for k, v := range headers {
		if h.Get(k) != v {
			t.Errorf("the server got %s = %q, want %q", k, h.Get(k), v)
		}
	}
	if h.Get("Authorization") != "Bearer tok" {
		t.Errorf("Authorization %q: the configured headers must not displace the token", h.Get("Authorization"))
	}
	if !strings.Contains(strings.ToLower(logs.String()), "cf-access-client-secret") {
		t.Fatalf("the debug log has no request headers at all, so it proves nothing:\n%s", logs.String())
	}
	for _, v := range headers {
		if strings.Contains(logs.String(), v) {
			t.Fatalf("the debug log shows the header value %q:\n%s", v, logs.String())
		}
	}

	plain := newFake(t, nil)
	c = mustNew(t, Config{BaseURL: plain.URL, Token: "t", Transport: Transport{ProxyURL: proxy.URL, Headers: headers}})
	if _, err := c.Info(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if got := proxy.Forwarded(); len(got) != 1 || got[0] != plain.URL+"/" {
		t.Fatalf("forwarded %v, want GET %s/ through the proxy even to a loopback address", got, plain.URL)
	}
}
