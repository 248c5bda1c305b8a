package windows

import (
	"errors"
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/windows/internal/twinrt"
)

// The rules an argument the models do not support is refused under. They
// are out of the models' scope: the kernel model has no object namespace,
// no security descriptors and no handle inheritance.
const (
	ruleNamedObject        = "kernel.object.named"
	ruleSecurityAttributes = "kernel.object.security-attributes"
)

// unmodeledError is a twin call's refusal of an argument whose behavior is
// not modeled: the call is not made. It matches errors.ErrUnsupported.
type unmodeledError struct {
	call, what, rule string
}

func (e *unmodeledError) Error() string {
	if e.rule == "" {
		return fmt.Sprintf("winsim/windows: %s: %s is not modeled; the call was not made", e.call, e.what)
	}
	return fmt.Sprintf("winsim/windows: %s: %s is not modeled (rule %s); the call was not made", e.call, e.what, e.rule)
}

func (e *unmodeledError) Unwrap() error { return errors.ErrUnsupported }

// CreateEvent creates an unnamed event with the default security and
// returns its handle; the calling goroutine's last error becomes
// ERROR_SUCCESS. A non-nil eventAttrs or name is refused with an error
// matching errors.ErrUnsupported (rules kernel.object.security-attributes,
// kernel.object.named), and nothing is created.
func CreateEvent(eventAttrs *SecurityAttributes, manualReset uint32, initialState uint32, name *uint16) (handle Handle, err error) {
	if eventAttrs != nil {
		return 0, &unmodeledError{"CreateEvent", "a SECURITY_ATTRIBUTES (lpEventAttributes not NULL)", ruleSecurityAttributes}
	}
	if name != nil {
		return 0, &unmodeledError{"CreateEvent", "a named event (lpName not NULL)", ruleNamedObject}
	}
	twinrt.Current().Call(func(th *twinrt.Thread) {
		handle = Handle(th.T.CreateEvent(manualReset != 0, initialState != 0))
		// CreateEventW sets the last error on success too: ERROR_SUCCESS
		// for a new object (inferred: Wine's kernelbase sync.c:477-480).
		th.SetLastError(0)
	})
	return handle, nil
}

// SetEvent signals an event. Goroutines waiting on it wake.
func SetEvent(event Handle) (err error) {
	return errnoCall(func(t *sim.Thread) sim.Errno { return t.SetEvent(sim.Handle(event)) })
}

// ResetEvent clears an event.
func ResetEvent(event Handle) (err error) {
	return errnoCall(func(t *sim.Thread) sim.Errno { return t.ResetEvent(sim.Handle(event)) })
}

// CloseHandle closes a kernel object's handle. A closed or never-issued
// handle, or one that is not a kernel object's (a CryptoAPI context), fails
// with ERROR_INVALID_HANDLE.
func CloseHandle(handle Handle) (err error) {
	return errnoCall(func(t *sim.Thread) sim.Errno { return t.CloseHandle(sim.Handle(handle)) })
}

// errnoCall runs a model call that returns a Win32 code on the calling
// goroutine's thread: a failure becomes its last error and the error
// returned.
func errnoCall(call func(t *sim.Thread) sim.Errno) (err error) {
	twinrt.Current().Call(func(th *twinrt.Thread) {
		if e := call(th.T); e != sim.ERROR_SUCCESS {
			th.SetLastError(uint32(e))
			err = errnoErr(uint32(e))
		}
	})
	return err
}

// GetLastError returns the calling goroutine's last-error value, nil for
// ERROR_SUCCESS. Each goroutine is a simulated thread with its own.
func GetLastError() (lasterr error) {
	if v := twinrt.Current().LastError(); v != 0 {
		return Errno(v)
	}
	return nil
}

// WaitForSingleObject waits for an object: it blocks the calling goroutine
// until the object is signaled (WAIT_OBJECT_0) or waitMilliseconds pass on
// the model's clock (WAIT_TIMEOUT as a uint32, nil error). An invalid handle
// fails with WAIT_FAILED and the Errno. In a testing/synctest bubble a
// timeout passes as soon as every goroutine of the bubble is blocked.
func WaitForSingleObject(handle Handle, waitMilliseconds uint32) (event uint32, err error) {
	return WaitForSingleObjectEx(handle, waitMilliseconds, false)
}

// WaitForMultipleObjects waits for any (waitAll false: the lowest signaled
// index wins, WAIT_OBJECT_0+i) or all of the objects, blocking as
// WaitForSingleObject does.
func WaitForMultipleObjects(handles []Handle, waitAll bool, waitMilliseconds uint32) (event uint32, err error) {
	hs := make([]sim.Handle, len(handles))
	for i, h := range handles {
		hs[i] = sim.Handle(h)
	}
	return wait(waitMilliseconds, func(t *sim.Thread) (sim.WaitResult, error) {
		return t.WaitForMultipleObjectsEx(hs, waitAll, 0, false)
	})
}

// SleepEx suspends the calling goroutine for milliseconds on the model's
// clock. An alertable sleep returns WAIT_IO_COMPLETION as soon as queued
// APCs ran on the goroutine's thread, else 0.
func SleepEx(milliseconds uint32, alertable bool) (ret uint32) {
	r, _ := twinrt.Current().Wait(milliseconds, func(th *twinrt.Thread) (sim.WaitResult, error, bool) {
		r, err := th.T.SleepEx(0, alertable)
		return r, err, err != nil || r == sim.WAIT_IO_COMPLETION
	})
	return uint32(r)
}

// wait blocks the calling goroutine on poll, a model wait with a zero
// timeout, until it is satisfied, fails, or ms milliseconds pass.
func wait(ms uint32, poll func(t *sim.Thread) (sim.WaitResult, error)) (event uint32, err error) {
	var failed sim.Errno
	r, werr := twinrt.Current().Wait(ms, func(th *twinrt.Thread) (sim.WaitResult, error, bool) {
		r, err := poll(th.T)
		if e, ok := err.(sim.Errno); ok {
			th.SetLastError(uint32(e))
			failed = e
		}
		return r, err, err != nil || r != sim.WAIT_TIMEOUT
	})
	switch {
	case failed != sim.ERROR_SUCCESS:
		return uint32(r), errnoErr(uint32(failed))
	case werr != nil:
		// A zero-timeout wait cannot deadlock; the model said otherwise.
		panic(fmt.Sprintf("winsim/windows: a polling wait failed: %v", werr))
	}
	return uint32(r), nil
}
