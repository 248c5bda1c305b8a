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

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
)

// knownSurvivors are the modeled SCM rules whose switch the suite does not
// catch, each with the reason. The kill test fails when another switch
// survives, and when one listed here is killed (the list must stay true).
var knownSurvivors = map[string]string{}

// randChooser draws choices from a seeded source: the property's actions
// without rapid, for runs that must not fail the test when they fail.
type randChooser struct{ r *rand.Rand }

func (c randChooser) Intn(n int, _ string) int { return c.r.IntN(n) }

// randomRuns runs sequences of generated actions and returns the first
// disagreement with the oracle.
func randomRuns(profile string, seed uint64, runs, steps int) error {
	return familyRandomRuns(profile, seed, runs, steps, Generators(), []Action{{Op: OpOpenSCM, As: "scm0", Access: scm.SC_MANAGER_ALL_ACCESS}})
}

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

// guarded runs f, turning a panic of the broken model into a failure.
func guarded(f func() string) (msg string) {
	defer func() {
		if v := recover(); v != nil {
			msg = fmt.Sprintf("panic: %v", v)
		}
	}()
	return f()
}

// killFamily is one family of the kill run: the prefix of its rule ids,
// its scenario directories, its property's generators and setup, and its
// known survivors.
type killFamily struct {
	name, prefix string
	dirs         []string
	gens         []Generator
	setup        []Action
	survivors    map[string]string
	// also are more id prefixes the family answers for (the registry's
	// driver rules, which its scenarios assert).
	also []string
	// covering are scenario directories of which only the files that cover
	// one of the family's ids are run (the kernel's change notifications,
	// whose handles come from NCryptNotifyChangeKey).
	covering []string
	// moreProps are other properties whose random runs exercise the
	// family's rules too (the KSP property's change-notification handles,
	// for the kernel).
	moreProps []propRun
	// only, when set, limits the run to these ids: the family's rules the
	// suite covers so far.
	only []string
}

// propRun is a property's random runs: its generators and its setup.
type propRun struct {
	gens  []Generator
	setup []Action
}

func killFamilies() []killFamily {
	return []killFamily{
		{name: "SCM", prefix: "scm.", dirs: []string{"scm", "kernel"}, gens: Generators(),
			setup: []Action{{Op: OpOpenSCM, As: "scm0", Access: scm.SC_MANAGER_ALL_ACCESS}}, survivors: knownSurvivors},
		{name: "CSP", prefix: "csp.", dirs: []string{"csp"}, gens: CSPGenerators(), survivors: knownCSPSurvivors},
		{name: "KSP", prefix: "ksp.", dirs: []string{"ksp"}, gens: KSPGenerators(), survivors: map[string]string{}},
		{name: "Registry", prefix: "hive.", also: []string{"ddi."}, dirs: []string{"hive"}, gens: RegistryGenerators(), setup: []Action{lazyOff}, survivors: knownRegistrySurvivors},
		{name: "Kernel", prefix: "kernel.", dirs: []string{"kernel", "scm"}, covering: []string{"ksp"}, gens: Generators(),
			setup: []Action{{Op: OpOpenSCM, As: "scm0", Access: scm.SC_MANAGER_ALL_ACCESS}}, moreProps: []propRun{{gens: KSPGenerators()}}, survivors: map[string]string{}},
	}
}

// knownCSPSurvivors are the modeled CSP rules whose switch the suite does
// not catch, with the reason.
var knownCSPSurvivors = map[string]string{}

// knownRegistrySurvivors are the modeled registry rules whose switch the
// suite does not catch, with the reason.
var knownRegistrySurvivors = map[string]string{}

// owns reports whether rule id belongs to the family's kill run.
func (f killFamily) owns(id string) bool {
	if f.only != nil && !slices.Contains(f.only, id) {
		return false
	}
	if strings.HasPrefix(id, f.prefix) {
		return true
	}
	return slices.ContainsFunc(f.also, func(p string) bool { return strings.HasPrefix(id, p) })
}

// armFault arms the switch of one rule on every switch board.
func armFault(id string) {
	scm.ArmFault(id)
	sim.ArmFaultSwitch(id)
}

// routes returns the family's routes. With covers set, only the checks
// and scenarios (of any family) that cover that id, and no property: the
// routes of a rule credited through restsOn.
func routes(t *testing.T, f killFamily, covers string) []route {
	env := scenario.NewEnv(model.Catalog())
	coversWanted := func(ids []string) bool {
		if covers != "" {
			return slices.Contains(ids, covers)
		}
		return slices.ContainsFunc(ids, f.owns)
	}
	var files []string
	find := func(dir string, all bool) {
		fs, err := scenario.Find(filepath.Join("..", "scenarios", dir))
		require.NoError(t, err)
		for _, file := range fs {
			if !all || covers != "" {
				s, err := scenario.Load(file, env)
				require.NoError(t, err)
				if !coversWanted(s.Covers) {
					continue
				}
			}
			files = append(files, file)
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
	profiles := profilesOf(Options{})
	rs := []route{
		{"checks", func() string {
			for _, c := range Checks() {
				if covers != "" && !slices.Contains(c.Covers, covers) {
					continue
				}
				if covers == "" && c.Family != f.name && (f.name != "SCM" || c.Family != "Kernel") && !slices.ContainsFunc(c.Covers, f.owns) {
					continue
				}
				for _, p := range profiles {
					if res := RunCheck(c, newModel, p, 1); res.Err != nil {
						return fmt.Sprintf("%s/%s under %s: %v", c.Family, c.Name, p, res.Err)
					}
				}
			}
			return ""
		}},
		{"scenarios", func() string {
			for _, f := range files {
				for _, p := range profiles {
					_, res, err := scenario.RunFile(f, newModel, nil, scenario.Options{Profile: p, Env: env})
					if err != nil {
						return err.Error()
					}
					if res.Outcome == scenario.Failed {
						return fmt.Sprintf("%s under %s: %s", f, p, firstLine(res.Message))
					}
				}
			}
			return ""
		}},
		{"property", func() string {
			for _, pr := range append([]propRun{{f.gens, f.setup}}, f.moreProps...) {
				for i, p := range profiles {
					if err := familyRandomRuns(p, uint64(i+1), 100, 100, pr.gens, pr.setup); err != nil {
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

// TestKill arms the fault switch of each modeled rule of each family in
// turn and requires the family's checks, its bundled scenarios (under every
// profile), or its property's random runs to fail. Run it with
//
//	go test -tags winsim_faults -run TestKill -v ./conformance
func TestKill(t *testing.T) {
	for _, f := range killFamilies() {
		t.Run(f.name, func(t *testing.T) { killFamilyRun(t, f) })
	}
}

func killFamilyRun(t *testing.T, f killFamily) {
	rs := routes(t, f, "")
	armFault("")
	for _, r := range rs {
		require.Empty(t, guarded(r.run), "with no switch armed, the %s must pass", r.name)
	}

	var ids []string
	for _, r := range model.Catalog().Rules() {
		if r.Status == sim.Modeled && f.owns(r.ID) {
			ids = append(ids, r.ID)
		}
	}
	killed := 0
	var survivors, unexpected []string
	for _, id := range ids {
		sw, idRS, via := id, rs, ""
		if base, ok := restsOn[id]; ok {
			sw, idRS, via = base, routes(t, f, id), " (switch of "+base+")"
			armFault("")
			for _, r := range idRS {
				require.Empty(t, guarded(r.run), "with no switch armed, the %s covering %s must pass", r.name, id)
			}
		}
		armFault(sw)
		var by []string
		first := ""
		for _, r := range idRS {
			if msg := guarded(r.run); msg != "" {
				by = append(by, r.name)
				if first == "" {
					first = msg
				}
			}
		}
		reached := scm.FaultReached(sw) || sim.FaultSwitchReached(sw)
		switch {
		case len(by) > 0:
			killed++
			t.Logf("killed   %-45s by %-26s %s", id+via, strings.Join(by, "+"), firstLine(first))
			if _, listed := f.survivors[id]; listed {
				unexpected = append(unexpected, id+" (listed as a survivor, but killed)")
			}
		default:
			why := f.survivors[id]
			if why == "" {
				why = "NOT LISTED"
				unexpected = append(unexpected, id)
			}
			if !reached {
				why += " (switch never reached)"
			}
			survivors = append(survivors, id)
			t.Logf("SURVIVED %-45s %s", id, why)
		}
	}
	armFault("")
	t.Logf("kill ratio: %d/%d modeled %s rules (%.1f%%); survivors: %s", killed, len(ids), f.name, 100*float64(killed)/float64(len(ids)), strings.Join(survivors, ", "))
	slices.Sort(unexpected)
	require.Empty(t, unexpected, "fault switches the suite does not catch (or known survivors it now catches)")
}
