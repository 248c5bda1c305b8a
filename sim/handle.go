package sim

import (
	"fmt"
	"slices"
)

// Handle is a handle value as a simulated process sees it. Values are
// multiples of 4, as on Windows; 0 is NULL and never issued.
type Handle uintptr

// INVALID_HANDLE_VALUE is (HANDLE)-1.
const INVALID_HANDLE_VALUE = ^Handle(0)

// String formats h for traces: "NULL", "INVALID_HANDLE_VALUE" or "h0x10".
func (h Handle) String() string {
	switch h {
	case 0:
		return "NULL"
	case INVALID_HANDLE_VALUE:
		return "INVALID_HANDLE_VALUE"
	}
	return fmt.Sprintf("h%#x", uintptr(h))
}

// Object is anything a handle can refer to. Each API family defines its own
// object types; TypeName is the name the object manager would report
// ("Event", "Key", "SC_HANDLE(service)").
type Object interface {
	TypeName() string
}

// KernelObject is implemented by objects that CloseHandle may close. SC_HANDLEs,
// CryptoAPI and NCrypt handles live in the same table in the model but are not
// kernel handles, so CloseHandle rejects them.
type KernelObject interface {
	Object
	kernelObject()
}

// KernelObjectBase can be embedded to make a type a KernelObject.
type KernelObjectBase struct{}

func (KernelObjectBase) kernelObject() {}

// HandleState says why a handle value did or did not resolve.
type HandleState uint8

// The outcomes of resolving a handle value.
const (
	HandleValid       HandleState = iota // open in this table
	HandleNull                           // 0
	HandleInvalid                        // INVALID_HANDLE_VALUE (-1)
	HandleClosed                         // was issued by this table and has been closed
	HandleNeverIssued                    // this table never issued the value
	HandleWrongType                      // open, but refers to another kind of object
)

// String names the state.
func (s HandleState) String() string {
	return [...]string{"valid", "NULL", "INVALID_HANDLE_VALUE", "closed", "never issued", "wrong type"}[s]
}

type handleEntry struct {
	obj    Object
	access uint32
}

// HandleTable maps handle values to objects for one process. Values are never
// reissued: a stale handle keeps failing after its object is gone, which is the
// failure a caller that reuses a closed handle should see.
type HandleTable struct {
	next    Handle
	entries map[Handle]handleEntry
}

func newHandleTable() *HandleTable {
	return &HandleTable{next: 4, entries: make(map[Handle]handleEntry)}
}

// Insert adds obj with the granted access mask and returns its new handle.
func (t *HandleTable) Insert(obj Object, access uint32) Handle {
	h := t.next
	t.next += 4
	t.entries[h] = handleEntry{obj, access}
	return h
}

// Lookup resolves h. The state tells a NULL, closed, never-issued and
// valid handle apart.
func (t *HandleTable) Lookup(h Handle) (obj Object, access uint32, state HandleState) {
	switch {
	case h == 0:
		return nil, 0, HandleNull
	case h == INVALID_HANDLE_VALUE:
		return nil, 0, HandleInvalid
	}
	if e, ok := t.entries[h]; ok {
		return e.obj, e.access, HandleValid
	}
	if h < t.next && h%4 == 0 {
		return nil, 0, HandleClosed
	}
	return nil, 0, HandleNeverIssued
}

// Resolve looks h up and checks that it refers to a T.
func Resolve[T Object](t *HandleTable, h Handle) (obj T, access uint32, state HandleState) {
	o, access, state := t.Lookup(h)
	if state != HandleValid {
		return obj, 0, state
	}
	obj, ok := o.(T)
	if !ok {
		return obj, 0, HandleWrongType
	}
	return obj, access, HandleValid
}

// Remove closes h and returns the object it referred to.
func (t *HandleTable) Remove(h Handle) (Object, bool) {
	e, ok := t.entries[h]
	if !ok {
		return nil, false
	}
	delete(t.entries, h)
	return e.obj, true
}

// Len returns the number of open handles.
func (t *HandleTable) Len() int { return len(t.entries) }

// Handles returns the open handle values in increasing order.
func (t *HandleTable) Handles() []Handle {
	out := make([]Handle, 0, len(t.entries))
	for h := range t.entries {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}
