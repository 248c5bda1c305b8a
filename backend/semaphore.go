package backend

import "github.com/winsim/winsim/sim"

// Semaphores is the kernel semaphore family: unnamed semaphores made with
// CreateSemaphoreW(NULL, initial, maximum, NULL) and released with
// ReleaseSemaphore. Waits on them are the Kernel's, and CloseHandle closes
// them.
type Semaphores interface {
	Kernel

	// CreateSemaphore returns the handle, or 0 with the thread's last error.
	CreateSemaphore(thread string, initialCount, maximumCount int32) (sim.Handle, sim.Errno)
	// ReleaseSemaphore returns ERROR_SUCCESS for TRUE, else the thread's
	// last error. A nil previousCount passes NULL.
	ReleaseSemaphore(thread string, h sim.Handle, releaseCount int32, previousCount *int32) sim.Errno
}

// CapSemaphores: the backend implements Semaphores.
var CapSemaphores = NewCapability[Semaphores]("family:semaphore")
