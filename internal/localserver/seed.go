// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package localserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/appmixer/terraform-provider-appmixer/internal/connector"
)

// TenantSeed is what `appmixer-local -seed tenant.json` puts into a fresh server: the parts of a tenant
// that a Terraform configuration expects to find but does not create itself. Keys are snake_case like
// the provider's attributes. A new section is a new field here (its json tag is its key; it must be a
// slice of structs) and a step in ApplySeed; LoadSeed needs no change.
type TenantSeed struct {
	Users      []SeedUser      `json:"users"`
	Connectors []SeedConnector `json:"connectors"`
	Accounts   []SeedAccount   `json:"accounts"`
}

// SeedUser is a user who can log in, besides the built-in admin.
type SeedUser struct {
	Username string   `json:"username"`
	Email    string   `json:"email"`
	Password string   `json:"password"`
	Scope    []string `json:"scope"`  // default ["user"]
	Vendor   []string `json:"vendor"` // vendors whose connectors the user may publish
}

// SeedConnector is a connector to install, packed as the appmixer_component resource packs it: Name is
// the selector (a service, module or component) and exactly one of SourceDir (the folder holding
// service.json) and SourceZip (a packed zip) is its source. Components are per-user copies: with User
// the connector is that user's own, as if they had published it; without, it comes with the tenant
// like the built-ins, which every user lists and runs.
type SeedConnector struct {
	Name      string `json:"name"`
	SourceDir string `json:"source_dir"`
	SourceZip string `json:"source_zip"`
	User      string `json:"user"` // username of the publisher; default none: installed with the built-ins
}

// SeedAccount is a connected third-party account, which a real tenant gets from an OAuth dance.
type SeedAccount struct {
	Service     string         `json:"service"` // "vendor:service", e.g. "appmixer:slack"
	Name        string         `json:"name"`
	DisplayName string         `json:"display_name"`
	User        string         `json:"user"` // username of the owner; default the admin
	ProfileInfo map[string]any `json:"profile_info"`
}

// LoadSeed reads a seed file. It refuses unknown keys, naming them and where they are, so a typo
// does not silently leave something unseeded; relative paths are relative to the file's folder.
func LoadSeed(path string) (*TenantSeed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the seed: %w", err)
	}
	seed, err := parseSeed(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for i, c := range seed.Connectors {
		seed.Connectors[i].SourceDir = relativeTo(dir, c.SourceDir)
		seed.Connectors[i].SourceZip = relativeTo(dir, c.SourceZip)
	}
	return seed, nil
}

func relativeTo(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// parseSeed decodes section by section and element by element, so an error can say where it is.
func parseSeed(data []byte) (*TenantSeed, error) {
	var sections map[string]json.RawMessage
	if err := json.Unmarshal(data, &sections); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	seed := &TenantSeed{}
	v := reflect.ValueOf(seed).Elem()
	known := map[string]reflect.Value{}
	var keys []string
	for i := range v.NumField() {
		key := strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0]
		known[key] = v.Field(i)
		keys = append(keys, key)
	}
	for _, key := range sortedKeys(sections) {
		field, ok := known[key]
		if !ok {
			return nil, fmt.Errorf("unknown section %q; the sections are %s", key, strings.Join(keys, ", "))
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(sections[key], &elems); err != nil {
			return nil, fmt.Errorf("%s must be a list", key)
		}
		list := reflect.MakeSlice(field.Type(), len(elems), len(elems))
		for i, raw := range elems {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(list.Index(i).Addr().Interface()); err != nil {
				return nil, fmt.Errorf("%s[%d]: %s", key, i, strings.TrimPrefix(err.Error(), "json: "))
			}
		}
		field.Set(list)
	}
	return seed, nil
}

// ApplySeed adds what seed describes: users first, so that accounts can belong to them. It stops at
// the first problem, which names the entry, and returns the warnings about connectors that were
// installed all the same (as the appmixer_component resource would warn).
func (s *Server) ApplySeed(seed *TenantSeed) (warnings []string, err error) {
	if s.localOnly("a seed file (ApplySeed)") {
		return nil, errors.New("ApplySeed needs a local server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for i, u := range seed.Users {
		if err := s.seedUser(u, now); err != nil {
			return warnings, seedError("users", i, err)
		}
	}
	for i, c := range seed.Connectors {
		found, err := s.seedConnector(c)
		for _, w := range found {
			warnings = append(warnings, fmt.Sprintf("seed connectors[%d] (%s): %s", i, c.Name, w))
		}
		if err != nil {
			return warnings, seedError("connectors", i, err)
		}
	}
	for i, a := range seed.Accounts {
		if err := s.seedAccount(a); err != nil {
			return warnings, seedError("accounts", i, err)
		}
	}
	return warnings, nil
}

// seedError names the entry and shows an API error by its message alone, without the status code.
func seedError(section string, i int, err error) error {
	var e *apiError
	if errors.As(err, &e) {
		err = errors.New(e.message)
	}
	return fmt.Errorf("seed %s[%d]: %w", section, i, err)
}

func (s *Server) seedUser(in SeedUser, now time.Time) error {
	if in.Password == "" {
		return errors.New(`"password" is required: a seeded user is there to log in`)
	}
	if err := checkUserFields(in.Username, in.Email, in.Password); err != nil {
		return err
	}
	if s.usernameTaken(in.Username, "") {
		return fmt.Errorf("username %q is taken", in.Username)
	}
	u := newUser(in.Username, in.Email, in.Password, now)
	if in.Scope != nil {
		for _, sc := range in.Scope {
			if !slices.Contains(validScopes, sc) {
				return fmt.Errorf("scope %q is not one of %s", sc, strings.Join(validScopes, ", "))
			}
		}
		u.scope = in.Scope
	}
	u.vendor = in.Vendor
	s.users[u.id] = u
	return nil
}

func (s *Server) seedAccount(in SeedAccount) error {
	owner := s.userByLogin(s.opts.AdminUsername)
	if in.User != "" {
		if owner = s.userByLogin(in.User); owner == nil {
			return fmt.Errorf("no user %q: add it under users", in.User)
		}
	}
	body := map[string]any{
		"service": in.Service, "name": in.Name, "displayName": in.DisplayName,
		// The token is never shown; flows only need the account to exist.
		"token": map[string]any{"accessToken": "local-" + objectID()},
	}
	if in.ProfileInfo != nil {
		body["profileInfo"] = in.ProfileInfo
	}
	_, err := s.createAccount(owner.id, body)
	return err
}

// seedConnector packs and installs one connector; it returns the packer's warnings.
func (s *Server) seedConnector(in SeedConnector) ([]string, error) {
	target := s.builtins
	if in.User != "" {
		owner := s.userByLogin(in.User)
		if owner == nil {
			return nil, fmt.Errorf("no user %q: add it under users", in.User)
		}
		target = s.ownCopies(owner.id)
	}
	var pkg *connector.Package
	var problems []connector.Problem
	var err error
	switch {
	case in.Name == "":
		return nil, errors.New(`"name" is required: the selector to publish, e.g. "acme.weather"`)
	case (in.SourceDir == "") == (in.SourceZip == ""):
		return nil, errors.New("set exactly one of source_dir and source_zip")
	case in.SourceZip != "":
		pkg, problems, err = connector.ReadZip(in.SourceZip, in.Name)
	default:
		pkg, problems, err = connector.PackDir(in.SourceDir, in.Name)
	}
	if err != nil {
		return nil, err
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.String())
	}
	if pkg == nil {
		return nil, fmt.Errorf("the connector does not publish:\n  %s", strings.Join(msgs, "\n  "))
	}
	// The server checks the package as its upload route does, so a seed installs nothing it would refuse.
	installable, refused := validatePackage(pkg.Zip)
	if installable == nil {
		for _, p := range refused {
			msgs = append(msgs, strings.TrimSpace(p.DataPath+": "+p.Message))
		}
		return nil, fmt.Errorf("the server refuses the connector:\n  %s", strings.Join(msgs, "\n  "))
	}
	target.install(installable)
	return msgs, nil
}
