package hive_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// TestSteadyStateAllocations: with the trace off, the registry's calls in
// steady state allocate only what outlives them: setting a value that
// exists allocates nothing, a query the copy of the data it returns, an
// open the handle's object, a flush of a clean hive nothing, and a flush
// of one changed value to the in-memory store nothing either (the store
// copies the record into the storage of the value it replaces). Counted
// with testing.AllocsPerRun, which measures no time.
func TestSteadyStateAllocations(t *testing.T) {
	const path = `\Registry\Machine\SOFTWARE\App`
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	r := hive.MustNew(m, hive.Options{})
	th := m.NewProcess("app.exe").NewThread("main")
	h, _, st := r.NtCreateKey(th, win32.KEY_ALL_ACCESS, win32.Abs(path), 0)
	assert.Equal(t, sim.STATUS_SUCCESS, st)
	data := []byte{1, 2, 3, 4}
	r.NtSetValueKey(th, h, "Counter", win32.REG_DWORD, data)
	r.NtFlushKey(th, h)
	tests := []struct {
		name string
		want float64
		run  func()
	}{
		{"NtSetValueKey", 0, func() { r.NtSetValueKey(th, h, "Counter", win32.REG_DWORD, data) }},
		{"NtQueryValueKey", 1, func() { r.NtQueryValueKey(th, h, "Counter") }},
		{"NtOpenKey+NtClose", 1, func() {
			k, _ := r.NtOpenKey(th, win32.KEY_READ, win32.Abs(path))
			r.NtClose(th, k)
		}},
		{"NtFlushKey of a clean hive", 0, func() { r.NtFlushKey(th, h) }},
		{"NtSetValueKey+NtFlushKey", 0, func() {
			r.NtSetValueKey(th, h, "Counter", win32.REG_DWORD, data)
			r.NtFlushKey(th, h)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run()
			assert.Equal(t, tt.want, testing.AllocsPerRun(100, tt.run))
		})
	}
}
