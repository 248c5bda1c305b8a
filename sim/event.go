package sim

import "fmt"

// Event is a kernel event object, manual- or auto-reset.
type Event struct {
	KernelObjectBase
	ManualReset bool
	signaled    bool
}

// TypeName implements Object.
func (*Event) TypeName() string { return "Event" }

// signaledFor implements Waitable.
func (e *Event) signaledFor(*Thread) bool { return e.signaled }

// acquire implements Waitable: an auto-reset event resets when it releases a waiter.
func (e *Event) acquire(*Thread) {
	if !e.ManualReset {
		e.signaled = false
	}
}

// set signals the event. Callers hold the lock.
func (e *Event) set() { e.signaled = true }

// reset clears the event. Callers hold the lock.
func (e *Event) reset() { e.signaled = false }

// IsSet reports whether the event is signaled.
func (e *Event) IsSet() bool { return e.signaled }

// CreateEvent creates an event and returns a handle with EVENT_ALL_ACCESS.
func (t *Thread) CreateEvent(manualReset, initialState bool) Handle {
	t.enter()
	defer t.m.head.Mu.Unlock()
	t.checkAlive()
	h := t.Proc.handles.Insert(&Event{ManualReset: manualReset, signaled: initialState}, EVENT_ALL_ACCESS)
	t.m.traceText(t, EvCall, func() string {
		return fmt.Sprintf("CreateEvent(%s, %s) -> %s", boolString(manualReset), boolString(initialState), h)
	})
	return h
}

// SetEvent signals the event behind h.
func (t *Thread) SetEvent(h Handle) Errno {
	return t.eventOp("SetEvent", h, (*Event).set)
}

// ResetEvent clears the event behind h.
func (t *Thread) ResetEvent(h Handle) Errno {
	return t.eventOp("ResetEvent", h, (*Event).reset)
}

func (t *Thread) eventOp(api string, h Handle, op func(*Event)) Errno {
	t.enter()
	defer t.m.head.Mu.Unlock()
	t.checkAlive()
	e, _, st := Resolve[*Event](t.Proc.handles, h)
	if st != HandleValid {
		t.m.traceText(t, EvCall, func() string { return fmt.Sprintf("%s(%s) -> %s", api, h, ERROR_INVALID_HANDLE) })
		return ERROR_INVALID_HANDLE
	}
	op(e)
	t.m.traceText(t, EvCall, func() string { return fmt.Sprintf("%s(%s) -> %s", api, h, ERROR_SUCCESS) })
	return ERROR_SUCCESS
}

// HandleCloser is implemented by kernel objects that need to know when a
// handle to them is closed.
type HandleCloser interface {
	HandleClosed(t *Thread, h Handle)
}

// CloseHandle closes a kernel object handle. Handles that are not kernel
// objects (SC_HANDLEs, CryptoAPI handles) fail with ERROR_INVALID_HANDLE, as
// does a closed or never-issued value. The current process's and thread's
// pseudo handles ((HANDLE)-1, which is INVALID_HANDLE_VALUE, and -2) close
// successfully and nothing happens.
func (t *Thread) CloseHandle(h Handle) Errno {
	return t.closeKernelHandle("CloseHandle", h)
}

// closeKernelHandle is CloseHandle under the name of the API that closes.
func (t *Thread) closeKernelHandle(api string, h Handle) Errno {
	t.enter()
	defer t.m.head.Mu.Unlock()
	t.checkAlive()
	pseudo := api == "CloseHandle" && (h == NtCurrentProcess || h == NtCurrentThread)
	pseudo = FaultBroken("kernel.close.pseudo-handle", pseudo, false)
	if pseudo {
		t.m.traceText(t, EvCall, func() string {
			return fmt.Sprintf("%s(%s) -> %s (a pseudo handle: nothing to close)", api, h, ERROR_SUCCESS)
		})
		return ERROR_SUCCESS
	}
	_, _, st := Resolve[KernelObject](t.Proc.handles, h)
	invalid := st != HandleValid
	invalid = FaultBroken("kernel.close.not-kernel-object", invalid, invalid && st != HandleWrongType)
	if invalid {
		t.m.traceText(t, EvCall, func() string { return fmt.Sprintf("%s(%s) -> %s", api, h, ERROR_INVALID_HANDLE) })
		return ERROR_INVALID_HANDLE
	}
	kept := FaultBroken("kernel.change.close", false, api == "FindCloseChangeNotification")
	if kept {
		return ERROR_SUCCESS // and the handle stays open
	}
	obj, _ := t.Proc.handles.Remove(h)
	if c, ok := obj.(HandleCloser); ok {
		c.HandleClosed(t, h)
	}
	t.m.traceText(t, EvCall, func() string { return fmt.Sprintf("%s(%s) -> %s", api, h, ERROR_SUCCESS) })
	return ERROR_SUCCESS
}

// EVENT_ALL_ACCESS is the access mask of a handle from CreateEvent.
const EVENT_ALL_ACCESS uint32 = 0x1F0003
