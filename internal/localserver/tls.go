// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
)

// LoadTLS reads what appmixer-local serves HTTPS with: a certificate (with any intermediates) and
// its key, both PEM files, and, when clientCAFile is not empty, the CA certificates whose client
// certificates it requires, as a mutual-TLS gateway in front of a self-managed Appmixer does.
func LoadTLS(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	if certFile == "" || keyFile == "" {
		return nil, errors.New("HTTPS needs both a certificate and its key")
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate %s and key %s: %w", certFile, keyFile, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		data, err := os.ReadFile(clientCAFile) //nolint:gosec // the operator names the file
		if err != nil {
			return nil, fmt.Errorf("reading the client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("the client CA file %s holds no PEM certificate", clientCAFile)
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// listenTLS wraps ln in TLS when opts ask for it and returns the scheme of the server's URL.
func listenTLS(ln net.Listener, cfg *tls.Config) (net.Listener, string) {
	if cfg == nil {
		return ln, "http"
	}
	return tls.NewListener(ln, cfg), "https"
}

// errorLog sends the HTTP server's own errors, failed TLS handshakes above all, to Logf when the
// server has one, and otherwise to stderr as net/http does by default.
func (s *Server) errorLog() *log.Logger {
	if s.opts.Logf == nil {
		return nil
	}
	return log.New(logfWriter{s.logf}, "", 0)
}

type logfWriter struct{ logf func(string, ...any) }

func (w logfWriter) Write(p []byte) (int, error) {
	w.logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
