// Package layering checks the module's dependency rules: which packages may
// import which. The rules are the architecture's, stated once here and
// checked on every platform the module builds for, with and without the
// fault build tag.
package layering

import (
	"go/build"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/winsim/winsim"

// models are the family model packages.
var models = []string{"sim/scm", "sim/ksp", "sim/hive"}

// rule says which module packages pkg must not depend on: directly, or
// through any chain of module packages when transitive is set.
type rule struct {
	pkg        string
	forbidden  []string
	transitive bool
	why        string
}

var rules = []rule{
	{"sim", []string{"win32", "sim/scm", "sim/ksp", "sim/hive", "backend", "scenario", "conformance"}, true,
		"the kernel is the bottom layer"},
	{"win32", models, true,
		"the SDK's names are neutral ground that models, backends and the oracle share"},
	{"sim/scm", []string{"sim/ksp", "sim/hive"}, true, "no family imports another"},
	{"sim/ksp", []string{"sim/scm", "sim/hive"}, true, "no family imports another"},
	{"sim/hive", []string{"sim/scm", "sim/ksp"}, true, "no family imports another"},
	{"backend", models, true,
		"the backend interfaces speak win32 and sim, so the real binding needs no model"},
	{"backend/windows", models, true,
		"the real binding must not depend on the models it is compared with"},
	{"conformance", models, false,
		"the oracle owns its statement of Windows: it imports no model package"},
}

// platforms are the build configurations checked.
var platforms = []struct{ goos, tags string }{
	{"linux", ""}, {"linux", "winsim_faults"}, {"windows", ""}, {"windows", "winsim_faults"}, {"darwin", ""},
}

// root is the module's root directory.
func root(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// imports returns the module-relative import paths of pkg's non-test files
// under ctx.
func imports(ctx build.Context, dir, pkg string) ([]string, error) {
	p, err := ctx.ImportDir(filepath.Join(dir, filepath.FromSlash(pkg)), 0)
	if err != nil {
		if _, ok := err.(*build.NoGoError); ok {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	for _, imp := range p.Imports {
		if rest, ok := strings.CutPrefix(imp, module+"/"); ok {
			out = append(out, rest)
		}
	}
	return out, nil
}

// violations returns, for every forbidden package pkg reaches, the chain
// that reaches it.
func violations(ctx build.Context, dir string, r rule) ([]string, error) {
	var out []string
	seen := map[string]bool{r.pkg: true}
	type item struct{ pkg, chain string }
	queue := []item{{r.pkg, r.pkg}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		deps, err := imports(ctx, dir, it.pkg)
		if err != nil {
			return nil, err
		}
		for _, d := range deps {
			chain := it.chain + " -> " + d
			if slices.Contains(r.forbidden, d) {
				out = append(out, chain)
			}
			if r.transitive && !seen[d] {
				seen[d] = true
				queue = append(queue, item{d, chain})
			}
		}
	}
	return out, nil
}

// TestLayering checks every rule on every platform.
func TestLayering(t *testing.T) {
	dir := root(t)
	for _, pl := range platforms {
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = pl.goos, "amd64", false
		if pl.tags != "" {
			ctx.BuildTags = []string{pl.tags}
		}
		for _, r := range rules {
			name := path.Join(pl.goos, pl.tags, r.pkg)
			t.Run(name, func(t *testing.T) {
				bad, err := violations(ctx, dir, r)
				if err != nil {
					t.Fatal(err)
				}
				for _, chain := range bad {
					t.Errorf("%s must not import %s (%s): %s", r.pkg, lastOf(chain), r.why, chain)
				}
			})
		}
	}
}

// TestLayeringFindsAViolation shows the check can fail: a rule that forbids
// what a package does import is reported, with its chain.
func TestLayeringFindsAViolation(t *testing.T) {
	ctx := build.Default
	bad, err := violations(ctx, root(t), rule{pkg: "backend/model", forbidden: []string{"sim/hive"}, transitive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) == 0 || !strings.HasSuffix(bad[0], "-> sim/hive") {
		t.Fatalf("backend/model imports sim/hive, but the check reports %q", bad)
	}
	bad, err = violations(ctx, root(t), rule{pkg: "scenario", forbidden: []string{"sim/scm"}, transitive: false})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) == 0 {
		t.Fatal("scenario imports sim/scm directly, but the check reports nothing")
	}
}

// lastOf returns the last package of a chain.
func lastOf(chain string) string {
	i := strings.LastIndex(chain, " -> ")
	return chain[i+len(" -> "):]
}
