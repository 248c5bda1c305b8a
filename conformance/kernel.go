package conformance

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The kernel family: waits, events, APC delivery and handles. Its checks
// use an SCM notification where they need a queued APC, the only APC a
// backend can be asked for. Its rules are also asserted by the SCM
// property, whose actions include events and waits.
func init() {
	kernelSlot = slotOf[kernelState](register(family{
		name: "Kernel",
		ops: append(ops(nil, OpSleep, OpCreateEvent, OpSetEvent, OpResetEvent, OpCloseHandle, OpWaitOne, OpWaitMultiple),
			ops(caps(backend.CapVirtualClock), OpAdvance)...),
		moreNeeds: infiniteWaitNeeds,
		kinds:     []hkind{hEvent},
		newState:  newKernelState,
		pure:      &pureFamily{stepAll: kernelStep, call: kernelCall, script: kernelScript},
		handles:   kernelHandles, closeHandle: kernelClose, consume: kernelConsume,
		describe:   describeKernel,
		checks:     kernelChecks,
		generators: kernelGenerators,
		// The kernel has no property of its own: the SCM's draws events
		// and waits, and the KSP's makes change-notification handles.
		kill: killSpec{prefixes: []string{"kernel."}, dirs: []string{"kernel", "scm"}, covering: []string{"ksp"}, props: []string{"SCM", "KSP"}},
	}))
}

// The kernel's operations.
const (
	OpSleep        Op = "SleepEx"
	OpCreateEvent  Op = "CreateEvent"
	OpSetEvent     Op = "SetEvent"
	OpResetEvent   Op = "ResetEvent"
	OpCloseHandle  Op = "CloseHandle"
	OpWaitOne      Op = "WaitForSingleObjectEx"
	OpWaitMultiple Op = "WaitForMultipleObjectsEx"
	OpAdvance      Op = "advance"
)

// hEvent is the kernel's handle kind.
const hEvent hkind = "event"

// kernelSlot is the kernel's oracle state in a World.
var kernelSlot stateSlot[kernelState]

func newKernelState(w *World) (any, error) {
	set, err := readKernelSettings(w.profile)
	if err != nil {
		return nil, err
	}
	return kernelState{set: set}, nil
}

// infiniteWaitNeeds: an infinite wait ends only through virtual time or a
// deadlock report.
func infiniteWaitNeeds(a Action) []backend.Capability {
	if (a.Op == OpSleep || a.Op == OpWaitOne || a.Op == OpWaitMultiple) && argsOf[kernelArgs](a).ms == infinite {
		return caps(backend.CapVirtualClock)
	}
	return nil
}

// kernelStep is the kernel's oracle.
func kernelStep(s oracleState, a Action) (oracleState, Expect) {
	e := editKS(s)
	switch a.Op {
	case OpSleep, OpWaitOne, OpWaitMultiple:
		want, delivered := e.predictWait(a, waitRefs(a))
		exp := Expect{Result: want.String(), Want: waitWant(a, want)}
		if want.res == sim.WAIT_FAILED && !want.deadlock {
			exp.Error = want.err.Code().Name()
		}
		exp.Callbacks, exp.Then = e.callbacks(a, delivered)
		exp.Rules = e.rules
		return e.done(), exp
	case OpAdvance:
		e.clockUntil(e.k.now+argsOf[kernelArgs](a).advance, false, "")
		return e.done(), Expect{OneOf: codes(sim.ERROR_SUCCESS), Rules: e.rules}
	case OpCreateEvent, OpSetEvent, OpResetEvent, OpCloseHandle:
		want := e.eventOp(a)
		exp := Expect{OneOf: codes(want), Rules: e.rules}
		if a.Op == OpCreateEvent {
			exp.Out = outNamed
		}
		return e.done(), exp
	}
	return s, Expect{}
}

// waitRefs are the handles a wait names.
func waitRefs(a Action) []string {
	switch a.Op {
	case OpWaitOne:
		return []string{a.H}
	case OpWaitMultiple:
		return a.Hs
	}
	return nil
}

// kernelCall makes a kernel action's call on the backend. A wait reports
// its outcome as text (Expect.Result).
func kernelCall(b backend.Kernel, a Action, vars handleVars) (sim.Code, error) {
	th, k := a.thread(), argsOf[kernelArgs](a)
	switch a.Op {
	case OpSleep, OpWaitOne, OpWaitMultiple:
		var res sim.WaitResult
		var err error
		switch a.Op {
		case OpSleep:
			res, err = b.SleepEx(th, k.ms, k.alertable)
		case OpWaitOne:
			res, err = b.WaitForSingleObjectEx(th, vars.value(a.H), k.ms, k.alertable)
		default:
			vs := make([]sim.Handle, len(a.Hs))
			for i, r := range a.Hs {
				vs[i] = vars.value(r)
			}
			res, err = b.WaitForMultipleObjectsEx(th, vs, k.waitAll, k.ms, k.alertable)
		}
		got := waitOutcome{res: res}
		var dl *sim.DeadlockError
		var errno sim.Errno
		switch {
		case errors.As(err, &dl):
			got = waitOutcome{res: sim.WAIT_FAILED, deadlock: true}
		case err != nil && errors.As(err, &errno):
			got.err = errno
		case err != nil:
			return sim.Code{}, err
		}
		vars.output("result", got.String())
		return sim.Code{}, nil
	case OpAdvance:
		return sim.ERROR_SUCCESS.Code(), backend.Advance(b, k.advance)
	case OpCreateEvent:
		v, code := b.CreateEvent(th, k.manualReset, k.initialState)
		if code == sim.ERROR_SUCCESS {
			vars.bindValue(a.As, v)
		}
		return code.Code(), nil
	case OpSetEvent:
		return b.SetEvent(th, vars.value(a.H)).Code(), nil
	case OpResetEvent:
		return b.ResetEvent(th, vars.value(a.H)).Code(), nil
	case OpCloseHandle:
		return b.CloseHandle(th, vars.value(a.H)).Code(), nil
	}
	return sim.Code{}, fmt.Errorf("unknown kernel action %s", a.Op)
}

// kernelScript writes a kernel action as its scenario step.
func kernelScript(a Action) scenario.ScriptStep {
	st, k := scenario.ScriptStep{Kind: string(a.Op)}, argsOf[kernelArgs](a)
	switch a.Op {
	case OpSleep:
		st.Args = []scenario.Arg{{Key: "ms", Value: msArg(k.ms)}, {Key: "alertable", Value: k.alertable}}
	case OpWaitOne:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}, {Key: "ms", Value: msArg(k.ms)}, {Key: "alertable", Value: k.alertable}}
	case OpWaitMultiple:
		st.Args = []scenario.Arg{{Key: "handles", Value: a.Hs}, {Key: "wait_all", Value: k.waitAll}, {Key: "ms", Value: msArg(k.ms)}, {Key: "alertable", Value: k.alertable}}
	case OpAdvance:
		st.Value = scenario.Raw(k.advance.String())
	case OpCreateEvent:
		st.Args = []scenario.Arg{{Key: "manual_reset", Value: k.manualReset}, {Key: "initial_state", Value: k.initialState}}
	default:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	}
	return st
}

func msArg(ms uint32) any {
	if ms == infinite {
		return scenario.Raw("INFINITE")
	}
	return ms
}

func waitWant(a Action, o waitOutcome) string {
	switch {
	case o.deadlock:
		return "deadlock"
	case o.res == sim.WAIT_FAILED:
		return "WAIT_FAILED"
	case a.Op == OpSleep && o.res == 0:
		return "0"
	}
	return o.res.String()
}

func describeKernel(a Action, add func(string, ...any)) {
	k := argsOf[kernelArgs](a)
	switch a.Op {
	case OpSleep, OpWaitOne, OpWaitMultiple:
		if a.Op == OpWaitMultiple {
			add("[%s] all=%t", strings.Join(a.Hs, " "), k.waitAll)
		}
		add("ms=%s alertable=%t", msText(k.ms), k.alertable)
	case OpAdvance:
		add("%s", k.advance)
	}
}

// kernelSettings are the kernel's profile differences, read by id from the
// oracle's statement (statement.go) for the backend's profile.
type kernelSettings struct {
	dupWaitAllRejected  bool // a wait-all naming one object twice fails
	multiPseudoAccepted bool // WaitForMultipleObjectsEx takes the pseudo handles
}

// knownKernelSettings are the kernel statements the oracle has rules for;
// a kernel statement in statement.go missing here makes every World fail.
var knownKernelSettings = []string{"kernel.wait.duplicate-wait-all-rejected", "kernel.wait.multiple-pseudo-handle-accepted"}

func readKernelSettings(profile string) (kernelSettings, error) {
	r := readStatements("kernel.", profile, "conformance/kernel.go", knownKernelSettings)
	s := kernelSettings{
		dupWaitAllRejected:  r.bool("kernel.wait.duplicate-wait-all-rejected"),
		multiPseudoAccepted: r.bool("kernel.wait.multiple-pseudo-handle-accepted"),
	}
	if err := r.err(); err != nil {
		return kernelSettings{}, err
	}
	return s, nil
}

// kernelArgs are the kernel calls' arguments (Action.Args).
type kernelArgs struct {
	// ms is the timeout of SleepEx and the waits; alertable their
	// bAlertable, waitAll WaitForMultipleObjectsEx's bWaitAll.
	ms                 uint32
	alertable, waitAll bool
	// manualReset and initialState are CreateEvent's.
	manualReset, initialState bool
	// advance is how far an advance moves the virtual clock.
	advance time.Duration
}

// Action constructors for checks.

func sleep(ms uint32, alertable bool) Action {
	return Action{Op: OpSleep, Args: kernelArgs{ms: ms, alertable: alertable}}
}
func event(as string, manual, initial bool) Action {
	return Action{Op: OpCreateEvent, As: as, Args: kernelArgs{manualReset: manual, initialState: initial}}
}
func setEvent(h string) Action    { return Action{Op: OpSetEvent, H: h} }
func closeHandle(h string) Action { return Action{Op: OpCloseHandle, H: h} }
func waitOne(h string, ms uint32, alertable bool) Action {
	return Action{Op: OpWaitOne, H: h, Args: kernelArgs{ms: ms, alertable: alertable}}
}
func waitAny(ms uint32, alertable bool, hs ...string) Action {
	return Action{Op: OpWaitMultiple, Hs: hs, Args: kernelArgs{ms: ms, alertable: alertable}}
}
func waitAll(ms uint32, hs ...string) Action {
	return Action{Op: OpWaitMultiple, Hs: hs, Args: kernelArgs{ms: ms, waitAll: true}}
}
func advance(d time.Duration) Action { return Action{Op: OpAdvance, Args: kernelArgs{advance: d}} }

// on makes a run on another thread.
func on(thread string, a Action) Action {
	a.Thread = thread
	return a
}

// queuedAPC is the setup that leaves one notification callback queued to
// the main thread: a stopped service and a request for STOPPED.
func queuedAPC() []Action {
	return []Action{
		openSCM("scm", win32.SC_MANAGER_ALL_ACCESS),
		create("svc", "scm", "apc", win32.SERVICE_ALL_ACCESS),
		notify("svc", win32.SERVICE_NOTIFY_STOPPED, "n1"),
	}
}

func seq(parts ...[]Action) []Action {
	var out []Action
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func kernelChecks() []Check {
	return []Check{
		{Family: "Kernel", Name: "AlertableSleep", Covers: []string{"kernel.wait.alertable-sleep"},
			Actions: seq(queuedAPC(), []Action{sleep(100, true), sleep(10, true)})},
		{Family: "Kernel", Name: "NonAlertable", Covers: []string{"kernel.wait.non-alertable"},
			Actions: seq(queuedAPC(), []Action{sleep(10, false), event("ev", true, false), waitOne("ev", 10, false), sleep(0, true)})},
		{Family: "Kernel", Name: "ObjectIndex", Covers: []string{"kernel.wait.object-index"},
			Actions: []Action{event("a", false, false), event("b", false, true), event("c", true, true),
				waitAny(0, false, "a", "b", "c"), waitAny(0, false, "a", "b", "c"), waitAny(0, false, "a", "b", "c"), waitOne("b", 0, false)}},
		{Family: "Kernel", Name: "SignaledBeforeAPC", Covers: []string{"kernel.wait.signaled-before-apc"},
			Actions: seq(queuedAPC(), []Action{event("ev", true, true), waitOne("ev", 100, true), sleep(0, true)})},
		{Family: "Kernel", Name: "DuplicateWaitAll", Covers: []string{"kernel.wait.duplicate-wait-all"}, Profiles: []string{"win8", "win7"},
			Actions: []Action{event("ev", true, true), waitAll(0, "ev", "ev"), waitAny(0, false, "ev", "ev")}},
		{Family: "Kernel", Name: "DuplicateWaitAllWine", Covers: []string{"kernel.wait.duplicate-wait-all-wine"}, Profiles: []string{"wine-8.0"},
			Actions: []Action{event("ev", true, true), waitAll(0, "ev", "ev"), event("auto", false, true), waitAll(0, "auto", "auto"),
				waitOne("auto", 0, false), event("off", true, false), waitAll(10, "off", "off"), waitAll(10, "ev", "off", "ev")}},
		{Family: "Kernel", Name: "Timeout", Covers: []string{"kernel.wait.timeout"},
			Actions: []Action{event("ev", false, false), waitOne("ev", 50, false), waitAll(20, "ev"), setEvent("ev"), waitOne("ev", 50, false)}},
		{Family: "Kernel", Name: "InvalidHandle", Covers: []string{"kernel.wait.invalid-handle"},
			Actions: []Action{event("ev", true, true), waitOne(RefNULL, 0, false), waitOne(RefBogus, 0, false), waitAny(0, false, "ev", RefBogus)}},
		{Family: "Kernel", Name: "PseudoHandle", Covers: []string{"kernel.wait.pseudo-handle", "kernel.close.pseudo-handle", "kernel.wait.timeout"},
			Actions: []Action{event("ev", false, true), waitOne(RefInvalid, 0, false), waitOne(RefInvalid, 10, true),
				closeHandle(RefInvalid), waitOne(RefInvalid, 0, false), waitOne("ev", 0, false)}},
		{Family: "Kernel", Name: "MultiplePseudoHandle", Covers: []string{"kernel.wait.multiple-pseudo-handle"}, Profiles: []string{"win8", "win7"},
			Actions: []Action{event("ev", false, true), waitAll(0, RefInvalid, "ev"), waitAny(0, false, "ev", RefInvalid),
				waitAny(0, false, RefInvalid), waitOne("ev", 0, false)}},
		{Family: "Kernel", Name: "MultiplePseudoHandleWine", Covers: []string{"kernel.wait.multiple-pseudo-handle-wine", "kernel.wait.object-index"}, Profiles: []string{"wine-8.0"},
			Actions: []Action{event("ev", false, true), waitAll(0, RefInvalid, "ev"), waitAny(0, false, RefInvalid, "ev"),
				waitOne("ev", 0, false), waitAny(10, false, RefInvalid)}},
		{Family: "Kernel", Name: "Deadlock", Covers: []string{"kernel.wait.deadlock"},
			Actions: []Action{event("ev", false, false), waitOne("ev", infinite, true), sleep(infinite, false)}},
		{Family: "Kernel", Name: "HandleStale", Covers: []string{"kernel.handle.stale"},
			Actions: []Action{event("ev", true, true), closeHandle("ev"), waitOne("ev", 0, false), setEvent("ev"), closeHandle("ev")}},
		{Family: "Kernel", Name: "CloseNotKernelObject", Covers: []string{"kernel.close.not-kernel-object"},
			Actions: []Action{openSCM("scm", win32.SC_MANAGER_ALL_ACCESS), closeHandle("scm"), closeService("scm")}},
		{Family: "Kernel", Name: "Clock", Covers: []string{"kernel.wait.timeout"},
			Actions: []Action{event("ev", false, false), advance(time.Second), waitOne("ev", 0, false)}},
	}
}

// kernelGenerators returns the generators of the kernel's action kinds.
func kernelGenerators() []Generator {
	return []Generator{
		{Name: "SleepEx", Family: "Kernel", Weight: 3, Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpSleep, Thread: pickThread(c), Args: kernelArgs{ms: pick(c, "ms", uint32(0), 10, 50, 200, infinite), alertable: pick(c, "alertable", true, true, false)}}, true
		}},
		{Name: "advance", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpAdvance, Args: kernelArgs{advance: pick(c, "d", time.Millisecond, 10*time.Millisecond, 50*time.Millisecond, 100*time.Millisecond)}}, true
		}},
		{Name: "CreateEvent", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpCreateEvent, Thread: pickThread(c), As: w.newVar("ev"), Args: kernelArgs{manualReset: pick(c, "manual", true, false), initialState: pick(c, "initial", true, false)}}, true
		}},
		{Name: "SetEvent", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: pick(c, "op", OpSetEvent, OpSetEvent, OpResetEvent), Thread: pickThread(c), H: w.pickHandle(c, hEvent)}, true
		}},
		{Name: "CloseHandle", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpCloseHandle, Thread: pickThread(c), H: w.pickHandle(c, hEvent)}, true
		}},
		{Name: "WaitForObjects", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			a, k := Action{Thread: pickThread(c)}, kernelArgs{ms: pick(c, "ms", uint32(0), 10, 50, infinite), alertable: pick(c, "alertable", true, false)}
			n := 1 + c.Intn(3, "count")
			for range n {
				a.Hs = append(a.Hs, w.pickHandle(c, hEvent))
			}
			if n == 1 && c.Intn(2, "single") == 0 {
				a.Op, a.H, a.Hs = OpWaitOne, a.Hs[0], nil
			} else {
				a.Op, k.waitAll = OpWaitMultiple, pick(c, "all", false, true)
			}
			a.Args = k
			return a, true
		}},
	}
}
