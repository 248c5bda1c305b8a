package conformance

import (
	"slices"
	"time"

	"github.com/winsim/winsim/sim"
)

// The kernel part of the oracle as a pure step (see pureFamily): its state
// is the clock and the events; a wait reads and edits other families'
// waitable handles through their hooks (shared.go) and runs the SCM's
// timers and callbacks (scm_notify.go), so kernelStep is a stepAll.

// kernelState is the kernel's oracle state: its settings, the virtual
// clock, and every event CreateEvent made, in the order they were made (a
// variable bound twice names the later one).
type kernelState struct {
	set    kernelSettings
	now    time.Duration
	events []kEvent
}

// kEvent is one event as the oracle sees it.
type kEvent struct {
	name                     string
	manual, signaled, closed bool
}

// event returns the index of the event variable ref names, or -1.
func (k kernelState) event(ref string) int {
	for i := len(k.events) - 1; i >= 0; i-- {
		if k.events[i].name == ref {
			return i
		}
	}
	return -1
}

// withEvent returns a copy of k in which event i is ev.
func (k kernelState) withEvent(i int, ev kEvent) kernelState {
	k.events = slices.Clone(k.events)
	k.events[i] = ev
	return k
}

// kernelHandles lists the events as other families' calls see them.
func kernelHandles(state any) []ownedHandle {
	k := state.(kernelState)
	out := make([]ownedHandle, 0, len(k.events))
	for _, e := range k.events {
		out = append(out, ownedHandle{name: e.name, kind: hEvent, closed: e.closed, waitable: true, manual: e.manual, signaled: e.signaled})
	}
	return out
}

// kernelClose records CloseHandle on an event.
func kernelClose(state any, ref string) any {
	k := state.(kernelState)
	i := k.event(ref)
	ev := k.events[i]
	ev.closed = true
	return k.withEvent(i, ev)
}

// kernelConsume is a satisfied wait taking an auto-reset event's signal.
func kernelConsume(state any, ref string) any {
	k := state.(kernelState)
	i := k.event(ref)
	ev := k.events[i]
	ev.signaled = false
	return k.withEvent(i, ev)
}

// waitOutcome is what a wait returns.
type waitOutcome struct {
	res      sim.WaitResult
	err      sim.Errno // with WAIT_FAILED
	deadlock bool
}

func (o waitOutcome) String() string {
	switch {
	case o.deadlock:
		return "deadlock"
	case o.res == sim.WAIT_FAILED:
		return "WAIT_FAILED with " + o.err.String()
	}
	return o.res.String()
}

// ksEdit is one step's edit of the kernel's and the SCM's states: copies
// the step changes (the SCM's a deep copy: no pointer is shared with the
// state it came from), the other families' states as the kernel's calls
// leave them, and the rules that decided.
type ksEdit struct {
	all   oracleState
	k     kernelState
	s     *scmState
	rules []string
}

// editKS starts an edit of the kernel's and the SCM's states in s.
func editKS(s oracleState) *ksEdit {
	return &ksEdit{all: s, k: s.of(kernelSlot.f).(kernelState), s: s.of(scmSlot.f).(*scmState).clone()}
}

// done returns the oracle state the edit leaves.
func (e *ksEdit) done() oracleState {
	return e.all.with(kernelSlot.f, e.k).with(scmSlot.f, e.s)
}

func (e *ksEdit) assert(ids ...string) { e.rules = append(e.rules, ids...) }

// closed reports whether ref names a closed handle of any family (the
// SCM's calls take any handle); known whether it names one at all.
func (e *ksEdit) closed(ref string) (closed, known bool) {
	if h := e.s.handle(ref); h != nil {
		return h.closed, true
	}
	if i := e.k.event(ref); i >= 0 {
		return e.k.events[i].closed, true
	}
	h, _, ok := e.all.handleIn(ref)
	return h.closed, ok
}

// clockUntil fires due timers, in deadline order, up to end. With a waiting
// thread it stops as soon as that thread has a callback queued and reports
// that it did.
func (e *ksEdit) clockUntil(end time.Duration, stopOnAPC bool, thread string) bool {
	for {
		if stopOnAPC && e.pendingAPCs(thread) > 0 {
			return true
		}
		t := e.nextTimer()
		if t == nil || t.at > end {
			if end != forever {
				e.k.now = max(e.k.now, end)
			}
			return false
		}
		e.fireTimer(t)
	}
}

func (e *ksEdit) nextTimer() *oTimer {
	var best *oTimer
	for _, t := range e.s.timers {
		if best == nil || t.at < best.at || (t.at == best.at && t.seq < best.seq) {
			best = t
		}
	}
	return best
}

func (e *ksEdit) pendingAPCs(thread string) int {
	n := 0
	for _, a := range e.s.apcs[thread] {
		if !a.cancelled {
			n++
		}
	}
	return n
}

// deliver runs every queued callback of thread, in queue order, and
// returns them.
func (e *ksEdit) deliver(thread string) []*oAPC {
	var out []*oAPC
	for _, a := range e.s.apcs[thread] {
		if a.cancelled {
			continue
		}
		e.detach(a.reg)
		out = append(out, a)
	}
	delete(e.s.apcs, thread)
	return out
}

// waited is one handle a wait names, as the oracle sees it.
type waited struct {
	ref string
	h   ownedHandle
}

// predictWait is the oracle of the three waits. It validates the handles,
// then: a signaled object ends the wait (before any APC); an alertable wait
// runs the thread's queued callbacks and returns WAIT_IO_COMPLETION;
// otherwise virtual time runs to the timeout (timers firing on the way, any
// of which may queue a callback for an alertable waiter), and an infinite
// wait that nothing can end is a deadlock.
func (e *ksEdit) predictWait(a Action, refs []string) (waitOutcome, []*oAPC) {
	th := a.thread()
	var objs []waited
	if a.Op != OpSleep {
		for i, r := range refs {
			h, _, ok := e.all.handleIn(r)
			switch {
			case r == RefInvalid && a.Op == OpWaitOne:
				// The current process's pseudo handle: a process that
				// does not end while its thread waits.
				e.assert("kernel.wait.pseudo-handle")
				h, ok = ownedHandle{waitable: true, manual: true}, true
			case r == RefInvalid && e.k.set.multiPseudoAccepted:
				e.assert("kernel.wait.multiple-pseudo-handle-wine")
				h, ok = ownedHandle{waitable: true, manual: true}, true
			case r == RefInvalid:
				// Windows refuses the pseudo handles in a multiple wait.
				e.assert("kernel.wait.multiple-pseudo-handle")
				return waitOutcome{res: sim.WAIT_FAILED, err: sim.ERROR_INVALID_HANDLE}, nil
			}
			if !ok || h.closed || !h.waitable { // events and change handles
				e.assert("kernel.wait.invalid-handle")
				if ok && h.closed {
					e.assert("kernel.handle.stale")
				}
				return waitOutcome{res: sim.WAIT_FAILED, err: sim.ERROR_INVALID_HANDLE}, nil
			}
			if argsOf[kernelArgs](a).waitAll && slices.Contains(refs[:i], r) {
				if !e.k.set.dupWaitAllRejected {
					// Waited for as if named once.
					e.assert("kernel.wait.duplicate-wait-all-wine")
					continue
				}
				e.assert("kernel.wait.duplicate-wait-all")
				return waitOutcome{res: sim.WAIT_FAILED, err: sim.ERROR_INVALID_PARAMETER}, nil
			}
			objs = append(objs, waited{r, h})
		}
	}
	if r, ok := e.satisfy(objs, argsOf[kernelArgs](a).waitAll); ok {
		e.assert("kernel.wait.object-index")
		if argsOf[kernelArgs](a).alertable && e.pendingAPCs(th) > 0 {
			e.assert("kernel.wait.signaled-before-apc")
		}
		return waitOutcome{res: r}, nil
	}
	return e.waitOn(a)
}

// waitOn is a wait that no object ends at once: the callbacks, the clock,
// the timeout.
func (e *ksEdit) waitOn(a Action) (waitOutcome, []*oAPC) {
	th, k := a.thread(), argsOf[kernelArgs](a)
	inf := k.ms == infinite
	end := e.k.now + time.Duration(k.ms)*time.Millisecond
	if inf {
		end = forever
	}
	if k.alertable {
		if e.clockUntil(end, true, th) {
			e.assert("kernel.wait.alertable-sleep", "scm.notify.alertable-only", "scm.notify.registering-thread")
			return waitOutcome{res: sim.WAIT_IO_COMPLETION}, e.deliver(th)
		}
	} else {
		e.clockUntil(end, false, "")
		if e.pendingAPCs(th) > 0 {
			e.assert("kernel.wait.non-alertable", "scm.notify.alertable-only")
		}
	}
	if inf {
		e.assert("kernel.wait.deadlock")
		return waitOutcome{res: sim.WAIT_FAILED, deadlock: true}, nil
	}
	if a.Op == OpSleep {
		if k.alertable {
			e.assert("kernel.wait.alertable-sleep")
		}
		return waitOutcome{res: 0}, nil
	}
	e.assert("kernel.wait.timeout")
	return waitOutcome{res: sim.WAIT_TIMEOUT}, nil
}

// satisfy checks whether the objects end a wait now, and applies the side
// effect (an auto-reset object resets when it releases a wait) through the
// family that owns it.
func (e *ksEdit) satisfy(objs []waited, all bool) (sim.WaitResult, bool) {
	if len(objs) == 0 {
		return 0, false
	}
	if all {
		for _, o := range objs {
			if !o.h.signaled {
				return 0, false
			}
		}
		for _, o := range objs {
			e.take(o)
		}
		return sim.WAIT_OBJECT_0, true
	}
	for i, o := range objs {
		if o.h.signaled {
			e.take(o)
			return sim.WAIT_OBJECT_0 + sim.WaitResult(i), true
		}
	}
	return 0, false
}

// take consumes an auto-reset object's signal.
func (e *ksEdit) take(o waited) {
	if o.h.manual {
		return
	}
	if i := e.k.event(o.ref); i >= 0 {
		e.k = kernelConsume(e.k, o.ref).(kernelState)
		return
	}
	e.all = e.all.consume(o.ref)
}

// eventOp is the oracle of CreateEvent, SetEvent, ResetEvent and
// CloseHandle.
func (e *ksEdit) eventOp(a Action) sim.Errno {
	h, f, ok := e.all.handleIn(a.H)
	if i := e.k.event(a.H); i >= 0 {
		h, ok = kernelHandles(e.k)[i], true
	}
	valid := ok && !h.closed
	want := sim.ERROR_SUCCESS
	switch a.Op {
	case OpCreateEvent:
		e.k.events = append(slices.Clone(e.k.events), kEvent{name: a.As, manual: argsOf[kernelArgs](a).manualReset, signaled: argsOf[kernelArgs](a).initialState})
	case OpSetEvent, OpResetEvent:
		i := e.k.event(a.H)
		if !valid || i < 0 {
			want = sim.ERROR_INVALID_HANDLE
			break
		}
		ev := e.k.events[i]
		ev.signaled = a.Op == OpSetEvent
		e.k = e.k.withEvent(i, ev)
	case OpCloseHandle:
		switch {
		case a.H == RefInvalid: // the current process's pseudo handle
			e.assert("kernel.close.pseudo-handle")
		case valid && h.waitable: // an event or a change handle
			if e.k.event(a.H) >= 0 {
				e.k = kernelClose(e.k, a.H).(kernelState)
			} else {
				e.all = e.all.closeIn(f, a.H)
			}
		case valid:
			// An SC_HANDLE is not a kernel object.
			e.assert("kernel.close.not-kernel-object")
			e.assert(h.closeRules...)
			want = sim.ERROR_INVALID_HANDLE
		default:
			want = sim.ERROR_INVALID_HANDLE
		}
	}
	if ok && h.closed && want == sim.ERROR_INVALID_HANDLE {
		e.assert("kernel.handle.stale")
	}
	return want
}
