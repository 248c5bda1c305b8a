package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// Reporter receives the outcome of a run: simrun prints it, and *testing.T
// satisfies it as is. Run calls Errorf and Skipf only after all work is done,
// so a Skipf that does not return (testing.T's) loses nothing.
type Reporter interface {
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Skipf(format string, args ...any)
}

// Outcome is how a scenario ended.
type Outcome uint8

// The outcomes.
const (
	Passed Outcome = iota
	Failed
	Skipped
)

// String returns "ok", "FAIL" or "skip", as simrun prints them.
func (o Outcome) String() string {
	switch o {
	case Failed:
		return "FAIL"
	case Skipped:
		return "skip"
	}
	return "ok"
}

// Result is the outcome of one run of a scenario.
type Result struct {
	// Outcome says whether the scenario passed, failed or was skipped.
	Outcome Outcome
	// Message is the failure, one problem a line, each starting with
	// file:line:col; or the reason for a skip.
	Message string
	// Steps counts the top-level steps that ran to completion.
	Steps int
	// Calls counts the calls whose result the run compared with the
	// scenario (or, recording, kept): a call the backend declined is not
	// one, nor is a step that returns nothing.
	Calls int
	// Trace is the backend's trace after the run, nil without CapTrace.
	Trace []sim.TraceEvent
	// Recording is what a run in record mode observed; nil otherwise, and
	// when the run ended early.
	Recording *Recording
	// Invalid is the scenario's own fault found only at run time, as an
	// ErrorList with its position: a duration that takes the virtual clock
	// past sim.EndOfTime. Outcome is then Failed, and RunFile returns
	// Invalid as its error, as it returns a decoding error.
	Invalid error
}

// Options tune a run.
type Options struct {
	// Profile is the profile RunTree creates backends for; "" means
	// sim.DefaultProfile. Run takes the profile from the backend.
	Profile string
	// Update rewrites golden trace files instead of comparing with them.
	Update bool
	// Env is what RunTree decodes scenarios against; nil means NewEnv(nil).
	Env *Env
	// Record makes the run observe instead of judge: every step runs and
	// what it returned is kept in Result.Recording (see Record).
	Record bool
	// Plan says how many callbacks each wait delivers, for a backend whose
	// waits take real time (backend.Paced). When nil, RunFile makes one with
	// Planner; without either, a wait's want: decides.
	Plan *Plan
	// Planner makes the model backend RunFile plans with, for a Paced
	// backend, under the same profile.
	Planner NewBackend
	// Untraced lets RunFile turn the backend's trace off
	// (backend.StopTrace) for a scenario that does not need it: one
	// without a golden trace, in a run that neither records nor updates.
	// Result.Trace is then empty. simrun run sets it unless -v asks for
	// the traces.
	Untraced bool

	// stepBudget, when positive, bounds the step executions of a run
	// (an on_callback step counts each time it runs): past it the run
	// stops, failed, with errStepBudget's text. The fuzz targets set it,
	// so that a run that would never end is reported as one, without a
	// wall clock.
	stepBudget int
}

// The texts that start two failures a fuzz target looks for: a run that
// used up Options.stepBudget, and a backend that panicked inside a step.
const (
	errStepBudget      = "step budget exhausted"
	errBackendPanicked = "backend panicked"
)

// Run runs a decoded scenario against a fresh backend, and reports the
// outcome to rep (which may be nil). It stops at the first failing step.
// A scenario that does not apply to the backend's profile, or that needs a
// capability the backend lacks, is skipped without running anything.
func Run(s *Scenario, b backend.Kernel, rep Reporter) Result {
	return RunWith(s, b, rep, Options{})
}

// RunWith is Run with options.
func RunWith(s *Scenario, b backend.Kernel, rep Reporter, opts Options) Result {
	if rep == nil {
		rep = discard{}
	}
	res := run(s, b, rep, opts)
	switch res.Outcome {
	case Failed:
		rep.Errorf("%s", res.Message)
	case Skipped:
		rep.Skipf("%s", res.Message)
	}
	return res
}

// discard is the Reporter used when the caller passes none.
type discard struct{}

// Logf, Errorf and Skipf drop what they are given.
func (discard) Logf(string, ...any)   {}
func (discard) Errorf(string, ...any) {}
func (discard) Skipf(string, ...any)  {}

// virtualClock is implemented by backends that can tell the virtual time;
// callbacks record it when available.
type virtualClock interface {
	Now() sim.Time
}

// machineBackend is implemented by backends over a sim.Machine (the model
// backend); the machine tells the virtual time.
type machineBackend interface {
	Machine() *sim.Machine
}

// runner is the state of one run.
type runner struct {
	s    *Scenario
	b    backend.Kernel
	scm  backend.SCM // b as an SCM backend, when it is one
	rep  Reporter
	opts Options

	vars       map[string]sim.Handle
	buffers    map[string]*win32.SERVICE_NOTIFY
	observed   []observation // callbacks not yet asserted
	violations []violationAt // violations not yet asserted
	nViol      int           // violations fetched from the backend so far
	stack      []frame       // steps executing, innermost last
	clock      virtualClock
	rec        *Recording           // in record mode
	paced      map[*Step]int        // executions of each wait step so far, for the plan
	nObserved  int                  // callbacks observed in the whole run
	counts     map[string]countBase // each counter's last checked value (count.go)
	execs      int                  // step executions so far, for Options.stepBudget
	steps      int                  // top-level steps run to completion
	stopped    bool                 // a top-level step ended the run

	failures []string
	skip     string
	invalid  ErrorList // the scenario's own fault found at run time (checkClock)
	panicked bool
	// declinedIn is the step during which the backend declined a call
	// (backend.Refuser), refusal why; nil while it has declined none.
	declinedIn *Step
	refusal    error
	calls      int // calls whose result was compared or recorded
}

type frame struct {
	st     *Step
	thread string
	rec    *stepRecord // in record mode
}

// observation is one notification callback as the runner saw it.
type observation struct {
	buffer    string
	thread    string
	status    sim.Errno
	triggered win32.ServiceNotifyMask
	ss        win32.SERVICE_STATUS_PROCESS
	names     []string
	at        *sim.Time
	step      *Step // the step during which it ran
}

type violationAt struct {
	v    sim.Violation
	step *Step
}

// missingNeeds says which capabilities the scenario needs that b lacks, or
// "".
func missingNeeds(s *Scenario, b backend.Kernel) string {
	var missing []string
	for _, c := range s.needs {
		if !backend.Supports(b, c) {
			missing = append(missing, fmt.Sprintf("%s (needed by %s)", c, s.needsAt[c]))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("backend %s lacks %s", b.Name(), strings.Join(missing, ", "))
}

func run(s *Scenario, b backend.Kernel, rep Reporter, opts Options) Result {
	r, early, ok := startRun(s, b, rep, opts)
	if !ok {
		return early
	}
	for _, st := range s.Steps {
		if !r.next(st) {
			break
		}
	}
	return r.finish()
}

// startRun checks that s applies to b and prepares a run: the Result to
// return at once when it does not (ok false), else the runner, to be
// handed the steps (next) and then finished.
func startRun(s *Scenario, b backend.Kernel, rep Reporter, opts Options) (r *runner, early Result, ok bool) {
	if profile := b.Profile(); !s.Supports(profile) {
		return nil, Result{Outcome: Skipped, Message: fmt.Sprintf("profile %s is not among the scenario's profiles (%s)", profile, strings.Join(s.Profiles, ", "))}, false
	}
	if missing := missingNeeds(s, b); missing != "" {
		return nil, Result{Outcome: Skipped, Message: missing}, false
	}
	r = &runner{
		s: s, b: b, rep: rep, opts: opts,
		vars:    map[string]sim.Handle{},
		buffers: map[string]*win32.SERVICE_NOTIFY{},
		paced:   map[*Step]int{},
	}
	if opts.Record {
		r.rec = &Recording{scenario: s, Backend: b.Name(), Profile: b.Profile()}
	}
	r.scm, _ = b.(backend.SCM)
	if c, ok := b.(virtualClock); ok {
		r.clock = c
	} else if mb, ok := b.(machineBackend); ok && mb.Machine() != nil {
		r.clock = mb.Machine()
	}
	r.startThreads()
	return r, Result{}, true
}

// next runs st, the scenario's next top-level step, unless the run has
// stopped; it reports whether the run goes on.
func (r *runner) next(st *Step) bool {
	if r.stopped {
		return false
	}
	if !r.exec(st, r.s.Threads[0]) {
		r.stopped = true
		return false
	}
	r.steps++
	return true
}

// finish ends the run once every step was handed to next: the leftover
// callbacks and violations, the trace and the golden file.
func (r *runner) finish() Result {
	s, b := r.s, r.b
	res := Result{Steps: r.steps}
	res.Calls = r.calls
	if r.ok() || (r.recording() && r.skip == "" && len(r.failures) == 0) {
		r.checkLeftovers()
	}
	if !r.panicked {
		res.Trace, _ = backend.Trace(b)
	}
	if r.ok() && s.Golden && !r.recording() {
		r.checkGolden(res.Trace)
	}
	if r.recording() && r.skip == "" && len(r.failures) == 0 {
		r.rec.calls = r.calls
		res.Recording = r.rec
	}
	switch {
	case r.skip != "":
		res.Outcome, res.Message = Skipped, r.skip
	case len(r.failures) > 0:
		res.Outcome, res.Message = Failed, strings.Join(r.failures, "\n")
	}
	if r.invalid != nil {
		res.Invalid = r.invalid
	}
	return res
}

// startThreads creates the declared threads in the backend.
func (r *runner) startThreads() {
	for _, th := range r.s.Threads {
		if err := r.b.NewThread(th); err != nil {
			if errors.Is(err, backend.ErrUnsupported) {
				r.skip = fmt.Sprintf("backend %s cannot create thread %s: %v", r.b.Name(), th, err)
				return
			}
			n := r.s.threadsNode
			r.failures = append(r.failures, fmt.Sprintf("%s:%d:%d: threads: NewThread(%s): %v", r.s.File, n.Line, n.Column, th, err))
			return
		}
	}
}

func (r *runner) ok() bool {
	return r.skip == "" && len(r.failures) == 0 && (r.rec == nil || r.rec.stopped == "") && r.declinedIn == nil
}

// exec runs one step on thread (or the step's own thread), then collects the
// violations the backend reported meanwhile. It reports whether the run goes
// on.
func (r *runner) exec(st *Step, thread string) bool {
	if !r.ok() {
		return false
	}
	if r.execs++; r.opts.stepBudget > 0 && r.execs > r.opts.stepBudget {
		r.failf(st, "%s: %d step executions", errStepBudget, r.opts.stepBudget)
		return false
	}
	th := thread
	if st.Thread != "" {
		th = st.Thread
	}
	fr := frame{st: st, thread: th}
	if r.recording() {
		fr.rec = &stepRecord{st: st}
		r.rec.records = append(r.rec.records, fr.rec)
	}
	r.stack = append(r.stack, fr)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()
	before, failed := r.nObserved, len(r.failures)
	if !r.checkClock(st) {
		return false
	}
	r.pace(st, th)
	func() {
		defer func() {
			if v := recover(); v != nil {
				r.panicked = true
				r.failf(st, "%s: %v", errBackendPanicked, v)
			}
		}()
		st.Kind.run(r, st, th)
	}()
	if !r.panicked {
		// A call the step made without a result to check (none of the
		// check functions below asked) may have been declined too.
		r.declined(st)
	}
	if r.declinedIn == st {
		// The declined call's value is no result: whatever the step
		// concluded after it is dropped, and the run stops here. A
		// declined value without a refusal is the harness's error.
		r.failures = r.failures[:failed]
		if errors.Is(r.refusal, backend.ErrUnexplainedDecline) {
			r.failf(st, "harness error: %v", r.refusal)
		} else {
			r.backendErr(st, r.refusal)
		}
	}
	if fr.rec != nil {
		fr.rec.delivered = r.nObserved - before
	}
	if !r.panicked {
		r.collectViolations(st)
	}
	return r.ok()
}

// fail records a failure line as is.
func (r *runner) fail(line string) {
	if r.skip == "" {
		r.failures = append(r.failures, line)
	}
}

// failf records a failure of st: "file:line:col: Kind(args): msg".
func (r *runner) failf(st *Step, format string, args ...any) {
	r.fail(fmt.Sprintf("%s: %s: %s", st.Pos(), st, fmt.Sprintf(format, args...)))
}

// declined reports whether the backend declined a call of st, or of an
// earlier step (backend.Refuser). Every check of a call's result asks first,
// so that the declined value a declined call returns is never compared nor
// recorded; at the end of st, exec stops the run there, as at any operation
// the backend does not support (a skip, or, recording, the end of the
// recording).
func (r *runner) declined(st *Step) bool {
	if r.declinedIn != nil {
		return true
	}
	err := backend.Refusal(r.b)
	if err == nil {
		return false
	}
	r.declinedIn, r.refusal = st, err
	return true
}

// unexplained reports whether got, the result of a call of st that the
// backend did not decline (declined said no), is nevertheless a declined
// value (backend.IsDeclined): a backend that declines without a refusal, or
// forgot it. Such a value is no result either, and no refusal: it is never
// compared nor recorded, and exec fails st with it as the harness's error
// and stops the run there.
func (r *runner) unexplained(st *Step, got sim.Code) bool {
	if !backend.IsDeclined(got) {
		return false
	}
	r.declinedIn, r.refusal = st, fmt.Errorf("%w: it returned %s, not compared", backend.ErrUnexplainedDecline, got)
	return true
}

// backendErr turns an error of a backend operation into a failure, or into
// a skip for an operation the backend does not support.
func (r *runner) backendErr(st *Step, err error) {
	switch {
	case err == nil:
	case errors.Is(err, backend.ErrUnsupported) && !r.recording():
		if r.skip == "" {
			r.skip = fmt.Sprintf("%s: %s: backend %s: %v", st.Pos(), st, r.b.Name(), err)
		}
	case r.recording():
		// What was recorded so far stands; the rest cannot run.
		if r.rec.stopped == "" {
			r.rec.stopped = fmt.Sprintf("%s: %s: %v", st.Pos(), st, err)
			r.rec.stoppedAt, r.rec.stopErr = st, err
		}
	default:
		r.failf(st, "%v", err)
	}
}

// handle resolves a handle reference.
func (r *runner) handle(st *Step, ref handleRef) (sim.Handle, bool) {
	if ref.name == "" {
		return ref.fixed, true
	}
	h, ok := r.vars[ref.name]
	if !ok {
		r.failf(st, "variable %s is not bound: the step that binds it has not run", ref.name)
	}
	return h, ok
}

// bind binds st's as: variable, if any, to h.
func (r *runner) bind(st *Step, h sim.Handle) {
	if backend.IsDeclined(h) && !r.declined(st) {
		// A declined handle with no refusal: the harness's error, as for
		// a declined code (unexplained), whatever code came with it.
		r.declinedIn, r.refusal = st, fmt.Errorf("%w: it returned the handle %s, not bound", backend.ErrUnexplainedDecline, h)
		return
	}
	if st.As != "" {
		r.vars[st.As] = h
	}
}

// buffer returns the SERVICE_NOTIFY of a buffer name, the same pointer for
// the same name throughout the run.
func (r *runner) buffer(name string) *win32.SERVICE_NOTIFY {
	b := r.buffers[name]
	if b == nil {
		// pContext points elsewhere, so that a callback handed the context
		// instead of the buffer is caught.
		b = &win32.SERVICE_NOTIFY{Context: &win32.SERVICE_NOTIFY{}}
		r.buffers[name] = b
	}
	return b
}

// recorder is the NotifyCallback of a registration: it records what it
// receives, then runs the registration's on_callback steps on its thread.
func (r *runner) recorder(buffer string, steps []*Step) func(*win32.SERVICE_NOTIFY) {
	return func(n *win32.SERVICE_NOTIFY) {
		o := observation{
			buffer:    buffer,
			status:    n.NotificationStatus,
			triggered: n.NotificationTriggered,
			ss:        n.ServiceStatus,
			names:     slices.Clone(n.ServiceNames),
		}
		if len(r.stack) > 0 {
			top := r.stack[len(r.stack)-1]
			o.thread, o.step = top.thread, top.st
			// The callback's argument is the registered SERVICE_NOTIFY
			// buffer itself, not pContext nor a copy.
			if n != r.buffers[buffer] {
				r.failf(top.st, "the callback of buffer %s received another pointer than that buffer", buffer)
			}
		}
		if r.clock != nil {
			t := r.clock.Now()
			o.at = &t
		}
		r.observed = append(r.observed, o)
		r.nObserved++
		for _, st := range steps {
			if !r.exec(st, o.thread) {
				return
			}
		}
	}
}

// collectViolations fetches the violations reported since the last call and
// attributes them to st.
func (r *runner) collectViolations(st *Step) {
	if r.ignoresViolations() {
		return
	}
	vs, ok := backend.Violations(r.b)
	if !ok {
		return
	}
	if len(vs) < r.nViol {
		r.nViol = len(vs)
		return
	}
	for _, v := range vs[r.nViol:] {
		r.violations = append(r.violations, violationAt{v, st})
	}
	r.nViol = len(vs)
}

// checkStatus compares a returned status with the step's want:, by default
// ERROR_SUCCESS. It reports whether they match; a declined call (see
// declined), or a declined value without a refusal (see unexplained),
// matches nothing and is not compared.
func (r *runner) checkStatus(st *Step, got sim.Errno) bool {
	if r.declined(st) || r.unexplained(st, got.Code()) {
		return false
	}
	r.calls++
	if r.recording() {
		// The structure the step fills is kept whatever the code: the
		// recording expects it as it was.
		if sr := r.recOf(st); sr != nil {
			sr.code = &got
			sr.statusOK = resultMatches(st.Kind.Returns, st.wantSet(r.b.Profile()), result{code: got.Code()})
		}
		return true
	}
	return r.checkResult(st, result{code: got.Code()})
}

// checkResult compares what a call returned with the set st's want: lets
// pass under the backend's profile. It reports whether got is in it.
func (r *runner) checkResult(st *Step, got result) bool {
	profile := r.b.Profile()
	if resultMatches(st.Kind.Returns, st.wantSet(profile), got) {
		return true
	}
	r.failf(st, "got %s, want %s", resultText(st.Kind.Returns)(got), st.wantText(profile))
	return false
}

func waitText(res sim.WaitResult) string {
	if res == sim.WAIT_FAILED {
		return "WAIT_FAILED"
	}
	return fmt.Sprintf("%s (%d)", res, uint32(res))
}

// checkWait compares a wait's outcome with the step's want: and error:.
func (r *runner) checkWait(st *Step, res sim.WaitResult, err error) {
	if r.declined(st) {
		return
	}
	if err == nil && res != sim.WAIT_FAILED {
		// The usual wait, a result without an error, takes the short way
		// of checkWaitErr, which it would take too: its error targets
		// escape to the heap, so they are left to the waits that have
		// an error.
		r.calls++
		if r.recording() && r.recordWait(st, res, err) {
			return
		}
		if st.want != nil {
			if profile := r.b.Profile(); !slices.Contains(st.wantSet(profile), result{wait: res}) {
				r.failf(st, "got %s, want %s", waitText(res), st.wantText(profile))
			}
		}
		return
	}
	r.checkWaitErr(st, res, err)
}

// checkWaitErr is checkWait for a wait that returned an error or
// WAIT_FAILED, once the call is known not declined.
func (r *runner) checkWaitErr(st *Step, res sim.WaitResult, err error) {
	var dl *sim.DeadlockError
	var errno sim.Errno
	if err == nil || errors.As(err, &dl) || (res == sim.WAIT_FAILED && errors.As(err, &errno)) {
		// A result, not an error of the backend itself.
		r.calls++
	}
	if r.recording() && r.recordWait(st, res, err) {
		return
	}
	profile := r.b.Profile()
	set := st.wantSet(profile)
	// The want's text is written only for a failure: a wait that passes,
	// the usual one, formats nothing.
	if errors.As(err, &dl) {
		if !slices.Contains(set, result{deadlock: true}) {
			r.failf(st, "got deadlock (%v), want %s", err, st.wantText(profile))
		}
		return
	}
	if res != sim.WAIT_FAILED {
		if err != nil {
			r.backendErr(st, err)
			return
		}
		if st.want != nil && !slices.Contains(set, result{wait: res}) {
			r.failf(st, "got %s, want %s", waitText(res), st.wantText(profile))
		}
		return
	}
	if !errors.As(err, &errno) {
		if err != nil && errors.Is(err, backend.ErrUnsupported) {
			r.backendErr(st, err)
			return
		}
		r.failf(st, "got WAIT_FAILED with no Win32 error (%v)", err)
		return
	}
	if !slices.Contains(set, result{wait: sim.WAIT_FAILED}) || (st.want.err != nil && !slices.Contains(st.want.err.in(profile), errno)) {
		r.failf(st, "got WAIT_FAILED with %s, want %s", errno, st.wantText(profile))
	}
}

// checkExpect compares the given fields of an expectation with a status.
func (r *runner) checkExpect(st *Step, vs values, got win32.SERVICE_STATUS_PROCESS) {
	if vs == nil {
		return
	}
	if r.recording() {
		if sr := r.recOf(st); sr != nil {
			sr.status = &got
		}
		return
	}
	if diffs := compareStatus(vs, got); len(diffs) > 0 {
		r.failf(st, "%s", strings.Join(diffs, "; "))
	}
}

// constText writes v as its names in group, then its number: a state, a
// mask or a type prints the same whether or not it is typed.
func constText[T ~uint32](group string, v T) string {
	return fmt.Sprintf("%s (%d)", consts().Format(group, uint32(v)), uint32(v))
}

// compareStatus returns one line per given field of vs that differs.
func compareStatus(vs values, got win32.SERVICE_STATUS_PROCESS) []string {
	var diffs []string
	cmp := func(field string, g uint32, text func(uint32) string) {
		if !vs.has(field) {
			return
		}
		if w := vs.u32(field); w != g {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", field, text(g), text(w)))
		}
	}
	num := func(v uint32) string { return fmt.Sprint(v) }
	cmp("state", uint32(got.CurrentState), func(v uint32) string { return constText(win32.GroupState, v) })
	cmp("accepted", uint32(got.ControlsAccepted), func(v uint32) string { return constText(win32.GroupAccept, v) })
	cmp("exit_code", got.Win32ExitCode, func(v uint32) string { return sim.Errno(v).String() })
	cmp("specific_exit_code", got.ServiceSpecificExitCode, num)
	cmp("checkpoint", got.CheckPoint, num)
	cmp("wait_hint", got.WaitHint, num)
	if vs.has("pid") {
		g := "zero"
		if got.ProcessId != 0 {
			g = "nonzero"
		}
		if w := vs.str("pid"); w != g {
			diffs = append(diffs, fmt.Sprintf("pid: got %s (%d), want %s", g, got.ProcessId, w))
		}
	}
	cmp("type", uint32(got.ServiceType), func(v uint32) string { return constText(win32.GroupServiceType, v) })
	return diffs
}

// String describes an observed callback.
func (o observation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s: status %s, triggered %s, state %s", o.buffer, orDash(o.thread), o.status,
		consts().Format(win32.GroupNotifyMask, uint32(o.triggered)), consts().Format(win32.GroupState, uint32(o.ss.CurrentState)))
	if len(o.names) > 0 {
		fmt.Fprintf(&b, ", names %q", o.names)
	}
	if o.at != nil {
		fmt.Fprintf(&b, ", at %s", strings.TrimSpace(o.at.String()))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// checkCallbacks compares the callbacks observed since the last callbacks
// step with the expected ones, and forgets them.
func (r *runner) checkCallbacks(st *Step, want []item) {
	got := r.observed
	r.observed = nil
	if r.recording() {
		if sr := r.recOf(st); sr != nil {
			sr.callbacks = got
		}
		return
	}
	if len(got) != len(want) {
		descs := make([]string, len(got))
		for i, o := range got {
			descs[i] = o.String()
		}
		r.failf(st, "got %d callbacks, want %d; got [%s]", len(got), len(want), strings.Join(descs, "; "))
		return
	}
	if r.s.Recorded != "" {
		got = r.matchWithinSteps(want, got)
	}
	for i, w := range want {
		if diffs := r.compareCallback(w.vals, got[i]); len(diffs) > 0 {
			r.fail(fmt.Sprintf("%s:%d:%d: callbacks[%d]: %s (got %s)", st.File, w.node.Line, w.node.Column, i, strings.Join(diffs, "; "), got[i]))
			return
		}
	}
}

func (r *runner) compareCallback(w values, o observation) []string {
	var diffs []string
	str := func(field, g string) {
		if w.has(field) && w.str(field) != g {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", field, orDash(g), w.str(field)))
		}
	}
	str("buffer", o.buffer)
	str("thread", o.thread)
	if want, _ := w.get("status").(*expectation[sim.Errno]); want != nil {
		if p := r.b.Profile(); !slices.Contains(want.in(p), o.status) {
			diffs = append(diffs, fmt.Sprintf("status: got %s, want %s", o.status, want.text(p, sim.Errno.String)))
		}
	}
	if w.has("triggered") && constOf[win32.ServiceNotifyMask](w, "triggered") != o.triggered {
		diffs = append(diffs, fmt.Sprintf("triggered: got %s, want %s", constText(win32.GroupNotifyMask, o.triggered), constText(win32.GroupNotifyMask, w.u32("triggered"))))
	}
	if w.has("state") && constOf[win32.ServiceState](w, "state") != o.ss.CurrentState {
		diffs = append(diffs, fmt.Sprintf("state: got %s, want %s", constText(win32.GroupState, o.ss.CurrentState), constText(win32.GroupState, w.u32("state"))))
	}
	if w.has("names") && !slices.Equal(w.strs("names"), o.names) {
		diffs = append(diffs, fmt.Sprintf("names: got %q, want %q", o.names, w.strs("names")))
	}
	if w.has("at") {
		want := sim.Time(durationOf(w.get("at")))
		switch {
		case o.at == nil:
			diffs = append(diffs, "at: the backend reports no virtual time")
		case *o.at != want:
			diffs = append(diffs, fmt.Sprintf("at: got %s, want %s", strings.TrimSpace(o.at.String()), strings.TrimSpace(want.String())))
		}
	}
	return diffs
}

// checkViolations compares the violations reported since the last
// violations step with the expected rule ids, and forgets them.
func (r *runner) checkViolations(st *Step, want []string) {
	got := r.violations
	r.violations = nil
	ids := make([]string, len(got))
	for i, v := range got {
		ids[i] = v.v.Rule.ID
	}
	if r.recording() {
		if sr := r.recOf(st); sr != nil {
			sr.violations = ids
		}
		return
	}
	if slices.Equal(ids, want) {
		return
	}
	details := make([]string, len(got))
	for i, v := range got {
		details[i] = v.v.String()
	}
	msg := fmt.Sprintf("got [%s], want [%s]", strings.Join(ids, ", "), strings.Join(want, ", "))
	if len(details) > 0 {
		msg += "; got " + strings.Join(details, "; ")
	}
	r.failf(st, "%s", msg)
}

// checkLeftovers fails the run for every callback and violation that no
// assertion step accounted for.
func (r *runner) checkLeftovers() {
	r.collectViolations(nil) // a no-op for a backend that reports none
	if r.recording() {
		r.recordLeftovers()
		return
	}
	for _, o := range r.observed {
		r.fail(fmt.Sprintf("%s: unexpected callback %s (no callbacks step asserts it)", r.posOf(o.step), o))
	}
	for _, v := range r.violations {
		r.fail(fmt.Sprintf("%s: unexpected violation %s (no violations step asserts it)", r.posOf(v.step), v.v))
	}
}

// posOf locates a leftover: at the step during which it happened, else at
// the end of the scenario.
func (r *runner) posOf(st *Step) string {
	if st != nil {
		return st.Pos() + ": " + st.String()
	}
	if last := r.s.lastStep(); last != nil {
		return last.Pos() + ": after the last step"
	}
	return r.s.File + ":1:1"
}
