// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"time"
)

// Appmixer answers long operations (component uploads, user and integration deletions, integration
// rollouts) with a ticket whose status the caller polls.

// PollWait bounds the pause between two looks at a ticket: the first is short because most tickets
// finish in well under a second on a quiet server, and the cap keeps long ones from hammering the API.
// Tests shrink it.
var PollWait = struct{ First, Max time.Duration }{First: 200 * time.Millisecond, Max: 5 * time.Second}

// Poll calls check, backing off from PollWait.First to PollWait.Max, until it reports done, fails or
// ctx ends (then ctx's error).
func Poll(ctx context.Context, check func(context.Context) (done bool, err error)) error {
	wait := PollWait.First
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		wait = min(2*wait, PollWait.Max)
	}
}
