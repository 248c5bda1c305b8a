package conformance

import (
	"flag"
	"fmt"
	"github.com/winsim/winsim/win32"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// defaultSeed makes `go test ./...` explore the same sequences on every
// run, so that landing a change stays deterministic. -rapid.seed=0 (or
// RAPID_SEED=0) asks rapid for a random seed instead; any other value
// replaces this one.
const defaultSeed = 20240601

var regressions = flag.String("regressions", filepath.Join("..", "scenarios", "regressions"),
	`where a failing property writes its shrunk run as a scenario ("" writes none)`)

// defaultSteps is the average length of a run at the default depth: the
// SCM's interesting states (a service marked for delete while running with
// requests pending on two handles) take more than rapid's default 30.
const defaultSteps = 100

func TestMain(m *testing.M) {
	runAsService()
	flag.Parse()
	setDefault("rapid.seed", "RAPID_SEED", defaultSeed)
	setDefault("rapid.steps", "RAPID_STEPS", defaultSteps)
	os.Exit(m.Run())
}

// setDefault gives a rapid flag the suite's default unless the command line
// or the environment chose a value.
func setDefault(name, env string, value int) {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if _, ok := os.LookupEnv(env); given || ok {
		return
	}
	if err := flag.Set(name, strconv.Itoa(value)); err != nil {
		panic(err)
	}
}

// rapidChooser draws the generators' choices from rapid, so that a failing
// sequence shrinks (towards the first option of each choice). rapid's
// integers favor small values strongly; the remainder of a 64-bit draw
// spreads the options more evenly.
type rapidChooser struct{ t *rapid.T }

func (c rapidChooser) Intn(n int, label string) int {
	return int(rapid.Uint64().Draw(c.t, label) % uint64(n))
}

// asserted collects the ids the property's oracle asserted, over every run.
var asserted = struct {
	sync.Mutex
	ids map[string]bool
}{ids: map[string]bool{}}

// TestProperty runs the SCM state machine against the models under every
// profile: TestProperty/SCM/win8. Each run is a random sequence of kernel
// and SCM actions on two threads; the oracle predicts every result.
func TestProperty(t *testing.T) {
	t.Run("SCM", func(t *testing.T) {
		for _, p := range sim.Profiles() {
			t.Run(p.Name, func(t *testing.T) {
				rapid.Check(t, stateMachine(newModel, p.Name, *regressions))
			})
		}
		checkDeclaredCovers(t)
	})
	t.Run("CSP", func(t *testing.T) { familyProperty(t, "CSP", CSPGenerators(), backend.CapCSP, cspPropertyCovers) })
	t.Run("KSP", func(t *testing.T) { familyProperty(t, "KSP", KSPGenerators(), backend.CapKSP, kspPropertyCovers) })
	t.Run("Registry", func(t *testing.T) {
		familyProperty(t, "Registry", RegistryGenerators(), backend.CapCrash, registryPropertyCovers)
	})
}

// stateMachine is the property: rapid picks actions among the generators
// whose actions the backend can execute, and the World compares each with
// the oracle. A disagreement fails the run, and the run is written as a
// scenario under dir (the last write is rapid's shrunk run).
func stateMachine(newBackend NewBackend, profile, dir string) func(*rapid.T) {
	runs := newRunLog()
	run := scmMachine(newBackend, profile, dir, Generators(), runs)
	return func(rt *rapid.T) {
		run(rt)
		asserted.Lock()
		maps.Copy(asserted.ids, runs.ids)
		asserted.Unlock()
	}
}

// scmMachine is one run of the SCM property over gens (those of the SCM
// family are left out when the backend lacks it). What the runs asserted,
// and any refusal, go to runs.
func scmMachine(newBackend NewBackend, profile, dir string, gens []Generator, runs *runLog) func(*rapid.T) {
	return func(rt *rapid.T) {
		b, err := newBackend(profile, 1)
		if err != nil {
			rt.Fatalf("creating backend: %v", err)
		}
		defer b.Close()
		w, err := NewWorld(b)
		if err != nil {
			rt.Fatalf("%v", err)
		}
		fail := func() string { return writeRegression(dir, profile, w.Result()) }
		// Every run starts with a handle to the SCM with every right, so that
		// most sequences reach services quickly.
		if backend.Supports(b, backend.CapSCM) {
			if err := w.Do(Action{Op: OpOpenSCM, As: "scm0", Access: win32.SC_MANAGER_ALL_ACCESS}); err != nil && w.Refused() == nil {
				rt.Fatalf("%v%s", err, fail())
			}
		}
		var fit []Generator
		for _, g := range gens {
			if g.Family != "SCM" || backend.Supports(b, backend.CapSCM) {
				fit = append(fit, g)
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"step": func(rt *rapid.T) { propertyStep(rt, w, b, fit, fail) },
			"": func(rt *rapid.T) {
				if err := w.Err(); err != nil {
					rt.Fatalf("%v", err)
				}
			},
		})
		runs.add(w)
	}
}

// writeRegression writes a failing run as a scenario and says where, or
// says why it could not.
func writeRegression(dir, profile string, res Result) string {
	return writeFamilyRegression(dir, "SCM", profile, res)
}

// writeFamilyRegression writes a failing run of a family's property as
// scenarios/regressions/property-<family>-<profile>.yaml.
func writeFamilyRegression(dir, family, profile string, res Result) string {
	data, err := Regression("TestProperty/"+family, profile, res)
	if err != nil {
		return fmt.Sprintf("\n(no regression scenario: %v)", err)
	}
	if dir == "" {
		return "\n" + string(data)
	}
	path := filepath.Join(dir, "property-"+strings.ToLower(family)+"-"+profile+".yaml")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("\n(no regression scenario: %v)", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Sprintf("\n(no regression scenario: %v)", err)
	}
	return fmt.Sprintf("\nreplay with: go run ./cmd/simrun run -profile %s %s", profile, filepath.ToSlash(path))
}

// checkDeclaredCovers holds the property to what it declares (and what
// simrun coverage lists): with the default seed at the default depth, or at
// any seed from 1000 checks on, every declared id must have been asserted.
// Other runs (-short, a small RAPID_CHECKS, a random seed at the default
// depth, where a rare id may be missed) skip it.
func checkDeclaredCovers(t *testing.T) {
	t.Helper()
	if !coverDepthReached(t) {
		return
	}
	asserted.Lock()
	defer asserted.Unlock()
	requireCovers(t, "SCM", scmPropertyCovers, asserted.ids)
}

// coverDepthReached says whether the runs were deep enough, or on the
// default seed, to hold a property to the ids it declares.
func coverDepthReached(t *testing.T) bool {
	checks := rapidFlag("rapid.checks")
	deterministic := rapidFlag("rapid.seed") == defaultSeed && checks >= 100
	return !testing.Short() && !t.Failed() && (deterministic || checks >= 1000)
}

// requireCovers fails when a declared id was never asserted, and logs the
// asserted ids the property does not declare.
func requireCovers(t *testing.T, family string, declared []string, ids map[string]bool) {
	t.Helper()
	var missing, extra []string
	for _, id := range declared {
		if !ids[id] {
			missing = append(missing, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if !slices.Contains(declared, id) {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		t.Logf("the property also asserted (not declared): %s", strings.Join(extra, ", "))
	}
	require.Empty(t, missing, "the %s property declares ids its runs never asserted", family)
}

func rapidFlag(name string) int {
	f := flag.Lookup(name)
	if f == nil {
		return 0
	}
	n, _ := strconv.Atoi(f.Value.String())
	return n
}
