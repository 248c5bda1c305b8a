package windows

import "github.com/winsim/winsim/sim"

// WaitForSingleObjectEx is not in golang.org/x/sys/windows: programs that
// need an alertable wait generate it with mkwinsyscall from
//
//	//sys	WaitForSingleObjectEx(handle Handle, waitMilliseconds uint32, alertable bool) (event uint32, err error) [failretval==0xffffffff] = kernel32.WaitForSingleObjectEx
//
// and the twin offers it with the signature such a wrapper has, outside the
// identity check. It is WaitForSingleObject with an alertable wait: queued
// APCs of the goroutine's thread end it with WAIT_IO_COMPLETION.
func WaitForSingleObjectEx(handle Handle, waitMilliseconds uint32, alertable bool) (event uint32, err error) {
	h := sim.Handle(handle)
	return wait(waitMilliseconds, func(t *sim.Thread) (sim.WaitResult, error) {
		return t.WaitForSingleObjectEx(h, 0, alertable)
	})
}
