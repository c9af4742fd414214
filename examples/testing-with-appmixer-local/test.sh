#!/usr/bin/env bash
# Plans and applies the configuration in this folder against a local Appmixer seeded from tenant.json,
# then checks that a second plan is empty. Needs appmixer-local and terraform on PATH (TERRAFORM=tofu
# for OpenTofu).
set -euo pipefail
cd "$(dirname "$0")"
tf="${TERRAFORM:-terraform}"

# The provider logs in as the user tenant.json seeds; the admin's password only has to be unguessable.
export APPMIXER_USERNAME=deployer@example.com APPMIXER_PASSWORD=local-only-password
run="$(mktemp -d)"
appmixer-local -listen 127.0.0.1:0 -seed tenant.json -admin-password "admin-$RANDOM$RANDOM$RANDOM" \
  >"$run/url" 2>"$run/log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$run"' EXIT

# The first line of stdout is the base URL, printed once the tenant is seeded and served.
until [ -s "$run/url" ]; do
  kill -0 "$server" 2>/dev/null || { cat "$run/log" >&2; exit 1; }
  sleep 0.1
done
APPMIXER_BASE_URL="$(head -n 1 "$run/url")"
export APPMIXER_BASE_URL

"$tf" init -input=false
"$tf" plan -input=false -out=tfplan
"$tf" apply -input=false tfplan
# Exit code 2 here means the tenant reads back differently from what was applied.
"$tf" plan -input=false -detailed-exitcode
