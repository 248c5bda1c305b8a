package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// Expect is what a pure step says Windows does for one action: the results
// it accepts, the rules that decided them, and the contract violations the
// action causes.
type Expect struct {
	// OneOf are the results Windows may give; the backend's must be one of
	// them. More than one states that the sources allow several (a value
	// older Windows gave, say). The first is the one the scenario step
	// names first. Empty is an error of the step: every action of a pure
	// family has a result.
	OneOf []sim.Code
	// Rules are the catalog ids that decided the result. The driver credits
	// them (they count as asserted) only when the backend's result is among
	// OneOf: a rule is credited where it decided a result that was
	// compared.
	Rules []string
	// Violations are the ids of the contract violations the action causes,
	// in the order the backend reports them; nil for none.
	Violations []string
	// Out is what the call leaves in its output handle when its result is
	// among OneOf, as a scenario's expect: out names it; outUnchecked
	// (the zero value) checks nothing. With outNew the call must bind a
	// new handle value to the action's variable (a.As), and the scenario
	// step names it; with outNull it must bind NULL, and the variable
	// stays unbound; with outInvalid it must leave INVALID_HANDLE_VALUE
	// (an unregistration's *phEvent), the variable unbound too. Either way
	// the driver checks the value before it binds it.
	Out outHandle
	// OutFail, when set, is the failure message (a format taking the
	// value written) for a call whose output handle is not what Out says;
	// "" for the driver's own.
	OutFail string
	// Fields are argument fields of the scenario step that state what the
	// call left behind (ReleaseSemaphore's previous:), each with the value
	// the step expects, as the scenario writes it. The call reports what
	// it got through handleVars.output; when the result is among OneOf the
	// driver compares each, and it writes them into the scenario step.
	Fields []scenario.Arg
	// Result, when set, is the result of a call whose result is not a
	// status code alone (a wait's WAIT_OBJECT_0+i, WAIT_IO_COMPLETION,
	// WAIT_FAILED with its error, a deadlock), as text: the call reports
	// what it got through handleVars.output under "result", the driver
	// compares the two, and OneOf is not compared. Want and Error are
	// then the scenario step's want: and error:.
	Result      string
	Want, Error string
	// Callbacks, when set, are the callbacks the call must run (an
	// alertable wait delivering queued notifications), which the
	// callbacks the backend runs report through handleVars.ran.
	Callbacks *callbacksWant
	// Reports are outputs of the call (NtCreateKey's disposition, the
	// data NtQueryValueKey read) the driver compares but does not write:
	// each with the value the call must report through
	// handleVars.output, compared after the result; a difference fails
	// as "<key> <got>, want <value>".
	Reports []scenario.Arg
	// Checks are the scenario step's expect: entries beyond out:, as the
	// scenario writes them (the replayed scenario checks them); the
	// driver only writes them.
	Checks []scenario.Arg
	// Before are scenario steps the action makes before its call (a power
	// cut armed inside the call), logged ahead of the action's own step.
	// Do writes the violations step after the action's first step, so an
	// action with Before steps must expect no violations.
	Before []scenario.ScriptStep
	// Check, when set, compares what the call reported through
	// handleVars.report (the status it filled) and returns the
	// disagreement, "" for none; same is as for callbacksWant.check.
	Check func(reports map[string]any, same func(key, value string) string) string
	// Refuse, when set, says the backend must refuse the call, and why
	// (the real call ends the process under the profile, say): OneOf is
	// empty, the scenario step names no want, and a result is a
	// disagreement.
	Refuse string
	// Setup says the action changes the simulated world instead of
	// calling the API (installing a provider, making a thread a starting
	// ServiceMain): its scenario step is its script's, without the thread
	// and the want the driver gives a call's.
	Setup bool
	// Then are actions the driver runs after this one agreed, as part of
	// it (a query cross-checking what a callback carried); each is its
	// family's step like any other.
	Then []Action
}

// callbacksWant are the callbacks a call must run.
type callbacksWant struct {
	// step, when set, is the scenario step asserting them, written right
	// after the call's.
	step *scenario.ScriptStep
	// n is how many run; paced says a real backend (backend.Paced) must
	// be told to wait for them, or for within when none.
	n      int
	paced  bool
	within time.Duration
	// check compares what ran (in the order it ran; paced when the
	// backend is a real one, whose order of independent callbacks is not
	// the oracle's) and returns the disagreement, "" for none. same holds
	// the values the backend chose that must stay the same (same).
	check func(ran []any, paced bool, same func(key, value string) string) string
}

// outHandle is what a call leaves in its output handle (Expect.Out).
type outHandle uint8

const (
	outUnchecked outHandle = iota
	outNew                 // a handle: neither NULL, INVALID_HANDLE_VALUE nor BOGUS
	outNull                // NULL
	outInvalid             // INVALID_HANDLE_VALUE
	// outNamed: the handle the call binds to a.As when it succeeds, checked
	// as outNew's; the scenario step names the variable (as:) but states
	// nothing more of it.
	outNamed
)

// pureFamily is the oracle of a family written as pure steps, in the
// spirit of porcupine's models: the family's state is a value, and step
// says, from the state and an action alone, what Windows returns and what
// the state becomes. No backend, no I/O, no logging: the World's one
// driver (runPure) does the rest. A family registers one with
//
//	register(family{name: ..., ops: ..., newState: ..., pure: &pureFamily{step: ..., call: ...}})
//
// The contract:
//   - newState makes the first state for the World's profile (the family
//     reads its own statement of the profile there); step never sees the
//     backend or the profile beyond what the state holds.
//   - step must not modify the state it is given (return a new value, or
//     a copy): the driver keeps the old state should the action be refused.
//   - next must hold whichever result of OneOf the backend gives: a step
//     whose next state depends on which one happened must not offer the
//     choice.
//   - call makes the action's one call on the backend and returns its
//     result; an error wrapping backend.ErrUnsupported is the backend's
//     refusal (the run stops there, neither passed nor failed), any other
//     error a disagreement. Through vars it turns the action's handle
//     references into the backend's values and binds the handle the call
//     returns (a.As): the values are the backend's, so the oracle's state
//     names handles by their variables only.
//   - script, when set, writes the action as a scenario step (Kind and
//     Args); the driver sets Thread and Want. Without it the step is the
//     Op with no arguments.
//
// A step that reads or edits other families' states (the kernel's waits
// run the SCM's timers and take NCrypt's change handles) is a stepAll
// instead: the same contract over the whole oracleState. Exactly one of
// step and stepAll is set.
type pureFamily struct {
	step    func(state any, a Action) (next any, want Expect)
	stepAll func(s oracleState, a Action) (next oracleState, want Expect)
	call    func(b backend.Kernel, a Action, vars handleVars) (sim.Code, error)
	script  func(a Action) scenario.ScriptStep
}

// handleVars are the World's handle variables as a pure family's call
// sees them.
type handleVars interface {
	// value returns the backend's value of a handle reference: a
	// variable, or NULL, INVALID_HANDLE_VALUE and BOGUS.
	value(ref string) sim.Handle
	// bindValue records the value of the handle a call returned under
	// the action's variable name.
	bindValue(name string, v sim.Handle)
	// output reports what the call left in an output a field of the
	// step's Expect.Fields names, written as the scenario writes it.
	output(field, value string)
	// held returns the object the backend keeps hold of across calls (a
	// notification buffer it writes later) that key names, made by mk on
	// first use.
	held(key string, mk func() any) any
	// report reports a value the call returned beyond its result (a
	// status it filled), for Expect.Check.
	report(key string, v any)
	// ran records a callback the backend ran during the call
	// (Expect.Callbacks); thread is the thread making the call.
	ran(cb any)
	thread() string
}

// held implements handleVars.
func (w *World) held(key string, mk func() any) any {
	if v, ok := w.objects[key]; ok {
		return v
	}
	if w.objects == nil {
		w.objects = map[string]any{}
	}
	v := mk()
	w.objects[key] = v
	return v
}

// report implements handleVars.
func (w *World) report(key string, v any) {
	if w.reports == nil {
		w.reports = map[string]any{}
	}
	w.reports[key] = v
}

// ran implements handleVars.
func (w *World) ran(cb any) { w.callbacks = append(w.callbacks, cb) }

// thread implements handleVars: the thread of the call running.
func (w *World) thread() string { return w.calling }

// same returns the value the backend gave under key before, and records
// value as it when there was none: values the oracle cannot predict but
// that must stay the same (a service run's process id).
func (w *World) same(key, value string) string {
	if prev, ok := w.sameVals[key]; ok {
		return prev
	}
	if w.sameVals == nil {
		w.sameVals = map[string]string{}
	}
	w.sameVals[key] = value
	return value
}

// bindValue implements handleVars.
func (w *World) bindValue(name string, v sim.Handle) { w.vals[name] = v }

// output implements handleVars.
func (w *World) output(field, value string) {
	if w.outputs == nil {
		w.outputs = map[string]string{}
	}
	w.outputs[field] = value
}

// checkFields compares what the call left in the outputs the step states
// (Expect.Fields); false after a disagreement.
func (w *World) checkFields(a Action, want []scenario.Arg) bool {
	for _, f := range want {
		got, ok := w.outputs[f.Key]
		if !ok {
			w.fail(a, "the call reported nothing for %s", f.Key)
			return false
		}
		if exp := fmt.Sprint(f.Value); got != exp {
			w.fail(a, "%s: got %s, want %s", f.Key, got, exp)
			return false
		}
	}
	return true
}

// checkReports compares the outputs the call reported with the step's
// Expect.Reports; false after a disagreement.
func (w *World) checkReports(a Action, want []scenario.Arg) bool {
	for _, r := range want {
		got, ok := w.outputs[r.Key]
		if !ok {
			w.fail(a, "the call reported nothing for %s", r.Key)
			return false
		}
		if exp := fmt.Sprint(r.Value); got != exp {
			w.fail(a, "%s %s, want %s", r.Key, got, exp)
			return false
		}
	}
	return true
}

// outVars are the handle variables of a call whose step states its output
// handle (Expect.Out): they keep the value the call binds, for the driver
// to check before it binds it.
type outVars struct {
	*World
	name    string
	written sim.Handle
	bound   bool
}

func (o *outVars) bindValue(name string, v sim.Handle) { o.name, o.written, o.bound = name, v, true }

// checkOut compares the output handle a call left with the step's
// expectation and binds it; false after a disagreement.
func (w *World) checkOut(a Action, want Expect, o *outVars) bool {
	failf := func(format string) bool {
		if want.OutFail != "" {
			format = want.OutFail
		}
		w.fail(a, format, o.written)
		return false
	}
	switch {
	case !o.bound || o.name != a.As:
		w.fail(a, "wrote no handle to %s", a.As)
		return false
	case want.Out == outNull && o.written != 0:
		return failf("left the handle %s, want NULL")
	case want.Out == outInvalid && o.written != sim.INVALID_HANDLE_VALUE:
		return failf("left the handle %s, want INVALID_HANDLE_VALUE")
	case want.Out == outNull || want.Out == outInvalid:
		return true
	case backend.IsDeclined(o.written):
		// fail reports it as the harness's error (or Do drops it with the
		// backend's refusal): never a handle to bind.
		w.fail(a, "wrote %s as the handle", o.written)
		return false
	case o.written == 0 || o.written == scenario.BOGUS || o.written == sim.INVALID_HANDLE_VALUE:
		return failf("succeeded, but wrote %s as the handle")
	}
	w.bindValue(a.As, o.written)
	return true
}

// callPure makes a pure family's call, with the callbacks the backend runs
// recorded.
func (w *World) callPure(f *family, a Action, vars handleVars, cbs *callbacksWant) (sim.Code, error) {
	if p, ok := w.b.(backend.Paced); ok && cbs != nil && cbs.paced {
		// A real alertable wait cannot tell "no callback is coming" from
		// "not yet": it waits for the callbacks the oracle predicts, and
		// when none, for the wait's own timeout.
		p.ExpectCallbacks(a.thread(), cbs.n, cbs.within)
	}
	w.outputs, w.reports, w.callbacks, w.calling = nil, nil, nil, a.thread()
	defer func() { w.calling = "" }()
	return f.pure.call(w.b, a, vars)
}

// checkResult compares the call's result with the step's; false after a
// disagreement.
func (w *World) checkResult(a Action, want Expect, got sim.Code) bool {
	if want.Result != "" {
		if g := w.outputs["result"]; g != want.Result {
			w.fail(a, "got %s, want %s", g, want.Result)
			return false
		}
		return true
	}
	if !slices.Contains(want.OneOf, got) {
		w.fail(a, "got %s, want %s", got, codesText(want.OneOf))
		return false
	}
	return true
}

// checkReported compares what the call reported through
// handleVars.report with the step's Expect.Check; false after a
// disagreement.
func (w *World) checkReported(a Action, check func(map[string]any, func(key, value string) string) string) bool {
	if check == nil {
		return true
	}
	if msg := check(w.reports, w.same); msg != "" {
		w.fail(a, "%s", msg)
		return false
	}
	return true
}

// checkCallbacks compares the callbacks the call ran with the step's.
func (w *World) checkCallbacks(a Action, want *callbacksWant) bool {
	if want == nil {
		return true
	}
	_, paced := w.b.(backend.Paced)
	if msg := want.check(w.callbacks, paced, w.same); msg != "" {
		w.fail(a, "%s", msg)
		return false
	}
	return true
}

// runPure is the driver of a pure family's action: it asks the step what
// Windows returns, makes the call, compares (the result, and the output
// handle when the step states it), credits the deciding rules, logs the
// scenario step, keeps the next state, and returns the violations the step
// expects (Do compares them).
//
// On a disagreement the deciding rules are the failing action's own
// (Result.LastAsserted, which a regression written from the run covers)
// but are not credited, and the violations the step expected are still
// returned, so that a regression asserts them after the failing step.
func (w *World) runPure(f *family, a Action) []string {
	var next oracleState
	var want Expect
	if f.pure.stepAll != nil {
		next, want = f.pure.stepAll(w.states, a)
	} else {
		var own any
		own, want = f.pure.step(w.states.of(f), a)
		next = w.states.with(f, own)
	}
	st := scenario.ScriptStep{Kind: string(a.Op)}
	if f.pure.script != nil {
		st = f.pure.script(a)
	}
	if !want.Setup {
		st.Thread, st.Want = threadMod(a.thread()), wantOneOf(want.OneOf)
	}
	if want.Result != "" {
		st.Want, st.Error = want.Want, want.Error
	}
	st.Args = append(st.Args, want.Fields...)
	switch want.Out {
	case outNamed:
		st.As = a.As
	case outNew:
		st.As = a.As
		st.Expect = append(st.Expect, scenario.Arg{Key: "out", Value: scenario.Raw("new")})
	case outNull:
		st.Expect = append(st.Expect, scenario.Arg{Key: "out", Value: scenario.Raw(RefNULL)})
	case outInvalid:
		st.Expect = append(st.Expect, scenario.Arg{Key: "out", Value: scenario.Raw(RefInvalid)})
	}
	st.Expect = append(st.Expect, want.Checks...)
	w.script = append(w.script, want.Before...)
	w.log(st)
	if want.Callbacks != nil && want.Callbacks.step != nil {
		w.log(*want.Callbacks.step)
	}
	if len(want.OneOf) == 0 && want.Result == "" && want.Refuse == "" {
		w.fail(a, "the %s oracle gave no result for %s", f.name, a.Op)
		return nil
	}
	var vars handleVars = w
	var out *outVars
	if want.Out != outUnchecked {
		out = &outVars{World: w}
		vars = out
	}
	got, err := w.callPure(f, a, vars, want.Callbacks)
	if err != nil {
		w.failIf(a, "", err)
		return nil
	}
	if want.Refuse != "" {
		w.fail(a, "returned %s, but %s", got, want.Refuse)
		return nil
	}
	// An outNamed handle is bound only by a call that succeeds.
	checkHandle := out != nil && (want.Out != outNamed || got.Success())
	if !w.checkResult(a, want, got) || checkHandle && !w.checkOut(a, want, out) || !w.checkFields(a, want.Fields) ||
		!w.checkReports(a, want.Reports) || !w.checkReported(a, want.Check) || !w.checkCallbacks(a, want.Callbacks) {
		w.disagreed(want.Rules)
		return want.Violations
	}
	w.assert(want.Rules...)
	w.states = next
	for _, t := range want.Then {
		if w.runAction(t); w.err != nil || w.refused != nil {
			break
		}
	}
	return want.Violations
}

// disagreed records the rules that decided the result an action disagreed
// with as the action's, without crediting them.
func (w *World) disagreed(rules []string) {
	for _, id := range rules {
		w.stepIDs[id] = true
	}
}

// wantOneOf is the want: of a step that accepts codes: "" for the success
// code alone, a name, or a list of names.
func wantOneOf(codes []sim.Code) string {
	if len(codes) == 1 && codes[0].Success() && codes[0].Value == 0 {
		return ""
	}
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		names = append(names, codeName(c))
	}
	if len(names) == 1 {
		return names[0]
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// codeName is a code's SDK name, or its number when it has none.
func codeName(c sim.Code) string {
	if n := c.Name(); n != "" {
		return n
	}
	return c.Number()
}

// codesText spells the accepted codes for a failure message.
func codesText(codes []sim.Code) string {
	if len(codes) == 1 {
		return codes[0].String()
	}
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		parts = append(parts, c.String())
	}
	return fmt.Sprintf("one of %s", strings.Join(parts, ", "))
}
