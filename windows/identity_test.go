package windows_test

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/winsim/winsim/internal/twinapi"
)

// The identity test: every identifier a twin package exports is x/sys's,
// with the same kind, type or signature (the twin's packages standing for
// x/sys's, and package windows for syscall's Windows types: Handle, Errno,
// Filetime), struct fields, methods, and constant values and types; only
// the identifiers each pair lists differ, each with its reason. Each
// left-out entry must name an identifier (or a method of a type the twin
// has) of x/sys's package that the twin lacks; a pair whose list is
// complete is checked the other way too: every identifier (and every
// method of a type the twin has) of x/sys's package that the twin lacks is
// listed with the reason, as the package documentation lists it.

// pair is a twin package with its differences from x/sys's, as package
// twinapi states them for this test and for simrun shim.
type pair = twinapi.Package

const (
	twinPath = twinapi.TwinWindows
	xsysPath = twinapi.XSysWindows
)

// pairs are the twin packages.
var pairs = twinapi.Packages()

// loadTypes loads one package's types with the given extra environment.
func loadTypes(t *testing.T, dir, path string, env ...string) (*types.Package, *packages.Module) {
	t.Helper()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), env...),
	}
	pkgs, err := packages.Load(cfg, path)
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 || pkgs[0].Types == nil {
		var msgs []string
		for _, p := range pkgs {
			for _, e := range p.Errors {
				msgs = append(msgs, e.Error())
			}
		}
		t.Fatalf("loading %s: %d packages, errors: %s", path, len(pkgs), strings.Join(msgs, "; "))
	}
	return pkgs[0].Types, pkgs[0].Module
}

// xsysDir returns the directory to load x/sys from: this module, which
// requires the version the twins match, or with WINSIM_XSYS_VERSION set
// (CI sets it to "latest", to see drift) a scratch module requiring that
// version, fetched by the go command. When the fetch fails (no network),
// the test is skipped saying so, except in CI (CI set), where it fails:
// CI must not lose the drift check unnoticed.
func xsysDir(t *testing.T) (dir string, env []string) {
	v := os.Getenv("WINSIM_XSYS_VERSION")
	if v == "" {
		// Offline: the module cache holds what go.mod requires.
		return ".", []string{"GOOS=windows", "GOARCH=amd64", "GOPROXY=off"}
	}
	dir = t.TempDir()
	for _, args := range [][]string{{"mod", "init", "xsysidentity"}, {"get", "golang.org/x/sys@" + v}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			msg := fmt.Sprintf("WINSIM_XSYS_VERSION=%s: go %s: %v\n%s", v, strings.Join(args, " "), err, out)
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg + "(cannot fetch that x/sys; offline? the pinned version is checked without WINSIM_XSYS_VERSION)")
		}
	}
	src := "package x\n\nimport (\n"
	for _, p := range pairs {
		src += "\t_ \"" + p.XSys + "\"\n"
	}
	src += ")\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, []string{"GOOS=windows", "GOARCH=amd64"}
}

// TestIdentity compares every identifier each twin package exports with
// x/sys's.
func TestIdentity(t *testing.T) {
	if testing.Short() {
		t.Skip("loads x/sys with the go command")
	}
	dir, env := xsysDir(t)
	for _, p := range pairs {
		t.Run(p.Name, func(t *testing.T) {
			xsys, mod := loadTypes(t, dir, p.XSys, env...)
			twin, _ := loadTypes(t, ".", p.Twin)
			version := "?"
			if mod != nil {
				version = mod.Version
			}
			t.Logf("comparing %d identifiers of the twin %s with x/sys %s", len(twin.Scope().Names()), p.Twin, version)
			for _, msg := range compare(p, twin, xsys) {
				t.Errorf("%s (x/sys %s)", msg, version)
			}
		})
	}
}

// compare returns a message for each identifier of twin that is not
// xsys's, for each stale allowlist or left-out entry and, for a pair whose
// left-out list is complete, for each identifier of xsys the twin lacks
// unlisted.
func compare(p pair, twin, xsys *types.Package) []string {
	var out []string
	for _, name := range twin.Scope().Names() {
		obj := twin.Scope().Lookup(name)
		if !obj.Exported() {
			continue
		}
		x := xsys.Scope().Lookup(name)
		if why, ok := p.Extras[name]; ok {
			if x != nil {
				out = append(out, fmt.Sprintf("%s.%s is listed as an extra (%s), but x/sys has it now: compare it", p.Name, name, why))
			}
			continue
		}
		if x == nil {
			out = append(out, fmt.Sprintf("%s.%s: x/sys has no such identifier; remove it, or list it as an extra with its reason", p.Name, name))
			continue
		}
		if _, ok := p.NonIdentities[name]; ok {
			out = append(out, compareErrno(p.Name+"."+name, obj, x)...)
			continue
		}
		out = append(out, compareObject(p.Name+"."+name, obj, x)...)
	}
	for _, list := range []map[string]string{p.NonIdentities, p.Extras} {
		for name := range list {
			if twin.Scope().Lookup(name) == nil {
				out = append(out, fmt.Sprintf("%s.%s is allowlisted but the twin does not export it: remove the entry", p.Name, name))
			}
		}
	}
	if p.LeftOut != nil {
		out = append(out, compareLeftOut(p, twin, xsys)...)
	}
	slices.Sort(out)
	return out
}

// compareLeftOut checks a pair's left-out list against the packages:
// every listed one is neither the twin's nor missing from xsys and, when
// the list is complete, every exported identifier of xsys and every
// exported method of an xsys type the twin has is the twin's or listed.
func compareLeftOut(p pair, twin, xsys *types.Package) []string {
	var out []string
	seen := map[string]bool{}
	lacks := func(name string) {
		seen[name] = true
		if _, ok := p.LeftOut[name]; !ok && p.LeftOutComplete {
			out = append(out, fmt.Sprintf("%s.%s: x/sys has it and the twin does not; add it, or list it as left out with the reason", p.Name, name))
		}
	}
	for _, name := range xsys.Scope().Names() {
		x := xsys.Scope().Lookup(name)
		if !x.Exported() {
			continue
		}
		obj := twin.Scope().Lookup(name)
		if obj == nil {
			lacks(name)
			continue
		}
		tn, ok := x.(*types.TypeName)
		if !ok {
			continue
		}
		xm, tm := types.NewMethodSet(types.NewPointer(tn.Type())), types.NewMethodSet(types.NewPointer(obj.Type()))
		for i := range xm.Len() {
			m := xm.At(i).Obj()
			if m.Exported() && tm.Lookup(obj.Pkg(), m.Name()) == nil {
				lacks(name + "." + m.Name())
			}
		}
	}
	for name := range p.LeftOut {
		if !seen[name] {
			out = append(out, fmt.Sprintf("%s.%s is listed as left out, but the twin has it or x/sys does not: remove the entry", p.Name, name))
		}
	}
	return out
}

// kind names an object's kind.
func kind(o types.Object) string {
	switch o := o.(type) {
	case *types.Const:
		return "constant"
	case *types.Var:
		return "variable"
	case *types.Func:
		return "function"
	case *types.TypeName:
		if o.IsAlias() {
			return "type alias"
		}
		return "type"
	}
	return fmt.Sprintf("%T", o)
}

// typeString prints a type with each twin package and its x/sys package
// written by the package's name ("windows.Handle", "registry.Key"), and
// syscall's Windows types, which x/sys's registry package uses, written as
// package windows's, which stands for them in the twin
// (syscall.Errno, x/sys's Errno, is windows.Errno).
func typeString(typ types.Type) string {
	return types.TypeString(typ, func(pkg *types.Package) string {
		for _, p := range pairs {
			if pkg.Path() == p.Twin || pkg.Path() == p.XSys {
				return p.Name
			}
		}
		if pkg.Path() == "syscall" {
			return "windows"
		}
		return pkg.Name()
	})
}

// compareObject compares one identifier, named pkg.Name in messages.
func compareObject(name string, obj, x types.Object) []string {
	if kind(obj) != kind(x) {
		return []string{fmt.Sprintf("%s: the twin's is a %s, x/sys's a %s", name, kind(obj), kind(x))}
	}
	var out []string
	differ := func(what, twin, xsys string) {
		if twin != xsys {
			out = append(out, fmt.Sprintf("%s: %s differs:\n\ttwin:  %s\n\tx/sys: %s", name, what, twin, xsys))
		}
	}
	switch o := obj.(type) {
	case *types.Const:
		xc := x.(*types.Const)
		differ("the constant's type", typeString(o.Type()), typeString(xc.Type()))
		if !constant.Compare(o.Val(), token.EQL, xc.Val()) {
			differ("the constant's value", o.Val().ExactString(), xc.Val().ExactString())
		}
	case *types.Func:
		differ("the signature", typeString(o.Type()), typeString(x.Type()))
	case *types.Var:
		differ("the variable's type", typeString(o.Type()), typeString(x.Type()))
	case *types.TypeName:
		differ("the underlying type", typeString(o.Type().Underlying()), typeString(x.Type().Underlying()))
		out = append(out, compareMethods(name, o.Type(), x.Type(), nil)...)
	}
	return out
}

// compareMethods checks that each method the twin declares on a type (or
// its pointer) is x/sys's, with the same signature. x/sys may have more:
// the twin is a subset. want, if not nil, lists methods the twin must have.
func compareMethods(name string, twin, xsys types.Type, want []string) []string {
	var out []string
	xm := types.NewMethodSet(types.NewPointer(xsys))
	tm := types.NewMethodSet(types.NewPointer(twin))
	for i := range tm.Len() {
		m := tm.At(i).Obj()
		if !m.Exported() {
			continue
		}
		sel := xm.Lookup(m.Pkg(), m.Name())
		if sel == nil {
			// Methods of x/sys's type live in its own package (or syscall's).
			for j := range xm.Len() {
				if xm.At(j).Obj().Name() == m.Name() {
					sel = xm.At(j)
				}
			}
		}
		if sel == nil {
			out = append(out, fmt.Sprintf("%s.%s: x/sys's %s has no such method", name, m.Name(), name))
			continue
		}
		if a, b := typeString(m.Type()), typeString(sel.Obj().Type()); a != b {
			out = append(out, fmt.Sprintf("%s.%s: the signature differs:\n\ttwin:  %s\n\tx/sys: %s", name, m.Name(), a, b))
		}
	}
	for _, w := range want {
		found := false
		for i := range tm.Len() {
			found = found || tm.At(i).Obj().Name() == w
		}
		if !found {
			out = append(out, fmt.Sprintf("%s: x/sys's has method %s, the twin's does not", name, w))
		}
	}
	return out
}

// compareErrno checks the declared non-identity as far as it goes: a
// defined type of x/sys's underlying kind, with every method of x/sys's.
func compareErrno(name string, obj, x types.Object) []string {
	tn, ok := obj.(*types.TypeName)
	if !ok || tn.IsAlias() {
		return []string{name + ": the twin's must be a defined type, not a " + kind(obj)}
	}
	var out []string
	if a, b := typeString(tn.Type().Underlying()), typeString(x.Type().Underlying()); a != b {
		out = append(out, fmt.Sprintf("%s: the underlying type differs:\n\ttwin:  %s\n\tx/sys: %s", name, a, b))
	}
	var want []string
	ms := types.NewMethodSet(x.Type())
	for i := range ms.Len() {
		if m := ms.At(i).Obj(); m.Exported() {
			want = append(want, m.Name())
		}
	}
	return append(out, compareMethods(name, tn.Type(), x.Type(), want)...)
}

// check type-checks one file of source as the package at path.
func check(t *testing.T, path, src string) *types.Package {
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

// TestIdentityFindsDifferences shows compare failing, on small stand-ins of
// both packages, for each kind of difference it checks, naming the
// identifier; an identical identifier passes.
func TestIdentityFindsDifferences(t *testing.T) {
	xsys := check(t, xsysPath, `package windows
type Handle uintptr
type Errno uintptr
func (Errno) Error() string { return "" }
func (Errno) Timeout() bool { return false }
type S struct{ A uint32; b *Handle }
func (S) M(x int) {}
const C = 0xffffffff
const T Errno = 258
var V Handle
func F(handle Handle, ms uint32) (event uint32, err error) { return 0, nil }
func G(handle Handle) error { return nil }
func Same(handle Handle) error { return nil }
func WaitForSingleObjectEx() {}
`)
	twin := check(t, twinPath, `package windows
type Handle uintptr
type Errno uint32
func (Errno) Error() string { return "" }
type S struct{ A uint32; b *Handle; c int }
func (S) M(y int) {}
const C uint32 = 0xfffffffe
const T Handle = 258
func V() {}
func F(handle Handle, ms uint32) (event uint32, err error) { return 0, nil }
func G(h Handle) error { return nil }
func Same(handle Handle) error { return nil }
func Extra() {}
`)
	got := strings.Join(compare(pairs[0], twin, xsys), "\n")
	for _, want := range []string{
		"windows.Errno: the underlying type differs",
		"windows.Errno: x/sys's has method Timeout, the twin's does not",
		"windows.S: the underlying type differs",
		"windows.S.M: the signature differs",
		"windows.C: the constant's type differs",
		"windows.C: the constant's value differs",
		"windows.T: the constant's type differs",
		"windows.V: the twin's is a function, x/sys's a variable",
		"windows.G: the signature differs",
		"windows.Extra: x/sys has no such identifier",
		"windows.WaitForSingleObjectEx is allowlisted but the twin does not export it",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("compare does not report %q; it reports:\n%s", want, got)
		}
	}
	for _, clean := range []string{"windows.F:", "windows.Same:", "windows.Handle:"} {
		if strings.Contains(got, clean) {
			t.Errorf("compare reports the identical %s:\n%s", clean, got)
		}
	}
}

// TestIdentityFindsLeftOut shows compare, for a pair with a complete
// left-out list, reporting an x/sys identifier and method the twin lacks
// unlisted, and for any list a stale entry; listed ones pass, and unlisted
// ones pass when the list is not complete.
func TestIdentityFindsLeftOut(t *testing.T) {
	for _, complete := range []bool{true, false} {
		t.Run(fmt.Sprint("complete=", complete), func(t *testing.T) { findsLeftOut(t, complete) })
	}
}

func findsLeftOut(t *testing.T, complete bool) {
	p := pair{Twin: twinPath + "/registry", XSys: xsysPath + "/registry", Name: "registry", LeftOutComplete: complete,
		LeftOut: map[string]string{"Listed": "r", "Key.ListedMethod": "r", "Stale": "r", "Key.Get": "r (the twin has it)"}}
	xsys := check(t, p.XSys, `package registry
type Key uintptr
func (Key) Get() {}
func (Key) Missing() {}
func (Key) ListedMethod() {}
func Listed() {}
func Unlisted() {}
`)
	twin := check(t, p.Twin, `package registry
type Key uintptr
func (Key) Get() {}
`)
	got := strings.Join(compare(p, twin, xsys), "\n")
	unlisted := []string{
		"registry.Unlisted: x/sys has it and the twin does not",
		"registry.Key.Missing: x/sys has it and the twin does not",
	}
	want := []string{
		"registry.Stale is listed as left out, but the twin has it or x/sys does not",
		"registry.Key.Get is listed as left out, but the twin has it or x/sys does not",
	}
	clean := []string{"registry.Listed:", "registry.Key.ListedMethod"}
	if complete {
		want = append(want, unlisted...)
	} else {
		clean = append(clean, unlisted...)
	}
	for _, want := range want {
		if !strings.Contains(got, want) {
			t.Errorf("compare does not report %q; it reports:\n%s", want, got)
		}
	}
	for _, clean := range clean {
		if strings.Contains(got, clean) {
			t.Errorf("compare reports the listed %s:\n%s", clean, got)
		}
	}
}
