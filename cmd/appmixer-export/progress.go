// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progressLine shows how far the read got: rewritten in place on a terminal, else a line per kind
// when it is done (and every few seconds for a long one), which CI logs keep readable.
type progressLine struct {
	mu       sync.Mutex
	w        io.Writer
	off, tty bool
	kind     string
	last     time.Time
	width    int
}

func newProgressLine(w io.Writer, quiet bool) *progressLine {
	p := &progressLine{w: w, off: quiet}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progressLine) update(kind string, done, total int) {
	if p.off {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	text := fmt.Sprintf("reading %s: %d/%d", kind, done, total)
	finished := done == total
	switch {
	case p.tty:
		if finished || time.Since(p.last) > 100*time.Millisecond {
			fmt.Fprintf(p.w, "\r%-*s", p.width, text)
			p.width, p.last = len(text), time.Now()
		}
	case finished || (kind == p.kind && time.Since(p.last) > 5*time.Second):
		fmt.Fprintln(p.w, text)
		p.last = time.Now()
	case kind != p.kind:
		p.last = time.Now()
	}
	p.kind = kind
}

func (p *progressLine) done() {
	if p.tty && !p.off && p.width > 0 {
		fmt.Fprintln(p.w)
	}
}
