package sim

import (
	"sync"
	"unsafe"

	"github.com/winsim/winsim/sim/internal/hook"
)

// What every model call touches is read by package sim/internal/kernel in
// place, not through hook.Ops: the machine's lock and its count of armed
// fault injections (hook.MachineHead), whether the calling thread has
// exited, and the process's handle table. An interface call for each cost
// a family's cheapest calls about 15% (CryptContextAddRef with
// CryptReleaseContext); read in place, they inline.
//
// kernel converts a *Machine to a *hook.MachineHead (and to a *sync.Mutex,
// the head's first field), a *Thread to a *bool
// and a *Process to a **HandleTable (sim/internal/kernel/layout.go). That
// is sound only while each field is the first of its struct and keeps its
// type. The declarations below fail to compile otherwise: an index into a
// one-element array must be a constant 0, and each function states the
// field's type.
var (
	_ = [1]struct{}{}[unsafe.Offsetof(Machine{}.head)]
	_ = [1]struct{}{}[unsafe.Offsetof(hook.MachineHead{}.Mu)]
	_ = [1]struct{}{}[unsafe.Offsetof(Thread{}.exited)]
	_ = [1]struct{}{}[unsafe.Offsetof(Process{}.handles)]

	_ = func(m *Machine) *hook.MachineHead { return &m.head }
	_ = func(h *hook.MachineHead) *sync.Mutex { return &h.Mu }
	_ = func(t *Thread) *bool { return &t.exited }
	_ = func(p *Process) **HandleTable { return &p.handles }
)
