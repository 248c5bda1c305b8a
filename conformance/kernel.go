package conformance

import (
	"github.com/winsim/winsim/win32"
	"time"
)

// The kernel family: waits, events, APC delivery and handles. Its checks
// use an SCM notification where they need a queued APC, the only APC a
// backend can be asked for. Its rules are also asserted by the SCM
// property, whose actions include events and waits.
var _ = register(family{name: "Kernel", checks: kernelChecks})

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
