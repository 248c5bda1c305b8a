package conformance

import (
	"fmt"
	"maps"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// The semaphore family's oracle, written as a pure step (see pureFamily):
// its state is the counts it expects of every semaphore handle variable,
// and semStep says from the state and an action alone what Windows
// returns. The rules are the catalog's semaphore.* statements (the
// CreateSemaphoreW and ReleaseSemaphore pages, Wine's and ReactOS's
// sources); the one profile difference is stated below, not read from the
// model. Waits on semaphores are the kernel's calls; the bundled scenarios
// assert what they do to the count.

// The semaphore family's operations.
const (
	OpCreateSemaphore  Op = "CreateSemaphore"
	OpReleaseSemaphore Op = "ReleaseSemaphore"
	OpCloseSemaphore   Op = "CloseHandle(semaphore)"
)

// semArgs are the LONG arguments of the semaphore calls (Action.Args):
// CreateSemaphore's initial and maximum counts, ReleaseSemaphore's count.
type semArgs struct{ initial, maximum, release int32 }

// The oracle's statement of the family's profile difference: Windows
// refuses a release count of zero or below before it looks at the handle;
// Wine 8.0 takes the count as unsigned and checks nothing.
var _ = state(statement{"semaphore.release.count-checked", "true", "true", "false",
	"DOC ReleaseSemaphore (lReleaseCount must be greater than zero); ROS ntoskrnl/ex/sem.c NtReleaseSemaphore; WINE server/semaphore.c release_semaphore, dlls/ntdll/unix/sync.c NtReleaseSemaphore (unsigned, unchecked)"})

// The catalog ids the oracle decides results by.
const (
	ruleSemCreateCounts = "semaphore.create.counts"
	ruleSemReleaseAdds  = "semaphore.release.adds"
	ruleSemLimit        = "semaphore.release.limit"
	ruleSemCount        = "semaphore.release.count-positive"
	ruleSemCountWine    = "semaphore.release.count-unchecked-wine"
	ruleSemHandle       = "semaphore.release.invalid-handle"
)

// semState is what the oracle expects of the semaphores: by handle
// variable, the count and maximum of each it created (closed ones stay,
// marked so), and whether the profile checks release counts.
type semState struct {
	countChecked bool
	sems         map[string]semCount
	names        []string // every variable a CreateSemaphore bound, in order
}

// semCount is one semaphore as the oracle sees it.
type semCount struct {
	count, maximum int32
	open           bool
}

// with returns a copy of s where variable name holds c: the step never
// changes the state it is given.
func (s semState) with(name string, c semCount) semState {
	next := s
	next.sems = maps.Clone(s.sems)
	next.sems[name] = c
	if _, seen := s.sems[name]; !seen {
		next.names = append(append([]string(nil), s.names...), name)
	}
	return next
}

func codes(es ...sim.Errno) []sim.Code {
	out := make([]sim.Code, len(es))
	for i, e := range es {
		out[i] = e.Code()
	}
	return out
}

// semStep is the family's oracle.
func semStep(state any, a Action) (any, Expect) {
	s := state.(semState)
	args := argsOf[semArgs](a)
	switch a.Op {
	case OpCreateSemaphore:
		// CreateSemaphoreW: lMaximumCount above zero, lInitialCount from
		// zero to lMaximumCount; otherwise NULL and
		// ERROR_INVALID_PARAMETER.
		if args.maximum <= 0 || args.initial < 0 || args.initial > args.maximum {
			return s.with(a.As, semCount{}), Expect{OneOf: codes(sim.ERROR_INVALID_PARAMETER), Rules: []string{ruleSemCreateCounts}}
		}
		return s.with(a.As, semCount{args.initial, args.maximum, true}), Expect{OneOf: codes(sim.ERROR_SUCCESS), Rules: []string{ruleSemCreateCounts}}
	case OpReleaseSemaphore:
		return semRelease(s, a.H, args.release)
	case OpCloseSemaphore:
		c, ok := s.sems[a.H]
		if !ok || !c.open {
			return s, Expect{OneOf: codes(sim.ERROR_INVALID_HANDLE)}
		}
		c.open = false
		return s.with(a.H, c), Expect{OneOf: codes(sim.ERROR_SUCCESS)}
	}
	return s, Expect{}
}

// semRelease is ReleaseSemaphore's part of the oracle, in the order of the
// checks: the count (where the profile checks it), the handle, the room
// left below the maximum.
func semRelease(s semState, h string, n int32) (any, Expect) {
	// A failed release leaves *lpPreviousCount alone.
	unwritten := []scenario.Arg{{Key: "previous", Value: scenario.Raw("unwritten")}}
	if s.countChecked && n <= 0 {
		return s, Expect{OneOf: codes(sim.ERROR_INVALID_PARAMETER), Rules: []string{ruleSemCount}, Fields: unwritten}
	}
	c, ok := s.sems[h]
	if !ok || !c.open {
		return s, Expect{OneOf: codes(sim.ERROR_INVALID_HANDLE), Rules: []string{ruleSemHandle}, Fields: unwritten}
	}
	room := int64(c.maximum) - int64(c.count)
	asked := int64(n)
	rules := []string{}
	if !s.countChecked && n <= 0 {
		// Unsigned under Wine 8.0: zero adds nothing, a negative count is
		// above any room.
		asked = int64(uint32(n))
		rules = append(rules, ruleSemCountWine)
	}
	if asked > room {
		return s, Expect{OneOf: codes(sim.ERROR_TOO_MANY_POSTS), Rules: append(rules, ruleSemLimit), Fields: unwritten}
	}
	previous := []scenario.Arg{{Key: "previous", Value: int(c.count)}}
	c.count += int32(asked)
	return s.with(h, c), Expect{OneOf: codes(sim.ERROR_SUCCESS), Rules: append(rules, ruleSemReleaseAdds), Fields: previous}
}

// semUnwritten is what semCall puts in the previous-count variable before
// the call, to see whether the call wrote it (the value the scenario
// runner and Wine's tests use).
const semUnwritten = int32(-559038737) // 0xdeadbeef

// semCall makes an action's call on the backend.
func semCall(b backend.Kernel, a Action, vars handleVars) (sim.Code, error) {
	sb, ok := b.(backend.Semaphores)
	if !ok {
		return sim.Code{}, fmt.Errorf("%s has no semaphores: %w", b.Name(), backend.ErrUnsupported)
	}
	args := argsOf[semArgs](a)
	switch a.Op {
	case OpCreateSemaphore:
		h, code := sb.CreateSemaphore(a.thread(), args.initial, args.maximum)
		vars.bindValue(a.As, h)
		return code.Code(), nil
	case OpReleaseSemaphore:
		previous := semUnwritten
		code := sb.ReleaseSemaphore(a.thread(), vars.value(a.H), args.release, &previous)
		if previous == semUnwritten {
			vars.output("previous", "unwritten")
		} else {
			vars.output("previous", fmt.Sprint(previous))
		}
		return code.Code(), nil
	case OpCloseSemaphore:
		return b.CloseHandle(a.thread(), vars.value(a.H)).Code(), nil
	}
	return sim.Code{}, fmt.Errorf("unknown semaphore action %s", a.Op)
}

// semScript writes an action as its scenario step.
func semScript(a Action) scenario.ScriptStep {
	args := argsOf[semArgs](a)
	switch a.Op {
	case OpCreateSemaphore:
		return scenario.ScriptStep{Kind: "CreateSemaphore", As: a.As,
			Args: []scenario.Arg{{Key: "initial_count", Value: int(args.initial)}, {Key: "maximum_count", Value: int(args.maximum)}}}
	case OpReleaseSemaphore:
		return scenario.ScriptStep{Kind: "ReleaseSemaphore",
			Args: []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}, {Key: "release_count", Value: int(args.release)}}}
	}
	return scenario.ScriptStep{Kind: "CloseHandle", Args: []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}}
}

// semDescribe adds the counts to an action's description.
func semDescribe(a Action, add func(format string, args ...any)) {
	args := argsOf[semArgs](a)
	switch a.Op {
	case OpCreateSemaphore:
		add("initial %d, maximum %d", args.initial, args.maximum)
	case OpReleaseSemaphore:
		add("count %d", args.release)
	}
}

// semSlot is the family's state in a World.
var semSlot stateSlot[semState]

func newSemState(w *World) (any, error) {
	r := readStatements("semaphore.", w.profile, "conformance/semaphore.go", []string{"semaphore.release.count-checked"})
	checked := r.bool("semaphore.release.count-checked")
	if err := r.err(); err != nil {
		return nil, err
	}
	return semState{countChecked: checked, sems: map[string]semCount{}}, nil
}

// SemaphoreGenerators make the family's actions for its property: creates
// with counts on both sides of each limit, releases of every size on the
// open semaphores and on a value never issued, releases on closed ones, and
// closes.
func SemaphoreGenerators() []Generator {
	return []Generator{
		{Name: "CreateSemaphore", Family: "Semaphore", Gen: func(w *World, c Chooser) (Action, bool) {
			args := semArgs{initial: pick[int32](c, "initial", -1, 0, 0, 1, 2), maximum: pick[int32](c, "maximum", 0, 1, 2, 2, 3)}
			return Action{Op: OpCreateSemaphore, Thread: pickThread(c), As: w.newVar("sem"), Args: args}, true
		}},
		{Name: "ReleaseSemaphore", Family: "Semaphore", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			h := pick(c, "handle", append(semNames(w, true), RefBogus)...)
			return semReleaseAction(c, h), true
		}},
		// Releases on closed handles, apart: the real binding declines
		// them (the system may have given the value to another object), so
		// its property leaves them out.
		{Name: "ReleaseClosedSemaphore", Family: "Semaphore", Gen: func(w *World, c Chooser) (Action, bool) {
			closed := semNames(w, false)
			if len(closed) == 0 {
				return Action{}, false
			}
			return semReleaseAction(c, pick(c, "handle", closed...)), true
		}},
		{Name: "CloseSemaphore", Family: "Semaphore", Gen: func(w *World, c Chooser) (Action, bool) {
			open := semNames(w, true)
			if len(open) == 0 {
				return Action{}, false
			}
			return Action{Op: OpCloseSemaphore, Thread: pickThread(c), H: pick(c, "handle", open...)}, true
		}},
	}
}

// semNames lists the semaphore variables whose handles are open (or, with
// open false, closed or never valid), in the order they were made.
func semNames(w *World, open bool) []string {
	s := semSlot.of(w)
	var out []string
	for _, n := range s.names {
		if s.sems[n].open == open {
			out = append(out, n)
		}
	}
	return out
}

// semReleaseAction releases h by a count on both sides of every limit.
func semReleaseAction(c Chooser, h string) Action {
	return Action{Op: OpReleaseSemaphore, Thread: pickThread(c), H: h, Args: semArgs{release: pick[int32](c, "count", -1, 0, 1, 1, 2, 3)}}
}

// semaphoreChecks are the family's fixed runs.
func semaphoreChecks() []Check {
	create := func(as string, initial, maximum int32) Action {
		return Action{Op: OpCreateSemaphore, As: as, Args: semArgs{initial: initial, maximum: maximum}}
	}
	rel := func(h string, n int32) Action { return Action{Op: OpReleaseSemaphore, H: h, Args: semArgs{release: n}} }
	return []Check{
		{Family: "Semaphore", Name: "CountsToTheMaximum", Covers: []string{ruleSemCreateCounts, ruleSemReleaseAdds, ruleSemLimit},
			Actions: []Action{create("bad", 2, 1), create("s", 0, 2), rel("s", 1), rel("s", 2), rel("s", 1), rel("s", 1)}},
		{Family: "Semaphore", Name: "ReleaseChecksCountThenHandle", Covers: []string{ruleSemCount, ruleSemHandle},
			Profiles: []string{"win7", "win8"},
			Actions:  []Action{create("s", 0, 1), rel(RefBogus, 0), rel(RefBogus, 1), rel("s", -1), {Op: OpCloseSemaphore, H: "s"}, rel("s", 1)}},
		{Family: "Semaphore", Name: "ReleaseCountUncheckedWine", Covers: []string{ruleSemCountWine, ruleSemHandle},
			Profiles: []string{"wine-8.0"},
			Actions:  []Action{create("s", 1, 2), rel("s", 0), rel("s", -1), rel(RefBogus, 0)}},
	}
}

var semPropertyCovers = []string{ruleSemCreateCounts, ruleSemReleaseAdds, ruleSemLimit, ruleSemHandle}

// The semaphore family's registration.
func init() {
	semSlot = slotOf[semState](register(family{
		name:     "Semaphore",
		ops:      ops(caps(backend.CapSemaphores), OpCreateSemaphore, OpReleaseSemaphore, OpCloseSemaphore),
		requires: backend.CapSemaphores,
		newState: newSemState,
		pure:     &pureFamily{step: semStep, call: semCall, script: semScript},
		describe: semDescribe,
		checks:   semaphoreChecks, checksReplay: true,
		generators: SemaphoreGenerators,
		property: propertySpec{
			Property: Property{Name: "TestProperty/Semaphore", Family: "Semaphore", Covers: semPropertyCovers},
			gens:     SemaphoreGenerators, needs: backend.CapSemaphores, realNeeds: backend.CapSemaphores,
			realDrop: []string{"ReleaseClosedSemaphore"},
		},
		kill: killSpec{prefixes: []string{"semaphore."}, dirs: []string{"semaphore"}},
	}))
}
