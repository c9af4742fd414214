// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package conformance holds only tests: one case for each documented behaviour of Appmixer that the
// provider relies on, sent as raw HTTP and checked against appmixer-api.md (each case names its
// section, source and confidence). They run against appmixer-local in `make test`, and against a
// real tenant when APPMIXER_ACC_BASE_URL, APPMIXER_ACC_USERNAME and APPMIXER_ACC_PASSWORD name an
// admin of it, so anyone with a tenant can see where the local server differs and report it:
//
//	APPMIXER_ACC_BASE_URL=https://api.acme.appmixer.cloud APPMIXER_ACC_USERNAME=... APPMIXER_ACC_PASSWORD=... \
//	  go test ./internal/conformance -run Conformance -v -count=1
//
// On a tenant the cases touch only objects they create (named tfconf-...) and remove them.
package conformance
