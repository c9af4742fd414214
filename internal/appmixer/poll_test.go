// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPoll(t *testing.T) {
	looks := 0
	err := Poll(context.Background(), func(context.Context) (bool, error) {
		looks++
		return looks == 3, nil
	})
	if err != nil || looks != 3 {
		t.Errorf("done on the third look: %d looks, err %v", looks, err)
	}

	boom := errors.New("ticket failed")
	if err := Poll(context.Background(), func(context.Context) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("a failing check: err %v, want it returned", err)
	}

	// A deadline ends the wait between two looks with the context's error.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	looks = 0
	err = Poll(ctx, func(context.Context) (bool, error) { looks++; return false, nil })
	if !errors.Is(err, context.DeadlineExceeded) || looks != 1 {
		t.Errorf("deadline before the second look (first wait %s): %d looks, err %v", PollWait.First, looks, err)
	}
}
