#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# make release-snapshot: a whole release built locally, unsigned and unpublished, then checked for the
# layout the Terraform and OpenTofu registries read: a zip per target of .goreleaser.yml, SHA256SUMS
# over them and the manifest, and the appmixer-local and appmixer-export archives. goreleaser attaches the manifest itself
# only when it publishes (release.extra_files), so it is copied beside the zips here under the same
# name, which SHA256SUMS must then vouch for.
set -euo pipefail
cd "$(dirname "$0")/.."
gr="$(command -v goreleaser || echo "$(go env GOPATH)/bin/goreleaser")"
[ -x "$gr" ] || gr="go run github.com/goreleaser/goreleaser/v2@v2.16.0"
$gr release --snapshot --clean --skip=sign,publish
cd dist
sums=$(ls ./*_SHA256SUMS)
prefix=${sums#./}; prefix=${prefix%_SHA256SUMS}
cp ../terraform-registry-manifest.json "${prefix}_manifest.json"
sha256sum -c "$sums"
zips=$(ls terraform-provider-appmixer_*.zip | wc -l)
listed=$(grep -c '\.zip$' "$sums")
local_archives=$(ls -d appmixer-local_*.tar.gz appmixer-local_*.zip | wc -l)
export_archives=$(ls -d appmixer-export_*.tar.gz appmixer-export_*.zip | wc -l)
grep -q "_manifest.json$" "$sums" || { echo "release-snapshot: SHA256SUMS lacks the manifest" >&2; exit 1; }
[ "$zips" -eq "$listed" ] || { echo "release-snapshot: $zips provider zips, $listed in SHA256SUMS" >&2; exit 1; }
[ "$local_archives" -eq 6 ] || { echo "release-snapshot: $local_archives appmixer-local archives, want 6" >&2; exit 1; }
[ "$export_archives" -eq 6 ] || { echo "release-snapshot: $export_archives appmixer-export archives, want 6" >&2; exit 1; }
echo "release-snapshot: $zips provider zips, SHA256SUMS and ${prefix}_manifest.json, $local_archives appmixer-local and $export_archives appmixer-export archives in dist/"
