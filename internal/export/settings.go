// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package export reads an Appmixer tenant and writes it as a Terraform module of this provider in
// which nothing bound to that tenant is written literally, so that the module can be applied to
// another tenant (promotion) or, with import blocks, adopt the one it was read from.
package export

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/appmixer"
)

// Settings are the provider's connection settings, read the way the provider reads them when its
// block leaves them out: from the APPMIXER_* environment variables. Flags set fields first.
type Settings struct {
	BaseURL, Tenant           string
	Username, Password, Token string
	Dialect                   string
	MaxRetries                string
	RequestTimeout            string
}

// FromEnv fills the fields still empty from the environment, as the provider does: credentials only
// when none was given at all, the address only when neither base URL nor tenant was.
func (s *Settings) FromEnv(env func(string) string) {
	if s.BaseURL == "" && s.Tenant == "" {
		s.BaseURL, s.Tenant = env("APPMIXER_BASE_URL"), env("APPMIXER_TENANT")
	}
	if s.Username == "" && s.Password == "" && s.Token == "" {
		s.Username, s.Password, s.Token = env("APPMIXER_USERNAME"), env("APPMIXER_PASSWORD"), env("APPMIXER_TOKEN")
	}
	for _, f := range []struct {
		v   *string
		env string
	}{{&s.Dialect, "APPMIXER_API_DIALECT"}, {&s.MaxRetries, "APPMIXER_MAX_RETRIES"}, {&s.RequestTimeout, "APPMIXER_REQUEST_TIMEOUT"}} {
		if *f.v == "" {
			*f.v = env(f.env)
		}
	}
}

var tenantPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// Client checks the settings with the provider's messages and returns a client for them.
func (s Settings) Client(userAgent string) (*appmixer.Client, error) {
	var errs []error
	cfg := appmixer.Config{Username: s.Username, Password: s.Password, Token: s.Token, UserAgent: userAgent}
	switch {
	case s.BaseURL != "" && s.Tenant != "":
		errs = append(errs, errors.New("set either -base-url (APPMIXER_BASE_URL) or -tenant (APPMIXER_TENANT), not both"))
	case s.BaseURL != "":
		if u, err := url.Parse(s.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("base URL %q is not an http(s) URL", s.BaseURL))
		}
		cfg.BaseURL = strings.TrimRight(s.BaseURL, "/")
	case s.Tenant != "":
		if !tenantPattern.MatchString(s.Tenant) {
			errs = append(errs, fmt.Errorf("tenant must be made of lowercase letters, digits and hyphens, such as \"acme\"; got %q", s.Tenant))
		}
		cfg.BaseURL = "https://api." + s.Tenant + ".appmixer.cloud"
	default:
		errs = append(errs, errors.New("no Appmixer address: set -base-url (or APPMIXER_BASE_URL) to the API's URL, or -tenant (or APPMIXER_TENANT) to an Appmixer Cloud tenant id"))
	}
	switch {
	case s.Token != "" && (s.Username != "" || s.Password != ""):
		errs = append(errs, errors.New("set either a token (APPMIXER_TOKEN) or username and password (APPMIXER_USERNAME, APPMIXER_PASSWORD), not both"))
	case s.Token == "" && (s.Username == "" || s.Password == ""):
		errs = append(errs, errors.New("no credentials: set APPMIXER_USERNAME and APPMIXER_PASSWORD (or -username and -password), or APPMIXER_TOKEN"))
	}
	switch s.Dialect {
	case "", string(appmixer.DialectAppmixer):
	default:
		errs = append(errs, fmt.Errorf("APPMIXER_API_DIALECT %q: appmixer-export reads only the real Appmixer API (appmixer)", s.Dialect))
	}
	if s.MaxRetries != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s.MaxRetries))
		if err != nil || n < -1 {
			errs = append(errs, fmt.Errorf("APPMIXER_MAX_RETRIES must be a whole number, got %q", s.MaxRetries))
		}
		cfg.MaxRetries = n
	}
	if s.RequestTimeout != "" {
		d, err := time.ParseDuration(strings.TrimSpace(s.RequestTimeout))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("APPMIXER_REQUEST_TIMEOUT must be a positive duration such as 30s, got %q", s.RequestTimeout))
		}
		cfg.RequestTimeout = d
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return appmixer.New(cfg)
}
