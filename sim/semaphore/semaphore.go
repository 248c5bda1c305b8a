package semaphore

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// Semaphore is a kernel semaphore object: a count between zero and a
// maximum fixed at creation.
type Semaphore struct {
	sim.KernelObjectBase
	count, maximum int32
}

// TypeName implements sim.Object.
func (*Semaphore) TypeName() string { return "Semaphore" }

// Signaled implements sim.WaitableObject (the kernel calls it inside a
// wait, under the lock): a wait is satisfied while the count is above zero
// (rule semaphore.wait.takes-one).
func (s *Semaphore) Signaled(*sim.Thread) bool { return s.count > 0 }

// Acquire implements sim.WaitableObject: every wait the semaphore
// satisfies takes one unit of its count (rule semaphore.wait.takes-one).
//
// The count never goes below zero: under Wine 8.0, whose waits accept a
// wait-all naming the semaphore twice (setting
// kernel.wait.duplicate-wait-all-rejected), such a wait on a count of 1
// would take a unit per copy, where Wine's server stops on an assertion
// (rule semaphore.wait.duplicate-wine, out of scope).
func (s *Semaphore) Acquire(*sim.Thread) {
	taken := min(int32(1), s.count)
	taken = sim.FaultBroken(RuleWaitTakesOne, taken, 0)
	s.count -= taken
}

// Count returns the current count, for tests and the trace.
func (s *Semaphore) Count() int32 { return s.count }

// machineOf returns t's machine; a nil thread is the caller's mistake,
// reported before any lock is taken.
func machineOf(t *sim.Thread) *sim.Machine {
	if t == nil {
		panic("semaphore: a model call was given a nil *Thread")
	}
	return t.Machine()
}

// CreateSemaphore creates an unnamed semaphore with the given initial and
// maximum counts, as CreateSemaphoreW(NULL, lInitialCount, lMaximumCount,
// NULL) does, and returns a handle with SEMAPHORE_ALL_ACCESS.
//
// The page asks for lMaximumCount above zero and lInitialCount between
// zero and lMaximumCount; any other pair fails with ERROR_INVALID_PARAMETER
// and a NULL handle (rule semaphore.create.counts).
func CreateSemaphore(t *sim.Thread, initialCount, maximumCount int32) (sim.Handle, sim.Errno) {
	m := machineOf(t)
	kernel.Enter(m, t)
	defer kernel.Unlock(m)
	valid := maximumCount > 0 && initialCount >= 0 && initialCount <= maximumCount
	valid = sim.FaultBroken(RuleCreateCounts, valid, true)
	if !valid {
		return 0, traced(m, t, sim.ERROR_INVALID_PARAMETER, func() string {
			return fmt.Sprintf("CreateSemaphore(%d, %d) -> NULL, %s", initialCount, maximumCount, sim.ERROR_INVALID_PARAMETER)
		})
	}
	s := &Semaphore{count: initialCount, maximum: maximumCount}
	h := kernel.Handles(t).Insert(s, win32.SEMAPHORE_ALL_ACCESS)
	return h, traced(m, t, sim.ERROR_SUCCESS, func() string { return fmt.Sprintf("CreateSemaphore(%d, %d) -> %s", initialCount, maximumCount, h) })
}

// ReleaseSemaphore adds releaseCount to the count of the semaphore behind h
// and, when previousCount is not nil, stores the count it had before.
//
// The checks, in the order Windows makes them:
//   - lReleaseCount must be above zero (rule
//     semaphore.release.count-positive), checked before the handle; Wine
//     8.0 checks nothing (setting semaphore.release.count-checked, rule
//     semaphore.release.count-unchecked-wine), so there 0 succeeds and a
//     negative count, read as a huge unsigned one, exceeds the maximum;
//   - h must be an open handle to a semaphore (rule
//     semaphore.release.invalid-handle);
//   - the new count must not exceed the maximum: if it would, the call
//     fails with ERROR_TOO_MANY_POSTS and changes nothing, *previousCount
//     included (rule semaphore.release.limit).
func ReleaseSemaphore(t *sim.Thread, h sim.Handle, releaseCount int32, previousCount *int32) sim.Errno {
	m := machineOf(t)
	kernel.Enter(m, t)
	defer kernel.Unlock(m)
	call := "ReleaseSemaphore(%s, %d) -> %s"
	checked := settingReleaseCountChecked.In(m.Profile())
	checked = sim.FaultBroken(RuleReleaseCountWine, checked, true)
	countValid := releaseCount > 0
	countValid = sim.FaultBroken(RuleReleaseCount, countValid, true)
	if checked && !countValid {
		return traced(m, t, sim.ERROR_INVALID_PARAMETER, func() string { return fmt.Sprintf(call, h, releaseCount, sim.ERROR_INVALID_PARAMETER) })
	}

	s, _, st := sim.Resolve[*Semaphore](kernel.Handles(t), h)
	valid := st == sim.HandleValid
	valid = sim.FaultBroken(RuleReleaseHandle, valid, valid || st == sim.HandleWrongType)
	if !valid {
		return traced(m, t, sim.ERROR_INVALID_HANDLE, func() string { return fmt.Sprintf(call, h, releaseCount, sim.ERROR_INVALID_HANDLE) })
	}
	if s == nil { // only while RuleReleaseHandle is broken: another object's handle
		return traced(m, t, sim.ERROR_SUCCESS, func() string { return fmt.Sprintf(call, h, releaseCount, sim.ERROR_SUCCESS) })
	}

	// Unchecked (Wine 8.0), the count is unsigned: a negative one is far
	// above any maximum.
	room := int64(s.maximum) - int64(s.count)
	fits := int64(releaseCount) <= room
	if !checked {
		fits = int64(uint32(releaseCount)) <= room
	}
	fits = sim.FaultBroken(RuleReleaseLimit, fits, true)
	if !fits {
		return traced(m, t, sim.ERROR_TOO_MANY_POSTS, func() string { return fmt.Sprintf(call, h, releaseCount, sim.ERROR_TOO_MANY_POSTS) })
	}

	before := s.count
	s.count = min(s.count+releaseCount, s.maximum)
	if previousCount != nil {
		*previousCount = sim.FaultBroken(RuleReleaseAdds, before, s.count)
	}
	return traced(m, t, sim.ERROR_SUCCESS, func() string { return fmt.Sprintf(call, h, releaseCount, sim.ERROR_SUCCESS) })
}

// traced records a call in the trace, when the machine keeps one (text
// formats its line), and returns its code.
func traced(m *sim.Machine, t *sim.Thread, code sim.Errno, text func() string) sim.Errno {
	kernel.Trace(m, t, sim.EvCall, text)
	return code
}
