package model

import (
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/semaphore"
)

// The semaphore model keeps no state of its own: its objects live in the
// client process's handle table.
var _ backend.Semaphores = (*Backend)(nil)

// CreateSemaphore implements backend.Semaphores.
func (b *Backend) CreateSemaphore(th string, initialCount, maximumCount int32) (sim.Handle, sim.Errno) {
	return semaphore.CreateSemaphore(b.th(th), initialCount, maximumCount)
}

// ReleaseSemaphore implements backend.Semaphores.
func (b *Backend) ReleaseSemaphore(th string, h sim.Handle, releaseCount int32, previousCount *int32) sim.Errno {
	return semaphore.ReleaseSemaphore(b.th(th), h, releaseCount, previousCount)
}
