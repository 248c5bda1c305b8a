package hive

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// opener says how a driver obtained a key handle, which decides the DDI
// rule that governs it.
type opener uint8

const (
	openedOther  opener = iota // by a user-mode caller, or through Nt*
	openedCreate               // ZwCreateKey by a driver: ZwRegistryCreate
	openedOpen                 // ZwOpenKey by a driver: ZwRegistryOpen
)

// keyHandle is what a key handle refers to: the key, the granted access,
// and where the handle lives. Each handle has its own keyHandle.
type keyHandle struct {
	sim.KernelObjectBase
	key    *key
	access uint32
	slot   int32            // its index in Registry.handles, -1 once forgotten
	value  sim.Handle       // as issued to the caller
	table  *sim.HandleTable // the table holding it
	local  sim.Handle       // its value inside table

	owner   *sim.Thread // the driver thread that obtained it through Zw, nil otherwise
	via     opener
	deleted bool // the owner passed it to ZwDeleteKey
}

// TypeName implements sim.Object: the object manager's name of the type.
func (*keyHandle) TypeName() string { return "Key" }

// HandleClosed implements sim.HandleCloser: whichever call closes the
// handle (ZwClose, NtClose, CloseHandle), the registry forgets it.
func (kh *keyHandle) HandleClosed(*sim.Thread, sim.Handle) {
	kh.key.hive.r.forget(kh)
}

// newHandle opens a handle to k for t.
func (r *Registry) newHandle(t *sim.Thread, k *key, access, attributes uint32, mode sim.Mode, via opener) sim.Handle {
	kh := &keyHandle{key: k, access: keyMapping.Map(access), via: via}
	h := kernel.InsertHandle(t, kh, kh.access, attributes, mode)
	kh.value = h
	kh.table, kh.local = kernel.TableOf(t, h)
	if via != openedOther {
		kh.owner = t
	}
	kh.slot = int32(len(r.handles))
	r.handles = append(r.handles, kh)
	return h
}

// forget drops a closed handle from the registry's bookkeeping: the last
// handle of the list takes its place.
func (r *Registry) forget(kh *keyHandle) {
	if i := int(kh.slot); i >= 0 && i < len(r.handles) && r.handles[i] == kh {
		last := len(r.handles) - 1
		r.handles[i] = r.handles[last]
		r.handles[i].slot = int32(i)
		r.handles[last] = nil
		r.handles = r.handles[:last]
		kh.slot = -1
	}
	if kh.owner != nil {
		r.driver(kh.owner).released[kh.value] = kh.via
	}
}

// peek returns the key handle h names in t's tables, ignoring modes and
// access, or nil.
func (r *Registry) peek(t *sim.Thread, h sim.Handle) *keyHandle {
	if h == 0 || h == sim.NtCurrentProcess || h == sim.NtCurrentThread {
		return nil
	}
	table, v := kernel.TableOf(t, h)
	o, _, st := table.Lookup(v)
	if st != sim.HandleValid {
		return nil
	}
	kh, _ := o.(*keyHandle)
	return kh
}

// OpenHandles returns the number of key handles open in every table.
func (r *Registry) OpenHandles() int {
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	return len(r.handles)
}

// fmtHKey formats a handle for the trace, naming the predefined keys.
func fmtHKey(h sim.Handle) string {
	for n, v := range win32.PredefinedKeys() {
		if v == h {
			return n
		}
	}
	return h.String()
}

// fmtData formats value data for the trace: its type and length.
func fmtData(typ uint32, data []byte) string {
	name := win32.ConstName(win32.GroupValueType, typ)
	if name == "" {
		name = fmt.Sprintf("%#x", typ)
	}
	if len(data) > 0 && len(data) <= 16 {
		return fmt.Sprintf("%s, %d bytes: %x", name, len(data), data)
	}
	return fmt.Sprintf("%s, %d bytes", name, len(data))
}
