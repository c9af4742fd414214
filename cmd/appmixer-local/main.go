// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Command appmixer-local serves the in-memory local Appmixer API, for testing Terraform configurations
// of Appmixer in CI without a tenant, for demos and for manual testing.
//
// It prints its base URL as the first line of stdout once it is seeded and accepts requests, so scripts
// can start it with -listen 127.0.0.1:0 and read the port, and it stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// defaultListen is loopback only: the server's admin password is a well-known default, so it must
// not be reachable from other machines unless someone asks for that with -listen.
const defaultListen = "127.0.0.1:2200"

// version is set by goreleaser through -ldflags at release time.
var version = "dev"

const usageHead = `Usage: appmixer-local [flags]

An in-memory Appmixer API for tests: point the Terraform provider's base_url at the URL it prints as
the first line of stdout, once it is seeded and serving. It keeps everything in memory and stops on
SIGINT or SIGTERM. Without -listen it serves on 127.0.0.1:2200; log lines go to stderr.

-seed names a JSON file of users, connectors and connected accounts to add before serving:

  {
    "users":      [{"username": "ops@example.com", "password": "...", "scope": ["user"], "vendor": ["acme"]}],
    "connectors": [{"name": "acme.weather", "source_dir": "connectors/acme/weather"},
                   {"name": "acme.billing", "source_zip": "billing.zip", "user": "ops@example.com"}],
    "accounts":   [{"service": "appmixer:slack", "name": "Dev Slack", "display_name": "...",
                    "user": "ops@example.com", "profile_info": {}}]
  }

Every section and key is optional except users' username and password, connectors' name (the
selector to publish) and source, and accounts' service. Connectors are packed and checked as the
appmixer_component resource does it; source_dir is the folder holding service.json. Components are
per-user copies: a connector with "user" is that seeded user's own, one without it comes with the
tenant like the built-ins, listed for every user. Accounts belong to the admin unless "user" names a
seeded user. Relative paths are relative to the seed file.
Unknown keys are errors.

With -tls-cert and -tls-key it serves HTTPS (the URL it prints starts with https://), and with
-tls-client-ca as well it requires a client certificate signed by that CA, as a mutual-TLS gateway in
front of a self-managed Appmixer does: the way to test the provider's ca_cert_pem, client_cert_pem and
client_key_pem settings, or a pipeline behind a private CA. Files are PEM; the certificate may carry
its intermediates and must name the host clients use (e.g. 127.0.0.1 or localhost).
-require-header 'Name: value' (repeatable) stands for an access gateway such as Cloudflare Access:
requests without the header and value get 403 before the API sees them, to test the provider's
headers setting.

Besides the API it serves GET and DELETE /_local/stats (request counts by route) and, to the admin,
POST /_local/accounts (a connected account, Appmixer's POST /accounts body plus "userId") and
POST /_local/components/upgrade ({"type", "version"}: a newer version of an installed component).
To give a promotion's checks a runtime to look at, the admin can also add, each as one object or an array:
  POST /_local/logs                  {"flowId", "componentId", "severity", "msg", "err", "gridTimestamp"}: engine log entries (GET /logs)
  POST /_local/unprocessed-messages  {"flowId", "componentId", "inPort", "content", "err"}: waiting messages
  POST /_local/people-tasks          {"title", "requester", "approver", "status", "description"}: approvals
and PUT /_local/accounts/{accountId}/test {"valid": false, "message": "..."} makes an account's token go bad
for POST /accounts/{id}/test ({"valid": true} repairs it). Flows must exist; times default to now.

Flags:
`

// versionValue is -version: without a value (a boolean flag) it asks for the binary's version, with
// one (-version=6.2.2) it sets the Appmixer version the server reports. One flag serves both because
// the release tooling and the integration tests each wanted the name.
type versionValue struct {
	show bool
	api  string
}

func (v *versionValue) String() string { return v.api }

func (v *versionValue) Set(s string) error {
	switch s {
	case "true":
		v.show = true
	case "false", "":
		return errors.New(`give an Appmixer version such as -version=6.2.2, or -version alone for appmixer-local's own`)
	default:
		v.api = s
	}
	return nil
}

func (v *versionValue) IsBoolFlag() bool { return true }

// headerFlag collects -require-header 'Name: value'.
type headerFlag map[string]string

func (h headerFlag) String() string { return "" } // values are secrets: -help shows no default

func (h headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	if name = strings.TrimSpace(name); !ok || name == "" || strings.ContainsAny(name, " \t") {
		return errors.New(`want 'Name: value', e.g. 'CF-Access-Client-Id: ci'`)
	}
	h[name] = strings.TrimSpace(value)
	return nil
}

// printGuesses lists what the local server chose where the evidence about real Appmixer is silent,
// so that a pipeline tested against it knows what a green run does not prove.
func printGuesses(w io.Writer) {
	fmt.Fprint(w, "\nGuesses: where no source says how real Appmixer answers, appmixer-local makes a reasonable choice.\n"+
		"A test that passes here proves nothing about these; check them against a tenant:\n\n")
	for _, g := range localserver.Guesses() {
		fmt.Fprintf(w, "  [%s] %s\n      (%s)\n", g.Area, g.Behaviour, g.Why)
	}
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "appmixer-local:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, os.Stdout)
}

// serve runs the server until ctx ends, printing its URL to stdout once it accepts requests.
func serve(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("appmixer-local", flag.ContinueOnError)
	listen := fs.String("listen", defaultListen, "address to listen on; port 0 picks a free port")
	var opts localserver.Options
	fs.StringVar(&opts.AdminUsername, "admin-username", "admin@example.com", "username of the built-in admin")
	fs.StringVar(&opts.AdminPassword, "admin-password", "admin-password", "password of the built-in admin")
	fs.StringVar(&opts.Dialect, "dialect", localserver.DialectAppmixer, `API dialect: "appmixer" (real Appmixer 6.x) or "contract" (the simplified OpenAPI contract)`)
	fs.DurationVar(&opts.Latency, "latency", 0, "delay added before each API request, e.g. 50ms")
	fs.Float64Var(&opts.FaultRate, "fault-rate", 0, "share of API requests answered 502/503/504, e.g. 0.2")
	fs.IntVar(&opts.RateLimit, "rate-limit", 0, "API requests per second before 429 (0 = unlimited)")
	fs.DurationVar(&opts.TokenTTL, "token-ttl", 24*time.Hour, "lifetime of access tokens")
	fs.BoolVar(&opts.ValidateContract, "validate-contract", false, "contract dialect: log requests and responses that stray from the contract")
	seedFile := fs.String("seed", "", "JSON file of users, connectors and accounts to add before serving (see above)")
	verbose := fs.Bool("v", false, "log every request to stderr")
	tlsCert := fs.String("tls-cert", "", "PEM file of the certificate to serve HTTPS with (needs -tls-key)")
	tlsKey := fs.String("tls-key", "", "PEM file of the private key of -tls-cert")
	gatewayHeaders := headerFlag{}
	fs.Var(gatewayHeaders, "require-header", "'Name: value' every request must carry, or get 403 as from a gateway (repeatable)")
	tlsClientCA := fs.String("tls-client-ca", "", "PEM file of the CA whose client certificates are required (mutual TLS; needs -tls-cert)")
	versionFlag := &versionValue{}
	fs.Var(versionFlag, "version", "alone: print appmixer-local's version and exit; -version=6.2.2: the Appmixer version GET / reports "+
		"(default 6.1.0), e.g. to try a promotion between tenants of different versions")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
		printGuesses(fs.Output())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: every setting is a flag (see -help)", fs.Arg(0))
	}
	if versionFlag.show {
		_, _ = fmt.Fprintln(stdout, "appmixer-local", version)
		return nil
	}
	opts.Version = versionFlag.api
	opts.RequireHeaders = gatewayHeaders
	if opts.ValidateContract && opts.Dialect != localserver.DialectContract {
		return errors.New("-validate-contract needs -dialect contract: the appmixer dialect differs from the contract on purpose")
	}
	if *tlsCert != "" || *tlsKey != "" || *tlsClientCA != "" {
		if *tlsCert == "" || *tlsKey == "" {
			return errors.New("HTTPS needs both -tls-cert and -tls-key (and -tls-client-ca needs them too)")
		}
		var err error
		if opts.TLS, err = localserver.LoadTLS(*tlsCert, *tlsKey, *tlsClientCA); err != nil {
			return err
		}
	}
	// Read the seed before listening, so a broken file fails without ever serving.
	var seed *localserver.TenantSeed
	if *seedFile != "" {
		var err error
		if seed, err = localserver.LoadSeed(*seedFile); err != nil {
			return err
		}
	}
	logger := log.New(os.Stderr, "appmixer-local: ", log.LstdFlags|log.Lmicroseconds)
	if *verbose {
		opts.Logf = logger.Printf
	}
	srv, err := localserver.Start(*listen, opts)
	if err != nil {
		return err
	}
	if seed != nil {
		// Seeded before the URL is printed: a client that waits for it never sees a half-seeded tenant.
		warnings, err := srv.ApplySeed(seed)
		for _, w := range warnings {
			logger.Printf("warning: %s", w)
		}
		if err != nil {
			_ = srv.Close()
			return err
		}
		logger.Printf("seeded %d users, %d connectors and %d accounts from %s", len(seed.Users), len(seed.Connectors), len(seed.Accounts), *seedFile)
	}
	_, _ = fmt.Fprintln(stdout, srv.URL)
	mtls := ""
	if opts.TLS != nil && opts.TLS.ClientCAs != nil {
		mtls = ", client certificates required"
	}
	logger.Printf("serving the %s dialect at %s (admin %s%s)", opts.Dialect, srv.URL, srv.AdminUsername(), mtls)

	<-ctx.Done()
	logger.Printf("shutting down")
	err = srv.Close()
	if !*verbose { // with -v each violation was logged as it happened
		for _, v := range srv.ContractViolations() {
			logger.Printf("contract violation: %s", v)
		}
	}
	return err
}
