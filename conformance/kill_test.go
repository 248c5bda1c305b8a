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
var knownSurvivors = map[string]string{
	"scm.notify.alertable-only": "the rule is the kernel's wait (sim/wait.go), so sim/scm has no line to break",
}

// randChooser draws choices from a seeded source: the property's actions
// without rapid, for runs that must not fail the test when they fail.
type randChooser struct{ r *rand.Rand }

func (c randChooser) Intn(n int, _ string) int { return c.r.IntN(n) }

// randomRuns runs sequences of generated actions and returns the first
// disagreement with the oracle.
func randomRuns(profile string, seed uint64, runs, steps int) error {
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
		if err := w.Do(Action{Op: OpOpenSCM, As: "scm0", Access: scm.SC_MANAGER_ALL_ACCESS}); err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
		for range steps {
			a, err := w.GenerateAction(c, Generators())
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

func routes(t *testing.T) []route {
	env := scenario.NewEnv(model.Catalog())
	var files []string
	for _, dir := range []string{"scm", "kernel"} {
		fs, err := scenario.Find(filepath.Join("..", "scenarios", dir))
		require.NoError(t, err)
		files = append(files, fs...)
	}
	profiles := profilesOf(Options{})
	return []route{
		{"checks", func() string {
			for _, c := range Checks() {
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
			for i, p := range profiles {
				if err := randomRuns(p, uint64(i+1), 100, 100); err != nil {
					return fmt.Sprintf("under %s: %v", p, err)
				}
			}
			return ""
		}},
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestKill arms the fault switch of each modeled SCM rule in turn and
// requires the SCM checks, the bundled SCM and kernel scenarios, or the
// property's random runs to fail. Run it with
//
//	go test -tags winsim_faults -run TestKill -v ./conformance
func TestKill(t *testing.T) {
	rs := routes(t)
	scm.ArmFault("")
	for _, r := range rs {
		require.Empty(t, guarded(r.run), "with no switch armed, the %s must pass", r.name)
	}

	var ids []string
	for _, r := range model.Catalog().Rules() {
		if r.Status == sim.Modeled && strings.HasPrefix(r.ID, "scm.") {
			ids = append(ids, r.ID)
		}
	}
	killed := 0
	var survivors, unexpected []string
	for _, id := range ids {
		scm.ArmFault(id)
		var by []string
		first := ""
		for _, r := range rs {
			if msg := guarded(r.run); msg != "" {
				by = append(by, r.name)
				if first == "" {
					first = msg
				}
			}
		}
		reached := scm.FaultReached(id)
		switch {
		case len(by) > 0:
			killed++
			t.Logf("killed   %-45s by %-26s %s", id, strings.Join(by, "+"), firstLine(first))
			if _, listed := knownSurvivors[id]; listed {
				unexpected = append(unexpected, id+" (listed as a survivor, but killed)")
			}
		default:
			why := knownSurvivors[id]
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
	scm.ArmFault("")
	t.Logf("kill ratio: %d/%d modeled SCM rules (%.1f%%); survivors: %s", killed, len(ids), 100*float64(killed)/float64(len(ids)), strings.Join(survivors, ", "))
	slices.Sort(unexpected)
	require.Empty(t, unexpected, "fault switches the suite does not catch (or known survivors it now catches)")
}
