package cli

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/winsim/winsim/internal/twinapi"
)

// requireGoCommand skips a test that needs the go command when there is
// none, saying so, except in CI (CI set), where it fails: CI must not lose
// the check unnoticed.
func requireGoCommand(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the go command is needed: %v", err)
		}
		t.Skipf("the go command is needed: %v", err)
	}
}

// shimKind is the form simrun shim gives an identifier of the twin, from
// its kind: what the table must say.
func shimKind(obj types.Object, extra bool) string {
	switch obj.(type) {
	case *types.TypeName:
		return "type"
	case *types.Const:
		return "const"
	case *types.Var:
		return "var"
	case *types.Func:
		if extra {
			return "extra"
		}
		return "func"
	}
	return fmt.Sprintf("%T", obj)
}

// shimAPIProblems compares the table's entry for one twin package with the
// package's exported API: every identifier is in the table, of its kind,
// and every function with its signature; nothing else is; the extras are
// twinapi's.
func shimAPIProblems(p *shimPackage, twin *types.Package) []string {
	var out []string
	qualifier := func(pkg *types.Package) string { return pkg.Name() }
	extras := twinDifferences(p.name).Extras
	for _, name := range twin.Scope().Names() {
		obj := twin.Scope().Lookup(name)
		if !obj.Exported() {
			continue
		}
		_, extra := extras[name]
		want, got := shimKind(obj, extra), p.kindOf(name)
		switch {
		case got == "":
			out = append(out, fmt.Sprintf("%s.%s: the twin exports it (a %s), the table lacks it", p.name, name, want))
			continue
		case got != want:
			out = append(out, fmt.Sprintf("%s.%s: the table says %s, the twin's is a %s", p.name, name, got, want))
			continue
		}
		if fn, ok := obj.(*types.Func); ok {
			sig := strings.TrimPrefix(types.TypeString(fn.Type(), qualifier), "func")
			tableSig := p.funcs[name]
			if extra {
				tableSig = p.extras[name].signature
			}
			if sig != tableSig {
				out = append(out, fmt.Sprintf("%s.%s: the table's signature differs:\n\ttable: %s\n\ttwin:  %s", p.name, name, tableSig, sig))
			}
			for i := range fn.Signature().Params().Len() {
				// The wrapper's body calls p.name's function, and its
				// signature names the packages of its types: a parameter
				// must not hide any of them (a parameter named mgr in
				// package windows' CreateService hides nothing).
				n := fn.Signature().Params().At(i).Name()
				if n == "" || n == "_" || n == p.name || n == "syscall" || (shimPackageNamed(n) != nil && strings.Contains(sig, n+".")) {
					out = append(out, fmt.Sprintf("%s.%s: parameter %d is named %q; a wrapper needs a name that is no package's", p.name, name, i, n))
				}
			}
		}
	}
	for _, name := range p.names() {
		if obj := twin.Scope().Lookup(name); obj == nil || !obj.Exported() {
			out = append(out, fmt.Sprintf("%s.%s: in the table, but the twin does not export it", p.name, name))
		}
	}
	if got, want := slices.Sorted(maps.Keys(p.extras)), slices.Sorted(maps.Keys(extras)); !slices.Equal(got, want) {
		out = append(out, fmt.Sprintf("%s: the table's extras are %v, twinapi's %v", p.name, got, want))
	}
	for _, lists := range [][]string{p.types, p.consts, p.vars} {
		for i, n := range lists {
			if slices.Contains(lists[:i], n) {
				out = append(out, fmt.Sprintf("%s.%s: listed twice", p.name, n))
			}
		}
	}
	return out
}

// TestShimAPI checks simrun shim's table against the twins' exported API,
// loaded with the go command: the table is what decides each
// identifier's form, so it must not drift from the twins.
func TestShimAPI(t *testing.T) {
	requireGoCommand(t)
	var paths []string
	for _, p := range shimPackages {
		paths = append(paths, p.twin)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != len(shimPackages) {
		t.Fatalf("loaded %d packages for %d", len(pkgs), len(shimPackages))
	}
	for _, loaded := range pkgs {
		for _, e := range loaded.Errors {
			t.Fatalf("loading %s: %v", loaded.PkgPath, e)
		}
		i := slices.IndexFunc(shimPackages, func(p shimPackage) bool { return p.twin == loaded.PkgPath })
		p := &shimPackages[i]
		t.Run(p.name, func(t *testing.T) {
			t.Logf("%d identifiers in the table", len(p.names()))
			for _, msg := range shimAPIProblems(p, loaded.Types) {
				t.Error(msg)
			}
		})
	}
	// The table and twinapi name the same packages, in the same order.
	var table, stated []string
	for _, p := range shimPackages {
		table = append(table, p.name+" "+p.twin+" "+p.xsys)
	}
	for _, p := range twinapi.Packages() {
		stated = append(stated, p.Name+" "+p.Twin+" "+p.XSys)
	}
	if !slices.Equal(table, stated) {
		t.Errorf("the table's packages are %q, twinapi's %q", table, stated)
	}
}

// typeCheck type-checks one file of source as the package at path.
func typeCheck(t *testing.T, path, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := new(types.Config).Check(path, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestShimAPIFindsDrift shows shimAPIProblems failing, on a stand-in of a
// twin package, for each kind of drift it checks.
func TestShimAPIFindsDrift(t *testing.T) {
	twin := typeCheck(t, twinapi.TwinRegistry, `package registry
type Key uintptr
const SZ = 1
var ErrNotExist error
func OpenKey(k Key, path string) (Key, error) { return 0, nil }
func DeleteKey(k Key, registry string) error { return nil }
func RegFlushKey(key Key) (regerrno error) { return nil }
func New() {}
`)
	p := &shimPackage{name: "registry", twin: twinapi.TwinRegistry,
		types:  []string{"Key", "Gone"},
		consts: []string{"SZ", "ErrNotExist"},
		funcs:  map[string]string{"OpenKey": "(k registry.Key, path string, access uint32) (registry.Key, error)", "DeleteKey": "(k registry.Key, registry string) error"},
		extras: map[string]shimExtra{"RegFlushKey": {signature: "(key registry.Key) (regerrno error)"}, "Invented": {}},
	}
	got := strings.Join(shimAPIProblems(p, twin), "\n")
	for _, want := range []string{
		"registry.New: the twin exports it (a func), the table lacks it",
		"registry.ErrNotExist: the table says const, the twin's is a var",
		"registry.OpenKey: the table's signature differs",
		`registry.DeleteKey: parameter 1 is named "registry"`,
		"registry.Gone: in the table, but the twin does not export it",
		"registry: the table's extras are [Invented RegFlushKey], twinapi's [RegFlushKey]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("shimAPIProblems does not report %q; it reports:\n%s", want, got)
		}
	}
	for _, clean := range []string{"registry.SZ", "registry.Key:", "registry.RegFlushKey"} {
		if strings.Contains(got, clean) {
			t.Errorf("shimAPIProblems reports the right %s:\n%s", clean, got)
		}
	}
}
