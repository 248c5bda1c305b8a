package conformance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// World runs actions against one backend and keeps the oracle: the suite's
// own account of what the documented rules say each call returns, which
// callbacks run, and what every service's status is. The oracle is written
// from the behavior catalog and the documentation, not from the model's
// code; where the profile or a declared model choice decides, it reads its
// own statement of the profiles (statement.go) for the backend's profile,
// never the models' settings.
//
// Each action is compared with the oracle as it runs; the first
// disagreement stops the World. Every action is also logged as a scenario
// step carrying the oracle's prediction, so that a failing run can be
// written out as a scenario that reproduces it.
type World struct {
	b       backend.Kernel
	profile string
	// states are the registered families' oracle states, by the family's
	// slot (each family reads its own through a typed accessor: w.scm()).
	states oracleState

	vals map[string]sim.Handle // handle variables -> values
	// bound are the handles the families' states hold, in the order the
	// variables were bound (pickHandle's draws follow it), and nBound how
	// many of each family's are in it, by slot.
	bound   []boundRef
	nBound  []int
	threads []string

	// What the running pure call reported: its outputs
	// (handleVars.output), the callbacks the backend ran (handleVars.ran)
	// and its thread; the objects the backend holds across calls
	// (handleVars.held); the values the backend chose that must stay the
	// same (World.same).
	outputs   map[string]string
	reports   map[string]any
	callbacks []any
	calling   string
	objects   map[string]any
	sameVals  map[string]string

	nViol    int
	asserted map[string]bool
	stepIDs  map[string]bool // ids asserted by the current action
	script   []scenario.ScriptStep
	steps    int
	err      error
	refused  error // the backend refused an action: the run stops, neither passed nor failed
	nextVar  int
}

// boundRef is one bound handle: the family whose state holds it and its
// index in the family's handles.
type boundRef struct {
	f *family
	i int
}

// noteBound adds the handles the families' states gained to w.bound.
func (w *World) noteBound() {
	for _, f := range families {
		if f.handles == nil || w.states[f.slot] == nil {
			continue
		}
		n := len(f.handles(w.states[f.slot]))
		for i := w.nBound[f.slot]; i < n; i++ {
			w.bound = append(w.bound, boundRef{f: f, i: i})
		}
		w.nBound[f.slot] = n
	}
}

// boundHandles lists every bound handle, in the order it was bound.
func (w *World) boundHandles() []ownedHandle {
	lists := map[*family][]ownedHandle{}
	out := make([]ownedHandle, 0, len(w.bound))
	for _, r := range w.bound {
		hs, ok := lists[r.f]
		if !ok {
			hs = r.f.handles(w.states[r.f.slot])
			lists[r.f] = hs
		}
		out = append(out, hs[r.i])
	}
	return out
}

// worldThreads are the threads every World creates; actions name one.
var worldThreads = []string{"main", "worker"}

// NewWorld prepares a World over a fresh backend: it creates the threads
// and reads the profile's declared settings.
func NewWorld(b backend.Kernel) (*World, error) {
	w := &World{
		b: b, profile: b.Profile(),
		vals:     map[string]sim.Handle{},
		asserted: map[string]bool{}, stepIDs: map[string]bool{},
	}
	if err := w.newStates(); err != nil {
		return nil, err
	}
	for _, th := range worldThreads {
		if err := b.NewThread(th); err != nil {
			return nil, fmt.Errorf("NewThread(%s): %w", th, err)
		}
	}
	w.threads = slices.Clone(worldThreads)
	return w, nil
}

// Result returns the outcome so far. A run the backend refused to go on
// with is Skipped, with the reason.
func (w *World) Result() Result {
	res := Result{Err: w.err, Steps: w.steps, Asserted: w.asserted, LastAsserted: w.stepIDs, Script: slices.Clone(w.script), Threads: w.threads}
	if w.refused != nil && w.err == nil {
		res.Skipped = w.refused.Error()
	}
	return res
}

// Err returns the first disagreement with the oracle, or nil.
func (w *World) Err() error { return w.err }

// Refused returns why the backend refused an action, or nil. It wraps
// backend.ErrUnsupported. A refused action yields no code to compare (the
// real binding will not make a call that would end the process, for
// example), so the run stops there: its actions so far agreed with the
// oracle, and the rest is neither passed nor failed.
func (w *World) Refused() error { return w.refused }

// refuse records the backend's refusal of an action.
func (w *World) refuse(a Action, err error) {
	if w.refused == nil && w.err == nil {
		w.refused = fmt.Errorf("step %d: %s: the backend refused it: %w", w.steps, describe(a), err)
	}
}

// Asserted reports the catalog ids the oracle has asserted so far.
func (w *World) Asserted() map[string]bool { return w.asserted }

// assert records that the oracle asserted a catalog rule.
func (w *World) assert(ids ...string) {
	for _, id := range ids {
		w.asserted[id] = true
		w.stepIDs[id] = true
	}
}

// Do runs one action and compares it with the oracle. It returns the first
// disagreement of the World, and does nothing once there is one. When the
// backend refuses the action (an error wrapping backend.ErrUnsupported, or
// a declined call, backend.Refusal), Do drops what the action concluded,
// returns the refusal (see Refused) and does nothing from then on.
func (w *World) Do(a Action) error {
	if w.err != nil {
		return w.err
	}
	if w.refused != nil {
		return w.refused
	}
	if why := a.unsupported(w.b); why != "" {
		return fmt.Errorf("conformance: %s", why)
	}
	w.steps++
	w.stepIDs = map[string]bool{}
	before := len(w.script)
	wantViol := w.runAction(a)
	w.noteBound()
	if err := backend.Refusal(w.b); err != nil {
		// A declined call's value is no result: the disagreement it may
		// have caused is dropped.
		w.err = nil
		w.refuse(a, err)
	}
	if w.refused != nil {
		return w.refused
	}
	w.checkViolations(a, wantViol, before)
	return w.err
}

// fail records the first disagreement. A disagreement that shows a
// declined value (backend.IsDeclined) is no disagreement: when the backend
// declined the call, Do drops it with the refusal; when it gave no refusal,
// fail records the harness's error instead (backend.ErrUnexplainedDecline),
// never a comparison of that value. Every comparison of a call's result
// with the oracle's reports the result it got through fail, and the oracle
// never predicts a declined value, so a declined value that reaches a
// comparison always ends up here.
func (w *World) fail(a Action, format string, args ...any) {
	if w.err != nil {
		return
	}
	if v, ok := declinedArg(args); ok {
		w.err = fmt.Errorf("step %d: %s: harness error: %w: it returned %v, not compared", w.steps, describe(a), backend.ErrUnexplainedDecline, v)
		return
	}
	w.err = fmt.Errorf("step %d: %s: %s", w.steps, describe(a), fmt.Sprintf(format, args...))
}

// declinedArg returns the first of args that is a declined value
// (backend.IsDeclined) of a call's result type.
func declinedArg(args []any) (any, bool) {
	for _, v := range args {
		var declined bool
		switch v := v.(type) {
		case sim.Errno:
			declined = backend.IsDeclined(v)
		case sim.NTStatus:
			declined = backend.IsDeclined(v)
		case sim.HResult:
			declined = backend.IsDeclined(v)
		case sim.Code:
			declined = backend.IsDeclined(v)
		case sim.Handle:
			declined = backend.IsDeclined(v)
		}
		if declined {
			return v, true
		}
	}
	return nil, false
}

// failIf turns a backend error into a disagreement; an error wrapping
// backend.ErrUnsupported is the backend's refusal instead.
func (w *World) failIf(a Action, what string, err error) {
	if err != nil && errors.Is(err, backend.ErrUnsupported) {
		w.refuse(a, err)
		return
	}
	if err != nil {
		w.fail(a, "%sbackend error: %v", what, err)
	}
}

func (w *World) log(st scenario.ScriptStep) { w.script = append(w.script, st) }

// checkViolations compares the contract violations the backend reported
// during the action with the oracle's.
func (w *World) checkViolations(a Action, want []string, at int) {
	vs, ok := backend.Violations(w.b)
	if !ok {
		return
	}
	var got []string
	for _, v := range vs[min(w.nViol, len(vs)):] {
		got = append(got, v.Rule.ID)
	}
	w.nViol = len(vs)
	if len(want) > 0 {
		// The scenario asserts them right after the step that caused them.
		w.script = slices.Insert(w.script, min(at+1, len(w.script)), scenario.ScriptStep{Kind: "violations", Value: want})
	}
	if !slices.Equal(got, want) {
		w.fail(a, "contract violations: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}

// newVar returns a fresh handle variable name with the given prefix.
func (w *World) newVar(prefix string) string {
	w.nextVar++
	return fmt.Sprintf("%s%d", prefix, w.nextVar)
}

// value resolves a handle reference to the value passed to the backend.
func (w *World) value(ref string) sim.Handle {
	switch ref {
	case RefNULL, "":
		return 0
	case RefInvalid:
		return sim.INVALID_HANDLE_VALUE
	case RefBogus:
		return scenario.BOGUS
	}
	return w.vals[ref]
}

// Handles, as the oracle sees them (kernel_oracle.go has the kernel part
// of the oracle: events, waits and the clock).

// hkind is what a handle is a handle to, named as the SDK names the handle
// type. Each family declares its own kinds (family.kinds, next to its Ops);
// register refuses a kind two families declare.
type hkind string

// forever is the end of an infinite wait.
const forever = time.Duration(1<<63 - 1)

func threadMod(th string) string {
	if th == "main" {
		return ""
	}
	return th
}

// describe formats an action for failure messages.
func describe(a Action) string {
	var args []string
	add := func(f string, v ...any) { args = append(args, fmt.Sprintf(f, v...)) }
	if a.H != "" {
		add("%s", a.H)
	}
	describeArgs(a, add)
	return fmt.Sprintf("%s(%s) on %s", a.Op, strings.Join(args, ", "), a.thread())
}

func msText(ms uint32) string {
	if ms == infinite {
		return "INFINITE"
	}
	return fmt.Sprint(ms)
}

func fmtStrp(s *string) string {
	if s == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *s)
}
