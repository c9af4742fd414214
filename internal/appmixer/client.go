// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package appmixer is a typed client for the Appmixer REST API.
//
// It speaks the real Appmixer 6.x API and, as a fallback, the simplified
// OpenAPI contract (see Dialect). It knows nothing about Terraform except
// that it writes debug logs through tflog.
package appmixer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Dialect selects which flavour of the API the client speaks.
type Dialect string

// Supported dialects.
const (
	// DialectAuto uses the real routes and falls back to the contract's
	// where the server does not know a real route and the contract's route
	// answers with success.
	DialectAuto Dialect = "auto"
	// DialectAppmixer speaks only the real Appmixer API; the default.
	DialectAppmixer Dialect = "appmixer"
	// DialectContract sends only what appmixer-openapi.yml defines.
	DialectContract Dialect = "contract"
)

// Defaults applied by New for zero Config fields.
const (
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 60 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultUserAgent      = "terraform-provider-appmixer/dev"
)

// maxResponseBytes bounds how much of a response body is read, so a broken
// server cannot exhaust memory; flow lists with thumbnails stay far below it.
const maxResponseBytes = 128 << 20

// Config configures a Client.
type Config struct {
	// BaseURL is required, e.g. http://127.0.0.1:2200 (a trailing slash is ok).
	BaseURL string
	// Username and Password log in through POST /user/auth.
	Username string
	Password string
	// Token is used as is; with a Password as well, a rejected token is
	// replaced by logging in.
	Token string
	// Dialect is DialectAppmixer when empty.
	Dialect Dialect
	// MaxRetries defaults to 4 when 0; -1 means no retries.
	MaxRetries int
	// RequestTimeout bounds each HTTP attempt; default 60s.
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// UserAgent is the full User-Agent header.
	UserAgent string
	// HTTPClient is an optional base client; it is copied, not modified.
	HTTPClient *http.Client
	// MaxRequestsPerSecond, when above 0, spaces this client's requests (every attempt) evenly at that
	// rate, in one budget with every other client of the process that has the same base URL and rate
	// (throttle.go). A 429 pauses all the process's clients of the base URL whether or not it is set.
	MaxRequestsPerSecond float64
	// FlowWritten, when set, is called with a flow's id before each request
	// that may change the flow (update, delete, start, stop) and after a
	// create, so that a cache of flows can drop what this client changes.
	FlowWritten func(flowID string)
	// Transport holds the CA, client certificate, proxy and gateway headers (transport.go).
	Transport Transport
}

// Client is an Appmixer API client. It is safe for concurrent use.
type Client struct {
	cfg     Config
	baseURL string
	dialect Dialect
	http    *retryablehttp.Client
	auth    authState
}

// New validates cfg and returns a client. It performs no network I/O.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		return nil, errors.New("appmixer: base URL is required")
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("appmixer: invalid base URL %q: %w", cfg.BaseURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("appmixer: invalid base URL %q: want http(s)://host[:port][/path]", cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("appmixer: invalid base URL %q: it must not have a query or fragment", cfg.BaseURL)
	}
	switch {
	case cfg.Username != "" && cfg.Password == "":
		return nil, errors.New("appmixer: a username needs a password")
	case cfg.Password != "" && cfg.Username == "":
		return nil, errors.New("appmixer: a password needs a username")
	case cfg.Token == "" && cfg.Username == "":
		return nil, errors.New("appmixer: either username and password or a token is required")
	}

	switch cfg.Dialect {
	case "":
		cfg.Dialect = DialectAppmixer
	case DialectAuto, DialectAppmixer, DialectContract:
	default:
		return nil, fmt.Errorf("appmixer: unknown dialect %q (want auto, appmixer or contract)", cfg.Dialect)
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		hc = *cleanhttp.DefaultPooledClient()
	}
	// http.Client.Timeout covers one attempt including reading the body;
	// the operation as a whole is bounded by the caller's context.
	hc.Timeout = cfg.RequestTimeout
	if hc.Transport, err = cfg.Transport.roundTripper(hc.Transport); err != nil {
		return nil, fmt.Errorf("appmixer: %w", err)
	}
	// The throttle wraps the network's transport, so that its budget counts what really leaves.
	hc.Transport = newThrottledTransport(hc.Transport, base, cfg)

	c := &Client{cfg: cfg, baseURL: base, dialect: cfg.Dialect}
	c.auth.token = cfg.Token
	c.http = &retryablehttp.Client{
		HTTPClient:     &hc,
		Logger:         nil, // we log through tflog instead
		RetryWaitMin:   cfg.RetryWaitMin,
		RetryWaitMax:   cfg.RetryWaitMax,
		RetryMax:       cfg.MaxRetries,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   giveUp,
		RequestLogHook: logAttempt,
	}
	return c, nil
}

// BaseURL returns the normalised base URL (without a trailing slash).
func (c *Client) BaseURL() string { return c.baseURL }

// Dialect returns the configured dialect (auto, appmixer or contract).
func (c *Client) Dialect() Dialect { return c.dialect }

// Info is the server information from GET /.
type Info struct {
	Version string
	Status  string
}

// Info calls GET /, which needs no authentication.
func (c *Client) Info(ctx context.Context) (*Info, error) {
	var w struct {
		Version flexString `json:"version"`
		Status  flexString `json:"status"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/", anonymous: true}, &w); err != nil {
		return nil, err
	}
	return &Info{Version: string(w.Version), Status: string(w.Status)}, nil
}

// call describes one API operation.
type call struct {
	method      string
	path        string // escaped, starting with "/"
	query       url.Values
	body        any    // marshalled as JSON when non-nil
	raw         []byte // sent as is with contentType when body is nil
	contentType string
	header      http.Header // extra request headers, e.g. the uploader-* headers of POST /files
	class       retryClass
	anonymous   bool // sent without Authorization and never triggers a login
	// secretKeys are JSON keys whose values this call's bodies (both ways) and error details must never
	// show, beyond the sensitiveKeys of every call: "value" on /config, which holds settings such as
	// JWTSecret, or everyKey where secrets may sit under any key (a service config). Logs keep the keys.
	secretKeys []string
}

// response is a fully read HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends cl and decodes a JSON response body into out (when non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return err
	}
	return decodeBody(cl, resp, out)
}

// decodeBody tolerates empty bodies (204, or servers answering 200 with
// nothing), leaving out untouched.
func decodeBody(cl call, resp *response, out any) error {
	if out == nil || len(strings.TrimSpace(string(resp.body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("%s %s: decoding %d response: %w (body: %s)",
			cl.method, cl.path, resp.status, err, truncate(redactBody(resp.body, resp.header.Get("Content-Type"), cl.secretKeys...), 200))
	}
	return nil
}

// send performs cl with authentication: it logs in lazily and, holding a
// password, logs in again once and repeats the request once after a 401.
func (c *Client) send(ctx context.Context, cl call) (*response, error) {
	ctx = logContext(ctx)
	payload, ctype := cl.raw, cl.contentType
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding request body: %w", cl.method, cl.path, err)
		}
		payload, ctype = b, "application/json"
	}

	token := ""
	if !cl.anonymous {
		t, err := c.currentToken(ctx)
		if err != nil {
			return nil, err
		}
		token = t
	}
	resp, err := c.roundTrip(ctx, cl, payload, ctype, token)
	if err != nil {
		return nil, err
	}
	if resp.status == http.StatusUnauthorized && !cl.anonymous {
		if c.cfg.Password == "" {
			return nil, tokenRejected(parseError(cl.method, cl.path, resp, cl.secretKeys))
		}
		// A 401 is answered before the server acts, so repeating even a
		// creating POST is safe.
		c.invalidateToken(token)
		if token, err = c.currentToken(ctx); err != nil {
			return nil, err
		}
		if resp, err = c.roundTrip(ctx, cl, payload, ctype, token); err != nil {
			return nil, err
		}
	}
	if resp.status >= http.StatusBadRequest {
		e := parseError(cl.method, cl.path, resp, cl.secretKeys)
		e.redactSent(payload, ctype, cl.secretKeys)
		return nil, e
	}
	return resp, nil
}

// roundTrip sends one request (with retries) and reads the whole response.
func (c *Client) roundTrip(ctx context.Context, cl call, payload []byte, ctype, token string) (*response, error) {
	target := c.baseURL + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var rawBody any
	if payload != nil {
		rawBody = payload // a []byte is replayed from the start on each attempt
	}
	req, err := retryablehttp.NewRequestWithContext(withRetryClass(ctx, cl.class), cl.method, target, rawBody)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	c.cfg.Transport.setHeaders(req.Header) // first: the client's own headers below win
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, vs := range cl.header {
		req.Header[k] = vs
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	logRequest(ctx, req.Request, redactBody(payload, ctype, cl.secretKeys...))

	start := time.Now()
	httpResp, err := c.http.Do(req)
	if err != nil {
		logFailure(ctx, req.Request, err, time.Since(start))
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, c.explainTimeout(ctx, err))
	}
	defer func() { _ = httpResp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(httpResp.Body, maxResponseBytes))
	if err != nil {
		logFailure(ctx, req.Request, err, time.Since(start))
		return nil, fmt.Errorf("%s %s: reading response: %w", cl.method, cl.path, c.explainTimeout(ctx, err))
	}
	resp := &response{status: httpResp.StatusCode, header: httpResp.Header, body: data}
	logResponse(ctx, req.Request, resp, redactBody(resp.body, resp.header.Get("Content-Type"), cl.secretKeys...), time.Since(start))
	return resp, nil
}

// esc escapes one path segment.
func esc(s string) string { return url.PathEscape(s) }
