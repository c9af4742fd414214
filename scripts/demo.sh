#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# The README's first command: build the provider, start a local Appmixer server, apply
# examples/quickstart against it with real terraform, show the outputs, stop the server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin"
export CHECKPOINT_DISABLE=1

echo "==> building the provider and the local Appmixer server"
go build -o "$bin/terraform-provider-appmixer" "$root"
go build -o "$bin/appmixer-local" "$root/cmd/appmixer-local"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

admin_user="demo@example.com"
admin_password="demo-password-$RANDOM$RANDOM"
echo "==> starting the local Appmixer server"
"$bin/appmixer-local" -listen 127.0.0.1:0 -admin-username "$admin_user" -admin-password "$admin_password" \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(head -n 1 "$work/server.out" 2>/dev/null || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "local server did not start:"; cat "$work/server.log"; exit 1; }
echo "    $url"

# A connected Slack account, as a user would have made in the Appmixer UI; the quickstart looks it up by name.
token="$(curl -fsS -X POST "$url/user/auth" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$admin_user\",\"password\":\"$admin_password\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
curl -fsS -X POST "$url/_local/accounts" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"service":"appmixer:slack","name":"ops@example.com","displayName":"Ops Slack","token":{"accessToken":"demo"}}' >/dev/null

# dev_overrides runs the provider we just built, without terraform init or a registry.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "appmixer/appmixer" = "$bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export APPMIXER_BASE_URL="$url" APPMIXER_USERNAME="$admin_user" APPMIXER_PASSWORD="$admin_password"

cp -r "$root/examples/quickstart" "$work/quickstart"
echo "==> terraform apply (examples/quickstart)"
rc=0
terraform -chdir="$work/quickstart" apply -auto-approve -input=false -no-color >"$work/apply.log" 2>&1 || rc=$?
cat "$work/apply.log"
[ "$rc" -eq 0 ] || { echo "terraform apply failed (exit $rc); server log:"; tail -n 20 "$work/server.log"; exit "$rc"; }
echo "==> outputs"
terraform -chdir="$work/quickstart" output -no-color
echo "==> done; stopping the local server"
