#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# scripts/old-provider.sh COMMIT...: builds the provider as it was at each COMMIT of this repository's
# own history and prints the binary's path, one a line. The upgrade tests plan, with the current build,
# state that these old builds wrote. A binary is cached by full commit hash under
# $XDG_CACHE_HOME/terraform-provider-appmixer/old-providers (default ~/.cache/...), so only the first
# run pays for the build (a minute or two each); a commit's source never changes, so neither does its binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-appmixer/old-providers"
for rev in "$@"; do
  commit="$(git rev-parse --verify "$rev^{commit}")"
  bin="$cache/$commit/terraform-provider-appmixer"
  if [ ! -x "$bin" ]; then
    mkdir -p "$cache/$commit"
    src="$(mktemp -d)"
    # A detached worktree of the old commit: the checkout in use stays untouched.
    git worktree add --quiet --detach "$src/tree" "$commit" >&2
    if ! (cd "$src/tree" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" .) >&2; then
      git worktree remove --force "$src/tree" >&2; rm -rf "$src"
      echo "old-provider: building $rev ($commit) failed" >&2
      exit 1
    fi
    git worktree remove --force "$src/tree" >&2
    rm -rf "$src"
    # Renamed only once complete, so an interrupted build is never taken for a cached one.
    mv "$bin.tmp" "$bin"
  fi
  echo "$bin"
done
