package main

import (
	"flag"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite docs/benchmarks.md from the checked-in benchmark output")

// The checked-in inputs of docs/benchmarks.md, as the document names them
// (relative to the repository's root), and the module path.
const (
	modelInput = "docs/benchmarks.txt"
	wineInput  = "docs/benchmarks-wine.txt"
	document   = "docs/benchmarks.md"
	module     = "github.com/winsim/winsim"
)

// root is the repository's root, seen from this package's directory.
const root = "../.."

// checkedIn parses the checked-in inputs.
func checkedIn(t *testing.T) *resultSet {
	t.Helper()
	var s resultSet
	for _, in := range []string{modelInput, wineInput} {
		f, err := os.Open(filepath.Join(root, in))
		require.NoError(t, err)
		require.NoError(t, s.parse(in, f))
		require.NoError(t, f.Close())
	}
	return &s
}

// TestDocumentCurrent: docs/benchmarks.md is what benchdoc writes today
// from the checked-in benchmark output, so a change to the generator, to
// the targets or to the input that is not regenerated fails here. The
// figures are the checked-in run's; nothing is timed (go test -run
// TestDocumentCurrent -update rewrites the document from the input).
func TestDocumentCurrent(t *testing.T) {
	want := render(checkedIn(t), []string{modelInput, wineInput})
	path := filepath.Join(root, document)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	if string(got) != want {
		t.Errorf("%s is not what benchdoc writes from %s and %s today: regenerate it (go test ./cmd/benchdoc -run TestDocumentCurrent -update)", document, modelInput, wineInput)
	}
}

// benchFunc is a benchmark function of the module.
type benchFunc struct {
	pkg, name string
	windows   bool // in a file built only for Windows: the Wine pairs
}

// moduleBenchmarks lists the module's Benchmark functions, by reading every
// test file below the root.
func moduleBenchmarks(t *testing.T) []benchFunc {
	t.Helper()
	var out []benchFunc
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := module
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Benchmark") {
				out = append(out, benchFunc{pkg: pkg, name: strings.TrimPrefix(fn.Name.Name, "Benchmark"), windows: windowsOnly(path, f)})
			}
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// windowsOnly says whether a file is built only for Windows: by its name or
// by a build constraint that does not hold on linux.
func windowsOnly(path string, f *ast.File) bool {
	if strings.HasSuffix(path, "_windows_test.go") {
		return true
	}
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if expr, err := constraint.Parse(c.Text); err == nil {
				return !expr.Eval(func(tag string) bool { return tag == "linux" || tag == "unix" || tag == "amd64" })
			}
		}
	}
	return false
}

// TestInputHasEveryBenchmark: the checked-in input holds a result of every
// Benchmark function of the module, the Windows-only ones (the Wine pairs)
// from a Windows run and the others from a linux run; a benchmark added,
// renamed or moved without a new run fails here. Every input benchmark is
// still in the code (or a measured line .ci/bench writes).
func TestInputHasEveryBenchmark(t *testing.T) {
	s := checkedIn(t)
	funcs := moduleBenchmarks(t)
	require.NotEmpty(t, funcs)
	for _, fn := range funcs {
		wantGOOS := "linux"
		if fn.windows {
			wantGOOS = "windows"
		}
		found := false
		for _, bm := range s.benchmarks {
			if bm.pkg == fn.pkg && (bm.name == fn.name || strings.HasPrefix(bm.name, fn.name+"/")) {
				found = true
				assert.Equal(t, wantGOOS, bm.goos, "%s Benchmark%s ran on %s", fn.pkg, bm.name, bm.goos)
			}
		}
		assert.True(t, found, "%s Benchmark%s has no result in %s or %s: run .ci/bench", fn.pkg, fn.name, modelInput, wineInput)
	}
	for _, bm := range s.benchmarks {
		if bm.pkg == module+"/cmd/simrun" && strings.HasPrefix(bm.name, "PeakRSS/") {
			continue
		}
		known := slices.ContainsFunc(funcs, func(fn benchFunc) bool {
			return bm.pkg == fn.pkg && (bm.name == fn.name || strings.HasPrefix(bm.name, fn.name+"/"))
		})
		assert.True(t, known, "the input's %s Benchmark%s is no benchmark of the module any more", bm.pkg, bm.name)
	}
}

// TestInputMeetsTheDocument: every target has its figure in the checked-in
// input, every curve the document promises has its four sizes, and every
// Windows-only benchmark is a model-vs-real-binding pair.
func TestInputMeetsTheDocument(t *testing.T) {
	s := checkedIn(t)
	for _, tg := range targets {
		_, ok := s.figure(tg)
		assert.True(t, ok, "target %q: no %s of %s %s in the input", tg.what, tg.unit, tg.pkg, tg.bench)
	}
	curves := map[string]bool{}
	for _, c := range s.curves() {
		var sizes []string
		for _, p := range c.points {
			sizes = append(sizes, p.value)
		}
		curves[short(c.pkg)+" "+c.family+" "+strings.Join(sizes, ",")] = true
	}
	for _, family := range []string{"scenario ScaleSteps", "sim/scm ScaleServices", "sim ScaleHandles", "sim/scm Register", "sim/hive ScaleKeys", "sim/hive ScaleValues"} {
		found := false
		for c := range curves {
			if strings.HasPrefix(c, family+" ") {
				found = true
				for _, size := range []string{"10", "1000", "100000", "1000000"} {
					assert.Contains(t, ","+strings.TrimPrefix(c, family+" ")+",", ","+size+",", "curve %s has no point at %s", family, size)
				}
			}
		}
		assert.True(t, found, "no curve %s in the input", family)
	}
	for _, fn := range moduleBenchmarks(t) {
		if !fn.windows {
			continue
		}
		for _, bm := range s.benchmarks {
			if bm.pkg == fn.pkg && bm.name == fn.name {
				assert.True(t, bm.isPair(), "Benchmark%s (Windows-only) reports no real-ns/ and model-ns/ pair", fn.name)
			}
		}
	}
}
