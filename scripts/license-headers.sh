#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# Adds the license header to every Go file and shell script of the repository that lacks it.
#   scripts/license-headers.sh          add missing headers (running it twice changes nothing)
#   scripts/license-headers.sh -check   change nothing; list the files without a header and exit 1
# Covered: tracked and new (not ignored) *.go files, and shell scripts (*.sh, or a #! line naming sh
# or bash). Not covered: examples/, whose files users copy and the docs render, and testdata/.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly HOLDER="Copyright (c) The terraform-provider-appmixer authors"
readonly SPDX="SPDX-License-Identifier: MPL-2.0"

check=false
case "${1:-}" in
  "") ;;
  -check) check=true ;;
  *) echo "usage: $0 [-check]" >&2; exit 2 ;;
esac

# kind prints "go", "sh" or nothing for a file.
kind() {
  case "$1" in
    examples/* | */testdata/* | testdata/*) return ;;
    *.go) echo go ;;
    *.sh) echo sh ;;
    *) if head -n 1 -- "$1" 2>/dev/null | grep -Eq '^#!.*[/ ](ba)?sh([[:space:]]|$)'; then echo sh; fi ;;
  esac
}

# has_header: the SPDX line within the first five lines (after a #! line and the holder line).
has_header() { head -n 5 -- "$1" | grep -Fq "$SPDX"; }

add_header() {
  local file=$1 tmp
  tmp=$(mktemp)
  if [ "$2" = go ]; then
    # The blank line keeps the header from becoming the package's doc comment.
    { printf '// %s\n// %s\n\n' "$HOLDER" "$SPDX"; cat -- "$file"; } >"$tmp"
  elif head -n 1 -- "$file" | grep -q '^#!'; then
    { head -n 1 -- "$file"; printf '# %s\n# %s\n\n' "$HOLDER" "$SPDX"; tail -n +2 -- "$file"; } >"$tmp"
  else
    { printf '# %s\n# %s\n\n' "$HOLDER" "$SPDX"; cat -- "$file"; } >"$tmp"
  fi
  # Overwrite in place, so the file keeps its mode (scripts stay executable).
  cat "$tmp" >"$file"
  rm -f "$tmp"
}

missing=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue # listed by git but deleted in the working tree
  k=$(kind "$file")
  if [ -n "$k" ] && ! has_header "$file"; then
    missing+=("$file")
    if ! $check; then add_header "$file" "$k"; fi
  fi
done < <(git ls-files -z --cached --others --exclude-standard | sort -zu)

if $check; then
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "license header missing (run scripts/license-headers.sh) in:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
  fi
elif [ "${#missing[@]}" -gt 0 ]; then
  printf 'added the license header to %s\n' "${missing[@]}"
fi
