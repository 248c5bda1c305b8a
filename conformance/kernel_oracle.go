package conformance

import (
	"errors"
	"slices"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// The kernel part of the oracle: events, waits, the virtual clock and the
// delivery of queued callbacks to alertable waits.

type oEvent struct{ manual, signaled bool }

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

// clockUntil fires due timers, in deadline order, up to end. With a waiting
// thread it stops as soon as that thread has a callback queued and reports
// that it did.
func (w *World) clockUntil(end time.Duration, stopOnAPC bool, thread string) bool {
	for {
		if stopOnAPC && w.pendingAPCs(thread) > 0 {
			return true
		}
		t := w.nextTimer()
		if t == nil || t.at > end {
			if end != forever {
				w.now = max(w.now, end)
			}
			return false
		}
		w.fireTimer(t)
	}
}

func (w *World) nextTimer() *oTimer {
	var best *oTimer
	for _, t := range w.scm().timers {
		if best == nil || t.at < best.at || (t.at == best.at && t.seq < best.seq) {
			best = t
		}
	}
	return best
}

func (w *World) pendingAPCs(thread string) int {
	n := 0
	for _, a := range w.apcs[thread] {
		if !a.cancelled {
			n++
		}
	}
	return n
}

// deliver runs every queued callback of thread, in queue order, and
// returns them.
func (w *World) deliver(thread string) []*oAPC {
	var out []*oAPC
	for _, a := range w.apcs[thread] {
		if a.cancelled {
			continue
		}
		w.detach(a.reg)
		out = append(out, a)
	}
	w.apcs[thread] = nil
	return out
}

// doWait runs SleepEx, WaitForSingleObjectEx or WaitForMultipleObjectsEx.
func (w *World) doWait(a Action) {
	th := a.thread()
	refs := a.Hs
	if a.Op == OpWaitOne {
		refs = []string{a.H}
	}
	want, delivered := w.predictWait(a, refs)

	if p, ok := w.b.(backend.Paced); ok && a.Alertable {
		// A real alertable wait cannot tell "no callback is coming" from
		// "not yet": it waits for the callbacks the oracle predicts, and
		// when none, for the wait's own timeout.
		p.ExpectCallbacks(th, len(delivered), time.Duration(max(a.MS, 1))*time.Millisecond)
	}
	w.scm().seen = nil
	w.waiting = th
	var res sim.WaitResult
	var err error
	switch a.Op {
	case OpSleep:
		res, err = w.b.SleepEx(th, a.MS, a.Alertable)
	case OpWaitOne:
		res, err = w.b.WaitForSingleObjectEx(th, w.value(a.H), a.MS, a.Alertable)
	default:
		vs := make([]sim.Handle, len(refs))
		for i, r := range refs {
			vs[i] = w.value(r)
		}
		res, err = w.b.WaitForMultipleObjectsEx(th, vs, a.WaitAll, a.MS, a.Alertable)
	}
	w.waiting = ""
	got := waitOutcome{res: res}
	var dl *sim.DeadlockError
	var errno sim.Errno
	switch {
	case errors.As(err, &dl):
		got = waitOutcome{res: sim.WAIT_FAILED, deadlock: true}
	case err != nil && errors.As(err, &errno):
		got.err = errno
	case err != nil:
		w.failIf(a, "", err)
	}

	st := scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th), Want: waitWant(a, want)}
	if want.res == sim.WAIT_FAILED && !want.deadlock {
		st.Error = want.err.Code().Name()
	}
	switch a.Op {
	case OpSleep:
		st.Args = []scenario.Arg{{Key: "ms", Value: msArg(a.MS)}, {Key: "alertable", Value: a.Alertable}}
	case OpWaitOne:
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}, {Key: "ms", Value: msArg(a.MS)}, {Key: "alertable", Value: a.Alertable}}
	default:
		st.Args = []scenario.Arg{{Key: "handles", Value: refs}, {Key: "wait_all", Value: a.WaitAll}, {Key: "ms", Value: msArg(a.MS)}, {Key: "alertable", Value: a.Alertable}}
	}
	w.log(st)
	if got != want {
		w.fail(a, "got %s, want %s", got, want)
	}
	w.checkCallbacks(a, delivered)
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

// predictWait is the oracle of the three waits. It validates the handles,
// then: a signaled object ends the wait (before any APC); an alertable wait
// runs the thread's queued callbacks and returns WAIT_IO_COMPLETION;
// otherwise virtual time runs to the timeout (timers firing on the way, any
// of which may queue a callback for an alertable waiter), and an infinite
// wait that nothing can end is a deadlock.
func (w *World) predictWait(a Action, refs []string) (waitOutcome, []*oAPC) {
	th := a.thread()
	var evs []*oEvent
	shared := sharedEvents{}
	if a.Op != OpSleep {
		for i, r := range refs {
			h := w.handle(r)
			if h == nil {
				h = shared.handle(w, r)
			}
			switch {
			case r == RefInvalid && a.Op == OpWaitOne:
				// The current process's pseudo handle: a process that
				// does not end while its thread waits.
				w.assert("kernel.wait.pseudo-handle")
				h = &oHandle{ev: &oEvent{manual: true}}
			case r == RefInvalid && w.kset().multiPseudoAccepted:
				w.assert("kernel.wait.multiple-pseudo-handle-wine")
				h = &oHandle{ev: &oEvent{manual: true}}
			case r == RefInvalid:
				// Windows refuses the pseudo handles in a multiple wait.
				w.assert("kernel.wait.multiple-pseudo-handle")
				return waitOutcome{res: sim.WAIT_FAILED, err: sim.ERROR_INVALID_HANDLE}, nil
			}
			if h == nil || h.closed || h.ev == nil { // events and change handles
				w.assert("kernel.wait.invalid-handle")
				if h != nil && h.closed {
					w.assert("kernel.handle.stale")
				}
				return waitOutcome{res: sim.WAIT_FAILED, err: sim.ERROR_INVALID_HANDLE}, nil
			}
			if a.WaitAll && slices.Contains(refs[:i], r) {
				if !w.kset().dupWaitAllRejected {
					// Waited for as if named once.
					w.assert("kernel.wait.duplicate-wait-all-wine")
					continue
				}
				w.assert("kernel.wait.duplicate-wait-all")
				return waitOutcome{res: sim.WAIT_FAILED, err: sim.ERROR_INVALID_PARAMETER}, nil
			}
			evs = append(evs, h.ev)
		}
	}
	if r, ok := satisfy(evs, a.WaitAll); ok {
		shared.taken(w)
		w.assert("kernel.wait.object-index")
		if a.Alertable && w.pendingAPCs(th) > 0 {
			w.assert("kernel.wait.signaled-before-apc")
		}
		return waitOutcome{res: r}, nil
	}
	inf := a.MS == infinite
	end := w.now + time.Duration(a.MS)*time.Millisecond
	if inf {
		end = forever
	}
	if a.Alertable {
		if w.clockUntil(end, true, th) {
			w.assert("kernel.wait.alertable-sleep", "scm.notify.alertable-only", "scm.notify.registering-thread")
			return waitOutcome{res: sim.WAIT_IO_COMPLETION}, w.deliver(th)
		}
	} else {
		w.clockUntil(end, false, "")
		if w.pendingAPCs(th) > 0 {
			w.assert("kernel.wait.non-alertable", "scm.notify.alertable-only")
		}
	}
	if inf {
		w.assert("kernel.wait.deadlock")
		return waitOutcome{res: sim.WAIT_FAILED, deadlock: true}, nil
	}
	if a.Op == OpSleep {
		if a.Alertable {
			w.assert("kernel.wait.alertable-sleep")
		}
		return waitOutcome{res: 0}, nil
	}
	w.assert("kernel.wait.timeout")
	return waitOutcome{res: sim.WAIT_TIMEOUT}, nil
}

// satisfy checks whether events end a wait now, and applies the side effect
// (an auto-reset event resets when it releases a wait).
func satisfy(evs []*oEvent, all bool) (sim.WaitResult, bool) {
	if len(evs) == 0 {
		return 0, false
	}
	take := func(e *oEvent) {
		if !e.manual {
			e.signaled = false
		}
	}
	if all {
		for _, e := range evs {
			if !e.signaled {
				return 0, false
			}
		}
		for _, e := range evs {
			take(e)
		}
		return sim.WAIT_OBJECT_0, true
	}
	for i, e := range evs {
		if e.signaled {
			take(e)
			return sim.WAIT_OBJECT_0 + sim.WaitResult(i), true
		}
	}
	return 0, false
}

// doEvent runs CreateEvent, SetEvent, ResetEvent and CloseHandle.
func (w *World) doEvent(a Action) {
	th := a.thread()
	h := w.handle(a.H)
	var shared ownedHandle
	var owner *family
	if h == nil {
		h, shared, owner = w.sharedHandle(a.H)
	}
	valid := h != nil && !h.closed
	want := sim.ERROR_SUCCESS
	var got sim.Errno
	st := scenario.ScriptStep{Kind: string(a.Op), Thread: threadMod(th)}
	switch a.Op {
	case OpCreateEvent:
		v, code := w.b.CreateEvent(th, a.Manual, a.Initial)
		got = code
		if code == sim.ERROR_SUCCESS {
			w.bind(a.As, v, &oHandle{kind: hEvent, ev: &oEvent{manual: a.Manual, signaled: a.Initial}})
		}
		st.Args = []scenario.Arg{{Key: "manual_reset", Value: a.Manual}, {Key: "initial_state", Value: a.Initial}}
		st.As = a.As
	case OpSetEvent, OpResetEvent:
		if !valid || h.kind != hEvent {
			want = sim.ERROR_INVALID_HANDLE
		} else {
			h.ev.signaled = a.Op == OpSetEvent
		}
		if a.Op == OpSetEvent {
			got = w.b.SetEvent(th, w.value(a.H))
		} else {
			got = w.b.ResetEvent(th, w.value(a.H))
		}
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	case OpCloseHandle:
		switch {
		case a.H == RefInvalid: // the current process's pseudo handle
			w.assert("kernel.close.pseudo-handle")
		case valid && h.ev != nil: // an event or a change handle
			h.closed = true
			if owner != nil && owner.closeHandle != nil {
				w.states = w.states.with(owner, owner.closeHandle(w.states.of(owner), a.H))
			}
		case valid:
			// An SC_HANDLE is not a kernel object.
			w.assert("kernel.close.not-kernel-object")
			w.assert(shared.closeRules...)
			want = sim.ERROR_INVALID_HANDLE
		default:
			want = sim.ERROR_INVALID_HANDLE
		}
		got = w.b.CloseHandle(th, w.value(a.H))
		st.Args = []scenario.Arg{{Key: "handle", Value: scenario.Raw(a.H)}}
	}
	if h != nil && h.closed && want == sim.ERROR_INVALID_HANDLE {
		w.assert("kernel.handle.stale")
	}
	st.Want = wantCode(want)
	w.log(st)
	if got != want {
		w.fail(a, "got %s, want %s", got, want)
	}
}

// The bridge to the pure families' handles, until the kernel's oracle is a
// pure step itself (to be merged with it): a handle variable the World's
// tables do not hold is looked up among the families' states
// (oracleState.handleIn); CloseHandle and satisfied waits go back to its
// family through the family's hooks (closeHandle, consume).

// sharedHandle returns a handle variable another family's state holds as
// an oHandle (a waitable one with a copy of its event state), with its
// declaration and its family; nil when no family holds it.
func (w *World) sharedHandle(ref string) (*oHandle, ownedHandle, *family) {
	oh, f, ok := w.states.handleIn(ref)
	if !ok {
		return nil, oh, nil
	}
	h := &oHandle{name: oh.name, kind: oh.kind, closed: oh.closed}
	if oh.waitable {
		h.ev = &oEvent{manual: oh.manual, signaled: oh.signaled}
	}
	return h, oh, f
}

// sharedEvents are the other families' waitable handles a wait names, by
// variable: the copy of each one's event state the wait sees, and its
// family.
type sharedEvents map[string]sharedEvent

type sharedEvent struct {
	ev       *oEvent
	f        *family
	signaled bool // before the wait
}

// handle returns the oHandle of another family's handle variable for a
// wait (one copy of its event however often the wait names it); nil when
// no family holds it.
func (s sharedEvents) handle(w *World, ref string) *oHandle {
	h, _, f := w.sharedHandle(ref)
	if h == nil || h.ev == nil {
		return h
	}
	if prev, ok := s[ref]; ok {
		h.ev = prev.ev
	} else {
		s[ref] = sharedEvent{h.ev, f, h.ev.signaled}
	}
	return h
}

// taken hands a satisfied wait's signal back to the families of the
// auto-reset handles it took (family.consume).
func (s sharedEvents) taken(w *World) {
	for ref, e := range s {
		if e.signaled && !e.ev.signaled && e.f.consume != nil {
			w.states = w.states.with(e.f, e.f.consume(w.states.of(e.f), ref))
		}
	}
}
