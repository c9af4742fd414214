// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Tests of features that newer Terraform releases add skip, with a message naming the version or
// OpenTofu, where the CLI under test (TF_ACC_TERRAFORM_PATH, else terraform on PATH) lacks them.
// .ci/run runs them again with Terraform 1.15 and OpenTofu 1.12.

// isOpenTofu reports whether the acceptance tests drive OpenTofu: its provider host, or its binary.
func isOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" ||
		strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

// needsTerraform skips a test below Terraform minimum, and under OpenTofu unless tofuHasIt.
func needsTerraform(minimum, feature string, tofuHasIt bool) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{featureCheck{minimum: version.Must(version.NewVersion(minimum)), feature: feature, tofu: tofuHasIt}}
}

type featureCheck struct {
	minimum *version.Version
	feature string
	tofu    bool
}

func (c featureCheck) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	switch {
	case isOpenTofu() && !c.tofu:
		resp.Skip = fmt.Sprintf("OpenTofu %s does not support %s: skipping", req.TerraformVersion, c.feature)
	case !isOpenTofu() && req.TerraformVersion.Core().LessThan(c.minimum):
		resp.Skip = fmt.Sprintf("Terraform %s lacks %s, which needs Terraform %s or newer: skipping", req.TerraformVersion, c.feature, c.minimum)
	}
}

// Feature gates of the tests.
var (
	needsIdentity = needsTerraform("1.12.0", "resource identity", true) // OpenTofu 1.12 has it too
)

// TestGatedTestsFollowTheNamingConvention: .ci/run runs the tests that need a newer Terraform by name
// (NEWER_TESTS in scripts/ci-legs.sh), so a test gated by a needs* check but named otherwise would only
// ever skip in CI, and a test so named without a gate would run with Terraform 1.15 for nothing.
func TestGatedTestsFollowTheNamingConvention(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "..", "scripts", "ci-legs.sh"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^readonly NEWER_TESTS='([^']+)'`).FindSubmatch(script)
	if m == nil {
		t.Fatal("scripts/ci-legs.sh sets no NEWER_TESTS")
	}
	newer := regexp.MustCompile(string(m[1]))

	fset := token.NewFileSet()
	files, _ := filepath.Glob("*_test.go")
	funcs := map[string]*ast.FuncDecl{}
	gated := map[string]bool{} // the gates, then every function that uses one, directly or not
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					funcs[d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if v, ok := s.(*ast.ValueSpec); ok && len(v.Values) == len(v.Names) {
						for i, n := range v.Names {
							if c, ok := v.Values[i].(*ast.CallExpr); ok && isIdent(c.Fun, "needsTerraform") {
								gated[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	if len(gated) == 0 {
		t.Fatal("found no needsTerraform gates")
	}
	for changed := true; changed; {
		changed = false
		for name, fn := range funcs {
			if !gated[name] && usesAny(fn, gated) {
				gated[name], changed = true, true
			}
		}
	}
	for name := range funcs {
		if !strings.HasPrefix(name, "Test") || name == "TestGatedTestsFollowTheNamingConvention" {
			continue
		}
		switch named := newer.MatchString(name); {
		case gated[name] && !named:
			t.Errorf("%s is gated by a needs* check, so CI runs it with a newer Terraform by name: rename it to match %s", name, newer)
		case named && !gated[name]:
			t.Errorf("%s matches %s, which CI runs with a newer Terraform, but has no needs* check", name, newer)
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func usesAny(fn *ast.FuncDecl, names map[string]bool) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] && id.Name != fn.Name.Name {
			found = true
		}
		return !found
	})
	return found
}
