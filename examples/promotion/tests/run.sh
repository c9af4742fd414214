#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# Runs the promotion module's tests: starts two local Appmixers (dev and prod) seeded from tenant.json,
# runs `terraform init` and `terraform test` in examples/promotion, stops the servers and ends with the
# tests' exit code. Needs terraform (TERRAFORM=tofu for OpenTofu) and appmixer-local on PATH; the
# provider comes from wherever your CLI configuration installs it. Arguments go to `terraform test`,
# e.g. tests/run.sh -filter=tests/unit.tftest.hcl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
tf="${TERRAFORM:-terraform}"

run="$(mktemp -d)"
servers=()
stop() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$run"
}
trap stop EXIT

# start NAME: one tenant, admin with a password nobody can guess; sets NAME_URL and NAME_PASSWORD.
start() {
  local name="$1" password="local-$RANDOM$RANDOM$RANDOM"
  appmixer-local -listen 127.0.0.1:0 -seed "$here/tenant.json" -admin-password "$password" \
    >"$run/$name.url" 2>"$run/$name.log" &
  servers+=($!)
  # The first line of stdout is the base URL, printed once the tenant is seeded and served.
  until [ -s "$run/$name.url" ]; do
    kill -0 "${servers[-1]}" 2>/dev/null || { cat "$run/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  printf -v "${name}_URL" '%s' "$(head -n 1 "$run/$name.url")"
  printf -v "${name}_PASSWORD" '%s' "$password"
}
start dev
start prod

# The module's tenants, as tenant.json seeds them; the test files refer to them as var.dev and var.prod.
tenant() {
  printf '{base_url="%s", username="admin@example.com", password="%s", slack_account_name="Ops Slack", weather_account_name="Acme Weather (CI)"}' "$1" "$2"
}
TF_VAR_dev="$(tenant "$dev_URL" "$dev_PASSWORD")"
TF_VAR_prod="$(tenant "$prod_URL" "$prod_PASSWORD")"
export TF_VAR_dev TF_VAR_prod

"$tf" init -input=false >"$run/init.log" 2>&1 || { cat "$run/init.log" >&2; exit 1; }
status=0
"$tf" test "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run.sh: $tf test failed (exit $status); the servers' logs:" >&2
  cat "$run/dev.log" "$run/prod.log" >&2
fi
exit "$status"
