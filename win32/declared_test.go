package win32

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// declared returns the exported package-level constants and variables of
// the non-test files in dir, each with the expression that gives its value.
func declared(t *testing.T, dir string) map[string]ast.Expr {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]ast.Expr{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.IsExported() {
						var e ast.Expr
						if i < len(vs.Values) {
							e = vs.Values[i]
						}
						out[n.Name] = e
					}
				}
			}
		}
	}
	return out
}

// TestNoSecondValue checks that an SDK name package sim already declares
// (the generic access rights) is not given a second, independent value
// here: win32 may repeat it only as sim's own constant, so the two cannot
// drift apart.
func TestNoSecondValue(t *testing.T) {
	kernel := declared(t, filepath.Join("..", "sim"))
	for name, e := range declared(t, ".") {
		if _, ok := kernel[name]; !ok {
			continue
		}
		sel, ok := e.(*ast.SelectorExpr)
		if ok {
			x, isIdent := sel.X.(*ast.Ident)
			ok = isIdent && x.Name == "sim" && sel.Sel.Name == name
		}
		if !ok {
			t.Errorf("%s is declared in package sim and again in win32 with its own value; write %s = sim.%s", name, name, name)
		}
	}
}
