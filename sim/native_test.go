package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// otherObject is a kernel object of another type than Event.
type otherObject struct{ KernelObjectBase }

func (*otherObject) TypeName() string { return "Other" }

// userObject is not a kernel object (like an SC_HANDLE).
type userObject struct{}

func (*userObject) TypeName() string { return "User" }

// TestReferenceByHandle encodes ObReferenceObjectByHandle's outcomes for
// each kind of handle value and previous mode.
func TestReferenceByHandle(t *testing.T) {
	m := MustNewMachine(Options{NoTrace: true})
	th := m.NewProcess("p").NewThread("t")
	m.head.Mu.Lock()
	ev := th.insertHandle(&Event{}, EVENT_ALL_ACCESS, 0, UserMode)
	kev := th.insertHandle(&Event{}, EVENT_ALL_ACCESS, OBJ_KERNEL_HANDLE, KernelMode)
	ignored := th.insertHandle(&Event{}, EVENT_ALL_ACCESS, OBJ_KERNEL_HANDLE, UserMode)
	other := th.Proc.handles.Insert(&otherObject{}, 0)
	user := th.Proc.handles.Insert(&userObject{}, 0)
	closed := th.Proc.handles.Insert(&Event{}, 0)
	th.Proc.handles.Remove(closed)
	m.head.Mu.Unlock()

	require.True(t, kev.IsKernel())
	require.False(t, ev.IsKernel())
	require.False(t, ignored.IsKernel(), "OBJ_KERNEL_HANDLE from user mode is ignored")
	for _, tc := range []struct {
		name string
		h    Handle
		mode Mode
		want NTStatus
	}{
		{"event", ev, UserMode, STATUS_SUCCESS},
		{"event from kernel mode", ev, KernelMode, STATUS_SUCCESS},
		{"kernel handle from kernel mode", kev, KernelMode, STATUS_SUCCESS},
		{"kernel handle from user mode", kev, UserMode, STATUS_INVALID_HANDLE},
		{"NULL", 0, KernelMode, STATUS_INVALID_HANDLE},
		{"closed", closed, UserMode, STATUS_INVALID_HANDLE},
		{"never issued", 0xDEAD0, UserMode, STATUS_INVALID_HANDLE},
		{"never issued kernel value", KernelHandleFlag | 0x400, KernelMode, STATUS_INVALID_HANDLE},
		{"other kernel type", other, UserMode, STATUS_OBJECT_TYPE_MISMATCH},
		{"not a kernel object", user, UserMode, STATUS_INVALID_HANDLE},
		{"current process", NtCurrentProcess, UserMode, STATUS_OBJECT_TYPE_MISMATCH},
		{"current thread", NtCurrentThread, KernelMode, STATUS_OBJECT_TYPE_MISMATCH},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.head.Mu.Lock()
			defer m.head.Mu.Unlock()
			obj, _, st := referenceByHandle[*Event](th, tc.h, tc.mode)
			assert.Equal(t, tc.want, st)
			assert.Equal(t, st == STATUS_SUCCESS, obj != nil)
		})
	}
}

func TestNtClose(t *testing.T) {
	m := MustNewMachine(Options{})
	th := m.NewProcess("p").NewThread("t")
	m.head.Mu.Lock()
	kev := th.insertHandle(&Event{}, EVENT_ALL_ACCESS, OBJ_KERNEL_HANDLE, KernelMode)
	// A kernel-mode caller gets a kernel handle only when it asks for one.
	pev := th.insertHandle(&Event{}, EVENT_ALL_ACCESS, OBJ_INHERIT, KernelMode)
	m.head.Mu.Unlock()
	assert.True(t, kev.IsKernel())
	assert.False(t, pev.IsKernel(), "no OBJ_KERNEL_HANDLE: a process handle")
	assert.Equal(t, STATUS_SUCCESS, th.NtClose(pev, UserMode))
	ev := th.CreateEvent(false, false)
	assert.Equal(t, STATUS_INVALID_HANDLE, th.NtClose(kev, UserMode))
	assert.Equal(t, STATUS_SUCCESS, th.NtClose(kev, KernelMode))
	assert.Equal(t, STATUS_INVALID_HANDLE, th.NtClose(kev, KernelMode), "closed")
	assert.Equal(t, STATUS_SUCCESS, th.NtClose(ev, UserMode))
	assert.Equal(t, ERROR_INVALID_HANDLE, th.SetEvent(ev))
	assert.Equal(t, STATUS_INVALID_HANDLE, th.NtClose(NtCurrentProcess, KernelMode))
	assert.Equal(t, STATUS_INVALID_HANDLE, th.NtClose(0, UserMode))
}

func TestKernelHandleValues(t *testing.T) {
	assert.False(t, INVALID_HANDLE_VALUE.IsKernel())
	assert.False(t, NtCurrentThread.IsKernel())
	assert.False(t, Handle(0x7FFFFFFC).IsKernel())
	assert.True(t, (KernelHandleFlag | 4).IsKernel())
	assert.Equal(t, Handle(^uintptr(1)), NtCurrentThread, "(HANDLE)-2")
}

// TestGenericMapping encodes GenericMapping.Map: each generic right in the
// mask adds the type's specific rights for it, MAXIMUM_ALLOWED adds All,
// and the specific rights already in the mask stay. The registry's mapping
// (KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS) comes first; a
// mapping of distinct single bits then shows which generic right added
// what.
func TestGenericMapping(t *testing.T) {
	key := GenericMapping{Read: 0x20019, Write: 0x20006, Execute: 0x20019, All: 0xF003F}
	bits := GenericMapping{Read: 0x1, Write: 0x2, Execute: 0x4, All: 0xF}
	for _, tc := range []struct {
		g        GenericMapping
		in, want uint32
	}{
		{key, 0, 0},
		{key, 1, 1},
		{key, GENERIC_READ, 0x20019},
		{key, GENERIC_WRITE | 0x10000, 0x30006},
		{key, GENERIC_EXECUTE | GENERIC_WRITE, 0x2001F},
		{key, GENERIC_ALL, 0xF003F},
		{key, MAXIMUM_ALLOWED, 0xF003F},
		{bits, GENERIC_READ | 0x100, 0x101},
		{bits, GENERIC_WRITE | 0x100, 0x102},
		{bits, GENERIC_EXECUTE | 0x100, 0x104},
		{bits, GENERIC_ALL | 0x100, 0x10F},
		{bits, MAXIMUM_ALLOWED | 0x100, 0x10F},
		{bits, GENERIC_READ | GENERIC_EXECUTE, 0x5},
		{bits, GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE, 0x7},
	} {
		assert.Equal(t, tc.want, tc.g.Map(tc.in), "%+v.Map(%#x)", tc.g, tc.in)
	}
}

func TestNTStatusWin32(t *testing.T) {
	for _, tc := range []struct {
		s    NTStatus
		want Errno
	}{
		{STATUS_SUCCESS, ERROR_SUCCESS},
		{STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE},
		{STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE},
		{STATUS_KEY_DELETED, ERROR_KEY_DELETED},
		{STATUS_REGISTRY_IO_FAILED, ERROR_REGISTRY_IO_FAILED},
		{STATUS_REGISTRY_CORRUPT, ERROR_BADDB},
		{STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED},
		{STATUS_CHILD_MUST_BE_VOLATILE, ERROR_CHILD_MUST_BE_VOLATILE},
		{STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND},
		{STATUS_OBJECT_NAME_INVALID, ERROR_INVALID_NAME},
		{STATUS_OBJECT_PATH_SYNTAX_BAD, ERROR_BAD_PATHNAME},
		{STATUS_NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS},
		{STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA},
	} {
		got, ok := tc.s.Win32()
		assert.True(t, ok, "%s", tc.s)
		assert.Equal(t, tc.want, got, "%s", tc.s)
	}
	_, ok := STATUS_USER_APC.Win32()
	assert.False(t, ok)
}
