package hive_test

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// What survives a power cut: the value flushed with ZwFlushKey, not the one
// written after it.
func ExampleRegistry_NtFlushKey() {
	m := sim.MustNewMachine(sim.Options{})
	r := hive.MustNew(m, hive.Options{})
	t := m.NewProcess("app.exe").NewThread("main")

	h, disp, st := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\App`), win32.REG_OPTION_NON_VOLATILE)
	fmt.Println(disp == win32.REG_CREATED_NEW_KEY, st)
	r.NtSetValueKey(t, h, "Saved", win32.REG_DWORD, []byte{1, 0, 0, 0})
	fmt.Println(r.NtFlushKey(t, h))
	r.NtSetValueKey(t, h, "Unsaved", win32.REG_DWORD, []byte{2, 0, 0, 0})

	r.Crash(win32.LoseUnbarriered)
	h, _ = r.NtOpenKey(t, win32.KEY_READ, win32.Abs(`\Registry\Machine\SOFTWARE\App`))
	_, data, st := r.NtQueryValueKey(t, h, "Saved")
	fmt.Println(data, st)
	_, _, st = r.NtQueryValueKey(t, h, "Unsaved")
	fmt.Println(st)
	// Output:
	// true STATUS_SUCCESS (0x00000000)
	// STATUS_SUCCESS (0x00000000)
	// [1 0 0 0] STATUS_SUCCESS (0x00000000)
	// STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)
}

// A power cut inside a flush: before the flush's log is committed the hive
// comes back as it was, after it as the flush left it, never a mix.
func ExampleRegistry_CrashAt() {
	m := sim.MustNewMachine(sim.Options{})
	r := hive.MustNew(m, hive.Options{})
	t := m.NewProcess("app.exe").NewThread("main")
	a, _, _ := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\A`), 0)
	b, _, _ := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\B`), 0)
	r.NtFlushKey(t, a)

	for _, point := range []int{2, 7} {
		r.NtSetValueKey(t, a, "v", win32.REG_DWORD, []byte{byte(point), 0, 0, 0})
		r.NtSetValueKey(t, b, "v", win32.REG_DWORD, []byte{byte(point), 0, 0, 0})
		_ = r.CrashAt(point, win32.LoseUnbarriered)
		fmt.Println("flush cut at point", point, "->", r.NtFlushKey(t, a))
		for _, k := range []string{"A", "B"} {
			h, _ := r.NtOpenKey(t, win32.KEY_READ, win32.Abs(`\Registry\Machine\SOFTWARE\`+k))
			_, data, st := r.NtQueryValueKey(t, h, "v")
			fmt.Println(" ", k, data, st)
		}
		a, _ = r.NtOpenKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\A`))
		b, _ = r.NtOpenKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\B`))
	}
	// Output:
	// flush cut at point 2 -> STATUS_REGISTRY_IO_FAILED (0xC000014D)
	//   A [] STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)
	//   B [] STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)
	// flush cut at point 7 -> STATUS_REGISTRY_IO_FAILED (0xC000014D)
	//   A [7 0 0 0] STATUS_SUCCESS (0x00000000)
	//   B [7 0 0 0] STATUS_SUCCESS (0x00000000)
}

// A WDM driver that returns from its dispatch routine with a registry
// handle open breaks ZwRegistryCreate; the model reports it.
func ExampleRegistry_ReturnFromRoutine() {
	m := sim.MustNewMachine(sim.Options{})
	r := hive.MustNew(m, hive.Options{})
	drv := m.NewProcess("System").NewThread("driver")
	drv.SetContext(sim.CallerContext{Driver: sim.DriverWDM, Routine: sim.RoutineDispatch, PreviousMode: sim.UserMode})

	oa := win32.Abs(`\Registry\Machine\SYSTEM\MyDriver`)
	oa.Attributes |= sim.OBJ_KERNEL_HANDLE
	h, _, _ := r.ZwCreateKey(drv, win32.KEY_ALL_ACCESS, oa, 0)
	fmt.Println(r.NtFlushKey(drv, h)) // previous mode UserMode: a kernel handle does not resolve
	fmt.Println(r.ZwFlushKey(drv, h))
	r.ReturnFromRoutine(drv)
	for _, v := range m.Violations() {
		fmt.Println(v.Rule.ID)
	}
	// Output:
	// STATUS_INVALID_HANDLE (0xC0000008)
	// STATUS_SUCCESS (0x00000000)
	// ddi.ZwRegistryCreate
}

// RegFlushKey reports NTSTATUS failures as Win32 codes and accepts the
// predefined keys.
func ExampleRegistry_RegFlushKey() {
	m := sim.MustNewMachine(sim.Options{})
	r := hive.MustNew(m, hive.Options{})
	t := m.NewProcess("app.exe").NewThread("main")
	h, _, _ := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\App`), 0)
	fmt.Println(r.RegFlushKey(t, win32.HKEY_LOCAL_MACHINE))
	r.NtDeleteKey(t, h)
	fmt.Println(r.RegFlushKey(t, h))
	fmt.Println(r.RegFlushKey(t, 0))
	// Output:
	// ERROR_SUCCESS (0)
	// ERROR_KEY_DELETED (1018)
	// ERROR_INVALID_HANDLE (6)
}

// Enumerating a key's values the way RegEnumValue does: index by index
// until STATUS_NO_MORE_ENTRIES, growing the buffer on
// STATUS_BUFFER_OVERFLOW. Windows returns the values in the order they were
// first set; under the wine-8.0 profile they come sorted by name.
func ExampleRegistry_NtEnumerateValueKey() {
	for _, profile := range []string{"win8", "wine-8.0"} {
		m := sim.MustNewMachine(sim.Options{Profile: profile})
		r := hive.MustNew(m, hive.Options{})
		t := m.NewProcess("app.exe").NewThread("main")
		h, _, _ := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Abs(`\Registry\Machine\SOFTWARE\App`), 0)
		for _, n := range []string{"Version", "Path", "Mode"} {
			r.NtSetValueKey(t, h, n, win32.REG_DWORD, []byte{1, 0, 0, 0})
		}
		var names []string
		length := uint32(win32.KeyValueBasicInformationFixed)
		for i := uint32(0); ; {
			b, n, st := r.NtEnumerateValueKey(t, h, i, win32.KeyValueBasicInformation, length)
			if st == sim.STATUS_BUFFER_OVERFLOW {
				length = n
				continue
			}
			if st != sim.STATUS_SUCCESS {
				fmt.Println(profile, names, st)
				break
			}
			vi, _ := win32.DecodeValueInfo(win32.KeyValueBasicInformation, b)
			names = append(names, vi.Name)
			i++
		}
	}
	// Output:
	// win8 [Version Path Mode] STATUS_NO_MORE_ENTRIES (0x8000001A)
	// wine-8.0 [Mode Path Version] STATUS_NO_MORE_ENTRIES (0x8000001A)
}
