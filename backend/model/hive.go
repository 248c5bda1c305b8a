package model

import (
	"fmt"
	"time"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

var _ backend.Registry = (*Backend)(nil)

// registryModel is each machine's registry, with the default hives.
var registryModel = registerModel("registry", func(m *sim.Machine) *hive.Registry { return hive.MustNew(m, hive.Options{}) })

// Registry returns the registry model.
func (b *Backend) Registry() *hive.Registry { return registryModel.of(b) }

// NtCreateKey implements backend.Registry.
func (b *Backend) NtCreateKey(th string, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return b.Registry().NtCreateKey(b.th(th), access, oa, options)
}

// ZwCreateKey implements backend.Registry.
func (b *Backend) ZwCreateKey(th string, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return b.Registry().ZwCreateKey(b.th(th), access, oa, options)
}

// NtOpenKey implements backend.Registry.
func (b *Backend) NtOpenKey(th string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return b.Registry().NtOpenKey(b.th(th), access, oa)
}

// ZwOpenKey implements backend.Registry.
func (b *Backend) ZwOpenKey(th string, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return b.Registry().ZwOpenKey(b.th(th), access, oa)
}

// NtSetValueKey implements backend.Registry.
func (b *Backend) NtSetValueKey(th string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return b.Registry().NtSetValueKey(b.th(th), h, name, typ, data)
}

// ZwSetValueKey implements backend.Registry.
func (b *Backend) ZwSetValueKey(th string, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return b.Registry().ZwSetValueKey(b.th(th), h, name, typ, data)
}

// NtQueryValueKey implements backend.Registry.
func (b *Backend) NtQueryValueKey(th string, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return b.Registry().NtQueryValueKey(b.th(th), h, name)
}

// ZwQueryValueKey implements backend.Registry.
func (b *Backend) ZwQueryValueKey(th string, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return b.Registry().ZwQueryValueKey(b.th(th), h, name)
}

// NtDeleteValueKey implements backend.Registry.
func (b *Backend) NtDeleteValueKey(th string, h sim.Handle, name string) sim.NTStatus {
	return b.Registry().NtDeleteValueKey(b.th(th), h, name)
}

// ZwDeleteValueKey implements backend.Registry.
func (b *Backend) ZwDeleteValueKey(th string, h sim.Handle, name string) sim.NTStatus {
	return b.Registry().ZwDeleteValueKey(b.th(th), h, name)
}

// NtQueryKey implements backend.Registry.
func (b *Backend) NtQueryKey(th string, h sim.Handle, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.Registry().NtQueryKey(b.th(th), h, class, length)
}

// ZwQueryKey implements backend.Registry.
func (b *Backend) ZwQueryKey(th string, h sim.Handle, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.Registry().ZwQueryKey(b.th(th), h, class, length)
}

// NtEnumerateKey implements backend.Registry.
func (b *Backend) NtEnumerateKey(th string, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.Registry().NtEnumerateKey(b.th(th), h, index, class, length)
}

// ZwEnumerateKey implements backend.Registry.
func (b *Backend) ZwEnumerateKey(th string, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.Registry().ZwEnumerateKey(b.th(th), h, index, class, length)
}

// NtEnumerateValueKey implements backend.Registry.
func (b *Backend) NtEnumerateValueKey(th string, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.Registry().NtEnumerateValueKey(b.th(th), h, index, class, length)
}

// ZwEnumerateValueKey implements backend.Registry.
func (b *Backend) ZwEnumerateValueKey(th string, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return b.Registry().ZwEnumerateValueKey(b.th(th), h, index, class, length)
}

// NtDeleteKey implements backend.Registry.
func (b *Backend) NtDeleteKey(th string, h sim.Handle) sim.NTStatus {
	return b.Registry().NtDeleteKey(b.th(th), h)
}

// ZwDeleteKey implements backend.Registry.
func (b *Backend) ZwDeleteKey(th string, h sim.Handle) sim.NTStatus {
	return b.Registry().ZwDeleteKey(b.th(th), h)
}

// NtFlushKey implements backend.Registry.
func (b *Backend) NtFlushKey(th string, h sim.Handle) sim.NTStatus {
	return b.Registry().NtFlushKey(b.th(th), h)
}

// ZwFlushKey implements backend.Registry.
func (b *Backend) ZwFlushKey(th string, h sim.Handle) sim.NTStatus {
	return b.Registry().ZwFlushKey(b.th(th), h)
}

// NtClose implements backend.Registry.
func (b *Backend) NtClose(th string, h sim.Handle) sim.NTStatus {
	return b.Registry().NtClose(b.th(th), h)
}

// ZwClose implements backend.Registry.
func (b *Backend) ZwClose(th string, h sim.Handle) sim.NTStatus {
	return b.Registry().ZwClose(b.th(th), h)
}

// RegFlushKey implements backend.Registry.
func (b *Backend) RegFlushKey(th string, hKey sim.Handle) sim.Errno {
	return b.Registry().RegFlushKey(b.th(th), hKey)
}

// ReturnFromRoutine implements backend.CallerContextSetter.
func (b *Backend) ReturnFromRoutine(th string) error {
	t := b.threads[th]
	if t == nil {
		return fmt.Errorf("no thread named %q", th)
	}
	b.Registry().ReturnFromRoutine(t)
	return nil
}

// LoadHive implements backend.Durability.
func (b *Backend) LoadHive(path string, flags uint32) error {
	return b.Registry().LoadHive(path, flags)
}

// SetLazyFlush implements backend.Durability.
func (b *Backend) SetLazyFlush(interval time.Duration) error {
	return b.Registry().SetLazyFlush(interval)
}

// Crash implements backend.Durability.
func (b *Backend) Crash(policy win32.CrashPolicy) error {
	b.Registry().Crash(policy)
	return nil
}

// CrashAt implements backend.Durability.
func (b *Backend) CrashAt(point int, policy win32.CrashPolicy) error {
	return b.Registry().CrashAt(point, policy)
}

// HiveStats implements backend.Durability.
func (b *Backend) HiveStats(path string) (win32.FlushStats, error) { return b.Registry().Stats(path) }
