#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# Runs `tfplugindocs generate` (extra arguments are passed on) with the newest terraform available.
# tfplugindocs documents what the terraform it runs can see: resource identity needs Terraform 1.12,
# list resources and actions 1.14, and an older one silently leaves those sections and pages out.
# It takes terraform from PATH, so a launcher of the chosen one goes first on PATH. The choice:
# DOCS_TERRAFORM if set, else $SHARED_TOOLS/terraform-1.15 (SHARED_TOOLS defaults to ../shared/tools),
# else terraform on PATH.
#   scripts/tfplugindocs.sh             generate docs/; refuses a terraform older than 1.14
#   scripts/tfplugindocs.sh --version   print the chosen terraform's version and exit
# DOCS_PARTIAL=1 lets an older terraform run; the docs check (docs_test.go) does so on a machine that has
# nothing newer, and compares only what it renders.
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest version a documented feature needs (README.md, "Terraform and OpenTofu versions").
readonly NEEDED=1.14

tf="${DOCS_TERRAFORM:-}"
if [ -z "$tf" ]; then
  tf="${SHARED_TOOLS:-../shared/tools}/terraform-1.15"
  if [ ! -x "$tf" ]; then
    tf="$(command -v terraform)" || { echo "tfplugindocs.sh: no terraform on PATH" >&2; exit 1; }
  fi
fi
tf="$(realpath "$tf")"

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
# A launcher rather than a symlink: the shared tools' launchers find their binary beside themselves.
printf '#!/usr/bin/env bash\nexec %q "$@"\n' "$tf" >"$bin/terraform"
chmod +x "$bin/terraform"
version="$("$bin/terraform" version -json | sed -n 's/^ *"terraform_version": *"\([^"]*\)".*/\1/p')"
if [ "${1:-}" = "--version" ]; then
  echo "$version"
  exit 0
fi

older() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" != "$2" ]; } # $1 < $2
if older "$version" "$NEEDED" && [ "${DOCS_PARTIAL:-}" != 1 ]; then
  echo "tfplugindocs.sh: Terraform $version ($tf) cannot see everything the docs document (resource identity" \
    "needs 1.12, list resources and actions 1.14): generate them with Terraform $NEEDED or newer," \
    "e.g. DOCS_TERRAFORM=/path/to/terraform make docs" >&2
  exit 1
fi
echo "tfplugindocs renders with Terraform $version ($tf)" >&2
PATH="$bin:$PATH" go tool tfplugindocs generate --provider-name appmixer --rendered-provider-name Appmixer "$@"
