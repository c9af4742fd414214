// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package export

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
	"github.com/appmixer/terraform-provider-appmixer/internal/localserver"
	"github.com/appmixer/terraform-provider-appmixer/internal/testfixture"
)

// BenchmarkExport2000Flows times the appmixer-export binary, as users run it, on a tenant of 2000
// flows, each bound to an account and naming a data store (the bar: under a minute), and
// reports the binary's peak resident memory. The tenant is served in this process; the export runs
// in its own, so its memory is its alone.
//
//	go test ./internal/export -run '^$' -bench Export2000Flows -benchtime 1x
func BenchmarkExport2000Flows(b *testing.B) {
	const flows = 2000
	ctx := context.Background()
	srv, err := localserver.Start("127.0.0.1:0", localserver.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	api, err := appmixer.New(appmixer.Config{BaseURL: srv.URL, Username: srv.AdminUsername(), Password: srv.AdminPassword()})
	if err != nil {
		b.Fatal(err)
	}
	account, err := srv.AddAccount(srv.AdminUsername(), localserver.AccountSeed{Service: "appmixer:slack", Name: "ops@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	store, err := api.CreateStore(ctx, "Orders seen")
	if err != nil {
		b.Fatal(err)
	}
	err = parallel(4, flows, func(i int) error {
		def := fmt.Sprintf(`{"s-%d": {"type": "appmixer.utils.storage.Set", "x": 100, "y": 100, "source": {}, "config": {"properties": {"storeId": %q}}},
		  "m-%d": {"type": "appmixer.slack.list.SendChannelMessage", "x": 300, "y": 100, "source": {"in": {"s-%d": ["out"]}}}}`, i, store, i, i)
		if _, err := api.CreateFlow(ctx, appmixer.FlowInput{Name: fmt.Sprintf("Flow %04d", i), Definition: json.RawMessage(def)}); err != nil {
			return err
		}
		return api.BindAccount(ctx, fmt.Sprintf("m-%d", i), account)
	})
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "appmixer-export")
	build := exec.Command("go", "build", "-o", bin, "./cmd/appmixer-export")
	build.Dir, build.Stderr = testfixture.Root(), os.Stderr
	if err := build.Run(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var peak int64
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), "tenant")
		cmd := exec.Command(bin, "-out", out, "-quiet")
		cmd.Env = append(os.Environ(), "APPMIXER_BASE_URL="+srv.URL, "APPMIXER_USERNAME="+srv.AdminUsername(), "APPMIXER_PASSWORD="+srv.AdminPassword())
		start := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, msg)
		}
		if d := time.Since(start); d > time.Minute {
			b.Errorf("the export of %d flows took %s, more than a minute", flows, d)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
			peak = ru.Maxrss // KiB on Linux
		}
		if files, _ := filepath.Glob(filepath.Join(out, "flows", "*.json.tftpl")); len(files) != flows {
			b.Fatalf("%d flow templates written, want %d", len(files), flows)
		}
	}
	b.ReportMetric(float64(peak)/1024, "peak-MiB")
}
