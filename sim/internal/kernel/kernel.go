// Package kernel is the part of package sim that only the family packages
// (sim/scm, sim/ksp, sim/hive) use: the machine's lock and the operations a
// model performs while it holds it. It is internal to the module, so none of
// it is part of the public API.
//
// A family's exported call that a thread makes begins with Enter and defers
// Unlock; an exported function that takes no thread uses Lock instead. Every
// other function here expects the lock held.
package kernel

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/hook"
)

// ops is what package sim stores in hook.Ops.
type ops interface {
	Enter(m *sim.Machine, t *sim.Thread)
	Now(m *sim.Machine) sim.Time
	Advance(m *sim.Machine, d time.Duration)
	NewProcess(m *sim.Machine, name string) *sim.Process
	NewThread(p *sim.Process, name string) *sim.Thread
	Trace(m *sim.Machine, t *sim.Thread, kind sim.EventKind, text string)
	Violate(m *sim.Machine, t *sim.Thread, rule sim.Rule, detail string)
	Rand(m *sim.Machine) *rand.Rand
	After(m *sim.Machine, d time.Duration, name string, fn func()) *sim.Timer
	StopTimer(m *sim.Machine, tm *sim.Timer) bool
	ResetTimer(m *sim.Machine, tm *sim.Timer, d time.Duration, name string)
	TakeFault(m *sim.Machine, api string) (sim.Code, bool)
	Abort(m *sim.Machine, t *sim.Thread, api, reason string) *sim.AbortError
	OnThreadExit(m *sim.Machine, fn func(*sim.Thread))
	QueueAPC(t *sim.Thread, a *sim.APC)
	Context(t *sim.Thread) *sim.CallerContext
	TableOf(t *sim.Thread, h sim.Handle) (*sim.HandleTable, sim.Handle)
	InsertHandle(t *sim.Thread, obj sim.Object, access, attributes uint32, mode sim.Mode) sim.Handle
	CloseNative(t *sim.Thread, h sim.Handle, mode sim.Mode) sim.NTStatus
	Reference(t *sim.Thread, h sim.Handle, mode sim.Mode) (sim.KernelObject, uint32, sim.NTStatus)
	NewChangeNotification(watch string, onClose func(*sim.Thread)) *sim.ChangeNotification
	Change(c *sim.ChangeNotification, m *sim.Machine, t *sim.Thread)
	CloseChange(c *sim.ChangeNotification, t *sim.Thread, h sim.Handle)
}

// o is package sim's implementation; sim's init has run by the time this
// package is initialized, because this package imports sim.
var o = hook.Ops.(ops)

// Lock takes m's lock. A family calls it at the top of an exported function
// that takes no thread, and defers Unlock.
func Lock(m *sim.Machine) { mutex(m).Lock() }

// Unlock releases m's lock.
func Unlock(m *sim.Machine) { mutex(m).Unlock() }

// Enter begins an API call that thread t makes on m and takes m's lock; the
// caller defers Unlock. A nil thread, a thread of another machine, or one
// that has exited is a mistake of the caller: Enter panics naming it, with
// the lock free, so the machine stays usable.
func Enter(m *sim.Machine, t *sim.Thread) {
	if t == nil || t.Machine() != m {
		refuse(m, t)
	}
	mutex(m).Lock()
	if exited(t) {
		mutex(m).Unlock()
		refuse(m, t)
	}
}

// refuse panics for a call Enter refuses, through sim's Enter, which names
// the mistake and leaves the lock free. It is kept out of Enter's body so
// that Enter stays small.
//
//go:noinline
func refuse(m *sim.Machine, t *sim.Thread) { o.Enter(m, t) }

// Now returns m's virtual time.
func Now(m *sim.Machine) sim.Time { return o.Now(m) }

// Advance moves m's clock forward by d, firing the timers due by then, as
// sim.Machine.Advance does.
func Advance(m *sim.Machine, d time.Duration) { o.Advance(m, d) }

// NewProcess creates a process on m, as sim.Machine.NewProcess does.
func NewProcess(m *sim.Machine, name string) *sim.Process { return o.NewProcess(m, name) }

// NewThread creates a thread in p, as sim.Process.NewThread does.
func NewThread(p *sim.Process, name string) *sim.Thread { return o.NewThread(p, name) }

// Tracef appends an event to m's trace, made on behalf of t (which may be
// nil). Nothing is formatted when m records no trace, but the arguments
// are boxed before the call, which may allocate: Tracef is for calls off
// the steady-state path (setup, transitions, failures); see Trace.
func Tracef(m *sim.Machine, t *sim.Thread, kind sim.EventKind, format string, args ...any) {
	if !m.Tracing() {
		return
	}
	o.Trace(m, t, kind, fmt.Sprintf(format, args...))
}

// Trace appends an event to m's trace, made on behalf of t (which may be
// nil), whose text is formatted by text. text runs only when m records a
// trace: with the trace off, nothing is formatted, no argument is boxed, and
// a function literal passed here stays on its caller's stack. Calls a model
// makes in steady state trace through Trace or TraceCall, not Tracef.
//
// The check inlines into the caller; the recording is a call of its own
// (record), so that a call with the trace off makes no call at all.
func Trace(m *sim.Machine, t *sim.Thread, kind sim.EventKind, text func() string) {
	if m.Tracing() {
		record(m, t, kind, text)
	}
}

// TraceCall records an API call made by t and its result as one
// "call -> result" line of m's trace. call and result run only when m
// records a trace.
func TraceCall(m *sim.Machine, t *sim.Thread, call, result func() string) {
	if m.Tracing() {
		recordCall(m, t, call, result)
	}
}

// record is Trace's recording, kept out of Trace so that Trace inlines.
func record(m *sim.Machine, t *sim.Thread, kind sim.EventKind, text func() string) {
	o.Trace(m, t, kind, text())
}

// recordCall is TraceCall's recording, kept out of TraceCall so that
// TraceCall inlines.
func recordCall(m *sim.Machine, t *sim.Thread, call, result func() string) {
	o.Trace(m, t, sim.EvCall, call()+" -> "+result())
}

// Violate records a contract violation of rule by thread t (which may be
// nil) and traces it. The call that broke the contract still returns what
// the model says it returns.
func Violate(m *sim.Machine, t *sim.Thread, rule sim.Rule, format string, args ...any) {
	o.Violate(m, t, rule, fmt.Sprintf(format, args...))
}

// Rand returns m's deterministic random source.
func Rand(m *sim.Machine) *rand.Rand { return o.Rand(m) }

// After schedules fn to run when m's clock reaches now+d; fn runs with the
// lock held. The name appears in the trace when the timer fires.
func After(m *sim.Machine, d time.Duration, name string, fn func()) *sim.Timer {
	return o.After(m, d, name, fn)
}

// StopTimer cancels tm; it reports whether tm was still pending.
func StopTimer(m *sim.Machine, tm *sim.Timer) bool { return o.StopTimer(m, tm) }

// ResetTimer schedules tm, a timer After returned, to run its callback again
// when m's clock reaches now+d, under name; a pending tm is moved. It orders
// as a timer After scheduled now would, without allocating one: a model that
// re-arms the same work again and again keeps one Timer.
func ResetTimer(m *sim.Machine, tm *sim.Timer, d time.Duration, name string) {
	o.ResetTimer(m, tm, d, name)
}

// TakeFault consumes one fault armed for api by sim.Machine.InjectFault, if
// any.
func TakeFault(m *sim.Machine, api string) (sim.Code, bool) {
	if head(m).Faults == 0 {
		return sim.Code{}, false
	}
	return takeFault(m, api)
}

// takeFault is TakeFault's search of the armed faults, kept out of its body
// so that a call with none armed inlines.
func takeFault(m *sim.Machine, api string) (sim.Code, bool) { return o.TakeFault(m, api) }

// Abort records that t's process would die inside api for reason and
// returns the error that says so.
func Abort(m *sim.Machine, t *sim.Thread, api, reason string) *sim.AbortError {
	return o.Abort(m, t, api, reason)
}

// OnThreadExit registers fn to run, with the lock held, whenever a thread of
// m exits. It takes the lock itself: call it without holding it.
func OnThreadExit(m *sim.Machine, fn func(*sim.Thread)) { o.OnThreadExit(m, fn) }

// QueueAPC queues a user APC to t; it runs the next time t enters an
// alertable wait. An APC queued to an exited thread is discarded.
func QueueAPC(t *sim.Thread, a *sim.APC) { o.QueueAPC(t, a) }

// Handles returns the handle table of t's process.
func Handles(t *sim.Thread) *sim.HandleTable { return handles(t.Proc) }

// Context returns t's caller context, to read or change during a call.
func Context(t *sim.Thread) *sim.CallerContext { return o.Context(t) }

// TableOf returns the table a handle value of t belongs to and the value
// inside that table: the kernel table for a kernel handle, else t's
// process table.
func TableOf(t *sim.Thread, h sim.Handle) (*sim.HandleTable, sim.Handle) { return o.TableOf(t, h) }

// InsertHandle gives t a handle to obj with the granted access, as the
// object manager does at the end of a native create or open: a kernel handle
// when attributes carry sim.OBJ_KERNEL_HANDLE and mode is sim.KernelMode,
// else a handle in t's process.
func InsertHandle(t *sim.Thread, obj sim.Object, access, attributes uint32, mode sim.Mode) sim.Handle {
	return o.InsertHandle(t, obj, access, attributes, mode)
}

// CloseNative is sim.Thread.NtClose for families that trace the call
// themselves: it does not trace.
func CloseNative(t *sim.Thread, h sim.Handle, mode sim.Mode) sim.NTStatus {
	return o.CloseNative(t, h, mode)
}

// ReferenceByHandle resolves h for a native call made with the given
// previous mode, the way ObReferenceObjectByHandle does:
//   - NULL, a closed or never-issued value, and an object that is not a
//     kernel object (an SC_HANDLE) give STATUS_INVALID_HANDLE;
//   - a kernel handle from a UserMode caller gives STATUS_INVALID_HANDLE;
//   - the current-process and current-thread pseudo handles, and a kernel
//     object of another type, give STATUS_OBJECT_TYPE_MISMATCH.
//
// Access checks are the caller's: they apply only when mode is UserMode.
func ReferenceByHandle[T sim.KernelObject](t *sim.Thread, h sim.Handle, mode sim.Mode) (obj T, access uint32, status sim.NTStatus) {
	ko, access, st := o.Reference(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return obj, 0, st
	}
	obj, ok := ko.(T)
	if !ok {
		return obj, 0, sim.STATUS_OBJECT_TYPE_MISMATCH
	}
	return obj, access, sim.STATUS_SUCCESS
}

// NewChangeNotification returns an armed, unsignaled change-notification
// object. watch names what it watches, for the trace. onClose, which may be
// nil, runs with the lock held when a handle to it is closed through
// CloseHandle or FindCloseChangeNotification, so that the owner stops
// feeding it.
func NewChangeNotification(watch string, onClose func(*sim.Thread)) *sim.ChangeNotification {
	return o.NewChangeNotification(watch, onClose)
}

// Change records one change in what c watches, made by t (which may be
// nil) on m.
func Change(c *sim.ChangeNotification, m *sim.Machine, t *sim.Thread) { o.Change(c, m, t) }

// CloseChange closes handle h of t's process, which must refer to c, on
// behalf of c's owner (NCryptNotifyChangeKey unregistering): c's onClose
// hook does not run.
func CloseChange(c *sim.ChangeNotification, t *sim.Thread, h sim.Handle) { o.CloseChange(c, t, h) }
