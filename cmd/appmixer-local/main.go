// Command appmixer-local serves the in-memory local Appmixer API for demos and manual testing.
//
// It prints its base URL as the first line of stdout once it accepts requests, so scripts can
// start it with -listen 127.0.0.1:0 and read the port, and it stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
)

// defaultListen is loopback only: the server's admin password is a well-known default, so it must
// not be reachable from other machines unless someone asks for that with -listen.
const defaultListen = "127.0.0.1:2200"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "appmixer-local:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
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
	fs.StringVar(&opts.Version, "version", "6.1.0", "the Appmixer version GET / reports, e.g. to try a promotion between tenants of different versions")
	fs.BoolVar(&opts.ValidateContract, "validate-contract", false, "contract dialect: log requests and responses that stray from the contract")
	verbose := fs.Bool("v", false, "log every request to stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if opts.ValidateContract && opts.Dialect != localserver.DialectContract {
		return errors.New("-validate-contract needs -dialect contract: the appmixer dialect differs from the contract on purpose")
	}
	logger := log.New(os.Stderr, "appmixer-local: ", log.LstdFlags|log.Lmicroseconds)
	if *verbose {
		opts.Logf = logger.Printf
	}
	srv, err := localserver.Start(*listen, opts)
	if err != nil {
		return err
	}
	fmt.Println(srv.URL)
	logger.Printf("serving the %s dialect at %s (admin %s)", opts.Dialect, srv.URL, srv.AdminUsername())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
