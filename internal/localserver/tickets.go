// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "time"

// asyncDelay is how long an asynchronous job (user deletion, component upload) takes when nobody
// polls it: long enough that clients must really poll, short enough for tests.
const asyncDelay = 300 * time.Millisecond

// asyncProgress models a job behind a ticket: the first poll sees it running, the second sees it
// done, and it is done anyway once asyncDelay has passed.
type asyncProgress struct {
	started time.Time
	polls   int
	done    bool
	doneAt  time.Time
}

func (p *asyncProgress) due(now time.Time) bool { return now.Sub(p.started) >= asyncDelay }

func (p *asyncProgress) finish(now time.Time) {
	if !p.done {
		p.done, p.doneAt = true, now
	}
}

// HoldJobs keeps every asynchronous job (user deletion, component upload, integration rollout and
// deletion) in progress while held, however often it is polled and whatever the clock says, so that a
// test can make a client's wait run out; releasing lets them finish as usual.
func (s *Server) HoldJobs(held bool) {
	if s.localOnly("held jobs (HoldJobs)") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holdJobs(held, s.opts.Now())
}

// pollJob is p.poll unless jobs are held. Called with mu held.
func (s *Server) pollJob(p *asyncProgress, now time.Time) bool {
	if s.jobsHeld {
		return p.done
	}
	return p.poll(now)
}

// poll counts a status request and reports whether the job is finished.
func (p *asyncProgress) poll(now time.Time) bool {
	if !p.done {
		p.polls++
		if p.polls >= 2 || p.due(now) {
			p.finish(now)
		}
	}
	return p.done
}

// steppedProgress models a job of several steps behind a ticket (an integration rollout or deletion):
// each status request finishes one more step, and so does every asyncDelay that passes, so the job
// ends whether or not anybody polls it.
type steppedProgress struct {
	total, done int
	last        time.Time // when the last step finished, or the job started
}

// due reports how many steps to finish now; polled is a status request.
func (p *steppedProgress) due(now time.Time, polled bool) int {
	n := int(now.Sub(p.last) / asyncDelay)
	if polled {
		n = max(n, 1)
	}
	return min(n, p.total-p.done)
}

func (p *steppedProgress) step(now time.Time) { p.done, p.last = p.done+1, now }
