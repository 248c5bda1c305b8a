package kernel

import (
	"sync"
	"unsafe"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/hook"
)

// The hot fields, read in place. Package sim keeps each one first in its
// struct with this type and checks so at compile time (sim/layout.go),
// which is what makes these conversions sound: a pointer to a struct is a
// pointer to its first field.

// head returns m's lock and fault count.
func head(m *sim.Machine) *hook.MachineHead { return (*hook.MachineHead)(unsafe.Pointer(m)) }

// mutex returns m's lock, the first field of its head: the shorter
// conversion keeps Lock and Unlock within the inlining budget.
func mutex(m *sim.Machine) *sync.Mutex { return (*sync.Mutex)(unsafe.Pointer(m)) }

// exited reports whether t has exited. The caller holds t's machine's lock.
func exited(t *sim.Thread) bool { return *(*bool)(unsafe.Pointer(t)) }

// handles returns p's handle table.
func handles(p *sim.Process) *sim.HandleTable { return *(**sim.HandleTable)(unsafe.Pointer(p)) }
