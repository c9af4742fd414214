// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"crypto/subtle"
	"net/http"
	"sort"
)

// gateway stands for an access gateway in front of a self-managed Appmixer (Cloudflare Access, IAP,
// an API gateway): a request that lacks one of the required headers, or carries another value, is
// refused before Appmixer sees it, so it counts in no statistics. It is not Appmixer's behaviour but
// the network's, which is what lets a test prove that configured headers reach the server.
func gateway(next http.Handler, required map[string]string, logf func(string, ...any)) http.Handler {
	if len(required) == 0 {
		return next
	}
	names := make([]string, 0, len(required))
	for name := range required {
		names = append(names, name)
	}
	sort.Strings(names)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, name := range names {
			if subtle.ConstantTimeCompare([]byte(r.Header.Get(name)), []byte(required[name])) != 1 {
				// The header's name only: its value is a secret, and the request's is maybe a near miss.
				logf("%s %s -> 403 by the gateway: header %s missing or wrong", r.Method, r.URL.RequestURI(), name)
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte("Forbidden by the gateway in front of Appmixer: header " + name + " is missing or wrong.\n"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
