package windows

import (
	"fmt"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
)

// Kernel handle values are recycled: once the caller closes a handle, the
// next object the process opens may get the same value, and in a Go
// program that is often the runtime's own (the handle of a new thread's M,
// say). A scenario that uses a closed or made-up value on purpose, to see
// ERROR_INVALID_HANDLE, would then act on that object instead: closing a
// runtime thread handle makes the runtime crash later ("preemptM:
// duplicatehandle failed"), waiting on one hangs. So every call that takes
// a kernel handle first asks whether the value is one the caller holds
// from this backend. A value the caller held and closed is never passed on:
// whether the system has reused it cannot be known safely (a check and the
// call are two steps, and the runtime may open a handle in between), so the
// call is declined (backend.Refuser). Any other value the caller does not
// hold is declined when it is live in the process, since it belongs to
// someone else; one that is not live goes through, so the system still
// gives its own code for bogus handles.

// pseudoHandles are the negative values that name the current process,
// thread and token without being table entries (GetCurrentProcess is -1,
// GetCurrentThread -2, the token pseudo handles -4 to -6).
const pseudoHandles = 6

// holdKernel records that the caller was given the kernel handle h (or,
// with held false, that it closed it, by whichever call: CloseHandle closes
// a registry key as NtClose does, and the backend must then forget the key,
// or its own clean-up would close the value again after the system may
// have given it to someone else, such as the Go runtime).
func (b *Backend) holdKernel(h windows.Handle, held bool) {
	if h == 0 || h == windows.InvalidHandle {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.kernel == nil {
		b.kernel = map[windows.Handle]bool{}
	}
	if b.closedKernel == nil {
		b.closedKernel = map[windows.Handle]bool{}
	}
	if held {
		b.kernel[h] = true
		delete(b.closedKernel, h)
	} else {
		delete(b.kernel, h)
		b.closedKernel[h] = true
		b.kernelClosed(h)
	}
}

// foreignHandle returns why a call must not be made with h, or nil: h is
// neither NULL, a pseudo handle, nor a handle the caller holds, and yet it
// is live in the process.
func (b *Backend) foreignHandle(call string, h sim.Handle) error {
	v := windows.Handle(h)
	if v == 0 || int64(v) < 0 && int64(v) >= -pseudoHandles {
		return nil
	}
	b.mu.Lock()
	held, closed := b.kernel[v], b.closedKernel[v]
	b.mu.Unlock()
	if held {
		return nil
	}
	if closed {
		return fmt.Errorf("%s(%s): the caller closed this value, and the system may have reused it for another object of the process (the runtime's, say), which the call would act on: %w", call, h, backend.ErrUnsupported)
	}
	if !liveInProcess(v) {
		return nil // the system answers for it
	}
	return fmt.Errorf("%s(%s): the value is not a handle the caller holds, but the process has a live handle of that value (the runtime's or the backend's own), which the call would act on: %w", call, h, backend.ErrUnsupported)
}

// freshKernel returns a handle to the same object as h whose value the
// caller never held and closed. The system reissues a closed value at once
// when nothing else took it first (Wine 8.0 does, and whether the Go runtime
// took it in between depends on timing): handed back as is, a new object
// would answer for the closed value, and a scenario using that value on
// purpose would act on the new object on one run and be declined on the
// next. So a reissued value is kept open by the backend (closed with it, by
// Close) and the caller gets a duplicate instead: a closed value then never
// names one of the caller's events or keys, and its use is declined. Two
// cases are left: the change handle NCryptNotifyChangeKey hands out is not
// swapped (the provider closes that very value when the caller
// unregisters), and if DuplicateHandle fails the reissued value goes to the
// caller as it is.
func (b *Backend) freshKernel(h windows.Handle) windows.Handle {
	self := windows.CurrentProcess()
	for {
		b.mu.Lock()
		reissued := b.closedKernel[h]
		b.mu.Unlock()
		if !reissued {
			return h
		}
		var dup windows.Handle
		if err := windows.DuplicateHandle(self, h, self, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
			return h // the caller gets the reissued value; its stale uses then reach this object
		}
		b.mu.Lock()
		b.parked = append(b.parked, h)
		b.mu.Unlock()
		h = dup
	}
}

// liveInProcess reports whether v is an entry of the process's handle
// table right now.
func liveInProcess(v windows.Handle) bool {
	var flags uint32
	return winapi.GetHandleInformation(v, &flags) == nil
}

// kernelGuard declines a call whose handle argument belongs to someone
// else (see foreignHandle), and then reports true.
func (b *Backend) kernelGuard(call string, hs ...sim.Handle) bool {
	for _, h := range hs {
		if err := b.foreignHandle(call, h); err != nil {
			b.refuse(err)
			return true
		}
	}
	return false
}
