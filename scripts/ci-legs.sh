#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# The CI legs .ci/run adds after `make test` (which uses the terraform on PATH), so that every Terraform
# and OpenTofu version the README claims is tested. They need the shared tools' launchers, in
# SHARED_TOOLS (default ../shared/tools, from the repository root); without them this prints so and
# does nothing.
#   newer     the tests of features newer than Terraform 1.11, with Terraform 1.15: the tests whose
#             names match NEWER_TESTS (the naming convention; docs/new-resources.md, "Gating tests")
#   opentofu  the whole acceptance and end-to-end suite with OpenTofu 1.12
#   upgrade   the upgrade tests (internal/upgrade, build tag upgrade) with the terraform on PATH and
#             with OpenTofu 1.12: state written by old builds (scripts/old-provider.sh, cached) must
#             plan with no change under the current build
# scripts/ci-legs.sh [newer|opentofu|upgrade]... runs the named legs (default all). A leg fails when a test
# fails, when no test passed (all skipped), or when a test skipped without naming the Terraform
# version or OpenTofu it lacks. Each leg prints one summary line; its full output is printed on failure
# and kept in $CI_LOGS (default a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."

# Tests that need a Terraform newer than 1.11: TestAcc<Thing>_identity..., _query..., _action...
# internal/provider/versions_test.go checks that every test gated by a needs* check is named so.
readonly NEWER_TESTS='_(identity|query|action)'
# The packages whose tests drive terraform.
readonly TF_PACKAGES=(./internal/provider ./internal/e2e)

tools="${SHARED_TOOLS:-../shared/tools}"
if [ ! -x "$tools/terraform-1.15" ] || [ ! -x "$tools/tofu-1.12" ]; then
  echo "ci-legs: no terraform-1.15 and tofu-1.12 in $tools: only make test ran"
  exit 0
fi
tools="$(cd "$tools" && pwd)"
# Reads the go test -json logs; Go is all CI needs.
summary=(go run ./scripts/legsummary)
logs="${CI_LOGS:-$(mktemp -d)}"
mkdir -p "$logs"

# leg NAME CLI [VAR=VALUE...] -- GO-TEST-ARGS...: runs go test -json with CLI as the tests' terraform.
leg() {
  local name="$1" cli="$2" vars=() start status=0
  shift 2
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  local json="$logs/$name.json"
  start=$SECONDS
  env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" "${vars[@]}" go test -json -count=1 "$@" >"$json" 2>"$logs/$name.stderr" || status=$?
  local took=$((SECONDS - start))
  # Test-level results (subtests included); package-level lines have no Test.
  local pass fail skip unnamed
  read -r pass fail skip < <("${summary[@]}" counts "$json")
  # A skip must say which version or OpenTofu it lacks (the needs* checks of versions_test.go do).
  unnamed=$("${summary[@]}" unnamed "$json")
  local version
  # OpenTofu prints CLI configuration warnings before the JSON.
  version=$("$cli" version -json 2>/dev/null | sed -n 's/^ *"terraform_version": *"\([^"]*\)".*/\1/p')
  echo "ci-legs: $name ($(basename "$cli"), version $version): $pass passed, $fail failed, $skip skipped, ${took}s"
  local why=""
  if [ "$status" -ne 0 ] || [ "$fail" -ne 0 ]; then why="go test failed"; fi
  if [ "$pass" -eq 0 ]; then why="no test passed: every test skipped, or none matched"; fi
  if [ -n "$unnamed" ]; then why="skipped without naming a Terraform version or OpenTofu: $unnamed"; fi
  if [ -n "$why" ]; then
    "${summary[@]}" output "$json"
    cat "$logs/$name.stderr"
    echo "ci-legs: $name FAILED: $why (logs in $logs)"
    return 1
  fi
}

# The old builds the upgrade tests start from, as testdata name=folder of the binary: 0.1.0, and main
# when 0.2.0's state format was fixed (what its users hold).
upgrade_olds() {
  local v010 a36752a
  v010="$(./scripts/old-provider.sh b6c5744)" && a36752a="$(./scripts/old-provider.sh a36752a)" || return 1
  echo "v0.1.0=$(dirname "$v010"),a36752a=$(dirname "$a36752a")"
}

legs=("$@")
[ ${#legs[@]} -gt 0 ] || legs=(newer opentofu upgrade)
failed=0
for l in "${legs[@]}"; do
  case "$l" in
  newer)
    leg newer "$tools/terraform-1.15" -- -timeout 10m -run "$NEWER_TESTS" ./... || failed=1 ;;
  opentofu)
    leg opentofu "$tools/tofu-1.12" TF_ACC_PROVIDER_HOST=registry.opentofu.org -- -timeout 15m "${TF_PACKAGES[@]}" || failed=1 ;;
  upgrade)
    olds="$(upgrade_olds)" || { echo "ci-legs: building the old providers failed"; failed=1; continue; }
    leg upgrade-terraform "$(command -v terraform)" "UPGRADE_OLD_PROVIDERS=$olds" -- -tags upgrade -timeout 15m ./internal/upgrade || failed=1
    leg upgrade-opentofu "$tools/tofu-1.12" "UPGRADE_OLD_PROVIDERS=$olds" -- -tags upgrade -timeout 15m ./internal/upgrade || failed=1 ;;
  *)
    echo "ci-legs: unknown leg $l (newer, opentofu, upgrade)" >&2
    exit 2 ;;
  esac
done
exit "$failed"
