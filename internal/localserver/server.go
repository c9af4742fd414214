// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package localserver is an in-memory stand-in for the Appmixer REST API. The provider's acceptance
// tests and the README demo run against it, so it answers the way Appmixer 6.x does (dialect
// "appmixer") or exactly the way the simplified OpenAPI contract says (dialect "contract"), and it can
// misbehave on demand: latency, 5xx faults, rate limiting, expired tokens and lost responses.
package localserver

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Dialects the server speaks.
const (
	DialectAppmixer = "appmixer"
	DialectContract = "contract"
)

// Options configures a Server. The zero value is a working appmixer-dialect server.
type Options struct {
	Dialect          string           // "appmixer" (default) or "contract"
	AdminUsername    string           // default "admin@example.com"
	AdminPassword    string           // default "admin-password"
	Latency          time.Duration    // added before each API request
	FaultRate        float64          // share of API requests answered 502/503/504 before acting (not /_local/*, not GET /)
	RateLimit        int              // API requests per second; beyond it 429 + Retry-After: 1; 0 = unlimited
	TokenTTL         time.Duration    // default 24h
	MaxBodyBytes     int64            // default 12 MiB; larger bodies get 413
	MaxPageSize      int              // caps every list page below the limit asked, as some deployments do; 0 = no cap
	ValidateContract bool             // contract dialect only: check every request and response against the embedded contract
	Seed             int64            // randomness of faults (0 = time based)
	Now              func() time.Time // the server's clock (default time.Now): tokens, tickets and timestamps follow it
	Version          string           // what GET / reports as the Appmixer version (default 6.1.0)
	// AdminSeesAllFlows lets an admin list and read every user's flows, as this server did before
	// appmixer-api.md §7 found no source for it. Local only: for tests that inspect customers' flows
	// through the admin; a real tenant shows an admin its own and shared flows.
	AdminSeesAllFlows bool
	Logf              func(format string, args ...any)

	// The network in front of the API, which Start sets up: HTTPS when TLS is set (LoadTLS, tls.go),
	// and a gateway refusing requests without RequireHeaders (gateway.go).
	TLS            *tls.Config
	RequireHeaders map[string]string
}

// Stats counts API requests by route template, e.g. "GET /flows/{id}".
type Stats struct {
	Total    int            `json:"total"`
	Requests map[string]int `json:"requests"`
	// RateLimited counts the requests answered 429 by the rate limit (Options.RateLimit).
	RateLimited int `json:"rate_limited"`
	// PeakPerSecond is the most API requests that reached the rate-limit check within one Unix second,
	// the window the rate limit counts in: how fast a client really went.
	PeakPerSecond int `json:"peak_per_second"`
	// SpanSeconds is the time from the first to the last of these requests.
	SpanSeconds float64 `json:"span_seconds"`
}

// AccountSeed describes a connected account to add with AddAccount.
type AccountSeed struct {
	Service     string // "vendor:service", e.g. "appmixer:slack"
	Name        string
	DisplayName string
}

// Server is the local Appmixer API as an http.Handler; it is safe for concurrent use.
type Server struct {
	opts      Options
	contract  bool
	routes    []*route
	validator *contractValidator // nil unless the contract is validated
	faults    *faults
	stats     *requestStats
	jwtKey    []byte

	// mu guards everything below; handlers run with it held, which keeps the model simple and
	// is plenty fast for a test server.
	mu            sync.Mutex
	users         map[string]*user
	tokens        map[string]*token
	flows         map[string]*flowRec
	seq           int // insertion order of flows and accounts, their natural list order
	accounts      map[string]*account
	bindings      map[bindingKey]binding
	builtins      *catalog            // the built-in connectors, which every user sees
	copies        map[string]*catalog // each user's published copies by user id (components_copies.go)
	copyOrder     []string            // user ids in the order of their first publish
	userDeletions map[string]*userDeletion
	uploads       map[string]*uploadTicket
	// serviceConfigs are /service-config objects by serviceId; stores are data stores by storeId.
	serviceConfigs map[string]map[string]any
	stores         map[string]*store
	// Tenant configuration: ACL lists by type, system config, the modifiers document, public files.
	acl         map[string][]map[string]any
	config      map[string]*configEntry
	modifiers   map[string]any
	publicFiles map[string]*publicFile
	// files (§1.8) by fileId and user groups (§10) by id: made on first use (fileStore, groups).
	files      map[string]*storedFile
	userGroups map[string]*userGroup
	categories map[string]*category // integration categories (§10) by id

	integrationJobs map[string]*integrationJob // rollouts and integration deletions by ticket
	jobsHeld        bool                       // every asynchronous job stays in progress: HoldJobs
	nextDeletionEnd string                     // EndNextUserDeletion: failed or cancelled
	rolloutFault    rolloutFault               // FailNextRollout
	remote          func(what string)          // set by Remote: the server stands for an API it does not serve
	runtime         *runtimeState              // logs, unprocessed messages, people tasks, account tests (runtime.go)
}

// New builds a Server with the built-in admin user and component catalog.
func New(opts Options) (*Server, error) {
	if opts.Dialect == "" {
		opts.Dialect = DialectAppmixer
	}
	if opts.Dialect != DialectAppmixer && opts.Dialect != DialectContract {
		return nil, fmt.Errorf("unknown dialect %q: want %q or %q", opts.Dialect, DialectAppmixer, DialectContract)
	}
	if opts.AdminUsername == "" {
		opts.AdminUsername = "admin@example.com"
	}
	if opts.AdminPassword == "" {
		opts.AdminPassword = "admin-password"
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Version == "" {
		opts.Version = apiVersion
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 12 << 20
	}
	if opts.FaultRate < 0 || opts.FaultRate > 1 {
		return nil, fmt.Errorf("fault rate %v is outside [0, 1]", opts.FaultRate)
	}
	s := &Server{
		opts:           opts,
		contract:       opts.Dialect == DialectContract,
		faults:         newFaults(opts),
		stats:          newRequestStats(),
		jwtKey:         make([]byte, 32),
		users:          map[string]*user{},
		tokens:         map[string]*token{},
		flows:          map[string]*flowRec{},
		accounts:       map[string]*account{},
		bindings:       map[bindingKey]binding{},
		builtins:       builtinCatalog(),
		copies:         map[string]*catalog{},
		userDeletions:  map[string]*userDeletion{},
		uploads:        map[string]*uploadTicket{},
		serviceConfigs: map[string]map[string]any{},
		stores:         map[string]*store{},
		acl:            defaultACL(),
		config:         map[string]*configEntry{},
		modifiers:      builtinModifiers(),
		publicFiles:    map[string]*publicFile{},

		integrationJobs: map[string]*integrationJob{},
	}
	if _, err := rand.Read(s.jwtKey); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	// The appmixer dialect differs from the contract on purpose, so only the contract dialect is validated.
	if opts.ValidateContract && s.contract {
		v, err := newContractValidator()
		if err != nil {
			return nil, err
		}
		s.validator = v
	}
	admin := newUser(opts.AdminUsername, "", opts.AdminPassword, opts.Now())
	admin.scope = []string{"user", "admin"}
	s.users[admin.id] = admin
	return s, nil
}

// AdminUsername is the built-in admin's username.
func (s *Server) AdminUsername() string { return s.opts.AdminUsername }

// AdminPassword is the built-in admin's password.
func (s *Server) AdminPassword() string { return s.opts.AdminPassword }

// reply is a fully buffered response: buffering lets the contract validator see it and lets
// DropResponses throw it away after the request has taken effect.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// ServeHTTP routes the request through stats, latency, rate limit, faults, auth and the handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rt, params, allowed := s.match(r.Method, r.URL)
	o := s.dispatch(r, rt, params, allowed)
	if o.rep == nil {
		s.logf("%s %s -> client gone", r.Method, r.URL.RequestURI())
		return
	}
	if o.bodyRead && s.validator != nil && !rt.control() {
		for _, v := range s.validator.check(r, o.body, o.rep) {
			s.logf("contract violation: %s", v)
		}
	}
	if o.handled && s.faults.takeDrop(rt.name()) {
		s.logf("%s %s -> %d dropped (%s)", r.Method, r.URL.RequestURI(), o.rep.status, time.Since(start).Round(time.Microsecond))
		dropConnection(w)
		return
	}
	for k, v := range o.rep.header {
		w.Header()[k] = v
	}
	w.WriteHeader(o.rep.status)
	_, _ = w.Write(o.rep.body)
	s.logf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), o.rep.status, time.Since(start).Round(time.Microsecond))
}

// outcome is what dispatch did with a request.
type outcome struct {
	rep      *reply // nil when the client went away during the simulated latency
	body     []byte
	bodyRead bool // the request got past faults and its body was read, so it can be validated
	handled  bool // the route handler ran, so the request took effect
}

// dispatch answers a request: unknown routes first, then stats, latency, rate limit and faults
// (API routes only), the body limit, auth, and finally the handler under the state lock.
func (s *Server) dispatch(r *http.Request, rt *route, params map[string]string, allowed []string) outcome {
	if rt == nil {
		s.stats.count("unmatched")
		if len(allowed) > 0 {
			rep := errorReply(errorf(http.StatusMethodNotAllowed, "Method Not Allowed"))
			rep.header.Set("Allow", strings.Join(allowed, ", "))
			return outcome{rep: rep}
		}
		return outcome{rep: errorReply(errorf(http.StatusNotFound, "Not Found"))}
	}
	if !rt.control() {
		s.stats.count(rt.name())
		if err := s.faults.delay(r.Context()); err != nil {
			return outcome{}
		}
		now := time.Now() // real time: a rate limit is about the client's pace
		s.stats.arrived(now)
		if s.faults.rateLimited(now) {
			s.stats.limited()
			rep := errorReply(errorf(http.StatusTooManyRequests, "Rate limit exceeded."))
			rep.header.Set("Retry-After", "1")
			return outcome{rep: rep}
		}
		if rt.pattern != "/" {
			if status := s.faults.fault(); status != 0 {
				return outcome{rep: errorReply(errorf(status, "Simulated upstream failure."))}
			}
		}
	}
	body, err := readBody(r, s.bodyLimit(rt))
	if err != nil {
		return outcome{rep: errorReply(err)}
	}
	o := outcome{body: body, bodyRead: true}
	c := &call{s: s, r: r, params: params, body: body, now: s.opts.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleUserDeletions(c.now)
	s.settleIntegrationJobs(c.now)
	if err := s.authorize(c, rt.access); err != nil {
		o.rep = errorReply(err)
		return o
	}
	o.handled = true
	out, err := rt.handle(c)
	switch raw, isRaw := out.(*reply); {
	case err != nil:
		o.rep = errorReply(err)
	case isRaw:
		o.rep = raw // a download
	default:
		o.rep = jsonReply(http.StatusOK, out)
	}
	return o
}

// bodyLimit is MaxBodyBytes, except that the contract's publish route carries a 10 MB package in
// base64, which needs a third more.
func (s *Server) bodyLimit(rt *route) int64 {
	if s.contract && rt.name() == "POST /components" {
		return max(s.opts.MaxBodyBytes, maxPackageBytes*4/3+64<<10)
	}
	return s.opts.MaxBodyBytes
}

func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "Cannot read the request body.")
	}
	if int64(len(body)) > limit {
		return nil, tooLarge(limit)
	}
	return body, nil
}

// tooLarge is hapi's 413 wording.
func tooLarge(limit int64) error {
	return errorf(http.StatusRequestEntityTooLarge, "Payload content length greater than maximum allowed: %d", limit)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// Running is a Server listening on a real socket.
type Running struct {
	*Server
	URL string // e.g. http://127.0.0.1:41234

	srv       *http.Server
	done      chan error
	closeOnce sync.Once
	closeErr  error
}

// Start listens on listen ("127.0.0.1:0" picks a free port) and serves a new Server there.
func Start(listen string, opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	return serve(listen, s, s)
}

// serve listens on listen and serves h, which is s or a wrapper of it (legacy.go).
func serve(listen string, s *Server, h http.Handler) (*Running, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", listen)
	if err != nil {
		return nil, err
	}
	ln, scheme := listenTLS(ln, s.opts.TLS)
	run := &Running{
		Server: s,
		URL:    scheme + "://" + ln.Addr().String(),
		srv:    &http.Server{Handler: gateway(h, s.opts.RequireHeaders, s.logf), ReadHeaderTimeout: 10 * time.Second, ErrorLog: s.errorLog()},
		done:   make(chan error, 1),
	}
	go func() { run.done <- run.srv.Serve(ln) }()
	return run, nil
}

// Close stops accepting requests, lets the ones in flight finish (up to 5 s) and stops the server.
// Calling it again returns the first result.
func (r *Running) Close() error {
	if r.srv == nil {
		return nil // Remote: nothing was started
	}
	r.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := r.srv.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = r.srv.Close()
		}
		if serveErr := <-r.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
		r.closeErr = err
	})
	return r.closeErr
}
