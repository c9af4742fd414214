#!/usr/bin/env bash
# Copyright (c) The terraform-provider-appmixer authors
# SPDX-License-Identifier: MPL-2.0

# The upgrade leg alone: builds (or takes from the cache) the old providers and runs internal/upgrade
# with Terraform (PATH) and OpenTofu 1.12 (SHARED_TOOLS). See scripts/ci-legs.sh and CONTRIBUTING.md.
set -euo pipefail
exec "$(dirname "$0")/ci-legs.sh" upgrade
