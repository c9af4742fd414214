// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryClass tells checkRetry what may be repeated for a request.
type retryClass int

const (
	// retrySafe requests (GET, PUT, DELETE, login, coordinator start/stop)
	// may be repeated after any transient failure.
	retrySafe retryClass = iota
	// retryCreate requests (POST /flows, POST /user, POST /components) are
	// repeated only when the server cannot have acted: on 429, which is
	// answered before acting, and when the connection was never made.
	retryCreate
)

type retryClassKey struct{}

func withRetryClass(ctx context.Context, class retryClass) context.Context {
	return context.WithValue(ctx, retryClassKey{}, class)
}

func retryClassOf(ctx context.Context) retryClass {
	if v, ok := ctx.Value(retryClassKey{}).(retryClass); ok {
		return v
	}
	return retrySafe
}

// checkRetry is the retryablehttp.CheckRetry policy.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	class := retryClassOf(ctx)
	if err != nil {
		if isPermanentTransportError(err) {
			return false, nil
		}
		retry := class == retrySafe || neverConnected(err)
		if retry {
			logRetry(ctx, "transport error: "+err.Error())
		}
		return retry, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		logRetry(ctx, "status 429")
		return true, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if class == retrySafe {
			logRetry(ctx, fmt.Sprintf("status %d", resp.StatusCode))
			return true, nil
		}
	}
	return false, nil
}

// neverConnected reports errors raised before the request could reach the
// server (dial and DNS failures), after which even a creating POST is safe
// to send again.
func neverConnected(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// isPermanentTransportError reports failures that repeating cannot fix.
func isPermanentTransportError(err error) bool {
	var (
		certErr   *tls.CertificateVerificationError
		authErr   x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalidEr x509.CertificateInvalidError
	)
	if errors.As(err, &certErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) || errors.As(err, &invalidEr) ||
		CertificateProblem(err) != CertOK {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects") ||
		strings.Contains(msg, "invalid header")
}

// backoff honours Retry-After on 429/503 (capped by maxWait) and otherwise
// waits exponentially longer with jitter, so parallel Terraform operations
// do not retry in lockstep.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return max(minWait, min(d, maxWait))
		}
	}
	base := maxWait
	if attempt < 30 {
		if d := minWait << attempt; d > 0 && d < maxWait {
			base = d
		}
	}
	half := base / 2
	d := half + rand.N(half+1) //nolint:gosec // jitter needs no cryptographic randomness
	return max(minWait, min(d, maxWait))
}

// parseRetryAfter reads delta-seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// giveUp is the retryablehttp.ErrorHandler. When retries are exhausted on a
// status, it hands back the last response so the caller can report the
// server's own error message; otherwise it returns the transport error.
func giveUp(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if err == nil && resp != nil {
		return resp, nil
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
	}
	if err == nil {
		err = errors.New("no response")
	}
	if attempts > 1 {
		return nil, fmt.Errorf("giving up after %d attempts: %w", attempts, err)
	}
	return nil, err
}
