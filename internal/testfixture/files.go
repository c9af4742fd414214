// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

// Package testfixture holds file helpers that the tests of several packages share: copies of the
// example trees, so that no test edits the committed examples, and small file writes.
package testfixture

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Root is the repository root, found from this file so that tests of any package can use it.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CopyDir copies the tree src into dst as a user would check it out: Terraform's working files
// (.terraform, state) are left behind.
func CopyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o750)
		}
		if strings.HasSuffix(d.Name(), ".tfstate") || strings.HasPrefix(d.Name(), ".terraform") {
			return nil
		}
		data, err := os.ReadFile(p) //nolint:gosec // copying the repository's own examples
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600) //nolint:gosec // target lies below the dst the test chose
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ExampleConnector copies the acme-weather example connector into a fresh directory and returns its
// service folder (the one holding service.json), ready to be edited by the test.
func ExampleConnector(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	CopyDir(t, filepath.Join(Root(), "examples", "connectors", "acme-weather"), dst)
	return filepath.Join(dst, "acme", "weather")
}

// WriteFile writes content to path, creating its folders.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// ReadTree reads every file below dir, keyed by its slash path relative to dir.
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p) //nolint:gosec // the test's own tree
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
