package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// NewBackend makes a fresh backend for one check or one property run, under
// a profile and with a seed.
type NewBackend = scenario.NewBackend

// TB is what Run needs of a test. *testing.T satisfies TB[*testing.T], so
// the package runs under go test without importing package testing.
type TB[T any] interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Skipf(format string, args ...any)
	Run(name string, f func(T)) bool
}

// Options tune Run.
type Options struct {
	// Profiles are the profiles every check runs under, each as its own
	// subtest; nil means every profile (sim.Profiles). A backend bound to one
	// system passes that system's profile only.
	Profiles []string
	// Seed is passed to the backend maker; 0 means 1.
	Seed uint64
	// Exclude, when set, is asked before each action of a check runs. A
	// reason ("" for none) skips the rest of the check with that reason:
	// for actions a backend is known to refuse, or known deviations of a
	// real system that no profile declares yet.
	Exclude func(w *World, a Action) string
}

// Check is one named conformance check: a fixed sequence of Win32 calls
// whose every result, callback and violation is compared with the oracle,
// the suite's own statement of the documented rules. Checks are
// deterministic; the properties explore random sequences of the same
// actions.
type Check struct {
	// Family is the first part of the subtest name: "Kernel", "SCM".
	Family string
	// Name is the second part: TestConformance/SCM/NotifyImmediate.
	Name string
	// Covers lists the catalog ids the check asserts. Running the check
	// fails if the oracle did not assert each of them along the way.
	Covers []string
	// Profiles restricts the check to some profiles; nil means all.
	Profiles []string
	// Undecided lists, by profile, claimed ids whose rules that profile's
	// settings switch off (Wine 8.0 never checks dependents, say): under
	// it the run need not assert them, and must not, since the oracle
	// credits a rule only where the rule decided a result it compared.
	Undecided map[string][]string
	// Actions are the calls, in order.
	Actions []Action
}

// Property describes a property-based test of a family: random sequences of
// the family's actions against the oracle. The rapid drivers live in the
// package's tests (rapid is a test-only dependency); the description lives
// here, so that simrun coverage can list what each property asserts.
type Property struct {
	// Name is the test's name: TestProperty/SCM.
	Name string
	// Family is the family the property exercises.
	Family string
	// Covers lists the catalog ids the property's oracle asserts. The
	// property's test fails if its runs at the default depth do not assert
	// each of them.
	Covers []string
}

// Checks returns every family's checks, family by family.
func Checks() []Check {
	var out []Check
	for _, f := range families {
		if f.checks != nil {
			out = append(out, f.checks()...)
		}
	}
	return out
}

// Properties returns every family's property description.
func Properties() []Property {
	var out []Property
	for _, f := range families {
		if f.property.Name != "" {
			out = append(out, f.property.Property)
		}
	}
	return out
}

// Run runs every check as a subtest of t named Family/Check/profile, each
// against a fresh backend from newBackend. A check that needs a capability
// the backend lacks (backend.Supports), or that does not apply to the
// profile, is skipped with the reason, never passed.
func Run[T TB[T]](t T, newBackend NewBackend, opts Options) {
	t.Helper()
	byFamily := map[string][]Check{}
	var order []string
	for _, c := range Checks() {
		if _, seen := byFamily[c.Family]; !seen {
			order = append(order, c.Family)
		}
		byFamily[c.Family] = append(byFamily[c.Family], c)
	}
	for _, fam := range order {
		t.Run(fam, func(t T) {
			for _, c := range byFamily[fam] {
				t.Run(c.Name, func(t T) {
					for _, p := range profilesOf(opts) {
						t.Run(p, func(t T) {
							res := runCheck(c, newBackend, p, opts)
							switch {
							case res.Skipped != "":
								t.Skipf("%s", res.Skipped)
							case res.Err != nil:
								t.Errorf("%s/%s under %s: %v", c.Family, c.Name, p, res.Err)
							}
						})
					}
				})
			}
		})
	}
}

func profilesOf(opts Options) []string {
	if opts.Profiles != nil {
		return opts.Profiles
	}
	var out []string
	for _, p := range sim.Profiles() {
		out = append(out, p.Name)
	}
	return out
}

// Result is the outcome of one run of a check or of an action sequence.
type Result struct {
	// Err is the first disagreement with the oracle, nil when there was
	// none.
	Err error
	// Skipped gives the reason the sequence could not run on the backend;
	// "" when it ran.
	Skipped string
	// Steps counts the actions that ran.
	Steps int
	// Asserted holds the catalog ids the oracle asserted during the run;
	// LastAsserted those of its last action.
	Asserted, LastAsserted map[string]bool
	// Script is the run written as a scenario: every action with the
	// result the oracle predicted.
	Script []scenario.ScriptStep
	// Threads are the threads the script uses.
	Threads []string
}

// RunCheck runs one check under a profile against a fresh backend.
func RunCheck(c Check, newBackend NewBackend, profile string, seed uint64) Result {
	return runCheck(c, newBackend, profile, Options{Seed: seed})
}

func runCheck(c Check, newBackend NewBackend, profile string, opts Options) Result {
	if c.Profiles != nil && !slices.Contains(c.Profiles, profile) {
		return Result{Skipped: fmt.Sprintf("the check applies to %s only", strings.Join(c.Profiles, ", "))}
	}
	res := runActions(c.Actions, newBackend, profile, opts)
	if res.Err == nil && res.Skipped == "" {
		var missing, undecided []string
		for _, id := range c.Covers {
			switch off := slices.Contains(c.Undecided[profile], id); {
			case off && res.Asserted[id]:
				undecided = append(undecided, id)
			case !off && !res.Asserted[id]:
				missing = append(missing, id)
			}
		}
		switch {
		case len(missing) > 0:
			res.Err = fmt.Errorf("the check claims %s, which its run never asserted", strings.Join(missing, ", "))
		case len(undecided) > 0:
			res.Err = fmt.Errorf("the run asserted %s, which the settings of %s leave undecided", strings.Join(undecided, ", "), profile)
		}
	}
	return res
}

// RunActions runs a sequence of actions against a fresh backend and
// compares each result with the oracle. A sequence with an action whose
// needs the backend lacks is skipped before anything runs; one the backend
// refuses part-way (World.Refused) is skipped from there, with the reason.
func RunActions(actions []Action, newBackend NewBackend, profile string, seed uint64) Result {
	return runActions(actions, newBackend, profile, Options{Seed: seed})
}

func runActions(actions []Action, newBackend NewBackend, profile string, opts Options) Result {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	b, err := newBackend(profile, seed)
	if err != nil {
		return Result{Err: fmt.Errorf("creating backend for profile %s: %w", profile, err)}
	}
	defer b.Close()
	actions = slices.DeleteFunc(slices.Clone(actions), func(a Action) bool { return moot(a, b) })
	for _, a := range actions {
		if why := a.unsupported(b); why != "" {
			return Result{Skipped: why}
		}
	}
	w, err := NewWorld(b)
	if err != nil {
		return Result{Err: err}
	}
	for i, a := range actions {
		if opts.Exclude != nil {
			if why := opts.Exclude(w, a); why != "" {
				res := w.Result()
				res.Skipped = fmt.Sprintf("action %d, %s, is excluded: %s", i+1, describe(a), why)
				return res
			}
		}
		if err := w.Do(a); err != nil {
			break
		}
	}
	return w.Result()
}

// moot says whether an action can be left out on b because nothing b can
// be asked could tell whether it ran: turning the lazy flusher off (the
// setup of every registry run) only decides what a power cut keeps, and a
// backend without backend.CapCrash (a real system) has no power cuts.
func moot(a Action, b backend.Kernel) bool {
	return a.Op == OpLazyFlush && !backend.Supports(b, backend.CapCrash)
}

// missingCaps names the capabilities among needs that b lacks.
func missingCaps(b backend.Kernel, needs []backend.Capability) []string {
	var out []string
	for _, c := range needs {
		if !backend.Supports(b, c) {
			out = append(out, string(c))
		}
	}
	return out
}
