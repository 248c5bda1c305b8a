package windows

import (
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
)

// x/sys/windows wraps neither semaphore call; the binding makes them
// itself, the way an mkwinsyscall wrapper would.
var (
	procCreateSemaphoreW = windows.NewLazySystemDLL("kernel32.dll").NewProc("CreateSemaphoreW")
	procReleaseSemaphore = windows.NewLazySystemDLL("kernel32.dll").NewProc("ReleaseSemaphore")
)

var _ backend.Semaphores = (*Backend)(nil)

// CreateSemaphore implements backend.Semaphores. The handle is the caller's
// like an event's: held until closed, and never a value reissued while the
// caller might still use it as a stale one.
func (b *Backend) CreateSemaphore(th string, initialCount, maximumCount int32) (h sim.Handle, code sim.Errno) {
	b.worker(th).call(func() {
		r, _, err := procCreateSemaphoreW.Call(0, uintptr(initialCount), uintptr(maximumCount), 0)
		sh := windows.Handle(r)
		if sh == 0 {
			h, code = 0, errno(err)
			return
		}
		sh = b.freshKernel(sh)
		b.holdKernel(sh, true)
		h, code = sim.Handle(sh), sim.ERROR_SUCCESS
	})
	return h, code
}

// ReleaseSemaphore implements backend.Semaphores. A handle value the
// caller closed is declined like every kernel handle (see kernelGuard),
// whatever the count: the scenarios that release a closed semaphore are
// partial on the real binding.
func (b *Backend) ReleaseSemaphore(th string, h sim.Handle, releaseCount int32, previousCount *int32) (code sim.Errno) {
	if b.kernelGuard("ReleaseSemaphore", h) {
		return backend.DeclinedErrno
	}
	b.worker(th).call(func() {
		var prev *int32
		if previousCount != nil {
			v := *previousCount
			prev = &v
		}
		r, _, err := procReleaseSemaphore.Call(uintptr(h), uintptr(releaseCount), uintptr(unsafe.Pointer(prev)))
		if r == 0 {
			code = errno(err)
		} else {
			code = sim.ERROR_SUCCESS
		}
		if prev != nil {
			*previousCount = *prev
		}
	})
	return code
}
