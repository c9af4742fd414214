// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package appmixer

import (
	"net/http"
	"testing"
)

// TestDownloadComponent: GET /components/{selector} answers the zip as it is.
func TestDownloadComponent(t *testing.T) {
	zip := "PK\x03\x04 a zip"
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write([]byte(zip))
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Dialect = DialectAppmixer })
	got, err := c.DownloadComponent(ctxT(t), "acme.weather")
	if err != nil || string(got) != zip {
		t.Fatalf("download = %q, %v", got, err)
	}
	assertReq(t, only(t, f), "GET", "/components/acme.weather", "")
}
