package sim_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// The fuzz targets of this file call the registry's and the SCM's model
// surfaces with arguments read from the fuzz input: names with NULs,
// invalid UTF-8 and backslashes, names of up to 256 KiB, any handle value
// (issued, closed, from another process, a predefined key, made up), any
// flags, control codes, value types and data, any caller context. Only the
// thread is always a live one of the machine: a nil, foreign or exited
// thread is a mistake of the caller that the models refuse by panicking
// (TestEveryFamilyCallRefusesBadThreads). The property: no call panics,
// no call leaves the machine locked, breaches of a contract come back as
// violations, and after the last call the machine still serves a plain
// call from a fresh thread.

// calls reads a sequence of choices from fuzz bytes; past their end every
// choice is 0. Each operation reads its arguments as it goes, so that
// every input is a valid sequence.
type calls struct{ data []byte }

func (c *calls) more() bool { return len(c.data) > 0 }

func (c *calls) byte() byte {
	if len(c.data) == 0 {
		return 0
	}
	b := c.data[0]
	c.data = c.data[1:]
	return b
}

// word reads a flag word, a control code, a type or a state: below 128
// the byte picks one of common (the values callers pass), above it the
// word is 0, a single bit, a small number, all ones, or four raw bytes.
func (c *calls) word(common ...uint32) uint32 { return wordOf(c, common...) }

// wordOf is word for the SDK's typed words (ServiceState, ServiceControl,
// ...).
func wordOf[T ~uint32](c *calls, common ...T) T {
	b := c.byte()
	if b < 128 && len(common) > 0 {
		return common[int(b)%len(common)]
	}
	switch b % 5 {
	case 0:
		return 0
	case 1:
		return 1 << (b >> 3 % 32)
	case 2:
		return T(b & 0x1F)
	case 3:
		return 0xFFFFFFFF
	}
	var w [4]byte
	for i := range w {
		w[i] = c.byte()
	}
	return T(binary.LittleEndian.Uint32(w[:]))
}

// raw reads up to max bytes, their count first.
func (c *calls) raw(max int) []byte {
	n := min(int(c.byte())%(max+1), len(c.data))
	out := c.data[:n]
	c.data = c.data[n:]
	return out
}

// name reads a name: below 128 the byte picks one of pool; above it the
// name is raw bytes (NULs and invalid UTF-8 included), one of pool with a
// NUL and more after it, a path of names of pool, or one repeated up to
// maxFuzzName bytes.
func (c *calls) name(pool []string) string {
	b := c.byte()
	if b < 128 {
		return pool[int(b)%len(pool)]
	}
	base := pool[int(c.byte())%len(pool)]
	switch b % 4 {
	case 0:
		return string(c.raw(32))
	case 1:
		return base + "\x00" + string(c.raw(8))
	case 2:
		parts := []string{base}
		for c.byte()%2 == 0 && len(parts) < 6 {
			parts = append(parts, pool[int(c.byte())%len(pool)])
		}
		return strings.Join(parts, `\`)
	}
	unit := base + "x"
	return strings.Repeat(unit, min(1+int(c.byte())<<int(c.byte()%11), maxFuzzName/len(unit)))
}

// maxFuzzName bounds the names the fuzz targets make by repetition.
const maxFuzzName = 256 << 10

// handle reads a handle: below 128 the byte picks one the run was given
// (open or closed, the last one first), below 224 one of fixed, above it
// any value.
func (c *calls) handle(issued []sim.Handle, fixed ...sim.Handle) sim.Handle {
	switch b := c.byte(); {
	case b < 128 && len(issued) > 0:
		return issued[len(issued)-1-int(b)%len(issued)]
	case b < 224 && len(fixed) > 0:
		return fixed[int(b)%len(fixed)]
	}
	return sim.Handle(c.word())
}

// duration reads a virtual duration: the byte in milliseconds or seconds,
// any number of hours, or any int64 (negative ones included).
func (c *calls) duration() time.Duration {
	switch c.byte() % 4 {
	case 0:
		return time.Duration(c.byte()) * time.Millisecond
	case 1:
		return time.Duration(c.byte()) * time.Second
	case 2:
		return time.Duration(c.word()) * time.Hour
	}
	return time.Duration(int64(c.word())<<32 | int64(c.word()))
}

// profileOf picks the machine's profile.
func profileOf(c *calls) string {
	ps := sim.Profiles()
	return ps[int(c.byte())%len(ps)].Name
}

// maxFuzzCalls bounds the calls of one input, so that each input is a
// bounded amount of work without a wall clock: with names of at most 256
// KiB and virtual time that stops at sim.EndOfTime, every call is bounded.
const maxFuzzCalls = 64

// usable fails t if the last call left m locked.
func usable(t *testing.T, m *sim.Machine, call string) {
	t.Helper()
	if sim.Locked(m) {
		t.Fatalf("%s left the machine locked", call)
	}
}

var (
	registryNames = []string{`\Registry`, `\Registry\Machine`, `\Registry\Machine\SOFTWARE`, `\Registry\Machine\SOFTWARE\App`,
		`\Registry\Machine\SYSTEM`, `\Registry\User\.DEFAULT`, `\Registry\Machine\H1`, `\Device\Null`, `\`, "App", "Sub", "", "V", "ü"}
	// rootKeys are the fixed handles a registry call is given: NULL first
	// (an absolute name), then the predefined keys and the pseudo handle.
	rootKeys = []sim.Handle{0, win32.HKEY_LOCAL_MACHINE, win32.HKEY_CURRENT_USER, win32.HKEY_USERS, win32.HKEY_CLASSES_ROOT,
		win32.HKEY_CURRENT_CONFIG, win32.HKEY_PERFORMANCE_DATA, sim.INVALID_HANDLE_VALUE}
	keyAccess  = []uint32{win32.KEY_ALL_ACCESS, win32.KEY_READ, win32.KEY_WRITE, win32.KEY_QUERY_VALUE | win32.KEY_SET_VALUE}
	attributes = []uint32{sim.OBJ_CASE_INSENSITIVE, sim.OBJ_CASE_INSENSITIVE | sim.OBJ_KERNEL_HANDLE, 0}
	keyOptions = []uint32{0, win32.REG_OPTION_VOLATILE}
	valueTypes = []uint32{win32.REG_SZ, win32.REG_DWORD, win32.REG_BINARY, win32.REG_MULTI_SZ, win32.REG_QWORD, win32.REG_NONE}
	loadFlags  = []uint32{0, win32.REG_NO_LAZY_FLUSH, win32.REG_WHOLE_HIVE_VOLATILE}
)

// The seeds' encoding of the registry's operations: each is the calling
// thread (main, driver, other), Nt or Zw (0 for Zw), the operation, its
// arguments. A byte below 128 picks a common value or a name of the pool.
func regOp(thread, op byte, args ...byte) []byte { return append([]byte{thread, 1, op}, args...) }

// zw makes an operation of regOp its Zw form.
func zw(op []byte) []byte { op[1] = 0; return op }

// FuzzRegistryCalls calls the registry model (Nt and Zw key calls,
// RegFlushKey, driver contexts and returns from routines, power cuts
// between calls and inside flushes, hive loads, lazy flush intervals and
// virtual time) with arguments from the input.
func FuzzRegistryCalls(f *testing.F) {
	const main, driver = 0, 1
	create := regOp(main, 0, 0, 128, 3, 0, 0)       // NtCreateKey(KEY_ALL_ACCESS, NULL \Registry\Machine\SOFTWARE\App)
	setV := regOp(main, 2, 0, 12, 1, 4, 7, 0, 0, 0) // NtSetValueKey(last key, "V", REG_DWORD, 4 bytes)
	for _, ops := range [][][]byte{
		{},
		{create, setV, regOp(main, 3, 0, 12), regOp(main, 4, 0), regOp(main, 6, 0)},
		{create, setV, regOp(main, 11, 1, 1), regOp(main, 4, 0), regOp(main, 3, 0, 12)},                                                           // a power cut inside the flush
		{create, setV, regOp(main, 12, 1, 6), regOp(main, 10, 2), regOp(main, 2, 0, 12, 2, 1, 9)},                                                 // lazy flush, a cut, a stale handle
		{regOp(driver, 8, 2, 1, 0, 0), zw(regOp(driver, 0, 0, 128, 3, 1, 0)), zw(regOp(driver, 4, 0)), regOp(driver, 9)},                          // a driver at DISPATCH_LEVEL
		{regOp(main, 13, 6, 1), regOp(main, 0, 0, 128, 6, 0, 1), regOp(main, 14, 0, 1), regOp(main, 7, 0)},                                        // a loaded hive, volatile keys
		{create, regOp(main, 2, 0, 129, 12, 2, 65, 66, 2, 3, 1, 2, 3), regOp(main, 3, 0, 129, 12, 2, 65, 66), regOp(main, 5, 0), regOp(main, 15)}, // a NUL in a value name, a deletion
	} {
		f.Add(append([]byte{0, 1}, bytes.Join(ops, nil)...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &calls{data: data}
		m := sim.MustNewMachine(sim.Options{Profile: profileOf(c), Seed: uint64(c.byte())})
		r := hive.MustNew(m, hive.Options{})
		proc := m.NewProcess("app.exe")
		threads := []*sim.Thread{proc.NewThread("main"), proc.NewThread("driver"), m.NewProcess("other.exe").NewThread("other")}
		var issued []sim.Handle
		for n := 0; n < maxFuzzCalls && c.more(); n++ {
			th := threads[int(c.byte())%len(threads)]
			zw := c.byte()%2 == 0
			h := func() sim.Handle { return c.handle(issued, rootKeys...) }
			oa := func() win32.ObjectAttributes {
				return win32.ObjectAttributes{RootDirectory: h(), ObjectName: c.name(registryNames), Attributes: c.word(attributes...)}
			}
			var call string
			switch op := c.byte() % 16; op {
			case 0:
				call = "NtCreateKey"
				create := r.NtCreateKey
				if zw {
					create = r.ZwCreateKey
				}
				k, _, _ := create(th, c.word(keyAccess...), oa(), c.word(keyOptions...))
				issued = append(issued, k)
			case 1:
				call = "NtOpenKey"
				open := r.NtOpenKey
				if zw {
					open = r.ZwOpenKey
				}
				k, _ := open(th, c.word(keyAccess...), oa())
				issued = append(issued, k)
			case 2:
				call = "NtSetValueKey"
				set := r.NtSetValueKey
				if zw {
					set = r.ZwSetValueKey
				}
				set(th, h(), c.name(registryNames), c.word(valueTypes...), c.raw(64))
			case 3:
				call = "NtQueryValueKey"
				query := r.NtQueryValueKey
				if zw {
					query = r.ZwQueryValueKey
				}
				query(th, h(), c.name(registryNames))
			case 4:
				call = "NtFlushKey"
				flush := r.NtFlushKey
				if zw {
					flush = r.ZwFlushKey
				}
				flush(th, h())
			case 5:
				call = "NtDeleteKey"
				del := r.NtDeleteKey
				if zw {
					del = r.ZwDeleteKey
				}
				del(th, h())
			case 6:
				call = "NtClose"
				closeKey := r.NtClose
				if zw {
					closeKey = r.ZwClose
				}
				closeKey(th, h())
			case 7:
				call = "RegFlushKey"
				r.RegFlushKey(th, h())
			case 8:
				call = "SetContext"
				th.SetContext(sim.CallerContext{IRQL: sim.IRQL(c.byte()), Driver: sim.DriverModel(c.byte()),
					Routine: sim.Routine(c.byte()), PreviousMode: sim.Mode(c.byte())})
			case 9:
				call = "ReturnFromRoutine"
				r.ReturnFromRoutine(th)
			case 10:
				call = "Crash"
				r.Crash(win32.CrashPolicy(c.byte()))
			case 11:
				call = "CrashAt"
				_ = r.CrashAt(int(int8(c.byte())), win32.CrashPolicy(c.byte()))
			case 12:
				call = "Advance"
				m.Advance(c.duration())
			case 13:
				call = "LoadHive"
				_ = r.LoadHive(c.name(registryNames), c.word(loadFlags...))
			case 14:
				call = "SetLazyFlush"
				_ = r.SetLazyFlush(c.duration())
			default:
				call = "Stats"
				for _, p := range r.HivePaths() {
					if _, err := r.Stats(p); err != nil {
						t.Fatalf("Stats(%s) of a mounted hive: %v", p, err)
					}
					_, _ = r.LiveImage(p)
				}
			}
			usable(t, m, fmt.Sprintf("call %d (%s)", n, call))
		}
		_ = m.Violations()
		fresh := proc.NewThread("fresh")
		k, st := r.NtOpenKey(fresh, win32.KEY_READ, win32.Abs(`\Registry\Machine`))
		if st != sim.STATUS_SUCCESS {
			t.Fatalf("after the calls, a fresh thread cannot open \\Registry\\Machine: %s", st)
		}
		if st := r.NtClose(fresh, k); st != sim.STATUS_SUCCESS {
			t.Fatalf("after the calls, a fresh thread cannot close its key: %s", st)
		}
		usable(t, m, "the fresh thread's calls")
	})
}

var (
	serviceNames   = []string{"svc1", "svc2", "SVC1", "", "a/b", `a\b`, "ü", "Display One", `C:\svc.exe`}
	scmAccess      = []uint32{win32.SC_MANAGER_ALL_ACCESS, win32.SC_MANAGER_CONNECT}
	serviceAccess  = []uint32{win32.SERVICE_ALL_ACCESS, win32.SERVICE_QUERY_STATUS, win32.SERVICE_START | win32.SERVICE_STOP, win32.DELETE}
	serviceTypes   = []win32.ServiceType{win32.SERVICE_WIN32_OWN_PROCESS, win32.SERVICE_WIN32_SHARE_PROCESS, win32.SERVICE_KERNEL_DRIVER}
	startTypes     = []win32.ServiceStartType{win32.SERVICE_DEMAND_START, win32.SERVICE_AUTO_START, win32.SERVICE_DISABLED}
	errorControls  = []win32.ServiceErrorControl{win32.SERVICE_ERROR_NORMAL, win32.SERVICE_ERROR_IGNORE}
	controls       = []win32.ServiceControl{win32.SERVICE_CONTROL_STOP, win32.SERVICE_CONTROL_PAUSE, win32.SERVICE_CONTROL_INTERROGATE, 128}
	notifyMasks    = []win32.ServiceNotifyMask{win32.SERVICE_NOTIFY_STOPPED | win32.SERVICE_NOTIFY_RUNNING, win32.SERVICE_NOTIFY_CREATED | win32.SERVICE_NOTIFY_DELETED}
	serviceStates  = []win32.ServiceState{win32.SERVICE_RUNNING, win32.SERVICE_STOPPED, win32.SERVICE_START_PENDING, win32.SERVICE_STOP_PENDING}
	acceptsControl = []win32.ServiceAccept{win32.SERVICE_ACCEPT_STOP, 0}
)

// scmOp is the seeds' encoding of an SCM operation: the calling thread
// (main, worker, other), the operation, its arguments.
func scmOp(thread, op byte, args ...byte) []byte { return append([]byte{thread, op}, args...) }

// FuzzSCMCalls calls the SCM model (the client calls, a service's
// SetServiceStatus through its status handle or any handle, scripted
// programs, notifications delivered during alertable sleeps, whose
// callbacks call the SCM again, and virtual time) with arguments from the
// input: NULL and non-NULL names with NULs, huge names, any access mask,
// service type, start type, control code, info level and notify mask.
func FuzzSCMCalls(f *testing.F) {
	const main = 0
	open := scmOp(main, 0, 0, 0, 0)                           // OpenSCManager(NULL, NULL, SC_MANAGER_ALL_ACCESS)
	create := scmOp(main, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 8) // CreateService(scm, "svc1", NULL, SERVICE_ALL_ACCESS, ...)
	program := scmOp(main, 11, 0, 100, 50, 0)                 // SetProgram("svc1", typical 100ms, 50ms)
	notify := scmOp(main, 9, 0, 0, 0, 0, 0, 0)                // NotifyServiceStatusChange(svc, STOPPED|RUNNING, buffer 0)
	start := scmOp(main, 5, 1, 0)                             // StartService(svc)
	for _, ops := range [][][]byte{
		{},
		{open, create, program, notify, start, scmOp(main, 10, 0, 0), scmOp(main, 13, 1, 1), scmOp(main, 10, 0, 0)},
		{open, create, program, start, scmOp(main, 13, 1, 1), scmOp(main, 6, 1, 0, 0), scmOp(main, 8, 1, 0, 1, 1)},
		{open, create, scmOp(main, 4, 0), notify, scmOp(main, 3, 0), scmOp(main, 10, 0, 0), scmOp(main, 7, 1, 0)},
		{open, create, program, start, scmOp(main, 12, 0, 0, 0, 0, 0, 0, 0, 0, 1)},                                          // the service reports through its handle
		{open, scmOp(main, 1, 1, 0, 1, 129, 0, 2, 65, 66, 0, 0, 0, 0, 0, 1, 8), scmOp(main, 2, 1, 1, 129, 0, 2, 65, 66, 0)}, // a NUL in the name
	} {
		f.Add(append([]byte{0, 1}, bytes.Join(ops, nil)...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &calls{data: data}
		m := sim.MustNewMachine(sim.Options{Profile: profileOf(c), Seed: uint64(c.byte())})
		mg := scm.New(m)
		proc := m.NewProcess("client.exe")
		threads := []*sim.Thread{proc.NewThread("main"), proc.NewThread("worker"), m.NewProcess("other.exe").NewThread("other")}
		var issued []sim.Handle
		h := func() sim.Handle { return c.handle(issued, 0, sim.INVALID_HANDLE_VALUE) }
		str := func() *string {
			if c.byte()%5 == 0 {
				return nil
			}
			return win32.Str(c.name(serviceNames))
		}
		buffers := []*win32.SERVICE_NOTIFY{{}, {}}
		callbacks := 0
		for n := 0; n < maxFuzzCalls && c.more(); n++ {
			th := threads[int(c.byte())%len(threads)]
			var call string
			switch op := c.byte() % 14; op {
			case 0:
				call = "OpenSCManager"
				k, _ := mg.OpenSCManager(th, str(), str(), c.word(scmAccess...))
				issued = append(issued, k)
			case 1:
				call = "CreateService"
				var deps []string
				for c.byte()%3 == 0 && len(deps) < 3 {
					deps = append(deps, c.name(serviceNames))
				}
				k, _ := mg.CreateService(th, h(), win32.CreateServiceParams{Name: str(), DisplayName: str(), DesiredAccess: c.word(serviceAccess...),
					ServiceType: wordOf(c, serviceTypes...), StartType: wordOf(c, startTypes...), ErrorControl: wordOf(c, errorControls...), BinaryPath: str(), Dependencies: deps})
				issued = append(issued, k)
			case 2:
				call = "OpenService"
				k, _ := mg.OpenService(th, h(), str(), c.word(serviceAccess...))
				issued = append(issued, k)
			case 3:
				call = "CloseServiceHandle"
				mg.CloseServiceHandle(th, h())
			case 4:
				call = "DeleteService"
				mg.DeleteService(th, h())
			case 5:
				call = "StartService"
				var args []string
				for c.byte()%3 == 0 && len(args) < 3 {
					args = append(args, c.name(serviceNames))
				}
				mg.StartService(th, h(), args)
			case 6:
				call = "ControlService"
				var st *win32.SERVICE_STATUS
				if c.byte()%4 != 0 {
					st = &win32.SERVICE_STATUS{}
				}
				mg.ControlService(th, h(), wordOf(c, controls...), st)
			case 7:
				call = "QueryServiceStatus"
				var st *win32.SERVICE_STATUS
				if c.byte()%4 != 0 {
					st = &win32.SERVICE_STATUS{}
				}
				mg.QueryServiceStatus(th, h(), st)
			case 8:
				call = "QueryServiceStatusEx"
				var st *win32.SERVICE_STATUS_PROCESS
				if c.byte()%4 != 0 {
					st = &win32.SERVICE_STATUS_PROCESS{}
				}
				mg.QueryServiceStatusEx(th, h(), c.word(win32.SC_STATUS_PROCESS_INFO), st, c.byte()%4 == 0)
			case 9:
				call = "NotifyServiceStatusChange"
				var buf *win32.SERVICE_NOTIFY
				if b := c.byte() % 3; b < 2 {
					buf = buffers[b]
					buf.Version = c.word(win32.SERVICE_NOTIFY_STATUS_CHANGE)
					again, reenter := h(), c.byte()%2 == 0
					buf.NotifyCallback = func(n *win32.SERVICE_NOTIFY) {
						// The callback runs on the registering thread, which
						// may call the SCM again from inside it.
						callbacks++
						if reenter && callbacks < maxFuzzCalls {
							mg.QueryServiceStatusEx(th, again, win32.SC_STATUS_PROCESS_INFO, &win32.SERVICE_STATUS_PROCESS{}, false)
						}
					}
				}
				mg.NotifyServiceStatusChange(th, h(), wordOf(c, notifyMasks...), buf)
			case 10:
				call = "SleepEx"
				_, _ = th.SleepEx(uint32(c.byte()), c.byte()%2 == 0)
			case 11:
				call = "SetProgram"
				name := c.name(serviceNames)
				p := win32.TypicalProgram(time.Duration(c.byte())*time.Millisecond, time.Duration(c.byte())*time.Millisecond)
				if c.byte()%2 != 0 {
					p = win32.Program{StartError: sim.Errno(c.word(0))}
					for c.byte()%2 == 0 && len(p.OnStart) < 4 {
						p.OnStart = append(p.OnStart, win32.Report{After: c.duration(), State: wordOf(c, serviceStates...), Accept: wordOf(c, acceptsControl...),
							Win32ExitCode: c.word(0), CheckPoint: c.word(0), WaitHint: c.word(0)})
					}
					p.OnControl = map[win32.ServiceControl][]win32.Report{wordOf(c, controls...): {{After: c.duration(), State: wordOf(c, serviceStates...)}}}
				}
				_ = mg.SetProgram(name, p)
			case 12:
				call = "SetServiceStatus"
				rt, ok := mg.Runtime(c.name(serviceNames))
				st := &win32.SERVICE_STATUS{ServiceType: wordOf(c, serviceTypes...), CurrentState: wordOf(c, serviceStates...), ControlsAccepted: wordOf(c, acceptsControl...),
					Win32ExitCode: c.word(0), CheckPoint: c.word(0), WaitHint: c.word(0)}
				if c.byte()%5 == 4 {
					st = nil
				}
				switch {
				case ok && !rt.ServiceMain.Exited():
					sh := rt.StatusHandle
					if c.byte()%4 == 3 {
						sh = h()
					}
					mg.SetServiceStatus(rt.ServiceMain, sh, st)
				default:
					mg.SetServiceStatus(th, h(), st)
				}
			default:
				call = "Advance"
				m.Advance(c.duration())
			}
			usable(t, m, fmt.Sprintf("call %d (%s)", n, call))
		}
		_ = m.Violations()
		_ = mg.ServiceNames()
		fresh := proc.NewThread("fresh")
		k, e := mg.OpenSCManager(fresh, nil, nil, win32.SC_MANAGER_CONNECT)
		if e != sim.ERROR_SUCCESS {
			t.Fatalf("after the calls, a fresh thread cannot open the SCM: %s", e)
		}
		if e := mg.CloseServiceHandle(fresh, k); e != sim.ERROR_SUCCESS {
			t.Fatalf("after the calls, a fresh thread cannot close its SCM handle: %s", e)
		}
		usable(t, m, "the fresh thread's calls")
	})
}
