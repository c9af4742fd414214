// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/go-cleanhttp"
)

// Transport is how the client reaches a self-managed Appmixer behind a corporate network, beyond
// its URL: whom to trust, which certificate to show, which proxy to go through and which headers a
// gateway in front of Appmixer wants. The zero value is the operating system's trust and the
// standard proxy variables.
type Transport struct {
	// CACertPEM holds CA certificates trusted besides the operating system's, e.g. a private CA or
	// a TLS-inspecting proxy's.
	CACertPEM []byte
	// ClientCertPEM and ClientKeyPEM are shown to a server that asks for a client certificate.
	ClientCertPEM []byte
	ClientKeyPEM  []byte
	// InsecureSkipVerify accepts any server certificate.
	InsecureSkipVerify bool
	// ProxyURL, when set, carries every request (NO_PROXY does not apply); otherwise HTTP_PROXY,
	// HTTPS_PROXY and NO_PROXY decide.
	ProxyURL string
	// Headers are sent with every request and never logged.
	Headers map[string]string
}

func (t Transport) isZero() bool {
	return len(t.CACertPEM) == 0 && len(t.ClientCertPEM) == 0 && len(t.ClientKeyPEM) == 0 &&
		!t.InsecureSkipVerify && t.ProxyURL == "" && len(t.Headers) == 0
}

// reservedHeaders are set by the client itself; a configured value would be overwritten or would
// break the request, so CheckHeaders refuses them.
var reservedHeaders = []string{"Accept", "Authorization", "Connection", "Content-Length", "Content-Type", "Host", "Transfer-Encoding", "User-Agent"}

// CheckHeaders reports the first header that cannot be sent as configured. Names are reported,
// values never: they are usually a gateway's secret.
func CheckHeaders(headers map[string]string) error {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		switch {
		case !isToken(name):
			return fmt.Errorf("header name %q is not a valid HTTP header name", name)
		case slices.Contains(reservedHeaders, http.CanonicalHeaderKey(name)):
			return fmt.Errorf("header %q is set by the provider itself and cannot be configured (the provider sets %s)",
				name, strings.Join(reservedHeaders, ", "))
		case strings.ContainsAny(headers[name], "\r\n\x00"):
			return fmt.Errorf("the value of header %q contains a line break or NUL", name)
		}
	}
	return nil
}

// isToken reports an RFC 9110 token, what a header name must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= 0x20 || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// CheckProxyURL reports a proxy URL the transport cannot use.
func CheckProxyURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("must be an absolute URL such as http://proxy.example.com:3128, got %q", redactURL(raw))
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
		return nil
	}
	return fmt.Errorf("must use http, https, socks5 or socks5h, got %q", redactURL(raw))
}

// redactURL hides a password in a URL (proxies often carry one) for messages.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "<unparsable URL>"
}

// TLSConfig builds the client's TLS configuration: nil when t asks for nothing beyond the defaults.
func (t Transport) TLSConfig() (*tls.Config, error) {
	if len(t.CACertPEM) == 0 && len(t.ClientCertPEM) == 0 && len(t.ClientKeyPEM) == 0 && !t.InsecureSkipVerify {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.InsecureSkipVerify} //nolint:gosec // the user's explicit, warned choice
	if len(t.CACertPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool() // e.g. no system store: only the configured CAs are trusted
		}
		if !pool.AppendCertsFromPEM(t.CACertPEM) {
			return nil, errors.New("the CA certificates hold no PEM \"CERTIFICATE\" block")
		}
		cfg.RootCAs = pool
	}
	switch {
	case len(t.ClientCertPEM) > 0 && len(t.ClientKeyPEM) > 0:
		pair, err := tls.X509KeyPair(t.ClientCertPEM, t.ClientKeyPEM)
		if err != nil {
			// X509KeyPair's messages name the problem, never the key's bytes.
			return nil, fmt.Errorf("the client certificate and key cannot be used: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	case len(t.ClientCertPEM) > 0:
		return nil, errors.New("a client certificate needs its private key")
	case len(t.ClientKeyPEM) > 0:
		return nil, errors.New("a client private key needs its certificate")
	}
	return cfg, nil
}

// roundTripper applies t to base (nil: a fresh pooled transport), which is cloned, never changed.
func (t Transport) roundTripper(base http.RoundTripper) (http.RoundTripper, error) {
	if t.isZero() {
		return base, nil
	}
	if err := CheckHeaders(t.Headers); err != nil {
		return nil, err
	}
	if len(t.CACertPEM)+len(t.ClientCertPEM)+len(t.ClientKeyPEM) == 0 && !t.InsecureSkipVerify && t.ProxyURL == "" {
		return base, nil // headers only: set on each request
	}
	var tr *http.Transport
	switch b := base.(type) {
	case nil:
		tr = cleanhttp.DefaultPooledTransport()
	case *http.Transport:
		tr = b.Clone()
	default:
		return nil, fmt.Errorf("TLS and proxy settings need an *http.Transport, the HTTP client has a %T", base)
	}
	tlsCfg, err := t.TLSConfig()
	if err != nil {
		return nil, err
	}
	if tlsCfg != nil {
		tr.TLSClientConfig = tlsCfg
	}
	if t.ProxyURL != "" {
		if err := CheckProxyURL(t.ProxyURL); err != nil {
			return nil, fmt.Errorf("proxy URL %w", err)
		}
		u, _ := url.Parse(t.ProxyURL)
		tr.Proxy = http.ProxyURL(u)
	}
	return tr, nil
}

// setHeaders adds the configured headers to a request, before the client's own.
func (t Transport) setHeaders(h http.Header) {
	for name, value := range t.Headers {
		h.Set(name, value)
	}
}

// CertProblem says what went wrong with a certificate in a TLS handshake, so that the provider can
// name the setting that fixes it.
type CertProblem int

// Certificate problems.
const (
	CertOK            CertProblem = iota
	CertUntrusted                 // signed by an authority the client does not trust
	CertWrongHost                 // valid, but not for the host in the URL
	CertInvalid                   // expired, not yet valid, or not a server certificate
	CertClientRefused             // the server (or a gateway) refused the client's certificate, or its absence
)

// CertificateProblem classifies err; CertOK means it is no certificate error.
func CertificateProblem(err error) CertProblem {
	var (
		unknown  x509.UnknownAuthorityError
		host     x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		opErr    *net.OpError
		systemEr x509.SystemRootsError
	)
	switch {
	case err == nil:
		return CertOK
	case errors.As(err, &unknown), errors.As(err, &systemEr):
		return CertUntrusted
	case errors.As(err, &host):
		return CertWrongHost
	case errors.As(err, &invalid), errors.As(err, &verify):
		return CertInvalid
	case errors.As(err, &opErr) && opErr.Op == "remote error" && opErr.Err != nil &&
		strings.Contains(opErr.Err.Error(), "certificate"):
		// A TLS alert from the server about our certificate: "certificate required", "bad
		// certificate", "unknown certificate authority", "expired certificate" and the like.
		return CertClientRefused
	}
	return CertOK
}
