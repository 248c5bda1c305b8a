package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// WaitResult is the DWORD a Win32 wait function returns.
type WaitResult uint32

// Wait results and the INFINITE timeout.
const (
	WAIT_OBJECT_0      WaitResult = 0x00000000
	WAIT_ABANDONED_0   WaitResult = 0x00000080
	WAIT_IO_COMPLETION WaitResult = 0x000000C0
	WAIT_TIMEOUT       WaitResult = 0x00000102
	WAIT_FAILED        WaitResult = 0xFFFFFFFF

	INFINITE uint32 = 0xFFFFFFFF

	// MAXIMUM_WAIT_OBJECTS is the most handles one wait accepts.
	MAXIMUM_WAIT_OBJECTS = 64
)

// String names the result: WAIT_OBJECT_0+2, WAIT_TIMEOUT, ...
func (r WaitResult) String() string {
	switch {
	case r == WAIT_IO_COMPLETION:
		return "WAIT_IO_COMPLETION"
	case r == WAIT_TIMEOUT:
		return "WAIT_TIMEOUT"
	case r == WAIT_FAILED:
		return "WAIT_FAILED"
	case r == WAIT_OBJECT_0:
		return "WAIT_OBJECT_0"
	case r < WAIT_OBJECT_0+MAXIMUM_WAIT_OBJECTS:
		return fmt.Sprintf("WAIT_OBJECT_0+%d", r)
	case r == WAIT_ABANDONED_0:
		return "WAIT_ABANDONED_0"
	case r >= WAIT_ABANDONED_0 && r < WAIT_ABANDONED_0+MAXIMUM_WAIT_OBJECTS:
		return fmt.Sprintf("WAIT_ABANDONED_0+%d", r-WAIT_ABANDONED_0)
	}
	return fmt.Sprintf("WaitResult(%#x)", uint32(r))
}

// Waitable is an object a thread can wait on.
type Waitable interface {
	KernelObject
	// signaledFor reports whether a wait by t would be satisfied now.
	signaledFor(t *Thread) bool
	// acquire applies the side effect of satisfying t's wait (an auto-reset
	// event resets).
	acquire(t *Thread)
}

// WaitableObject is implemented by a family's kernel object that a thread
// can wait on, the way the kernel's own events are (a semaphore, say). The
// kernel calls its methods from inside a wait, with the machine's lock held;
// nothing else may call them.
type WaitableObject interface {
	KernelObject
	// Signaled reports whether a wait by t would be satisfied now.
	Signaled(t *Thread) bool
	// Acquire applies the side effect of satisfying t's wait (a semaphore
	// takes one unit of its count).
	Acquire(t *Thread)
}

// familyWaitable is a family's WaitableObject as the kernel's waits see it.
type familyWaitable struct{ WaitableObject }

func (f familyWaitable) signaledFor(t *Thread) bool { return f.Signaled(t) }
func (f familyWaitable) acquire(t *Thread)          { f.Acquire(t) }

// waitableOf resolves h to an object a wait can take: one of the kernel's
// own, or a family's WaitableObject.
func (t *Thread) waitableOf(h Handle) (Waitable, HandleState) {
	o, _, st := Resolve[Waitable](t.Proc.handles, h)
	if st != HandleWrongType {
		return o, st
	}
	f, _, st := Resolve[WaitableObject](t.Proc.handles, h)
	if st != HandleValid {
		return nil, st
	}
	return familyWaitable{f}, HandleValid
}

// DeadlockError is returned by a wait that nothing can ever satisfy: no timer
// is pending, no APC can arrive, and the objects are not signaled. On Windows
// the thread would hang; the model reports it instead.
type DeadlockError struct {
	Thread string
	At     Time
	Wait   string
}

func (e *DeadlockError) Error() string {
	return fmt.Sprintf("deadlock: thread %s waits forever at %s in %s: nothing pending can satisfy it", e.Thread, e.At, e.Wait)
}

// maxTimersPerWait bounds the timers one wait may fire, so that a model whose
// timers keep rescheduling themselves is reported rather than spun forever.
const maxTimersPerWait = 1 << 22

// SleepEx suspends t for ms milliseconds of virtual time. An alertable sleep
// returns WAIT_IO_COMPLETION as soon as APCs are delivered, else 0.
func (t *Thread) SleepEx(ms uint32, alertable bool) (WaitResult, error) {
	t.enter()
	defer t.m.head.Mu.Unlock()
	describe := func() string { return fmt.Sprintf("SleepEx(%s, %s)", msString(ms), boolString(alertable)) }
	desc := "" // formatted only for the trace
	if t.m.tracing {
		desc = describe()
	}
	return t.wait(desc, describe, nil, false, ms, alertable)
}

// WaitForSingleObjectEx waits for one object.
func (t *Thread) WaitForSingleObjectEx(h Handle, ms uint32, alertable bool) (WaitResult, error) {
	t.enter()
	defer t.m.head.Mu.Unlock()
	return t.waitHandles("WaitForSingleObjectEx", []Handle{h}, false, ms, alertable)
}

// WaitForMultipleObjectsEx waits for any (waitAll false) or all of the
// objects. With any, the lowest signaled index wins.
func (t *Thread) WaitForMultipleObjectsEx(hs []Handle, waitAll bool, ms uint32, alertable bool) (WaitResult, error) {
	t.enter()
	defer t.m.head.Mu.Unlock()
	return t.waitHandles("WaitForMultipleObjectsEx", hs, waitAll, ms, alertable)
}

// waitHandles validates the handles, then waits. An empty, oversized or
// invalid list fails with WAIT_FAILED and the Win32 error as err.
func (t *Thread) waitHandles(api string, hs []Handle, all bool, ms uint32, alertable bool) (WaitResult, error) {
	t.checkAlive()
	describe := func() string {
		if api == "WaitForMultipleObjectsEx" {
			return fmt.Sprintf("%s(%s, %s, %s, %s)", api, handleList(hs), boolString(all), msString(ms), boolString(alertable))
		}
		return fmt.Sprintf("%s(%s, %s, %s)", api, handleList(hs), msString(ms), boolString(alertable))
	}
	desc := "" // formatted only for the trace
	if t.m.tracing {
		desc = describe()
	}
	if len(hs) == 0 || len(hs) > MAXIMUM_WAIT_OBJECTS {
		t.m.traceText(t, EvWait, func() string { return fmt.Sprintf("%s -> WAIT_FAILED, %s", desc, ERROR_INVALID_PARAMETER) })
		return WAIT_FAILED, ERROR_INVALID_PARAMETER
	}
	objs := make([]Waitable, len(hs))
	for i, h := range hs {
		o, st := t.waitableOf(h)
		if self, ok := t.pseudoObject(h); ok && (api == "WaitForSingleObjectEx" || t.multiplePseudoAccepted()) {
			o, st = self, HandleValid
		}
		if st != HandleValid {
			t.m.traceText(t, EvWait, func() string {
				return fmt.Sprintf("%s -> WAIT_FAILED, %s (%s is %s)", desc, ERROR_INVALID_HANDLE, h, st)
			})
			return WAIT_FAILED, FaultBroken("kernel.wait.invalid-handle", ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER)
		}
		repeated := all && slices.Contains(objs[:i], o)
		rejected := repeated && settingDuplicateWaitAllRejected.In(t.m.profile)
		rejected = FaultBroken("kernel.wait.duplicate-wait-all-wine", rejected, repeated)
		if rejected {
			// The same object twice in a wait-all: NT fails the wait with
			// STATUS_INVALID_PARAMETER_MIX, which Win32 reports as 87.
			// Wine 8.0 waits on the list as given.
			t.m.traceText(t, EvWait, func() string {
				return fmt.Sprintf("%s -> WAIT_FAILED, %s (%s repeated)", desc, ERROR_INVALID_PARAMETER, h)
			})
			return WAIT_FAILED, ERROR_INVALID_PARAMETER
		}
		objs[i] = o
	}
	return t.wait(desc, describe, objs, all, ms, alertable)
}

// wait is the one wait loop of the kernel. It checks, in order: the objects
// (a signaled object wins over a pending APC, as in the NT wait routines),
// queued APCs (alertable waits only), the deadline; otherwise it fires the
// next timer and checks again. Timers due exactly at the deadline fire before
// the wait times out. Callers hold the lock.
// desc is the call as the trace shows it ("" when the trace is off);
// describe formats it on demand for a deadlock report.
func (t *Thread) wait(desc string, describe func() string, objs []Waitable, all bool, ms uint32, alertable bool) (WaitResult, error) {
	t.checkAlive()
	m := t.m
	start := m.clock.now
	infinite := ms == INFINITE
	deadline := start.Add(time.Duration(ms) * time.Millisecond)
	for fired := 0; ; fired++ {
		apcsFirst := FaultBroken("kernel.wait.signaled-before-apc", false, alertable)
		if apcsFirst && t.pendingAPCs() > 0 {
			t.deliverAPCs()
			return WAIT_IO_COMPLETION, nil
		}
		if r, ok := t.satisfied(objs, all); ok {
			m.traceText(t, EvWait, func() string { return fmt.Sprintf("%s -> %s after %s", desc, r, time.Duration(m.clock.now-start)) })
			return r, nil
		}
		if alertable && t.pendingAPCs() > 0 {
			m.traceText(t, EvWait, func() string {
				return fmt.Sprintf("%s -> WAIT_IO_COMPLETION after %s", desc, time.Duration(m.clock.now-start))
			})
			t.deliverAPCs()
			return FaultBroken("kernel.wait.alertable-sleep", WAIT_IO_COMPLETION, 0), nil
		}
		// Only an alertable wait runs APCs.
		apcsAnyway := FaultBroken("kernel.wait.non-alertable", false, !alertable)
		if apcsAnyway {
			t.deliverAPCs() // and the wait goes on
		}
		next := m.clock.next()
		if !infinite && (next == nil || next.deadline > deadline) {
			m.clock.now = max(m.clock.now, deadline)
			r := timeoutResult(objs)
			if objs == nil {
				m.traceText(t, EvWait, func() string { return fmt.Sprintf("%s -> 0", desc) })
			} else {
				m.traceText(t, EvWait, func() string { return fmt.Sprintf("%s -> %s", desc, r) })
			}
			return r, nil
		}
		if next == nil || fired >= maxTimersPerWait {
			err := &DeadlockError{Thread: t.Name, At: m.clock.now, Wait: describe()}
			m.traceText(t, EvWait, func() string { return fmt.Sprintf("%s -> deadlock", desc) })
			return WAIT_FAILED, err
		}
		m.fireNext()
	}
}

// timeoutResult is WAIT_TIMEOUT for object waits and 0 for a plain sleep.
func timeoutResult(objs []Waitable) WaitResult {
	if objs == nil {
		return 0
	}
	return FaultBroken("kernel.wait.timeout", WAIT_TIMEOUT, WAIT_OBJECT_0)
}

func (t *Thread) satisfied(objs []Waitable, all bool) (WaitResult, bool) {
	if len(objs) == 0 {
		return 0, false
	}
	if all {
		for _, o := range objs {
			if !o.signaledFor(t) {
				return 0, false
			}
		}
		for _, o := range objs {
			o.acquire(t)
		}
		return WAIT_OBJECT_0, true
	}
	for i, o := range objs {
		if o.signaledFor(t) {
			o.acquire(t)
			return WAIT_OBJECT_0 + WaitResult(FaultBroken("kernel.wait.object-index", i, 0)), true
		}
	}
	return 0, false
}

func msString(ms uint32) string {
	if ms == INFINITE {
		return "INFINITE"
	}
	return fmt.Sprint(ms)
}

func boolString(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func handleList(hs []Handle) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = h.String()
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// selfObject is what a wait on a pseudo handle waits for: the end of the
// caller's own process ((HANDLE)-1, which is also INVALID_HANDLE_VALUE) or
// thread ((HANDLE)-2). Neither can end while the caller waits, so it is
// never signaled. Two selfObjects of one process or thread are equal, so a
// wait-all naming the pseudo handle twice names one object twice.
type selfObject struct {
	KernelObjectBase
	proc   *Process
	thread *Thread
}

// TypeName implements Object.
func (o selfObject) TypeName() string {
	if o.thread != nil {
		return "Thread"
	}
	return "Process"
}

// signaledFor implements Waitable: never, for the waiter's own process or
// thread.
func (selfObject) signaledFor(*Thread) bool { return false }

// acquire implements Waitable.
func (selfObject) acquire(*Thread) {}

// multiplePseudoAccepted reports whether WaitForMultipleObjectsEx takes a
// pseudo handle as its object: Windows refuses it there
// (kernel.wait.multiple-pseudo-handle), Wine 8.0 takes it
// (kernel.wait.multiple-pseudo-handle-wine).
func (t *Thread) multiplePseudoAccepted() bool {
	accepted := settingMultiplePseudoAccepted.In(t.m.profile)
	accepted = FaultBroken("kernel.wait.multiple-pseudo-handle-wine", accepted, false)
	accepted = FaultBroken("kernel.wait.multiple-pseudo-handle", accepted, true)
	return accepted
}

// pseudoObject returns the object a pseudo handle stands for in a wait by
// t (kernel.wait.pseudo-handle).
func (t *Thread) pseudoObject(h Handle) (Waitable, bool) {
	known := FaultBroken("kernel.wait.pseudo-handle", true, false)
	if !known {
		return nil, false
	}
	switch h {
	case NtCurrentProcess:
		return selfObject{proc: t.Proc}, true
	case NtCurrentThread:
		return selfObject{thread: t}, true
	}
	return nil, false
}
