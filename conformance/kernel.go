package conformance

import (
	"strings"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/win32"
)

// The kernel family: waits, events, APC delivery and handles. Its checks
// use an SCM notification where they need a queued APC, the only APC a
// backend can be asked for. Its rules are also asserted by the SCM
// property, whose actions include events and waits.
func init() {
	kernelSlot = slotOf[*kernelState](register(family{
		name: "Kernel",
		ops: append(ops(nil, OpSleep, OpCreateEvent, OpSetEvent, OpResetEvent, OpCloseHandle, OpWaitOne, OpWaitMultiple),
			ops(caps(backend.CapVirtualClock), OpAdvance)...),
		moreNeeds: infiniteWaitNeeds,
		kinds:     []hkind{hEvent},
		newState:  newKernelState,
		run:       (*World).doKernel,
		// A bridge, until the kernel's oracle is a pure step: the World's
		// events, as other families' steps see them.
		handles:     kernelHandles,
		closeHandle: kernelCloseHandle,
		consume:     kernelConsume,
		describe:    describeKernel,
		checks:      kernelChecks,
		generators:  kernelGenerators,
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
var kernelSlot stateSlot[*kernelState]

// kernelState is the kernel's part of the oracle kept per World: its
// settings (events, waits, the clock and queued callbacks are the World's
// own, shared with the families whose calls queue callbacks).
type kernelState struct {
	set kernelSettings
	// w is the World whose tables hold the events: a bridge through which
	// other families' steps see them, until the kernel's oracle is a pure
	// step.
	w *World
}

func newKernelState(w *World) (any, error) {
	set, err := readKernelSettings(w.profile)
	if err != nil {
		return nil, err
	}
	return &kernelState{set: set, w: w}, nil
}

// kernelHandles declares the World's events (the bridge above).
func kernelHandles(state any) []ownedHandle {
	var out []ownedHandle
	for _, h := range state.(*kernelState).w.order {
		if h.kind == hEvent {
			out = append(out, ownedHandle{name: h.name, kind: h.kind, closed: h.closed, waitable: true, manual: h.ev.manual, signaled: h.ev.signaled})
		}
	}
	return out
}

// kernelCloseHandle closes one of the World's events (the bridge above).
func kernelCloseHandle(state any, ref string) any {
	if h := state.(*kernelState).w.hs[ref]; h != nil && h.kind == hEvent {
		h.closed = true
	}
	return state
}

// kernelConsume takes an auto-reset event's signal (the bridge above).
func kernelConsume(state any, ref string) any {
	if h := state.(*kernelState).w.hs[ref]; h != nil && h.kind == hEvent && !h.ev.manual {
		h.ev.signaled = false
	}
	return state
}

// kset returns the kernel's settings.
func (w *World) kset() kernelSettings { return kernelSlot.of(w).set }

// infiniteWaitNeeds: an infinite wait ends only through virtual time or a
// deadlock report.
func infiniteWaitNeeds(a Action) []backend.Capability {
	if (a.Op == OpSleep || a.Op == OpWaitOne || a.Op == OpWaitMultiple) && a.MS == infinite {
		return caps(backend.CapVirtualClock)
	}
	return nil
}

// doKernel runs one kernel action.
func (w *World) doKernel(a Action) []string {
	switch a.Op {
	case OpSleep, OpWaitOne, OpWaitMultiple:
		w.doWait(a)
	case OpAdvance:
		w.clockUntil(w.now+a.D, false, "")
		w.failIf(a, "", backend.Advance(w.b, a.D))
		w.log(scenario.ScriptStep{Kind: "advance", Value: scenario.Raw(a.D.String())})
	default:
		w.doEvent(a)
	}
	return nil
}

func describeKernel(a Action, add func(string, ...any)) {
	switch a.Op {
	case OpSleep, OpWaitOne, OpWaitMultiple:
		if a.Op == OpWaitMultiple {
			add("[%s] all=%t", strings.Join(a.Hs, " "), a.WaitAll)
		}
		add("ms=%s alertable=%t", msText(a.MS), a.Alertable)
	case OpAdvance:
		add("%s", a.D)
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

// Action constructors for checks.

func sleep(ms uint32, alertable bool) Action {
	return Action{Op: OpSleep, MS: ms, Alertable: alertable}
}
func event(as string, manual, initial bool) Action {
	return Action{Op: OpCreateEvent, As: as, Manual: manual, Initial: initial}
}
func setEvent(h string) Action    { return Action{Op: OpSetEvent, H: h} }
func closeHandle(h string) Action { return Action{Op: OpCloseHandle, H: h} }
func waitOne(h string, ms uint32, alertable bool) Action {
	return Action{Op: OpWaitOne, H: h, MS: ms, Alertable: alertable}
}
func waitAny(ms uint32, alertable bool, hs ...string) Action {
	return Action{Op: OpWaitMultiple, Hs: hs, MS: ms, Alertable: alertable}
}
func waitAll(ms uint32, hs ...string) Action {
	return Action{Op: OpWaitMultiple, Hs: hs, MS: ms, WaitAll: true}
}
func advance(d time.Duration) Action { return Action{Op: OpAdvance, D: d} }

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
			return Action{Op: OpSleep, Thread: pickThread(c), MS: pick(c, "ms", uint32(0), 10, 50, 200, infinite), Alertable: pick(c, "alertable", true, true, false)}, true
		}},
		{Name: "advance", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpAdvance, D: pick(c, "d", time.Millisecond, 10*time.Millisecond, 50*time.Millisecond, 100*time.Millisecond)}, true
		}},
		{Name: "CreateEvent", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpCreateEvent, Thread: pickThread(c), As: w.newVar("ev"), Manual: pick(c, "manual", true, false), Initial: pick(c, "initial", true, false)}, true
		}},
		{Name: "SetEvent", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: pick(c, "op", OpSetEvent, OpSetEvent, OpResetEvent), Thread: pickThread(c), H: w.pickHandle(c, hEvent)}, true
		}},
		{Name: "CloseHandle", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			return Action{Op: OpCloseHandle, Thread: pickThread(c), H: w.pickHandle(c, hEvent)}, true
		}},
		{Name: "WaitForObjects", Family: "Kernel", Gen: func(w *World, c Chooser) (Action, bool) {
			a := Action{Thread: pickThread(c), MS: pick(c, "ms", uint32(0), 10, 50, infinite), Alertable: pick(c, "alertable", true, false)}
			n := 1 + c.Intn(3, "count")
			for range n {
				a.Hs = append(a.Hs, w.pickHandle(c, hEvent))
			}
			if n == 1 && c.Intn(2, "single") == 0 {
				a.Op, a.H, a.Hs = OpWaitOne, a.Hs[0], nil
			} else {
				a.Op, a.WaitAll = OpWaitMultiple, pick(c, "all", false, true)
			}
			return a, true
		}},
	}
}
