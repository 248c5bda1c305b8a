package backend

import (
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

var (
	// CapRegistry: the backend implements the Registry interface.
	CapRegistry = NewCapability[Registry]("family:registry")
	// CapCrash: the backend is a Durability: it can cut the power and
	// inspect the registry's durable layer. Only a model can.
	CapCrash = NewCapability[Durability]("crash")
)

// Registry is the registry family: the native key calls as ntdll exports
// them (each Nt call has its Zw twin, which from user mode is the same entry
// point and from a driver runs in kernel mode), RegFlushKey from advapi32,
// and the model-only controls of the durable layer.
//
// A real binding implements each call with the ntdll or advapi32 function
// of the same name: NtCreateKey(&h, access, &OBJECT_ATTRIBUTES, 0, NULL,
// options, &disposition), NtOpenKey, NtSetValueKey(h, &name, 0, type, data,
// len), NtQueryValueKey(h, &name, KeyValuePartialInformation, ...),
// NtDeleteValueKey(h, &name), NtQueryKey(h, class, buf, length, &n),
// NtEnumerateKey(h, index, class, buf, length, &n), NtEnumerateValueKey,
// NtDeleteKey, NtFlushKey, NtClose, RegFlushKey. The model-only controls
// are the optional Durability interface.
type Registry interface {
	Kernel

	NtCreateKey(thread string, access uint32, oa win32.ObjectAttributes, options uint32) (h sim.Handle, disposition uint32, status sim.NTStatus)
	ZwCreateKey(thread string, access uint32, oa win32.ObjectAttributes, options uint32) (h sim.Handle, disposition uint32, status sim.NTStatus)
	NtOpenKey(thread string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus)
	ZwOpenKey(thread string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus)
	NtSetValueKey(thread string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus
	ZwSetValueKey(thread string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus
	// NtQueryValueKey returns the value's type and data (the
	// KeyValuePartialInformation class, with a buffer large enough).
	NtQueryValueKey(thread string, h sim.Handle, name string) (typ uint32, data []byte, status sim.NTStatus)
	ZwQueryValueKey(thread string, h sim.Handle, name string) (typ uint32, data []byte, status sim.NTStatus)
	NtDeleteValueKey(thread string, h sim.Handle, name string) sim.NTStatus
	ZwDeleteValueKey(thread string, h sim.Handle, name string) sim.NTStatus
	// NtQueryKey, NtEnumerateKey and NtEnumerateValueKey take an
	// information class (win32.KeyBasicInformation ...,
	// win32.KeyValueBasicInformation ...) and the length of the caller's
	// buffer; they return the bytes the call wrote into it (the structure
	// in the SDK's layout, as far as the buffer holds it: nothing for
	// STATUS_BUFFER_TOO_SMALL and other failures), ResultLength and the
	// status.
	NtQueryKey(thread string, h sim.Handle, class, length uint32) (info []byte, resultLength uint32, status sim.NTStatus)
	ZwQueryKey(thread string, h sim.Handle, class, length uint32) (info []byte, resultLength uint32, status sim.NTStatus)
	NtEnumerateKey(thread string, h sim.Handle, index, class, length uint32) (info []byte, resultLength uint32, status sim.NTStatus)
	ZwEnumerateKey(thread string, h sim.Handle, index, class, length uint32) (info []byte, resultLength uint32, status sim.NTStatus)
	NtEnumerateValueKey(thread string, h sim.Handle, index, class, length uint32) (info []byte, resultLength uint32, status sim.NTStatus)
	ZwEnumerateValueKey(thread string, h sim.Handle, index, class, length uint32) (info []byte, resultLength uint32, status sim.NTStatus)
	NtDeleteKey(thread string, h sim.Handle) sim.NTStatus
	ZwDeleteKey(thread string, h sim.Handle) sim.NTStatus
	NtFlushKey(thread string, h sim.Handle) sim.NTStatus
	ZwFlushKey(thread string, h sim.Handle) sim.NTStatus
	NtClose(thread string, h sim.Handle) sim.NTStatus
	ZwClose(thread string, h sim.Handle) sim.NTStatus
	RegFlushKey(thread string, hKey sim.Handle) sim.Errno
}

// Durability is implemented by a backend that controls the registry's
// durable layer (CapCrash): crashes between calls and inside a flush, the
// lazy flush interval, hive loading with load flags, I/O counters.
type Durability interface {
	// LoadHive mounts a new empty hive with load flags.
	LoadHive(path string, flags uint32) error
	// SetLazyFlush sets the lazy flush interval; 0 turns it off.
	SetLazyFlush(interval time.Duration) error
	// Crash cuts the power now, between calls.
	Crash(policy win32.CrashPolicy) error
	// CrashAt arms a power cut before the point-th write or barrier of the
	// next flush.
	CrashAt(point int, policy win32.CrashPolicy) error
	// HiveStats returns the I/O counters of the hive mounted at path.
	HiveStats(path string) (win32.FlushStats, error)
}
