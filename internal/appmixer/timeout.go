// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// TimeoutError reports that a request got no (complete) answer within the
// per-attempt RequestTimeout. net/http says only "context deadline exceeded
// (Client.Timeout exceeded while awaiting headers)", which names neither the
// limit nor the setting that controls it.
type TimeoutError struct {
	After time.Duration // the configured RequestTimeout
	Err   error         // the transport error, after any retries
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("request timed out after %s (the per-request timeout): %v", e.After, e.Err)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Timeout lets callers that look for net.Error see this as a timeout too.
func (e *TimeoutError) Timeout() bool { return true }

// IsTimeout reports a request that ran out of its per-request timeout.
func IsTimeout(err error) bool {
	var te *TimeoutError
	return errors.As(err, &te)
}

// explainTimeout wraps a transport error caused by the per-attempt timeout.
// An error from the caller's own context (cancelled, or a Terraform
// operation timeout) is left alone: it is not this client's limit.
func (c *Client) explainTimeout(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &TimeoutError{After: c.cfg.RequestTimeout, Err: err}
	}
	return err
}
