// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// The throttling case (issue 29): an apply of throttleFlows flows at -parallelism=throttleParallelism
// against a server that answers 429 beyond throttleServerLimit requests a second, once with
// max_requests_per_second = throttleRate (just below the limit) and once without it. Throttled, it
// must get no 429 and take at most 1.15x the time the rate itself imposes (requests / rate).
const (
	throttleFlows       = 300
	throttleParallelism = 30
	throttleServerLimit = 20
	throttleRate        = 19.0
	throttleSlack       = 1.15
)

// throttleResults are the throttling runs, kept apart from the cells: their own time and command,
// since `-only throttle` measures them alone and keeps the other results of the JSON file.
type throttleResults struct {
	Started time.Time     `json:"started"`
	Command string        `json:"command"`
	Machine string        `json:"machine"`
	Runs    []throttleRun `json:"runs"`
}

type throttleRun struct {
	Rate   float64   `json:"max_requests_per_second"` // 0: unset
	Result *opResult `json:"result,omitempty"`
	Error  string    `json:"error,omitempty"` // the apply failed, e.g. retries exhausted on 429
}

// benchThrottle runs the case on a fresh server of its own.
func benchThrottle(ctx context.Context, o *options, env *tfEnv, res *results) error {
	srv, err := startServer(ctx, o.serverBin, 0, "-rate-limit", fmt.Sprint(throttleServerLimit))
	if err != nil {
		return err
	}
	defer srv.stop()
	tr := &throttleResults{Started: time.Now().UTC(), Command: o.command, Machine: describeMachine(ctx)}
	for _, rate := range []float64{throttleRate, 0} {
		extra := ""
		if rate > 0 {
			extra = fmt.Sprintf("max_requests_per_second = %g", rate)
		}
		dir, err := env.workspace(fmt.Sprintf("throttle-%g", rate), throttleConfig(srv, extra))
		if err != nil {
			return err
		}
		progress("throttling: %d flows at -parallelism=%d against -rate-limit %d, %s", throttleFlows, throttleParallelism,
			throttleServerLimit, orUnset(extra))
		run := throttleRun{Rate: rate}
		r, err := env.runOp(ctx, srv, dir, "apply", true, fmt.Sprintf("-parallelism=%d", throttleParallelism))
		if err != nil {
			run.Error = err.Error()
			if st, serr := srv.stats(ctx); serr == nil { // what the failed run cost
				run.Result = &opResult{Total: st.Total, Requests: st.Requests, RateLimited: st.RateLimited,
					PeakPerSecond: st.PeakPerSecond, SpanSeconds: st.SpanSeconds}
			}
		} else {
			run.Result = r
		}
		tr.Runs = append(tr.Runs, run)
		// Empty the server for the next run, throttled so that the cleanup cannot fail on 429.
		if err := os.WriteFile(dir+"/main.tf", []byte(throttleConfig(srv, fmt.Sprintf("max_requests_per_second = %g", throttleRate))), 0o600); err != nil {
			return err
		}
		if _, err := env.runOp(ctx, srv, dir, "destroy", true, fmt.Sprintf("-parallelism=%d", throttleParallelism)); err != nil {
			return fmt.Errorf("throttling case cleanup: %w", err)
		}
	}
	res.Throttle = tr
	return nil
}

func orUnset(s string) string {
	if s == "" {
		return "max_requests_per_second unset"
	}
	return s
}

func throttleConfig(srv *server, extra string) string {
	header := strings.Replace(providerHeader(srv), "  password = ", "  "+extra+"\n  password = ", 1)
	return header + fmt.Sprintf(`
resource "appmixer_flow" "bench" {
  count       = %d
  name        = "throttle-${count.index}"
  description = "benchmark flow"
  definition  = jsonencode(%s)
}
`, throttleFlows, benchDefinition)
}

// imposed is the time the rate itself imposes on a run: its requests divided by the rate.
func (t throttleRun) imposed() float64 { return float64(t.Result.Total) / t.Rate }

// throttleMarkdown is the table of the throttling runs.
func (r *results) throttleMarkdown(p func(string, ...any)) {
	tr := r.Throttle
	if tr == nil {
		return
	}
	p("\n### Throttling: %d flows applied at -parallelism=%d against `appmixer-local -rate-limit %d`\n\n",
		throttleFlows, throttleParallelism, throttleServerLimit)
	p("Measured %s on %s. Requests include those answered 429 (each retried after the\n", tr.Started.Format("2006-01-02 15:04 MST"), tr.Machine)
	p("shared Retry-After pause); the peak is the most requests the server saw in one of its one-second windows;\n")
	p("the request span is the time from the first request to the last: the wall time less terraform's start-up,\n")
	p("but with its plan of the %d flows, which sends one login and then nothing until the apply walk begins.\n\n", throttleFlows)
	p("| max_requests_per_second | wall time | requests | 429 answers | peak per second | requests / rate | wall / (requests / rate) | request span | span / (requests / rate) | by route |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, run := range tr.Runs {
		setting, imposed, ratio, spanRatio := "unset", "-", "-", "-"
		if run.Rate > 0 {
			setting = fmt.Sprintf("%g", run.Rate)
		}
		if run.Result == nil {
			p("| %s | failed: %s | | | | | | | | |\n", setting, run.Error)
			continue
		}
		if run.Rate > 0 && run.Result.Total > 0 {
			imposed = fmt.Sprintf("%.2f s", run.imposed())
			ratio = fmt.Sprintf("%.2fx", run.Result.Seconds/run.imposed())
			spanRatio = fmt.Sprintf("%.2fx", run.Result.SpanSeconds/run.imposed())
		}
		wall := fmt.Sprintf("%.2f s", run.Result.Seconds)
		if run.Error != "" {
			wall = "failed"
		}
		p("| %s | %s | %d | %d | %d | %s | %s | %.2f s | %s | %s |\n", setting, wall, run.Result.Total, run.Result.RateLimited,
			run.Result.PeakPerSecond, imposed, ratio, run.Result.SpanSeconds, spanRatio, routes(run.Result.Requests))
	}
}

// throttleTargets: throttled, no 429 and within 1.15x of the imposed time; unthrottled, its 429s beside.
func (r *results) throttleTargets() []target {
	if r.Throttle == nil {
		return nil
	}
	var out []target
	unthrottled := "not measured"
	for _, run := range r.Throttle.Runs {
		if run.Rate == 0 && run.Result != nil {
			unthrottled = fmt.Sprintf("%d 429 answers", run.Result.RateLimited)
			if run.Error != "" {
				unthrottled += ", and the apply failed"
			}
		}
	}
	for _, run := range r.Throttle.Runs {
		if run.Rate == 0 {
			continue
		}
		name := fmt.Sprintf("apply of %d flows at -parallelism=%d with max_requests_per_second = %g against -rate-limit %d: no 429, within %.2fx of requests / rate",
			throttleFlows, throttleParallelism, run.Rate, throttleServerLimit, throttleSlack)
		if run.Result == nil || run.Error != "" {
			out = append(out, target{name, "failed: " + run.Error, false})
			continue
		}
		ratio := run.Result.Seconds / run.imposed()
		out = append(out, target{name, fmt.Sprintf("%d 429 answers, %.2f s / %.2f s = %.2fx; first to last request %.2f s = %.2fx (unset: %s)",
			run.Result.RateLimited, run.Result.Seconds, run.imposed(), ratio, run.Result.SpanSeconds, run.Result.SpanSeconds/run.imposed(), unthrottled),
			run.Result.RateLimited == 0 && ratio <= throttleSlack})
	}
	return out
}
