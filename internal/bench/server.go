// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

const (
	adminUser     = "bench@example.com"
	adminPassword = "bench-password"
)

// server is a running appmixer-local process.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// startServer runs the built local server on a free loopback port and waits for its URL; extra are
// more appmixer-local flags, such as -rate-limit.
func startServer(ctx context.Context, bin string, latency time.Duration, extra ...string) (*server, error) {
	args := []string{"-listen", "127.0.0.1:0", "-latency", latency.String(), "-admin-username", adminUser, "-admin-password", adminPassword}
	args = append(args, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s.url = <-lines:
		return s, nil
	case <-s.done:
		return nil, errors.New("appmixer-local exited before printing its URL")
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, errors.New("appmixer-local did not print its URL within 30s")
	}
}

// stop ends the server process this benchmark started, by its pid, and waits for it.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// stats is GET /_local/stats.
type stats struct {
	Total         int            `json:"total"`
	Requests      map[string]int `json:"requests"`
	RateLimited   int            `json:"rate_limited"`
	PeakPerSecond int            `json:"peak_per_second"`
	SpanSeconds   float64        `json:"span_seconds"`
}

func (s *server) local(ctx context.Context, method string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, s.url+"/_local/stats", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s /_local/stats: %s", method, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (s *server) resetStats(ctx context.Context) error { return s.local(ctx, http.MethodDelete, nil) }

func (s *server) stats(ctx context.Context) (*stats, error) {
	var st stats
	return &st, s.local(ctx, http.MethodGet, &st)
}

// seedFlows creates n flows that no configuration manages, as other teams' flows on a shared tenant.
func (s *server) seedFlows(ctx context.Context, n int) error {
	c, err := appmixer.New(appmixer.Config{BaseURL: s.url, Username: adminUser, Password: adminPassword, Dialect: appmixer.DialectAppmixer})
	if err != nil {
		return err
	}
	def := strings.NewReplacer("\n", "").Replace(`{"start":{"type":"appmixer.utils.controls.OnStart","x":100,"y":100},
		"mail":{"type":"appmixer.utils.email.SendEmail","source":{"in":{"start":["out"]}},"config":{"properties":{"to":"x@example.com"}}}}`)
	jobs := make(chan int)
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range jobs {
				if _, err := c.CreateFlow(ctx, appmixer.FlowInput{Name: fmt.Sprintf("other-%d", i), Definition: json.RawMessage(def)}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var firstErr error
feed:
	for i := range n {
		select {
		case jobs <- i:
		case firstErr = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if firstErr == nil {
		firstErr = <-errs
	}
	return firstErr
}
