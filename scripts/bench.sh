#!/usr/bin/env bash
# make bench: builds the provider and the local Appmixer server, then measures apply, a no-change plan
# and destroy of N appmixer_flow resources against N terraform_data resources with real terraform
# (internal/bench). Results go to BENCHMARKS.md, benchmarks/results.json and benchmarks/plan-time.png.
# Extra arguments are passed to the benchmark, e.g. `scripts/bench.sh -sizes 50 -reps 1` for a quick look.
# Not part of make test: the numbers depend on the machine. The full run takes about 12 minutes on
# two cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CHECKPOINT_DISABLE=1

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
echo "==> building the provider and the local Appmixer server"
go build -o "$bin/terraform-provider-appmixer" .
go build -o "$bin/appmixer-local" ./cmd/appmixer-local
go build -o "$bin/bench" ./internal/bench

echo "==> benchmarking"
"$bin/bench" -provider-dir "$bin" -server "$bin/appmixer-local" -command "scripts/bench.sh $*" "$@"
