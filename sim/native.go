package sim

import "fmt"

// This file is the part of the object manager that the native (Nt*/Zw*)
// calls of every family share: OBJECT_ATTRIBUTES flags, kernel handles
// (OBJ_KERNEL_HANDLE), the pseudo handles, handle resolution with the
// caller's previous mode, and NtClose. The rules follow the documentation of
// ObReferenceObjectByHandle, InitializeObjectAttributes and "Using Nt and Zw
// Versions of the Native System Services Routines".

// OBJECT_ATTRIBUTES.Attributes flags.
const (
	OBJ_INHERIT            uint32 = 0x00000002
	OBJ_PERMANENT          uint32 = 0x00000010
	OBJ_EXCLUSIVE          uint32 = 0x00000020
	OBJ_CASE_INSENSITIVE   uint32 = 0x00000040
	OBJ_OPENIF             uint32 = 0x00000080
	OBJ_OPENLINK           uint32 = 0x00000100
	OBJ_KERNEL_HANDLE      uint32 = 0x00000200
	OBJ_FORCE_ACCESS_CHECK uint32 = 0x00000400
)

// The pseudo handles of the current process and thread: (HANDLE)-1 and
// (HANDLE)-2. NtCurrentProcess has the same value as INVALID_HANDLE_VALUE.
const (
	NtCurrentProcess = INVALID_HANDLE_VALUE
	NtCurrentThread  = ^Handle(1)
)

// KernelHandleFlag is set in the value of every kernel handle: kernel
// handles are the sign-extended values with the top bit of a 32-bit handle
// set (0xFFFFFFFF80000004 on 64-bit Windows), so that a handle value alone
// says which table it belongs to.
const KernelHandleFlag = ^Handle(0x7FFFFFFF)

// IsKernel reports whether h is a kernel handle value: negative as a
// LONG_PTR and not one of the pseudo handles. The predefined registry keys
// (HKEY_LOCAL_MACHINE is (HKEY)(LONG)0x80000002) also look like kernel
// handles, which is why a native call from user mode rejects them.
func (h Handle) IsKernel() bool {
	return h&KernelHandleFlag == KernelHandleFlag && h != NtCurrentProcess && h != NtCurrentThread
}

// kernelTable returns the handle table of the system process, where
// kernel handles live. Callers hold the lock.
func (m *Machine) kernelTable() *HandleTable {
	if m.kernelHandles == nil {
		m.kernelHandles = newHandleTable()
	}
	return m.kernelHandles
}

// tableOf returns the table a handle value of thread t belongs to and the
// value inside that table: the kernel table for a kernel handle, else t's
// process table. Callers hold the lock.
func (t *Thread) tableOf(h Handle) (*HandleTable, Handle) {
	if h.IsKernel() {
		return t.m.kernelTable(), h &^ KernelHandleFlag
	}
	return t.Proc.handles, h
}

// insertHandle gives t a handle to obj with the granted access, as the
// object manager does at the end of a native create or open: a kernel
// handle when attributes carry OBJ_KERNEL_HANDLE and the call is made in
// kernel mode, else a handle in t's process (a user-mode caller cannot ask
// for a kernel handle; the flag is ignored). Callers hold the lock.
func (t *Thread) insertHandle(obj Object, access, attributes uint32, mode Mode) Handle {
	if attributes&OBJ_KERNEL_HANDLE != 0 && mode == KernelMode {
		return t.m.kernelTable().Insert(obj, access) | KernelHandleFlag
	}
	return t.Proc.handles.Insert(obj, access)
}

// referenceByHandle resolves h for a native call made with the given
// previous mode, the way ObReferenceObjectByHandle does:
//   - NULL, a closed or never-issued value, and an object that is not a
//     kernel object (an SC_HANDLE) give STATUS_INVALID_HANDLE;
//   - a kernel handle from a UserMode caller gives STATUS_INVALID_HANDLE;
//   - the current-process and current-thread pseudo handles, and a kernel
//     object of another type, give STATUS_OBJECT_TYPE_MISMATCH.
//
// Access checks are the caller's: they apply only when mode is UserMode.
// Callers hold the lock.
func referenceByHandle[T KernelObject](t *Thread, h Handle, mode Mode) (obj T, access uint32, status NTStatus) {
	switch {
	case h == 0:
		return obj, 0, STATUS_INVALID_HANDLE
	case h == NtCurrentProcess || h == NtCurrentThread:
		return obj, 0, STATUS_OBJECT_TYPE_MISMATCH
	case h.IsKernel() && mode == UserMode:
		return obj, 0, STATUS_INVALID_HANDLE
	}
	table, v := t.tableOf(h)
	o, access, st := table.Lookup(v)
	if st != HandleValid {
		return obj, 0, STATUS_INVALID_HANDLE
	}
	if _, kernel := o.(KernelObject); !kernel {
		return obj, 0, STATUS_INVALID_HANDLE
	}
	obj, ok := o.(T)
	if !ok {
		return obj, 0, STATUS_OBJECT_TYPE_MISMATCH
	}
	return obj, access, STATUS_SUCCESS
}

// NtClose closes a handle to any kernel object, with the given previous
// mode: a kernel handle closes only from kernel mode. It returns
// STATUS_INVALID_HANDLE for NULL, a pseudo handle, a closed or never-issued
// value, and a handle that is not a kernel object.
func (t *Thread) NtClose(h Handle, mode Mode) NTStatus {
	t.enter()
	defer t.m.head.Mu.Unlock()
	t.checkAlive()
	st := t.closeNativeLocked(h, mode)
	t.m.traceText(t, EvCall, func() string { return fmt.Sprintf("NtClose(%s) -> %s", h, st) })
	return st
}

// closeNativeLocked is NtClose for families that trace the call themselves
// (ZwClose of the registry); it does not trace. Callers hold the lock.
func (t *Thread) closeNativeLocked(h Handle, mode Mode) NTStatus {
	if _, _, st := referenceByHandle[KernelObject](t, h, mode); st != STATUS_SUCCESS {
		return STATUS_INVALID_HANDLE
	}
	table, v := t.tableOf(h)
	obj, _ := table.Remove(v)
	if c, ok := obj.(HandleCloser); ok {
		c.HandleClosed(t, h)
	}
	return STATUS_SUCCESS
}
