package conformance

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// deleteTwice is a wrong SCM: a second DeleteService succeeds instead of
// returning ERROR_SERVICE_MARKED_FOR_DELETE. It is the synthetic failure the
// suite must catch and write out.
type deleteTwice struct{ *model.Backend }

func (b deleteTwice) DeleteService(th string, h sim.Handle) sim.Errno {
	if code := b.Backend.DeleteService(th, h); code != sim.ERROR_SERVICE_MARKED_FOR_DELETE {
		return code
	}
	return sim.ERROR_SUCCESS
}

func newDeleteTwice(profile string, seed uint64) (backend.Kernel, error) {
	b, err := model.New(profile, seed)
	if err != nil {
		return nil, err
	}
	return deleteTwice{b}, nil
}

// replay runs a written scenario against a backend maker.
func replay(t *testing.T, path string, newBackend NewBackend) scenario.Result {
	t.Helper()
	_, res, err := scenario.RunFile(path, newBackend, nil, scenario.Options{Profile: "win8", Env: scenario.NewEnv(scenario.Catalog())})
	require.NoError(t, err)
	return res
}

func TestRegressionOfFixedRun(t *testing.T) {
	actions := seq(scmSetup("twice"), []Action{notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n1"), sleep(0, true), del("svc"), del("svc")})
	res := RunActions(actions, newDeleteTwice, "win8", 1)
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), "step 6: DeleteService(svc) on main: got ERROR_SUCCESS (0), want ERROR_SERVICE_MARKED_FOR_DELETE (1072)")

	data, err := Regression("TestProperty/SCM", "win8", res)
	require.NoError(t, err)
	text := string(data)
	assert.Contains(t, text, "covers: [scm.delete.twice]\n")
	assert.Contains(t, text, "  - DeleteService: {service: svc}\n    want: ERROR_SERVICE_MARKED_FOR_DELETE\n")
	assert.Contains(t, text, "  - callbacks:\n      - {buffer: n1, thread: main, status: ERROR_SUCCESS, triggered: SERVICE_NOTIFY_STOPPED, state: SERVICE_STOPPED}\n")

	path := filepath.Join(t.TempDir(), "twice.yaml")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	bad := replay(t, path, newDeleteTwice)
	assert.Equal(t, scenario.Failed, bad.Outcome)
	assert.Contains(t, bad.Message, "DeleteService(svc): got ERROR_SUCCESS (0), want ERROR_SERVICE_MARKED_FOR_DELETE (1072)")
	good := replay(t, path, newModel)
	assert.Equal(t, scenario.Passed, good.Outcome, good.Message)

	_, err = Regression("x", "win8", RunActions(actions, newModel, "win8", 1))
	assert.Error(t, err, "a passing run has nothing to write")
}

// recordTB is a rapid.TB that keeps a failure instead of failing the test,
// so that a property can be run against a wrong backend on purpose.
type recordTB struct {
	*testing.T
	failed bool
	msgs   []string
}

func (r *recordTB) Errorf(format string, args ...any) {
	r.failed = true
	r.msgs = append(r.msgs, format)
}
func (r *recordTB) Error(args ...any)                 { r.failed = true }
func (r *recordTB) Fatalf(format string, args ...any) { r.failed = true }
func (r *recordTB) Fatal(args ...any)                 { r.failed = true }
func (r *recordTB) Fail()                             { r.failed = true }
func (r *recordTB) FailNow()                          { r.failed = true }
func (r *recordTB) Failed() bool                      { return r.failed }
func (r *recordTB) Logf(string, ...any)               {}
func (r *recordTB) Log(...any)                        {}

func TestPropertyShrinksAndWritesRegression(t *testing.T) {
	first, last, path := failingRegressions(t, func(dir string) func(*rapid.T) {
		return propertyMachine(newDeleteTwice, familyNamed("SCM"), "win8", dir, newRunLog())
	}, "property-scm-win8.yaml")
	for _, s := range []*scenario.Scenario{first, last} {
		assert.Equal(t, []string{"scm.delete.twice"}, s.Covers)
		deletes := 0
		for _, st := range s.Steps {
			if strings.HasPrefix(st.String(), "DeleteService") {
				deletes++
			}
		}
		assert.GreaterOrEqual(t, deletes, 2, "a service deleted twice")
	}
	bad := replay(t, path, newDeleteTwice)
	assert.Equal(t, scenario.Failed, bad.Outcome)
	assert.Contains(t, bad.Message, "got ERROR_SUCCESS (0), want ERROR_SERVICE_MARKED_FOR_DELETE (1072)")
	good := replay(t, path, newModel)
	assert.Equal(t, scenario.Passed, good.Outcome, good.Message)
}

// failingRegressions runs the property prop(dir) against a wrong backend
// it must catch, and loads the regression scenario file it writes under
// dir: as the first failing run wrote it, and as the last one (rapid's
// shrunk run) left it at path. How far rapid shrinks depends on its
// wall-clock shrink budget (-rapid.shrinktime) and so on the machine's
// load; what the callers assert does not: both files load, and the last
// one is no longer than the first.
func failingRegressions(t *testing.T, prop func(dir string) func(*rapid.T), file string) (first, last *scenario.Scenario, path string) {
	t.Helper()
	for _, f := range []string{"rapid.nofailfile", "rapid.checks"} {
		old := flagValue(f)
		t.Cleanup(func() { setFlag(t, f, old) })
	}
	setFlag(t, "rapid.nofailfile", "true")
	setFlag(t, "rapid.checks", "200")
	// rapid stops shrinking after 30 s of wall time by default; on a loaded
	// machine that left 25 steps. Shrinking must finish whatever the
	// machine's speed, so the limit is out of reach (the test's own
	// deadline still bounds it).
	setFlag(t, "rapid.shrinktime", "1h")
	dir := t.TempDir()
	path = filepath.Join(dir, file)
	var firstData []byte
	run := prop(dir)
	rec := &recordTB{T: t}
	rapid.Check(rec, func(rt *rapid.T) {
		defer func() {
			// A failing run writes the file, then fails through a panic.
			if firstData == nil {
				firstData, _ = os.ReadFile(path)
			}
		}()
		run(rt)
	})
	require.True(t, rec.failed, "the property must catch the wrong backend")
	require.NotNil(t, firstData, "the first failing run writes %s", file)
	firstPath := filepath.Join(t.TempDir(), "first-"+file)
	require.NoError(t, os.WriteFile(firstPath, firstData, 0o644))
	env := scenario.NewEnv(scenario.Catalog())
	first, err := scenario.Load(firstPath, env)
	require.NoError(t, err, "the first failing run's regression loads")
	last, err = scenario.Load(path, env)
	require.NoError(t, err, "the shrunk run's regression loads")
	// Its first line names the schema, by a path that leads to it.
	modeline, _, _ := strings.Cut(string(firstData), "\n")
	rel, ok := strings.CutPrefix(modeline, scenario.SchemaModeline(""))
	require.True(t, ok, "the regression's first line is the schema modeline: %q", modeline)
	_, err = os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	require.NoError(t, err, "the modeline's path leads to the schema")
	assert.LessOrEqual(t, len(last.Steps), len(first.Steps), "shrinking never lengthens the regression")
	return first, last, path
}

func flagValue(name string) string { return flag.Lookup(name).Value.String() }

func setFlag(t *testing.T, name, value string) {
	t.Helper()
	require.NoError(t, flag.Set(name, value))
}
