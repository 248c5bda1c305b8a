package scenario

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// unregisterFamily removes a family a test registered.
func unregisterFamily(name string) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.families = slices.DeleteFunc(registry.families, func(f Family) bool { return f.Name == name })
	registry.built.Store(nil)
}

// bundled are the families the module comes with.
var bundled = []string{"scm", "csp", "registry", "ksp", "kernel"}

// TestBundledFamilies: the five bundled families register themselves, in
// the order the Wine leg runs them, each with its scenarios directory and
// agreement table. Another family may come anywhere among them.
func TestBundledFamilies(t *testing.T) {
	type row struct{ name, title, dir, table string }
	var got []row
	for _, f := range Families() {
		info, err := os.Stat(filepath.Join("..", "scenarios", f.Dir))
		if assert.NoError(t, err, "family %s", f.Name) {
			assert.True(t, info.IsDir(), "family %s", f.Name)
		}
		if slices.Contains(bundled, f.Name) {
			got = append(got, row{f.Name, f.Title, f.Dir, f.Table})
		}
	}
	assert.Equal(t, []row{
		{"scm", "SCM", "scm", "scm"},
		{"csp", "CryptoAPI", "csp", "cryptoapi"},
		{"registry", "registry", "hive", "registry"},
		{"ksp", "NCrypt", "ksp", "ncrypt"},
		{"kernel", "kernel", "kernel", "kernel"},
	}, got)
}

// TestModelHasEveryFamily: the model backend implements every registered
// family's interface, so that no family's scenarios are skipped on it.
func TestModelHasEveryFamily(t *testing.T) {
	b, err := model.New("", 1)
	require.NoError(t, err)
	for _, f := range Families() {
		if f.Needs != "" {
			assert.True(t, backend.Supports(b, f.Needs), "the model backend lacks %s, which family %s needs: its scenarios would all be skipped", f.Needs, f.Name)
		}
	}
}

// TestCatalog: the catalog built from the families holds every rule of
// the bundled families' model packages, unchanged, and nothing else than
// the families declare; every rule has a source.
func TestCatalog(t *testing.T) {
	c := Catalog()
	var declared int
	for _, f := range Families() {
		declared += len(f.Rules)
	}
	assert.Len(t, c.Rules(), declared)
	for _, list := range [][]sim.Rule{sim.KernelRules(), sim.ChangeRules(), scm.Rules(), ksp.Rules(), hive.Rules()} {
		for _, r := range list {
			got, ok := c.Lookup(r.ID)
			if assert.True(t, ok, r.ID) {
				assert.Equal(t, r, got)
			}
		}
	}
	for _, id := range []string{"kernel.wait.alertable-sleep", "scm.notify.immediate-current-bit", "scm.contract.buffer-reused"} {
		_, ok := c.Lookup(id)
		require.True(t, ok, id)
	}
	for _, r := range c.Rules() {
		require.NotEmpty(t, r.Source, r.ID)
	}
}

// TestSettingsAndConstants: the families' settings include the model
// packages' settings, each once, and every SDK constant resolves.
func TestSettingsAndConstants(t *testing.T) {
	var want []string
	for _, list := range [][]sim.SettingInfo{sim.KernelSettings(), scm.Settings(), ksp.Settings(), hive.Settings()} {
		for _, s := range list {
			want = append(want, s.ID)
		}
	}
	seen := map[string]bool{}
	var got []string
	for _, s := range Settings() {
		assert.False(t, seen[s.ID], "setting %s is registered twice", s.ID)
		seen[s.ID] = true
		got = append(got, s.ID)
	}
	assert.Subset(t, got, want)
	for _, c := range win32.Constants() {
		v, ok := consts().Lookup(c.Group, c.Name)
		if assert.True(t, ok, "%s %s", c.Group, c.Name) {
			assert.Equal(t, c.Value, v, "%s %s", c.Group, c.Name)
		}
	}
}

// TestSettingsStateEvidence: every setting of every family states the
// evidence of its win8 side, well formed. The cited Wine lines are checked
// against the sources by evidence.TestSettingsEvidenceLines, with the
// ledger's extractor.
func TestSettingsStateEvidence(t *testing.T) {
	settings := Settings()
	require.NotEmpty(t, settings)
	seen := map[string]bool{}
	for _, s := range settings {
		t.Run(s.ID, func(t *testing.T) {
			assert.False(t, seen[s.ID], "setting declared twice")
			seen[s.ID] = true
			require.NoError(t, s.Evidence.Check(), "setting %s", s.ID)
		})
	}
}

// TestDecidingSettingsAreDeclared: a model choice decided by a setting
// names one that some family declares (a misspelt id would leave the covers
// gate nothing to flip).
func TestDecidingSettingsAreDeclared(t *testing.T) {
	declared := map[string]bool{}
	for _, s := range Settings() {
		declared[s.ID] = true
	}
	decided := 0
	for _, r := range Catalog().Rules() {
		if r.DecidedBy == "" {
			continue
		}
		decided++
		assert.True(t, declared[r.DecidedBy], "%s is decided by %s, which no family declares", r.ID, r.DecidedBy)
	}
	assert.NotZero(t, decided, "no model choice names its deciding setting")
}

// counter is the interface of the throwaway family of TestRegisterFamily.
type counter interface {
	backend.Kernel
	Bump(thread string, by uint32) sim.Errno
}

var capCounter = backend.NewCapability[counter]("test:counter")

// fakeCounter is the fake backend with the counter family.
type fakeCounter struct {
	*fakeSCM
	total uint32
}

// Bump adds by to the total; bumping by 0 is ERROR_INVALID_PARAMETER.
func (f *fakeCounter) Bump(_ string, by uint32) sim.Errno {
	if by == 0 {
		return sim.ERROR_INVALID_PARAMETER
	}
	f.total += by
	return sim.ERROR_SUCCESS
}

// counterFamily is a family that exists only in this test: one step kind,
// one constant group, one rule.
func counterFamily() Family {
	return Family{
		Name:  "counter",
		Needs: capCounter,
		Steps: func() []*StepKind {
			return []*StepKind{{
				Name: "Bump", Group: "counter", Returns: ReturnsStatus,
				Summary: "Add to the counter.",
				Fields:  []Field{{Name: "by", Type: constType("counter-by"), Required: true, Doc: "how much"}},
				run: func(r *runner, st *Step, th string) {
					r.checkStatus(st, r.b.(counter).Bump(th, st.args.u32("by")))
				},
			}}
		},
		Constants: sim.ConstGroup("counter-by", "BUMP_ONE", uint32(1), "BUMP_TWO", uint32(2), "BUMP_NONE", uint32(0)),
		Rules:     []sim.Rule{{ID: "counter.bump.adds", Statement: "Bump adds to the counter", Source: "test", Status: sim.Modeled}},
		Order:     5,
	}
}

// TestRegisterFamily: a family registered from outside the package's
// family files gets its steps parsed, validated against its own rules and
// constants, run on a backend with its interface and skipped on one
// without, listed first by its Order, and shown in help; unregistered, its
// steps are unknown again.
func TestRegisterFamily(t *testing.T) {
	doc := "version: 1\ndescription: bump\ncovers: [counter.bump.adds]\nsteps:\n" +
		"  - Bump: {by: BUMP_TWO}\n  - Bump: {by: BUMP_ONE}\n  - Bump: {by: BUMP_NONE}\n    want: ERROR_INVALID_PARAMETER\n"
	_, err := Parse("t.yaml", []byte(doc), NewEnv(Catalog()))
	require.ErrorContains(t, err, `unknown step kind "Bump"`)

	require.True(t, RegisterFamily(counterFamily()))
	t.Cleanup(func() { unregisterFamily("counter") })

	assert.Equal(t, "counter", Families()[0].Name)
	_, ok := Catalog().Lookup("counter.bump.adds")
	assert.True(t, ok)
	s, err := Parse("t.yaml", []byte(doc), NewEnv(Catalog()))
	require.NoError(t, err)
	assert.Equal(t, []backend.Capability{capCounter}, s.Needs())

	b := &fakeCounter{fakeSCM: newFake("win8")}
	assert.True(t, backend.Supports(b, capCounter))
	res := Run(s, b, nil)
	require.Equal(t, Passed, res.Outcome, res.Message)
	assert.Equal(t, uint32(3), b.total)

	res = Run(s, kernelOnly{newFake("win8")}, nil)
	assert.Equal(t, Skipped, res.Outcome)
	assert.Equal(t, "backend fake lacks test:counter (needed by Bump at t.yaml:5:5)", res.Message)

	var help strings.Builder
	require.NoError(t, WriteHelp(&help))
	assert.Contains(t, help.String(), "\ncounter steps\n\n  Bump  [want: status; needs test:counter]\n")

	unregisterFamily("counter")
	assert.Nil(t, LookupStepKind("Bump"))
	_, err = Parse("t.yaml", []byte(doc), NewEnv(Catalog()))
	require.Error(t, err)
}

// TestRegisterFamilyConflicts: a name is registered once, and families
// must not declare the same step kind, setting or rule, nor one constant
// with two values. A constant declared alike by two families is one.
func TestRegisterFamilyConflicts(t *testing.T) {
	require.PanicsWithValue(t, `scenario: family "scm" registered twice`, func() { RegisterFamily(Family{Name: "scm"}) })
	require.Panics(t, func() { RegisterFamily(Family{}) })

	base := counterFamily()
	twin := func(edit func(f *Family)) []Family {
		f := counterFamily()
		f.Name = "twin"
		f.Steps, f.Constants, f.Rules = nil, nil, nil
		edit(&f)
		return []Family{base, f}
	}
	_, err := buildTables(twin(func(f *Family) { f.Steps = base.Steps }))
	assert.EqualError(t, err, "step kind Bump is declared by family counter and by family twin")
	_, err = buildTables(twin(func(f *Family) { f.Rules = base.Rules }))
	assert.ErrorContains(t, err, "duplicate rule id counter.bump.adds")
	_, err = buildTables(twin(func(f *Family) { f.Constants = sim.ConstGroup("counter-by", "BUMP_ONE", uint32(7)) }))
	assert.ErrorContains(t, err, "constant BUMP_ONE declared twice")
	_, err = buildTables(twin(func(f *Family) { f.Constants = base.Constants }))
	assert.NoError(t, err)
	dup := sim.KernelSettings()[:1]
	_, err = buildTables([]Family{{Name: "a", Settings: dup}, {Name: "b", Settings: dup}})
	assert.ErrorContains(t, err, "is declared by family a and by family b")
}
