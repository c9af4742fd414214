#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# make bench: builds the provider and the local Appmixer server, then measures apply, a no-change plan
# and destroy of N appmixer_flow resources against N terraform_data resources with real terraform
# (internal/bench), and against a do-nothing provider with appmixer_flow's schema
# (internal/bench/noopprovider). Results go to BENCHMARKS.md, benchmarks/results.json and benchmarks/plan-time.png.
# Extra arguments are passed to the benchmark, e.g. `scripts/bench.sh -sizes 50 -reps 1` for a quick look.
# Not part of make test: the numbers depend on the machine. The full run takes about 25 minutes on
# two cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CHECKPOINT_DISABLE=1

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
echo "==> building the provider and the local Appmixer server"
# The bench tag adds the process statistics the benchmark reads (procstats.go).
go build -tags bench -o "$bin/terraform-provider-appmixer" .
go build -o "$bin/appmixer-local" ./cmd/appmixer-local
# The benchmark is its own module (internal/bench/go.mod), so its plotting library stays out of the provider.
(cd internal/bench && go build -o "$bin/bench" . && go build -o "$bin/terraform-provider-noop" ./noopprovider)

echo "==> benchmarking"
"$bin/bench" -provider-dir "$bin" -server "$bin/appmixer-local" -command "scripts/bench.sh $*" "$@"
