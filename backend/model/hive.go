package model

import (
	"fmt"
	"github.com/winsim/winsim/win32"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
)

var _ backend.Registry = (*Backend)(nil)

// Registry returns the registry model.
func (b *Backend) Registry() *hive.Registry { return b.reg }

// NtCreateKey implements backend.Registry.
func (b *Backend) NtCreateKey(th string, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return b.reg.NtCreateKey(b.th(th), access, oa, options)
}

// ZwCreateKey implements backend.Registry.
func (b *Backend) ZwCreateKey(th string, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return b.reg.ZwCreateKey(b.th(th), access, oa, options)
}

// NtOpenKey implements backend.Registry.
func (b *Backend) NtOpenKey(th string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return b.reg.NtOpenKey(b.th(th), access, oa)
}

// ZwOpenKey implements backend.Registry.
func (b *Backend) ZwOpenKey(th string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return b.reg.ZwOpenKey(b.th(th), access, oa)
}

// NtSetValueKey implements backend.Registry.
func (b *Backend) NtSetValueKey(th string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return b.reg.NtSetValueKey(b.th(th), h, name, typ, data)
}

// ZwSetValueKey implements backend.Registry.
func (b *Backend) ZwSetValueKey(th string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return b.reg.ZwSetValueKey(b.th(th), h, name, typ, data)
}

// NtQueryValueKey implements backend.Registry.
func (b *Backend) NtQueryValueKey(th string, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return b.reg.NtQueryValueKey(b.th(th), h, name)
}

// ZwQueryValueKey implements backend.Registry.
func (b *Backend) ZwQueryValueKey(th string, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return b.reg.ZwQueryValueKey(b.th(th), h, name)
}

// NtDeleteKey implements backend.Registry.
func (b *Backend) NtDeleteKey(th string, h sim.Handle) sim.NTStatus {
	return b.reg.NtDeleteKey(b.th(th), h)
}

// ZwDeleteKey implements backend.Registry.
func (b *Backend) ZwDeleteKey(th string, h sim.Handle) sim.NTStatus {
	return b.reg.ZwDeleteKey(b.th(th), h)
}

// NtFlushKey implements backend.Registry.
func (b *Backend) NtFlushKey(th string, h sim.Handle) sim.NTStatus {
	return b.reg.NtFlushKey(b.th(th), h)
}

// ZwFlushKey implements backend.Registry.
func (b *Backend) ZwFlushKey(th string, h sim.Handle) sim.NTStatus {
	return b.reg.ZwFlushKey(b.th(th), h)
}

// NtClose implements backend.Registry.
func (b *Backend) NtClose(th string, h sim.Handle) sim.NTStatus { return b.reg.NtClose(b.th(th), h) }

// ZwClose implements backend.Registry.
func (b *Backend) ZwClose(th string, h sim.Handle) sim.NTStatus { return b.reg.ZwClose(b.th(th), h) }

// RegFlushKey implements backend.Registry.
func (b *Backend) RegFlushKey(th string, hKey sim.Handle) sim.Errno {
	return b.reg.RegFlushKey(b.th(th), hKey)
}

// ReturnFromRoutine implements backend.CallerContextSetter.
func (b *Backend) ReturnFromRoutine(th string) error {
	t := b.threads[th]
	if t == nil {
		return fmt.Errorf("no thread named %q", th)
	}
	b.reg.ReturnFromRoutine(t)
	return nil
}

// LoadHive implements backend.Durability.
func (b *Backend) LoadHive(path string, flags uint32) error { return b.reg.LoadHive(path, flags) }

// SetLazyFlush implements backend.Durability.
func (b *Backend) SetLazyFlush(interval time.Duration) error { return b.reg.SetLazyFlush(interval) }

// Crash implements backend.Durability.
func (b *Backend) Crash(policy win32.CrashPolicy) error {
	b.reg.Crash(policy)
	return nil
}

// CrashAt implements backend.Durability.
func (b *Backend) CrashAt(point int, policy win32.CrashPolicy) error {
	return b.reg.CrashAt(point, policy)
}

// HiveStats implements backend.Durability.
func (b *Backend) HiveStats(path string) (win32.FlushStats, error) { return b.reg.Stats(path) }
