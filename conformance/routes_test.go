//go:build winsim_faults

package conformance

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/scenario"
)

// The machinery the kill runs share (TestKill arms fault switches,
// TestSettingKill overrides profile settings): each family's routes, the
// ways the suite can notice a broken model, run as a test would run them.

// randChooser draws choices from a seeded source: the property's actions
// without rapid, for runs that must not fail the test when they fail.
type randChooser struct{ r *rand.Rand }

func (c randChooser) Intn(n int, _ string) int { return c.r.IntN(n) }

// familyRandomRuns runs sequences of actions from gens, each after the
// setup actions, and returns the first disagreement with the oracle.
func familyRandomRuns(profile string, seed uint64, runs, steps int, gens []Generator, setup []Action) error {
	src := rand.New(rand.NewPCG(seed, 0x5EED))
	for i := range runs {
		b, err := newModel(profile, 1)
		if err != nil {
			return err
		}
		w, err := NewWorld(b)
		if err != nil {
			return err
		}
		c := randChooser{src}
		for _, a := range setup {
			if err := w.Do(a); err != nil {
				return fmt.Errorf("run %d: %w", i, err)
			}
		}
		for range steps {
			a, err := w.GenerateAction(c, gens)
			if err != nil {
				return err
			}
			if err := w.Do(a); err != nil {
				return fmt.Errorf("run %d: %w", i, err)
			}
		}
	}
	return nil
}

// route is one way the suite can notice a broken rule.
type route struct {
	name string
	run  func() string // "" when everything passed, else the first failure
}

// Route names, as the reports print them.
const (
	routeChecks    = "checks"
	routeScenarios = "scenarios"
	routeProperty  = "property"
)

// guarded runs f, turning a panic of the broken model into a failure.
func guarded(f func() string) (msg string) {
	defer func() {
		if v := recover(); v != nil {
			msg = fmt.Sprintf("panic: %v", v)
		}
	}()
	return f()
}

// killFamily is one family of the kill runs, as the family registers it:
// the prefixes of its rule ids (and of its profile settings), its scenario
// directories, the checks and properties that exercise its rules, and its
// known survivors.
type killFamily struct {
	name string
	killSpec
	// checks are the families whose checks all run.
	checks []string
	// props are the property runs (generators and setup) that exercise the
	// family's rules.
	props     []propRun
	survivors map[string]string
	// only, when set, limits the run to these ids: the family's rules the
	// suite covers so far.
	only []string
}

// propRun is a property's random runs: its generators and its setup.
type propRun struct {
	gens  []Generator
	setup []Action
}

// killFamilies returns every registered family's kill run. A family whose
// kill routes name a family that is not registered fails the test.
func killFamilies(t *testing.T) []killFamily {
	var out []killFamily
	for _, f := range families {
		k := killFamily{name: f.name, killSpec: f.kill, checks: f.kill.checks, survivors: knownSurvivors[f.name]}
		if k.checks == nil {
			k.checks = []string{f.name}
		}
		props := f.kill.props
		if props == nil {
			props = []string{f.name}
		}
		for _, name := range props {
			g := familyNamed(name)
			if g == nil || g.property.gens == nil {
				t.Fatalf("the kill run of %s runs the property of %s, which is not registered or has none", f.name, name)
			}
			k.props = append(k.props, propRun{g.property.gens(), g.property.setup})
		}
		out = append(out, k)
	}
	return out
}

// owns reports whether rule id belongs to the family's kill run.
func (f killFamily) owns(id string) bool {
	if f.only != nil && !slices.Contains(f.only, id) {
		return false
	}
	return slices.ContainsFunc(f.prefixes, func(p string) bool { return strings.HasPrefix(id, p) })
}

// routeScope says how much of the suite a family's routes run.
type routeScope struct {
	// profiles are the profiles the checks, scenarios and property run
	// under.
	profiles []string
	// runs and steps are the property's random runs per profile and the
	// actions of each (after its setup).
	runs, steps int
	// covers, when set, limits the routes to the checks and scenarios (of
	// any family) that cover that id, with no property: the routes of a
	// rule credited through restsOn.
	covers string
}

// everyProfile is the kill run's scope: every profile, the property at
// 100 runs of 100 actions per profile.
func everyProfile() routeScope {
	return routeScope{profiles: profilesOf(Options{}), runs: 100, steps: 100}
}

// propertySeed is the seed of a profile's random runs: the same profile
// draws the same runs in every kill run.
func propertySeed(profile string) uint64 {
	return uint64(slices.Index(profilesOf(Options{}), profile) + 1)
}

// routes returns the family's routes within scope, in the order checks,
// scenarios, property.
func routes(t *testing.T, f killFamily, scope routeScope) []route {
	env := scenario.NewEnv(scenario.Catalog())
	covers := scope.covers
	coversWanted := func(ids []string) bool {
		if covers != "" {
			return slices.Contains(ids, covers)
		}
		return slices.ContainsFunc(ids, f.owns)
	}
	var scens []*scenario.Scenario
	find := func(dir string, all bool) {
		fs, err := scenario.Find(filepath.Join("..", "scenarios", dir))
		require.NoError(t, err)
		for _, file := range fs {
			s, err := scenario.Load(file, env)
			require.NoError(t, err)
			if (!all || covers != "") && !coversWanted(s.Covers) {
				continue
			}
			scens = append(scens, s)
		}
	}
	dirs, covering := f.dirs, f.covering
	if covers != "" {
		dirs, covering = nil, []string{"."} // every bundled scenario
	}
	for _, dir := range dirs {
		find(dir, true)
	}
	for _, dir := range covering {
		find(dir, false)
	}
	rs := []route{
		{routeChecks, func() string {
			for _, c := range Checks() {
				if covers != "" && !slices.Contains(c.Covers, covers) {
					continue
				}
				if covers == "" && !slices.Contains(f.checks, c.Family) && !slices.ContainsFunc(c.Covers, f.owns) {
					continue
				}
				for _, p := range scope.profiles {
					if res := RunCheck(c, newModel, p, 1); res.Err != nil {
						return fmt.Sprintf("%s/%s under %s: %v", c.Family, c.Name, p, res.Err)
					}
				}
			}
			return ""
		}},
		{routeScenarios, func() string {
			for _, s := range scens {
				for _, p := range scope.profiles {
					if !s.Supports(p) {
						continue
					}
					b, err := newModel(p, s.Seed)
					if err != nil {
						return err.Error()
					}
					res := scenario.RunWith(s, b, nil, scenario.Options{Profile: p, Env: env})
					if err := b.Close(); err != nil && res.Outcome != scenario.Failed {
						return fmt.Sprintf("%s under %s: closing the backend: %v", s.File, p, err)
					}
					if res.Outcome == scenario.Failed {
						return fmt.Sprintf("%s under %s: %s", s.File, p, firstLine(res.Message))
					}
				}
			}
			return ""
		}},
		{routeProperty, func() string {
			for _, pr := range f.props {
				for _, p := range scope.profiles {
					if err := familyRandomRuns(p, propertySeed(p), scope.runs, scope.steps, pr.gens, pr.setup); err != nil {
						return fmt.Sprintf("under %s: %v", p, err)
					}
				}
			}
			return ""
		}},
	}
	if covers != "" {
		rs = rs[:2]
	}
	return rs
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
