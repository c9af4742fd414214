// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// cellKey identifies what was measured; Others > 0 marks the heuristic cases.
type cellKey struct {
	Latency string `json:"latency"`
	N       int    `json:"n"`
	Others  int    `json:"others,omitempty"`
	Kind    string `json:"kind"`
	Op      string `json:"op"`
}

type cell struct {
	cellKey
	Runs []*opResult `json:"runs"`
}

type results struct {
	Command string    `json:"command"`
	Machine string    `json:"machine"`
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	Cells   []*cell   `json:"cells"`
	// Throttle is the throttling case (throttle_cases.go), nil when not measured.
	Throttle *throttleResults `json:"throttle,omitempty"`
}

func (r *results) add(k cellKey, res *opResult) {
	if c := r.cell(k); c != nil {
		c.Runs = append(c.Runs, res)
		return
	}
	r.Cells = append(r.Cells, &cell{cellKey: k, Runs: []*opResult{res}})
}

func (r *results) cell(k cellKey) *cell {
	for _, c := range r.Cells {
		if c.cellKey == k {
			return c
		}
	}
	return nil
}

// median is the run with the median wall time (the lower middle one of an even count); its request
// counts are reported with it, and peak memory is the highest of all runs.
func (c *cell) median() *opResult {
	runs := slices.Clone(c.Runs)
	sort.Slice(runs, func(i, j int) bool { return runs[i].Seconds < runs[j].Seconds })
	m := *runs[(len(runs)-1)/2]
	for _, r := range c.Runs {
		m.PeakRSSKB = max(m.PeakRSSKB, r.PeakRSSKB)
	}
	return &m
}

func readResults(path string) (*results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r results
	return &r, json.Unmarshal(b, &r)
}

func (r *results) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

const (
	beginMarker = "<!-- bench:begin (written by internal/bench; edits inside are overwritten) -->"
	endMarker   = "<!-- bench:end -->"
)

// replaceSection puts section between the markers of path, keeping the text around them.
func replaceSection(path, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	text := string(old)
	before, after := "# Benchmarks\n\n", "\n"
	if i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker); i >= 0 && j > i {
		before, after = text[:i], text[j+len(endMarker):]
	}
	return os.WriteFile(path, []byte(before+beginMarker+"\n"+section+endMarker+after), 0o600)
}

// markdown renders the tables and the verdict on each target.
func (r *results) markdown(o *options) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("Measured %s on %s; the whole run took %.1f minutes.\n\n", r.Started.Format("2006-01-02 15:04 MST"), r.Machine, r.Seconds/60)
	p("Produced by `make bench`, which ran:\n\n```\n%s\n```\n\n", r.Command)
	p("Runs per cell: %d at latency 0 (median shown), %d at other latencies.\n\n", o.reps, o.slowReps)

	p("### Wall time: appmixer_flow against the do-nothing baseline and terraform_data\n\n")
	p("noop_flow is appmixer_flow's schema in a provider that makes no request and does nothing\n")
	p("(`internal/bench/noopprovider`): the cost of the plugin protocol and the framework alone.\n\n")
	p("| latency | N | operation | appmixer_flow | noop_flow | terraform_data | vs noop_flow | vs terraform_data |\n")
	p("|---|---:|---|---:|---:|---:|---:|---:|\n")
	r.each(func(k cellKey, flow, noop, data *opResult) {
		p("| %s | %d | %s | %.2f s | %s | %.2f s | %s | %.2fx |\n", k.Latency, k.N, k.Op, flow.Seconds, seconds(noop),
			data.Seconds, ratio(flow, noop), flow.Seconds/data.Seconds)
	})

	p("\n### Requests per operation (appmixer_flow), provider processes and peak memory\n\n")
	p("Requests are the local server's counts by route, reset before each command. Processes are the provider\n")
	p("processes terraform started for the command (configured = those that logged in); peak RSS is the\n")
	p("highest VmHWM any of them reported at exit.\n\n")
	p("| latency | N | other flows | operation | requests | logins | processes (configured) | peak RSS | by route |\n")
	p("|---|---:|---:|---|---:|---:|---|---:|---|\n")
	for _, c := range r.Cells {
		if c.Kind != kindFlow {
			continue
		}
		m := c.median()
		p("| %s | %d | %d | %s | %d | %d | %d (%d) | %.1f MB | %s |\n", c.Latency, c.N, c.Others, c.Op, m.Total,
			m.Requests["POST /user/auth"], m.Processes, m.Configured, float64(m.PeakRSSKB)/1024, routes(m.Requests))
	}
	if o.others > 0 {
		p("\n### The batching rule at work: small configurations beside %d other flows\n\n", o.others)
		p("| latency | managed flows | operation | wall time | requests | by route |\n|---|---:|---|---:|---:|---|\n")
		for _, c := range r.Cells {
			if c.Others > 0 && c.Op == "plan" {
				m := c.median()
				p("| %s | %d | %s | %.2f s | %d | %s |\n", c.Latency, c.N, c.Op, m.Seconds, m.Total, routes(m.Requests))
			}
		}
	}
	r.tenantCaseMarkdown(p)
	r.throttleMarkdown(p)
	p("\n### Targets\n\n| target | measured | met |\n|---|---|---|\n")
	for _, t := range r.targets() {
		p("| %s | %s | %s |\n", t.name, t.measured, yesNo(t.met))
	}
	p("\n![plan time against N](%s)\n\n", o.plotOut)
	return b.String()
}

// each calls fn for every operation measured on appmixer_flow and terraform_data, with the medians
// of the three kinds, in measurement order. noop is nil in results from before the baseline existed.
func (r *results) each(fn func(k cellKey, flow, noop, data *opResult)) {
	for _, c := range r.Cells {
		if c.Kind != kindFlow || c.Others > 0 {
			continue
		}
		data, noop := r.median(c.cellKey, kindData), r.median(c.cellKey, kindNoop)
		if data != nil {
			fn(c.cellKey, c.median(), noop, data)
		}
	}
}

// median is the median run of k's cell of another kind, nil when it was not measured.
func (r *results) median(k cellKey, kind string) *opResult {
	k.Kind = kind
	if c := r.cell(k); c != nil {
		return c.median()
	}
	return nil
}

func seconds(r *opResult) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f s", r.Seconds)
}

func ratio(a, b *opResult) string {
	if a == nil || b == nil {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a.Seconds/b.Seconds)
}

func routes(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

type target struct {
	name, measured string
	met            bool
}

// targets judges the targets from the measurements.
func (r *results) targets() []target {
	var out []target
	logins, configured, processes, multi := 0, 0, 0, false
	for _, c := range r.Cells {
		for _, run := range c.Runs {
			logins += run.Requests["POST /user/auth"]
			configured += run.Configured
			processes += run.Processes
			multi = multi || run.Configured > run.Processes
		}
	}
	out = append(out, target{"exactly one login per provider process",
		fmt.Sprintf("%d logins for %d configured provider processes (of %d started, all runs)", logins, configured, processes),
		logins == configured && !multi})
	for _, c := range r.Cells {
		if c.Kind != kindFlow || c.Op != "plan" || c.Others > 0 {
			continue
		}
		worst := 0
		for _, run := range c.Runs {
			worst = max(worst, run.Total)
		}
		limit := c.N + 1
		name := fmt.Sprintf("no-change plan of %d flows <= N+1 = %d requests", c.N, limit)
		if c.N >= 1000 {
			limit, name = 15, fmt.Sprintf("no-change plan of %d flows <= 15 requests (batched)", c.N)
		}
		out = append(out, target{fmt.Sprintf("%s (latency %s)", name, c.Latency), fmt.Sprintf("%d (worst run)", worst), worst <= limit})
	}
	for _, c := range r.Cells {
		if c.Kind != kindFlow || c.Op != "plan" || c.Others == 0 {
			continue
		}
		m := c.median()
		out = append(out, target{fmt.Sprintf("no-change plan of %d flows beside %d others <= N+1 = %d requests (latency %s)", c.N, c.Others, c.N+1, c.Latency),
			fmt.Sprintf("%d, of which %d pages of GET /flows (%d would download everything)", m.Total, m.Requests["GET /flows"], (c.N+c.Others+99)/100),
			m.Total <= c.N+1})
	}
	if f, d := r.cell(cellKey{Latency: "0s", N: 200, Kind: kindFlow, Op: "apply"}), r.cell(cellKey{Latency: "0s", N: 200, Kind: kindData, Op: "apply"}); f != nil && d != nil {
		ratio := f.median().Seconds / d.median().Seconds
		out = append(out, target{"apply of 200 flows at latency 0 within 2x of 200 terraform_data (medians)",
			fmt.Sprintf("%.2f s / %.2f s = %.2fx (%d runs)", f.median().Seconds, d.median().Seconds, ratio, len(f.Runs)), ratio <= 2})
	}
	for _, c := range r.Cells {
		noop := r.median(c.cellKey, kindNoop)
		if c.Kind != kindFlow || c.Op != "plan" || c.Others > 0 || c.Latency != "0s" || c.N < 1000 || noop == nil {
			continue
		}
		flow := c.median()
		out = append(out, target{fmt.Sprintf("no-change plan of %d flows within 1.25x of %d noop_flow (latency 0, medians)", c.N, c.N),
			fmt.Sprintf("%.2f s / %.2f s = %s", flow.Seconds, noop.Seconds, ratio(flow, noop)), flow.Seconds <= 1.25*noop.Seconds})
	}
	out = append(out, r.tenantCaseTargets()...)
	out = append(out, r.throttleTargets()...)
	peak := 0
	for _, c := range r.Cells {
		if c.Kind == kindFlow && c.N >= 1000 {
			for _, run := range c.Runs {
				peak = max(peak, run.PeakRSSKB)
			}
		}
	}
	if peak > 0 {
		out = append(out, target{"provider peak memory < 150 MB at N=1000", fmt.Sprintf("%.1f MB (highest VmHWM of any provider process)", float64(peak)/1024), peak < 150*1024})
	}
	return out
}
