package kernel_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// families lists the family packages: every directory of sim/ but
// internal/ and testdata/. Each takes the machine's lock through kernel.
func families(t *testing.T) []string {
	entries, err := os.ReadDir(filepath.Join("..", ".."))
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		// testdata holds the fuzz corpora of package sim's own tests; the
		// go tool never reads it as a package.
		if e.IsDir() && e.Name() != "internal" && e.Name() != "testdata" {
			out = append(out, e.Name())
		}
	}
	require.Contains(t, out, "scm", "the family packages are not where the test looks")
	return out
}

// unlockedByHand are the functions that take the lock and release it
// without a defer, each with the reason a panic cannot unwind between the
// two. Keep it short.
var unlockedByHand = map[string]string{}

const kernelPath = "github.com/winsim/winsim/sim/internal/kernel"

// takesLock are kernel's functions that take the machine's lock and leave it
// held for the caller to release.
var takesLock = map[string]bool{"Lock": true, "Enter": true}

// kernelName returns the name file f gives package kernel, or "" when it
// does not import it.
func kernelName(f *ast.File) string {
	for _, is := range f.Imports {
		if strings.Trim(is.Path.Value, `"`) != kernelPath {
			continue
		}
		if is.Name != nil {
			return is.Name.Name
		}
		return "kernel"
	}
	return ""
}

// deferredUnlock reports whether s is `defer <k>.Unlock(arg)`, with arg
// spelled as want when want is not "".
func deferredUnlock(fset *token.FileSet, s ast.Stmt, k, want string) bool {
	ds, ok := s.(*ast.DeferStmt)
	if !ok {
		return false
	}
	sel, ok := ds.Call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Unlock" {
		return false
	}
	if id, ok := sel.X.(*ast.Ident); !ok || id.Name != k {
		return false
	}
	return want == "" || (len(ds.Call.Args) == 1 && src(fset, ds.Call.Args[0]) == want)
}

// src is the source text of e.
func src(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	if err := printer.Fprint(&b, fset, e); err != nil {
		return ""
	}
	return b.String()
}

// goFiles returns the non-test Go files of dir and of every directory below
// it (a family's own sub-packages take the lock as the family does).
func goFiles(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !e.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			out = append(out, p)
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// lockSites lists, for one family's directory tree, each reference to
// kernel.Lock, kernel.Enter or a helper named begin that is not a call
// statement followed at once by a deferred kernel.Unlock (of the same
// machine, for Lock and Enter), as "pkg.func file:line". A reference in any
// other form (a call inside an if or switch header, a function value, a
// labeled statement, the kernel package under another name) is reported
// too: the check cannot see where such a lock is released. A dot import of
// kernel is reported as such.
func lockSites(t *testing.T, dir, pkg string, used map[string]bool) (bad []string, sites int) {
	fset := token.NewFileSet()
	for _, path := range goFiles(t, dir) {
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		k := kernelName(f)
		if k == "." {
			bad = append(bad, fmt.Sprintf("%s: kernel is dot-imported", fset.Position(f.Pos())))
			continue
		}
		// lockRef returns the name of the lock-taking function e refers
		// to: "begin", "Lock", "Enter", or "".
		lockRef := func(e ast.Expr) string {
			switch e := e.(type) {
			case *ast.Ident:
				if e.Name == "begin" {
					return "begin"
				}
			case *ast.SelectorExpr:
				if e.Sel.Name == "begin" {
					return "begin"
				}
				if id, ok := e.X.(*ast.Ident); ok && k != "" && id.Name == k && takesLock[e.Sel.Name] {
					return e.Sel.Name
				}
			}
			return ""
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			where := pkg + "." + fn.Name.Name
			// First, the references that are well-formed lock sites.
			good := map[ast.Expr]bool{}
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
					es, ok := s.(*ast.ExprStmt)
					if !ok {
						continue
					}
					call, ok := es.X.(*ast.CallExpr)
					if !ok {
						continue
					}
					ref := lockRef(call.Fun)
					if ref == "" {
						continue
					}
					want := ""
					if ref != "begin" && len(call.Args) > 0 {
						want = src(fset, call.Args[0])
					}
					switch {
					case i+1 < len(list) && deferredUnlock(fset, list[i+1], k, want):
						good[call.Fun] = true
					case ref == "Enter" && fn.Name.Name == "begin" && n == fn.Body && i == 0:
						good[call.Fun] = true // begin's callers defer the unlock; they are checked too
					}
				}
				return true
			})
			// Then every reference.
			skip := map[*ast.Ident]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				e, ok := n.(ast.Expr)
				if !ok {
					return true
				}
				if sel, ok := e.(*ast.SelectorExpr); ok {
					skip[sel.Sel] = true
				}
				if id, ok := e.(*ast.Ident); ok && skip[id] {
					return true
				}
				if lockRef(e) == "" {
					return true
				}
				sites++
				if good[e] {
					return true
				}
				if _, ok := unlockedByHand[where]; ok {
					used[where] = true
					return true
				}
				bad = append(bad, fmt.Sprintf("%s %s", where, fset.Position(e.Pos())))
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
			bad, sites := lockSites(t, filepath.Join("..", "..", pkg), pkg, used)
			assert.NotZero(t, sites, "no lock taken in sim/%s: the test no longer finds them", pkg)
			assert.Empty(t, bad, "the lock is taken without a deferred kernel.Unlock right after")
		})
	}
	for where := range unlockedByHand {
		assert.True(t, used[where], "unlockedByHand names %s, which takes no lock by hand any more", where)
	}
}

// TestLockSitesSeesHiddenLocks shows the check fails for each way a lock
// could be taken out of its sight: kernel under another name, a plain
// function named begin, a lock in an if header, a function value, an
// unlock of another machine, a sub-package; a dot import is refused. The
// well-formed sites are not reported.
func TestLockSitesSeesHiddenLocks(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	}
	const imports = "import (\n\t\"github.com/winsim/winsim/sim\"\n\t%s \"" + kernelPath + "\"\n)\n"
	write("a.go", "package fam\n"+fmt.Sprintf(imports, "k")+`
func alias(m *sim.Machine) { k.Lock(m); k.Unlock(m) }
func aliasGood(m *sim.Machine) { k.Lock(m); defer k.Unlock(m) }
`)
	write("b.go", "package fam\n"+fmt.Sprintf(imports, "")+`
func begin(m *sim.Machine, t *sim.Thread) { kernel.Enter(m, t) }
func plainBegin(m *sim.Machine, t *sim.Thread) { begin(m, t); kernel.Unlock(m) }
func plainBeginGood(m *sim.Machine, t *sim.Thread) { begin(m, t); defer kernel.Unlock(m) }
func ifHeader(m *sim.Machine) { if kernel.Lock(m); true { kernel.Unlock(m) } }
func value(m *sim.Machine) { lock := kernel.Lock; lock(m); kernel.Unlock(m) }
func other(m, n *sim.Machine) { kernel.Lock(m); defer kernel.Unlock(n) }
func closure(m *sim.Machine) { func() { kernel.Lock(m); defer kernel.Unlock(m) }() }
`)
	write("sub/c.go", "package sub\n"+fmt.Sprintf(imports, "")+`
func nested(m *sim.Machine) { kernel.Lock(m); kernel.Unlock(m) }
`)
	write("d.go", "package fam\nimport . \""+kernelPath+"\"\n")
	bad, sites := lockSites(t, dir, "fam", map[string]bool{})
	var got []string
	for _, b := range bad {
		got = append(got, strings.Fields(b)[0])
	}
	assert.ElementsMatch(t, []string{"fam.alias", "fam.plainBegin", "fam.ifHeader", "fam.value", "fam.other", "fam.nested", filepath.Join(dir, "d.go") + ":1:1:"}, got)
	assert.Equal(t, 10, sites)
}
