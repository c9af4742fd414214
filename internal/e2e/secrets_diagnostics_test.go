// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLiteralSecretsStayOutOfDiagnostics: Terraform prints the configuration line of the attribute a
// diagnostic names. A configuration that writes a secret literally (as a quick test often does) and
// gets it wrong must be told so without that line, for every write-only attribute.
func TestLiteralSecretsStayOutOfDiagnostics(t *testing.T) {
	requireTF(t)
	t.Parallel()
	cases := map[string]struct{ body, want string }{
		"password without its version": {`resource "appmixer_user" "u" {
  username    = "joe@example.com"
  password_wo = "S3CRET-PASSWORD-1"
}`, "Missing password_wo_version"},
		"password beside password": {`resource "appmixer_user" "u" {
  username            = "joe@example.com"
  password            = "visible-on-purpose"
  password_wo         = "S3CRET-PASSWORD-2"
  password_wo_version = 1
}`, "Set password or password_wo, not both"},
		"token that is not JSON": {`resource "appmixer_account" "a" {
  service          = "appmixer:slack"
  name             = "bot"
  token_wo         = "{S3CRET-TOKEN"
  token_wo_version = 1
}`, "token_wo is not valid JSON"},
		"token without its version": {`resource "appmixer_account" "a" {
  service  = "appmixer:slack"
  name     = "bot"
  token_wo = jsonencode({ accessToken = "S3CRET-TOKEN-2" })
}`, "Missing token_wo_version"},
		"client secret that is no object": {`resource "appmixer_service_config" "s" {
  service_id               = "appmixer:slack"
  secret_values_wo         = jsonencode(["S3CRET-CLIENT"])
  secret_values_wo_version = 1
}`, "secret_values_wo must be a JSON object"},
		"client secret naming serviceId": {`resource "appmixer_service_config" "s" {
  service_id               = "appmixer:slack"
  secret_values_wo         = jsonencode({ serviceId = "x", clientSecret = "S3CRET-CLIENT-2" })
  secret_values_wo_version = 1
}`, `secret_values_wo has the key "serviceId"`},
		"config secret that is not JSON": {`resource "appmixer_config" "c" {
  key              = "JWTSecret"
  value_wo         = "S3CRET-JWT"
  value_wo_version = 1
}`, "value_wo of JWTSecret is not valid JSON"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			config := `terraform {
  required_providers {
    appmixer = { source = "appmixer/appmixer" }
  }
}

provider "appmixer" {
  base_url = "http://127.0.0.1:1"
  token    = "unused"
}

` + c.body + "\n"
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			res := mustTerraform(t, dir, nil, 1, "validate", "-no-color")
			out := res.stdout + res.stderr
			if !strings.Contains(strings.Join(strings.Fields(out), " "), c.want) {
				t.Errorf("the error does not say %q:\n%s", c.want, out)
			}
			if strings.Contains(out, "S3CRET") {
				t.Errorf("the output quotes the secret:\n%s", out)
			}
		})
	}
}
