// Package layering checks the module's dependency rules: which packages may
// import which. The rules are the architecture's, stated once here.
//
// A package's imports are read from every one of its non-test files,
// whatever the file's build constraints: its GOOS and GOARCH suffixes, its
// //go:build line (a tag the module uses today or one added later) and cgo.
// The union is a superset of what any build configuration compiles, so a
// rule that holds for it holds on every platform, with and without the fault
// tag, and a file no configuration listed here would compile cannot hide an
// import.
package layering

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/winsim/winsim"

// modelPackages lists the family model packages of the tree at dir: every
// directory of sim/ but internal/ (and those the go command skips), each
// with the packages below it. A new family's model is among them the day
// its directory exists; a fixed list left sim/semaphore out, so
// backend/windows or the oracle could import it unnoticed.
func modelPackages(dir string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(dir, "sim"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() && n != "internal" && n != "testdata" && !strings.HasPrefix(n, "_") && !strings.HasPrefix(n, ".") {
			out = append(out, "sim/"+n+"/...")
		}
	}
	return out, nil
}

// above are the layers above the backends: what drives them and what checks
// them. A "p/..." entry forbids p and every package below it.
var above = []string{"scenario", "scenarios", "conformance", "evidence", "cmd/..."}

// twins are the x/sys twins (windows, windows/registry), their test control
// (windows/winsimtest) and their runtime (windows/internal/...): a layer
// beside the backends, for users' programs. They stand on the models
// directly; nothing of winsim's below them imports them.
const twins = "windows/..."

// rule says which module packages pkg must not depend on: directly, or
// through any chain of module packages when transitive is set. A pkg ending
// in "/..." names the package and every package below it, except those in
// except.
type rule struct {
	pkg        string
	except     []string
	forbidden  []string
	transitive bool
	why        string
}

// rulesFor states the rules over the tree at dir, whose family model
// packages are models.
func rulesFor(models []string) []rule {
	rules := []rule{
		{"sim", nil, append([]string{"win32", "backend", "scenario", "conformance"}, models...), true,
			"the kernel is the bottom layer"},
		{"sim/...", nil, append([]string{"backend/...", twins}, above...), true,
			"the kernel and the models are below the backends and the twins: no arrow up"},
		{"win32/...", nil, append([]string{"backend/...", twins}, above...), true,
			"the SDK's names are below the backends and the twins: no arrow up"},
		{"backend/...", nil, append([]string{twins}, above...), true,
			"the backends are below what drives and checks them, and beside the twins"},
		{twins, nil, append([]string{"backend/..."}, above...), true,
			"the twins stand on the models (sim, sim/<family>, win32), beside the backends: " +
				"they import no backend (the model backend speaks thread names, not goroutines) and nothing that drives or checks them"},
		{"win32/...", nil, models, true,
			"the SDK's names are neutral ground that models, backends and the oracle share"},
		{"backend/...", []string{"backend/model"}, models, true,
			"the backend interfaces and the real binding speak win32 and sim: only the model backend may reach a model"},
		{"conformance/...", nil, models, false,
			"the oracle owns its statement of Windows: it imports no model package"},
		{"examples/...", nil, append([]string{"sim/...", "win32/...", "backend/...", "windows/winsimtest", "windows/internal/..."}, above...), false,
			"an example is a user's program: it reaches winsim only through the twins, by its shim (its tests bind a machine with winsimtest)"},
	}
	for _, m := range models {
		others := slices.DeleteFunc(slices.Clone(models), func(o string) bool { return o == m })
		rules = append(rules, rule{m, nil, others, true, "no family imports another"})
	}
	return rules
}

// root is the module's root directory.
func root(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// imports returns the module-relative import paths of pkg's non-test files,
// read from every such file whatever its build constraints. Files the go
// command never reads (names starting with "_" or ".") are skipped. A
// directory that does not exist is an error, so a rule cannot outlive its
// package unnoticed.
func imports(dir, pkg string) ([]string, error) {
	d := filepath.Join(dir, filepath.FromSlash(pkg))
	ents, err := os.ReadDir(d)
	if err != nil {
		return nil, err
	}
	var out []string
	fset := token.NewFileSet()
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") ||
			strings.HasPrefix(n, "_") || strings.HasPrefix(n, ".") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(d, n), nil, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, is := range f.Imports {
			imp, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return nil, err
			}
			if rest, ok := strings.CutPrefix(imp, module+"/"); ok && !slices.Contains(out, rest) {
				out = append(out, rest)
			}
		}
	}
	return out, nil
}

// packages returns the module-relative packages a rule covers: pkg itself,
// or for "p/..." every directory at or below p that holds a non-test Go
// file, but for testdata and the exceptions.
func packages(dir string, r rule) ([]string, error) {
	base, ok := strings.CutSuffix(r.pkg, "/...")
	if !ok {
		return []string{r.pkg}, nil
	}
	var out []string
	err := filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(base)), func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n := e.Name()
		if e.IsDir() {
			if n == "testdata" || strings.HasPrefix(n, "_") || strings.HasPrefix(n, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		if !slices.Contains(out, pkg) && !slices.Contains(r.except, pkg) {
			out = append(out, pkg)
		}
		return nil
	})
	return out, err
}

// violations returns, for every forbidden package that a package covered by
// r reaches, the chain that reaches it.
func violations(dir string, r rule) ([]string, error) {
	pkgs, err := packages(dir, r)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, pkg := range pkgs {
		seen := map[string]bool{pkg: true}
		type item struct{ pkg, chain string }
		queue := []item{{pkg, pkg}}
		for len(queue) > 0 {
			it := queue[0]
			queue = queue[1:]
			deps, err := imports(dir, it.pkg)
			if err != nil {
				return nil, err
			}
			for _, d := range deps {
				chain := it.chain + " -> " + d
				if forbids(r.forbidden, d) {
					out = append(out, chain)
				}
				if r.transitive && !seen[d] {
					seen[d] = true
					queue = append(queue, item{d, chain})
				}
			}
		}
	}
	return out, nil
}

// forbids reports whether the list forbids pkg: it names pkg, or a
// "p/..." entry covers it.
func forbids(list []string, pkg string) bool {
	for _, f := range list {
		if base, ok := strings.CutSuffix(f, "/..."); ok {
			if pkg == base || strings.HasPrefix(pkg, base+"/") {
				return true
			}
		} else if f == pkg {
			return true
		}
	}
	return false
}

// TestLayering checks every rule.
func TestLayering(t *testing.T) {
	dir := root(t)
	models, err := modelPackages(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sim/scm/...", "sim/ksp/...", "sim/hive/...", "sim/semaphore/..."} {
		if !slices.Contains(models, want) {
			t.Fatalf("the family model packages found under sim/ are %q, without %s", models, want)
		}
	}
	for _, r := range rulesFor(models) {
		t.Run(r.pkg, func(t *testing.T) {
			bad, err := violations(dir, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, chain := range bad {
				t.Errorf("%s must not import %s (%s): %s", strings.Fields(chain)[0], lastOf(chain), r.why, chain)
			}
		})
	}
}

// TestLayeringFindsAViolation shows the check can fail: a rule that forbids
// what a package does import is reported, with its chain.
func TestLayeringFindsAViolation(t *testing.T) {
	bad, err := violations(root(t), rule{pkg: "backend/model", forbidden: []string{"sim/hive"}, transitive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) == 0 || !strings.HasSuffix(bad[0], "-> sim/hive") {
		t.Fatalf("backend/model imports sim/hive, but the check reports %q", bad)
	}
	bad, err = violations(root(t), rule{pkg: "scenario", forbidden: []string{"sim/scm"}, transitive: false})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) == 0 {
		t.Fatal("scenario imports sim/scm directly, but the check reports nothing")
	}
	bad, err = violations(root(t), rule{pkg: "backend/model", forbidden: []string{"sim/sc/...", "sim/..."}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(bad, "backend/model -> sim/scm") || slices.Contains(bad, "backend/model -> win32") {
		t.Fatalf("a sim/... entry must forbid sim and the packages below it, and no other: %q", bad)
	}
}

// TestLayeringSeesEveryFile builds a small tree in which each forbidden
// import hides where a check of a few build configurations would not look:
// behind a GOARCH suffix, a cgo preamble, a build tag the module does not
// use yet, in a package below the one a rule names, and in a package that
// only a test imports. Each must be reported; the _test.go file, the
// ignored "_" file and testdata must not be.
func TestLayeringSeesEveryFile(t *testing.T) {
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
	imp := func(pkgName, path string) string {
		return "package " + pkgName + "\nimport _ \"" + module + "/" + path + "\"\n"
	}
	write("sim/scm/scm.go", "package scm\n")
	write("backend/model/model.go", imp("model", "sim/scm"))
	write("backend/windows/doc.go", "package windows\n")
	write("backend/windows/a_windows_arm64.go", "//go:build windows\n\n"+imp("windows", "sim/scm"))
	write("backend/windows/b_windows.go", "package windows\n\n// #include <stdio.h>\nimport \"C\"\nimport _ \""+module+"/sim/scm\"\n")
	write("backend/windows/c.go", "//go:build somefuturetag\n\n"+imp("windows", "sim/scm"))
	write("backend/windows/internal/winapi/w.go", imp("winapi", "sim/scm"))
	write("backend/windows/internal/testonly/t.go", imp("testonly", "sim/scm"))
	write("backend/windows/d_test.go", imp("windows", "sim/scm"))
	write("backend/windows/_e.go", imp("windows", "sim/scm"))
	write("backend/windows/testdata/f.go", imp("f", "sim/scm"))
	write("conformance/internal/oracle/o.go", imp("oracle", "sim/scm"))
	models, err := modelPackages(dir)
	if err != nil {
		t.Fatal(err)
	}

	bad, err := violations(dir, rule{pkg: "backend/...", except: []string{"backend/model"}, forbidden: models, transitive: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"backend/windows -> sim/scm",
		"backend/windows/internal/testonly -> sim/scm",
		"backend/windows/internal/winapi -> sim/scm",
	}
	slices.Sort(bad)
	if !slices.Equal(bad, want) {
		t.Errorf("backend/...: got %q, want %q", bad, want)
	}
	// The three files of backend/windows are one import of sim/scm; that each
	// is seen on its own is checked by taking the others away.
	for _, keep := range []string{"a_windows_arm64.go", "b_windows.go", "c.go"} {
		ents, _ := os.ReadDir(filepath.Join(dir, "backend", "windows"))
		var moved []string
		for _, e := range ents {
			if n := e.Name(); n != keep && strings.HasSuffix(n, ".go") && n != "doc.go" && !strings.HasSuffix(n, "_test.go") && !strings.HasPrefix(n, "_") {
				if err := os.Rename(filepath.Join(dir, "backend", "windows", n), filepath.Join(dir, n+".away")); err != nil {
					t.Fatal(err)
				}
				moved = append(moved, n)
			}
		}
		bad, err := violations(dir, rule{pkg: "backend/windows", forbidden: models})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(bad, []string{"backend/windows -> sim/scm"}) {
			t.Errorf("with only %s importing sim/scm, the check reports %q", keep, bad)
		}
		for _, n := range moved {
			if err := os.Rename(filepath.Join(dir, n+".away"), filepath.Join(dir, "backend", "windows", n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	bad, err = violations(dir, rule{pkg: "conformance/...", forbidden: models})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(bad, []string{"conformance/internal/oracle -> sim/scm"}) {
		t.Errorf("conformance/...: got %q", bad)
	}
	if _, err := violations(dir, rule{pkg: "backend/gone", forbidden: models}); err == nil {
		t.Error("a rule naming a package that does not exist passes silently")
	}
}

// lastOf returns the last package of a chain.
func lastOf(chain string) string {
	i := strings.LastIndex(chain, " -> ")
	return chain[i+len(" -> "):]
}

// TestLayeringCoversNewFamilies: a family added under sim/ is a model
// package for every rule without an edit here. In a small tree with a new
// family beside sim/scm, the new family importing sim/scm, the real binding
// and the oracle importing the new family are each reported.
func TestLayeringCoversNewFamilies(t *testing.T) {
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
	imp := func(pkgName, path string) string {
		return "package " + pkgName + "\nimport _ \"" + module + "/" + path + "\"\n"
	}
	for _, d := range []string{"sim", "win32", "backend", "backend/model", "scenario", "scenarios", "conformance", "evidence", "cmd", "windows", "examples"} {
		write(d+"/doc.go", "package "+filepath.Base(d)+"\n")
	}
	write("sim/internal/kernel/k.go", "package kernel\n")
	write("sim/scm/scm.go", "package scm\n")
	write("sim/newfam/newfam.go", imp("newfam", "sim/scm"))
	write("backend/windows/w.go", imp("windows", "sim/newfam"))
	write("conformance/newfam.go", imp("conformance", "sim/newfam"))
	write("windows/newfam.go", imp("windows", "sim/newfam"))
	write("windows/internal/twinrt/rt.go", imp("twinrt", "backend/model"))
	write("backend/model/twin.go", imp("model", "windows"))
	write("examples/app/app.go", imp("app", "sim/newfam"))
	write("examples/app/internal/winapi/shim.go", imp("winapi", "windows"))

	models, err := modelPackages(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sim/newfam/...", "sim/scm/..."}; !slices.Equal(models, want) {
		t.Fatalf("model packages: got %q, want %q", models, want)
	}
	var bad []string
	for _, r := range rulesFor(models) {
		v, err := violations(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		bad = append(bad, v...)
	}
	for _, want := range []string{
		"sim/newfam -> sim/scm",
		"backend/windows -> sim/newfam",
		"conformance -> sim/newfam",
		"windows/internal/twinrt -> backend/model",
		"backend/model -> windows",
		"examples/app -> sim/newfam",
	} {
		if !slices.Contains(bad, want) {
			t.Errorf("%s is not reported; the check reports %q", want, bad)
		}
	}
	if slices.Contains(bad, "windows -> sim/newfam") {
		t.Errorf("the twin may import a family model, but the check reports %q", bad)
	}
	if slices.Contains(bad, "examples/app/internal/winapi -> windows") {
		t.Errorf("an example's shim may import the twins, but the check reports %q", bad)
	}
}
