// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Command bench measures the provider against a do-nothing provider with appmixer_flow's schema
// (internal/bench/noopprovider) and Terraform's built-in terraform_data resource: wall time
// of apply, a no-change plan and destroy for N flows, the requests each made to a local Appmixer server
// (from its GET /_local/stats), and the provider process's peak memory. It writes the results into
// BENCHMARKS.md (between its bench markers), a JSON file and a PNG plot. Run it with `make bench`;
// it is no test, since its numbers depend on the machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command line.
type options struct {
	providerDir string
	serverBin   string
	sizes       []int
	latencies   []time.Duration
	reps        int // runs of each cell at latency 0, where the 2x target is judged on the median
	slowReps    int // runs of each cell at the other latencies
	others      int // flows beside the small configurations of the heuristic cases
	tenantCases bool
	throttle    bool   // the throttling case (throttle_cases.go)
	only        string // "throttle": measure only that case, keeping the other results of -json
	smallSizes  []int
	out         string
	jsonOut     string
	plotOut     string
	workDir     string
	command     string
	fromJSON    string
}

func main() {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := &options{}
	var sizes, latencies, small string
	fs.StringVar(&o.providerDir, "provider-dir", "", "directory holding the built terraform-provider-appmixer (dev_overrides)")
	fs.StringVar(&o.serverBin, "server", "", "the built appmixer-local binary")
	fs.StringVar(&sizes, "sizes", "50,200,1000", "numbers of resources, comma separated")
	fs.StringVar(&latencies, "latencies", "0,50ms", "server latencies, comma separated")
	fs.IntVar(&o.reps, "reps", 3, "runs of each cell at latency 0 (the median is reported)")
	fs.IntVar(&o.slowReps, "slow-reps", 1, "runs of each cell at the other latencies")
	fs.IntVar(&o.others, "others", 2000, "flows on the tenant beside the small configurations")
	fs.StringVar(&small, "small-sizes", "10,200", "managed flows of the heuristic cases (beside -others flows)")
	fs.BoolVar(&o.tenantCases, "tenant-cases", true, "also measure 50 integrations and 100 service configs beside 100 data stores")
	fs.BoolVar(&o.throttle, "throttle-case", true, "also measure 300 flows applied at -parallelism=30 against -rate-limit 20, with and without max_requests_per_second")
	fs.StringVar(&o.only, "only", "", `"throttle": measure only the throttling case and re-render the report with the other results already in -json`)
	fs.StringVar(&o.out, "out", "BENCHMARKS.md", "markdown file whose bench section is replaced")
	fs.StringVar(&o.jsonOut, "json", "benchmarks/results.json", "raw results")
	fs.StringVar(&o.plotOut, "plot", "benchmarks/plan-time.png", "plot of plan time against N")
	fs.StringVar(&o.workDir, "work", "", "work directory (default: a temporary one, removed afterwards)")
	fs.StringVar(&o.command, "command", "", "the command line to record in the report (default: this one)")
	fs.StringVar(&o.fromJSON, "from-json", "", "measure nothing: render the report and plot again from this results file")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.only != "" && o.only != "throttle" {
		return nil, fmt.Errorf("-only: want throttle, got %q", o.only)
	}
	if o.fromJSON == "" && (o.providerDir == "" || o.serverBin == "") {
		return nil, errors.New("-provider-dir and -server are required (scripts/bench.sh builds them)")
	}
	var err error
	if o.sizes, err = intList(sizes); err != nil {
		return nil, fmt.Errorf("-sizes: %w", err)
	}
	if o.smallSizes, err = intList(small); err != nil {
		return nil, fmt.Errorf("-small-sizes: %w", err)
	}
	for _, s := range strings.Split(latencies, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("-latencies: %w", err)
		}
		o.latencies = append(o.latencies, d)
	}
	if o.command == "" {
		o.command = "go run ./internal/bench " + strings.Join(args, " ")
	}
	return o, nil
}

// progress tells the developer where the run is.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, o *options) error {
	if o.fromJSON != "" {
		res, err := readResults(o.fromJSON)
		if err != nil {
			return err
		}
		return report(o, res)
	}
	work := o.workDir
	if work == "" {
		dir, err := os.MkdirTemp("", "appmixer-bench")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		work = dir
	}
	env, err := newTFEnv(work, o.providerDir)
	if err != nil {
		return err
	}
	res := &results{Command: o.command, Started: time.Now().UTC(), Machine: describeMachine(ctx)}
	if o.only == "throttle" {
		// The other tables stay as the last full run measured them.
		if prev, err := readResults(o.jsonOut); err == nil {
			res = prev
		}
		if err := benchThrottle(ctx, o, env, res); err != nil {
			return err
		}
	} else {
		for _, lat := range o.latencies {
			if err := benchLatency(ctx, o, env, lat, res); err != nil {
				return err
			}
		}
		if o.throttle {
			if err := benchThrottle(ctx, o, env, res); err != nil {
				return err
			}
		}
		res.Seconds = time.Since(res.Started).Seconds()
	}
	if err := os.MkdirAll(filepath.Dir(o.jsonOut), 0o750); err != nil {
		return err
	}
	if err := res.writeJSON(o.jsonOut); err != nil {
		return err
	}
	return report(o, res)
}

// report writes the plot and the markdown section.
func report(o *options, res *results) error {
	if err := writePlot(o.plotOut, res); err != nil {
		return err
	}
	return replaceSection(o.out, res.markdown(o))
}

// benchLatency runs every cell against one fresh server with latency lat.
func benchLatency(ctx context.Context, o *options, env *tfEnv, lat time.Duration, res *results) error {
	srv, err := startServer(ctx, o.serverBin, lat)
	if err != nil {
		return err
	}
	defer srv.stop()
	reps := o.reps
	if lat != 0 {
		reps = o.slowReps
	}
	for _, n := range o.sizes {
		dirs := make([]string, len(workloads))
		for i, w := range workloads {
			dir, err := env.workspace(fmt.Sprintf("%s-%s-%d", w.kind, lat, n), w.config(srv, n))
			if err != nil {
				return err
			}
			dirs[i] = dir
		}
		for rep := range reps {
			progress("latency %s, N=%d, run %d/%d", lat, n, rep+1, reps)
			for _, op := range operations {
				for i, w := range workloads {
					r, err := env.runOp(ctx, srv, dirs[i], op, w.server)
					if err != nil {
						return fmt.Errorf("latency %s, N=%d, %s %s: %w", lat, n, w.kind, op, err)
					}
					res.add(cellKey{Latency: lat.String(), N: n, Kind: w.kind, Op: op}, r)
				}
			}
		}
	}
	if err := benchHeuristic(ctx, o, env, srv, lat, res); err != nil {
		return err
	}
	return benchTenantCases(ctx, o, env, srv, lat, res)
}

// benchHeuristic measures small configurations on a tenant holding o.others other flows: the case
// in which listing every flow would not pay.
func benchHeuristic(ctx context.Context, o *options, env *tfEnv, srv *server, lat time.Duration, res *results) error {
	if o.others == 0 || len(o.smallSizes) == 0 {
		return nil
	}
	progress("latency %s: creating %d other flows", lat, o.others)
	if err := srv.seedFlows(ctx, o.others); err != nil {
		return err
	}
	for _, n := range o.smallSizes {
		dir, err := env.workspace(fmt.Sprintf("small-%s-%d", lat, n), flowConfig(srv, n))
		if err != nil {
			return err
		}
		progress("latency %s, N=%d beside %d other flows", lat, n, o.others)
		for _, op := range operations {
			r, err := env.runOp(ctx, srv, dir, op, true)
			if err != nil {
				return fmt.Errorf("latency %s, N=%d beside %d others, %s: %w", lat, n, o.others, op, err)
			}
			res.add(cellKey{Latency: lat.String(), N: n, Others: o.others, Kind: kindFlow, Op: op}, r)
		}
	}
	return nil
}
