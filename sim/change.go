package sim

import "fmt"

// This file is the kernel32 change-notification mechanism: the waitable
// object that FindFirstChangeNotification returns, FindNextChangeNotification
// and FindCloseChangeNotification. A family that hands out such handles
// (NCryptNotifyChangeKey in sim/ksp) creates the object, inserts it in the
// caller's handle table and calls kernel.Change whenever what it watches
// changes (sim/internal/kernel).

// ChangeNotification is a change-notification object. It is signaled by the
// first change after it was armed and stays signaled (a satisfied wait does
// not reset it) until FindNextChangeNotification re-arms it. Changes that
// happen while it is signaled are recorded, however many there are, and the
// record signals it again as soon as it is re-armed: none is lost, and they
// all coalesce into that one signal.
type ChangeNotification struct {
	KernelObjectBase
	watch    string
	signaled bool // a change completed the outstanding request
	recorded bool // changes happened since it was signaled
	closed   bool
	onClose  func(t *Thread)
}

// newChangeNotification returns an armed, unsignaled change-notification
// object. watch names what it watches, for the trace. onClose, which may be
// nil, runs with the lock held when a handle to it is closed through
// CloseHandle or FindCloseChangeNotification, so that the owner stops
// feeding it.
func newChangeNotification(watch string, onClose func(t *Thread)) *ChangeNotification {
	return &ChangeNotification{watch: watch, onClose: onClose}
}

// TypeName implements Object.
func (*ChangeNotification) TypeName() string { return "ChangeNotification" }

// Watch names what the object watches.
func (c *ChangeNotification) Watch() string { return c.watch }

// signaledFor implements Waitable.
func (c *ChangeNotification) signaledFor(*Thread) bool { return c.signaled }

// acquire implements Waitable: satisfying a wait leaves the object signaled.
func (c *ChangeNotification) acquire(*Thread) {
	c.signaled = FaultBroken("kernel.change.signal", c.signaled, false)
}

// Closed reports whether the object's handle has been closed.
func (c *ChangeNotification) Closed() bool { return c.closed }

// change records one change in what the object watches, made by t (which
// may be nil). Callers hold the lock.
func (c *ChangeNotification) change(m *Machine, t *Thread) {
	if c.closed {
		return
	}
	switch {
	case !c.signaled:
		c.signaled = true
		if m.Tracing() {
			m.traceText(t, EvTransition, func() string { return fmt.Sprintf("change notification on %s signaled", c.watch) })
		}
	case !c.recorded:
		c.recorded = FaultBroken("kernel.change.recorded", true, false)
		if m.Tracing() {
			m.traceText(t, EvTransition, func() string {
				return fmt.Sprintf("change notification on %s: change recorded until FindNextChangeNotification", c.watch)
			})
		}
	default:
		if m.Tracing() {
			m.traceText(t, EvTransition, func() string {
				return fmt.Sprintf("change notification on %s: change coalesced with the recorded one", c.watch)
			})
		}
	}
}

// HandleClosed implements HandleCloser.
func (c *ChangeNotification) HandleClosed(t *Thread, _ Handle) {
	c.closed = true
	if c.onClose != nil {
		c.onClose(t)
	}
}

// closeLocked closes handle h of t's process, which must refer to c, on
// behalf of c's owner (NCryptNotifyChangeKey with the unregister flag): the
// onClose hook does not run. Callers hold the lock.
func (c *ChangeNotification) closeLocked(t *Thread, h Handle) {
	if obj, _, st := t.Proc.handles.Lookup(h); st == HandleValid && obj == Object(c) {
		t.Proc.handles.Remove(h)
	}
	c.closed = true
}

// FindNextChangeNotification re-arms a change-notification handle: if
// changes were recorded since it was signaled it stays signaled, otherwise it
// becomes unsignaled until the next change. Calling it while the previous
// request is still outstanding (nothing has signaled the handle since it was
// armed) changes nothing and is a contract violation. A handle that is not a
// change-notification handle fails with ERROR_INVALID_HANDLE.
func (t *Thread) FindNextChangeNotification(h Handle) Errno {
	t.enter()
	m := t.m
	defer m.head.Mu.Unlock()
	t.checkAlive()
	c, _, st := Resolve[*ChangeNotification](t.Proc.handles, h)
	if st != HandleValid {
		m.traceText(t, EvCall, func() string { return fmt.Sprintf("FindNextChangeNotification(%s) -> %s", h, ERROR_INVALID_HANDLE) })
		return FaultBroken("kernel.change.invalid-handle", ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER)
	}
	if !c.signaled {
		reported := FaultBroken("kernel.contract.rearm-outstanding", true, false)
		if reported {
			m.violate(t, RuleChangeRearmOutstanding, "FindNextChangeNotification(%s) while its request is outstanding: no change has signaled it since it was armed", h)
		}
	} else {
		c.signaled, c.recorded = FaultBroken("kernel.change.rearm", c.recorded, true), false
	}
	if m.Tracing() {
		state := "armed"
		if c.signaled {
			state = "signaled by the recorded change"
		}
		m.traceText(t, EvCall, func() string { return fmt.Sprintf("FindNextChangeNotification(%s) -> %s, %s", h, ERROR_SUCCESS, state) })
	}
	return ERROR_SUCCESS
}

// FindCloseChangeNotification closes a change-notification handle. Like the
// real function, which closes the handle through NtClose, it accepts any
// kernel handle; NULL, closed and non-kernel handles fail with
// ERROR_INVALID_HANDLE.
func (t *Thread) FindCloseChangeNotification(h Handle) Errno {
	return t.closeKernelHandle("FindCloseChangeNotification", h)
}

// RuleChangeRearmOutstanding is the caller contract of
// FindNextChangeNotification.
var RuleChangeRearmOutstanding = Rule{ID: "kernel.contract.rearm-outstanding", Status: Modeled,
	Statement: "FindNextChangeNotification must not be called again while the previous request is outstanding (before a wait saw the handle signaled): a change can be missed",
	Source:    "DOC FindNextChangeNotification (remarks)"}

// ChangeRules is the kernel's part of the behavior catalog for
// change-notification handles.
func ChangeRules() []Rule {
	const (
		firstDoc = "DOC FindFirstChangeNotification"
		nextDoc  = "DOC FindNextChangeNotification"
		closeDoc = "DOC FindCloseChangeNotification"
	)
	return []Rule{
		{ID: "kernel.change.signal", Status: Modeled, Source: firstDoc + "; " + nextDoc,
			Statement: "a change signals a change-notification handle, and a wait that it satisfies does not reset it: it stays signaled until FindNextChangeNotification"},
		{ID: "kernel.change.rearm", Status: Modeled, Source: nextDoc,
			Statement: "FindNextChangeNotification with no change since the signal leaves the handle unsignaled: waits time out until the next change"},
		{ID: "kernel.change.recorded", Status: Modeled, Source: nextDoc + " (remarks)",
			Statement: "changes made after the signal and before FindNextChangeNotification are recorded: the re-armed handle is signaled at once, and any number of them coalesce into that one signal"},
		{ID: "kernel.change.invalid-handle", Status: Modeled, Source: nextDoc + "; " + closeDoc + "; WI wine kernelbase (FindNext maps a non-directory handle to ERROR_INVALID_HANDLE)",
			Statement: "FindNextChangeNotification on a handle that is not a change-notification handle, and FindCloseChangeNotification on a NULL or closed handle, fail with ERROR_INVALID_HANDLE"},
		{ID: "kernel.change.close", Status: Modeled, Source: closeDoc,
			Statement: "FindCloseChangeNotification closes the handle: later waits on it fail with WAIT_FAILED and ERROR_INVALID_HANDLE"},
		RuleChangeRearmOutstanding,
	}
}
