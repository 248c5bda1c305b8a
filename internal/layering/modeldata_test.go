package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// modelData are the functions through which a package above the models
// reads what the model packages declare about themselves: scenario's
// registry hands out the families' catalog rules and profile settings,
// which come from sim/scm, sim/ksp, sim/hive and the other models.
// conformance reaches scenario (it writes its runs as scenarios), so the
// import rule alone cannot keep the oracle from reading a model's settings
// through it; this rule does: the oracle's non-test code calls none of
// these. Its tests may (TestStatementMatchesModelSettings compares the
// oracle's statement with the models' settings on purpose).
var modelData = map[string][]string{
	module + "/scenario": {"Catalog", "Settings", "Families"},
}

// modelDataUses returns the uses of modelData in the non-test files of
// the package in directory pkg (module-relative) and below it, as
// "file:line: pkg.Name".
func modelDataUses(dir, pkg string) ([]string, error) {
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(pkg)), func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n := e.Name()
		if e.IsDir() {
			if n == "testdata" || strings.HasPrefix(n, "_") || (strings.HasPrefix(n, ".") && n != ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, "_") || strings.HasPrefix(n, ".") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		local := map[string][]string{} // the file's name for each guarded import
		for _, is := range f.Imports {
			path, _ := strconv.Unquote(is.Path.Value)
			names, ok := modelData[path]
			if !ok {
				continue
			}
			name := path[strings.LastIndex(path, "/")+1:]
			if is.Name != nil {
				name = is.Name.Name
			}
			local[name] = names
		}
		ast.Inspect(f, func(x ast.Node) bool {
			sel, ok := x.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if ok && slices.Contains(local[id.Name], sel.Sel.Name) {
				rel, _ := filepath.Rel(dir, p)
				out = append(out, fmt.Sprintf("%s:%d: %s.%s", filepath.ToSlash(rel), fset.Position(sel.Pos()).Line, id.Name, sel.Sel.Name))
			}
			return true
		})
		return nil
	})
	return out, err
}

// TestOracleReadsNoModelData: the oracle's code calls none of the
// functions that hand out the models' own statements (modelData).
func TestOracleReadsNoModelData(t *testing.T) {
	uses, err := modelDataUses(root(t), "conformance")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range uses {
		t.Errorf("%s: the oracle reads a model's own statement; state it in the oracle (conformance/statement.go) instead", u)
	}
}

// TestModelDataRuleSeesUses: a use under another import name, in a
// sub-package, is found; one in a test file is not.
func TestModelDataRuleSeesUses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("conformance/a.go", "package conformance\nimport sc \""+module+"/scenario\"\nvar _ = sc.Settings()\n")
	write("conformance/inner/b.go", "package inner\nimport \""+module+"/scenario\"\nvar _ = scenario.Catalog\n")
	write("conformance/c_test.go", "package conformance\nimport \""+module+"/scenario\"\nvar _ = scenario.Settings()\n")
	write("conformance/d.go", "package conformance\nimport \""+module+"/scenario\"\nvar _ = scenario.BOGUS\n")
	uses, err := modelDataUses(dir, "conformance")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"conformance/a.go:3: sc.Settings", "conformance/inner/b.go:3: scenario.Catalog"}
	if !slices.Equal(uses, want) {
		t.Errorf("got %q, want %q", uses, want)
	}
}
