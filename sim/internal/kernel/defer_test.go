package kernel_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// families lists the family packages: every directory of sim/ but
// internal/. Each takes the machine's lock through kernel.
func families(t *testing.T) []string {
	entries, err := os.ReadDir(filepath.Join("..", ".."))
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "internal" {
			out = append(out, e.Name())
		}
	}
	require.Contains(t, out, "scm", "the family packages are not where the test looks")
	return out
}

// unlockedByHand are the functions that take the lock and release it
// without a defer, each with the reason a panic cannot unwind between the
// two. Keep it short.
var unlockedByHand = map[string]string{
	// The notification APC routine runs without the lock and takes it
	// only to detach its registration, model code that has no caller input.
	"scm.fire": "the APC routine detaches its registration under the lock",
}

// isCall reports whether s is an expression statement calling pkg.name (or,
// with pkg "", a method called name).
func isCall(s ast.Stmt, pkg, name string) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false
	}
	return callIs(es.X, pkg, name)
}

func callIs(e ast.Expr, pkg, name string) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	if pkg == "" {
		return true
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// lockSites lists, for one package directory, each statement that takes the
// machine's lock (kernel.Lock, kernel.Enter, or a family's begin helper)
// and is not followed at once by `defer kernel.Unlock(...)`, as
// "pkg.func file:line".
func lockSites(t *testing.T, pkg string, used map[string]bool) (bad []string, sites int) {
	fset := token.NewFileSet()
	dir := filepath.Join("..", "..", pkg)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			where := pkg + "." + fn.Name.Name
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				var list []ast.Stmt
				switch n := n.(type) {
				case *ast.BlockStmt:
					list = n.List
				case *ast.CaseClause:
					list = n.Body
				case *ast.CommClause:
					list = n.Body
				default:
					return true
				}
				for i, s := range list {
					enter := isCall(s, "kernel", "Enter")
					if !enter && !isCall(s, "kernel", "Lock") && !isCall(s, "", "begin") {
						continue
					}
					sites++
					if i+1 < len(list) {
						if ds, ok := list[i+1].(*ast.DeferStmt); ok && callIs(ds.Call, "kernel", "Unlock") {
							continue
						}
					}
					if enter && fn.Name.Name == "begin" && i == 0 {
						continue // begin's callers defer the unlock; they are checked too
					}
					if _, ok := unlockedByHand[where]; ok {
						used[where] = true
						continue
					}
					bad = append(bad, fmt.Sprintf("%s %s", where, fset.Position(s.Pos())))
				}
				return true
			})
		}
	}
	return bad, sites
}

// TestEveryLockIsReleasedByDefer: in the family packages, every statement
// that takes the machine's lock is followed at once by a deferred
// kernel.Unlock, so a panic inside the call (a caller's nil pointer, a model
// bug) unwinds through the unlock and the machine stays usable. A family's
// begin helper may enter first and do more; each call of begin is checked
// like a kernel.Enter.
func TestEveryLockIsReleasedByDefer(t *testing.T) {
	used := map[string]bool{}
	for _, pkg := range families(t) {
		t.Run(pkg, func(t *testing.T) {
			bad, sites := lockSites(t, pkg, used)
			assert.NotZero(t, sites, "no lock taken in sim/%s: the test no longer finds them", pkg)
			assert.Empty(t, bad, "the lock is taken without a deferred kernel.Unlock right after")
		})
	}
	for where := range unlockedByHand {
		assert.True(t, used[where], "unlockedByHand names %s, which takes no lock by hand any more", where)
	}
}
