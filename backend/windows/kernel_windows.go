package windows

import (
	"fmt"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/windows/internal/winapi"
	"github.com/winsim/winsim/sim"
)

func b2u(v bool) uint32 {
	if v {
		return 1
	}
	return 0
}

// SleepEx implements backend.Kernel. An alertable sleep takes the time
// ExpectCallbacks set up; a non-alertable one sleeps ms for real, except
// that SleepEx(INFINITE, FALSE), which nothing can end, is reported as a
// deadlock at once. An alertable SleepEx(INFINITE) that no callback ended
// within its time is reported as a deadlock too: on the system it would
// never return.
func (b *Backend) SleepEx(th string, ms uint32, alertable bool) (res sim.WaitResult, err error) {
	w := b.worker(th)
	if !alertable {
		if ms == sim.INFINITE {
			return 0, &sim.DeadlockError{Thread: th, Wait: "SleepEx(INFINITE, FALSE)"}
		}
		w.call(func() { res = sim.WaitResult(windows.SleepEx(ms, false)) })
		return res, nil
	}
	w.call(func() {
		r, _ := w.pacedWait(0, func(ms uint32) (uint32, error) { return windows.SleepEx(ms, true), nil })
		res = sim.WaitResult(r)
	})
	if ms == sim.INFINITE && res == 0 {
		return 0, &sim.DeadlockError{Thread: th, Wait: "SleepEx(INFINITE, TRUE) (no callback came within the time set for it)"}
	}
	return res, nil
}

// CreateEvent implements backend.Kernel.
func (b *Backend) CreateEvent(th string, manualReset, initialState bool) (h sim.Handle, code sim.Errno) {
	b.worker(th).call(func() {
		eh, err := windows.CreateEvent(nil, b2u(manualReset), b2u(initialState), nil)
		if err == nil {
			eh = b.freshKernel(eh)
			b.holdKernel(eh, true)
		}
		h, code = sim.Handle(eh), errno(err)
	})
	return h, code
}

// SetEvent implements backend.Kernel.
func (b *Backend) SetEvent(th string, h sim.Handle) (code sim.Errno) {
	if b.kernelGuard("SetEvent", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(windows.SetEvent(windows.Handle(h))) })
	return code
}

// ResetEvent implements backend.Kernel.
func (b *Backend) ResetEvent(th string, h sim.Handle) (code sim.Errno) {
	if b.kernelGuard("ResetEvent", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(windows.ResetEvent(windows.Handle(h))) })
	return code
}

// CloseHandle implements backend.Kernel.
func (b *Backend) CloseHandle(th string, h sim.Handle) (code sim.Errno) {
	if b.kernelGuard("CloseHandle", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() { code = errno(windows.CloseHandle(windows.Handle(h))) })
	if code == sim.ERROR_SUCCESS {
		b.holdKernel(windows.Handle(h), false)
	}
	return code
}

// WaitForSingleObjectEx implements backend.Kernel.
func (b *Backend) WaitForSingleObjectEx(th string, h sim.Handle, ms uint32, alertable bool) (sim.WaitResult, error) {
	if err := b.foreignHandle("WaitForSingleObjectEx", h); err != nil {
		return 0, err
	}
	desc := fmt.Sprintf("WaitForSingleObjectEx(%s, INFINITE, FALSE)", h)
	return b.wait(th, ms, alertable, desc, func(ms uint32) (uint32, error) {
		return winapi.WaitForSingleObjectEx(windows.Handle(h), ms, alertable)
	})
}

// WaitForMultipleObjectsEx implements backend.Kernel.
func (b *Backend) WaitForMultipleObjectsEx(th string, hs []sim.Handle, waitAll bool, ms uint32, alertable bool) (sim.WaitResult, error) {
	handles := make([]windows.Handle, len(hs)+1) // never empty: &handles[0] is valid
	for i, h := range hs {
		if err := b.foreignHandle("WaitForMultipleObjectsEx", h); err != nil {
			return 0, err
		}
		handles[i] = windows.Handle(h)
	}
	desc := fmt.Sprintf("WaitForMultipleObjectsEx(%d handles, INFINITE, FALSE)", len(hs))
	return b.wait(th, ms, alertable, desc, func(ms uint32) (uint32, error) {
		return winapi.WaitForMultipleObjectsEx(uint32(len(hs)), &handles[0], waitAll, ms, alertable)
	})
}

// wait runs a wait function on th. A non-alertable wait with a finite
// timeout waits that long for real; an infinite one waits up to the
// watchdog and then reports a deadlock; an alertable one is paced.
func (b *Backend) wait(th string, ms uint32, alertable bool, desc string, once func(ms uint32) (uint32, error)) (res sim.WaitResult, err error) {
	w := b.worker(th)
	w.call(func() {
		var r uint32
		switch {
		case alertable:
			r, err = w.pacedWait(uint32(windows.WAIT_TIMEOUT), once)
			if ms == sim.INFINITE && r == uint32(windows.WAIT_TIMEOUT) {
				err = &sim.DeadlockError{Thread: th, Wait: desc + " (neither an object nor a callback ended it within the time set for it)"}
			}
		case ms == sim.INFINITE:
			r, err = once(uint32(b.watchdog / time.Millisecond))
			if r == uint32(windows.WAIT_TIMEOUT) {
				err = &sim.DeadlockError{Thread: th, Wait: desc + " (nothing ended it within the watchdog)"}
			}
		default:
			r, err = once(ms)
		}
		res = sim.WaitResult(r)
	})
	if res == sim.WAIT_FAILED {
		return res, errno(err)
	}
	if _, dl := err.(*sim.DeadlockError); dl {
		return res, err
	}
	return res, nil
}
