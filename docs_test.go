package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDocsAreGenerated fails when docs/ is not what tfplugindocs makes of the current schema, examples
// and templates: run `make docs` and commit the result. It needs terraform on PATH, as the acceptance
// tests do, and never downloads one.
func TestDocsAreGenerated(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1: tfplugindocs reads the schema through terraform")
	}
	// A hidden folder in the provider directory, removed afterwards, keeps the working tree tidy.
	out, err := os.MkdirTemp(".", ".docs-check-") //nolint:usetesting // tfplugindocs only writes below the provider directory
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(out) })

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "tool", "tfplugindocs", "generate", "--provider-name", "appmixer",
		"--rendered-provider-name", "Appmixer", "--rendered-website-dir", filepath.Base(out))
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tfplugindocs: %v\n%s", err, log)
	}

	want := readTree(t, out)
	got := readTree(t, "docs")
	for name := range got {
		// Hand-written pages beside the generated ones (docs/new-resources.md) are not tfplugindocs's.
		if !strings.Contains(name, "/") && name != "index.md" {
			delete(got, name)
		}
	}
	for name, content := range want {
		if !bytes.Equal(got[name], content) {
			t.Errorf("docs/%s is stale or missing; run make docs", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("docs/%s is no longer generated; run make docs", name)
		}
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil && !strings.Contains(err.Error(), "no such file") {
		t.Fatal(err)
	}
	return files
}
