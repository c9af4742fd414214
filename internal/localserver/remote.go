// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import "fmt"

// Remote stands for an Appmixer API that no local server serves, such as a real tenant that the
// provider's acceptance tests run against (internal/provider, "real-tenant mode"). Its URL and admin
// credentials are the tenant's, so code written for a local server reaches the tenant instead; it
// answers no request itself. Every switch only a local server has (stats, faults, latency, accounts
// added behind the API and their stored tokens, stored public files, seeds, held jobs, expired
// tokens, component upgrades, contract checks) calls
// localOnly with what it is instead of acting: tests pass a function that skips them.
func Remote(url, username, password string, localOnly func(what string)) *Running {
	if localOnly == nil {
		localOnly = func(what string) { panic(fmt.Sprintf("localserver: %s needs a local server, not %s", what, url)) }
	}
	s := &Server{opts: Options{AdminUsername: username, AdminPassword: password}, remote: localOnly}
	return &Running{Server: s, URL: url}
}

// localOnly reports whether s stands for a remote API, after telling its hook that what was asked
// of it; the caller then does nothing. The hook usually ends the test.
func (s *Server) localOnly(what string) bool {
	if s.remote == nil {
		return false
	}
	s.remote(what)
	return true
}
