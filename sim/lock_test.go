package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/sim/ksp"
	"github.com/winsim/winsim/sim/scm"
)

// The panic values of a model call given a bad thread.
const (
	nilThreadPanic = "sim: a model call was given a nil *Thread"
	strangerPanic  = `sim: thread "stranger" belongs to another machine than the one it calls`
)

var threadType = reflect.TypeFor[*sim.Thread]()

// familyModels builds each family's model on a machine.
var familyModels = []struct {
	name  string
	build func(t *testing.T, m *sim.Machine) any
}{
	{"scm", func(t *testing.T, m *sim.Machine) any { return scm.New(m) }},
	{"csp", func(t *testing.T, m *sim.Machine) any { return ksp.NewCSP(m) }},
	{"ksp", func(t *testing.T, m *sim.Machine) any { return ksp.NewKSP(m) }},
	{"registry", func(t *testing.T, m *sim.Machine) any {
		r, err := hive.New(m, hive.Options{})
		require.NoError(t, err)
		return r
	}},
}

// zeroArgs returns fn's arguments: the thread first, zero values after.
func zeroArgs(fn reflect.Type, skip int, th *sim.Thread) []reflect.Value {
	args := make([]reflect.Value, 0, fn.NumIn())
	for i := 0; i < fn.NumIn(); i++ {
		switch {
		case i < skip:
			continue
		case fn.In(i) == threadType:
			args = append(args, reflect.ValueOf(th))
		default:
			args = append(args, reflect.Zero(fn.In(i)))
		}
	}
	return args
}

// call calls fn with args, spreading the last one for a variadic fn.
func call(fn reflect.Value, args []reflect.Value) {
	if fn.Type().IsVariadic() {
		fn.CallSlice(args)
		return
	}
	fn.Call(args)
}

// threadCalls returns, by name, every exported method of model whose first
// parameter is a *sim.Thread, as a call with that thread and zero values for
// the other arguments.
func threadCalls(model any) map[string]func(*sim.Thread) {
	v := reflect.ValueOf(model)
	out := map[string]func(*sim.Thread){}
	for i := 0; i < v.NumMethod(); i++ {
		fn := v.Method(i)
		if fn.Type().NumIn() == 0 || fn.Type().In(0) != threadType {
			continue
		}
		out[v.Type().Method(i).Name] = func(th *sim.Thread) { call(fn, zeroArgs(fn.Type(), 0, th)) }
	}
	return out
}

// TestEveryFamilyCallRefusesBadThreads: every exported call of every
// family that takes a thread, given a nil thread or a thread of another
// machine, panics naming the mistake before it takes the machine's lock, so
// the machine stays usable.
func TestEveryFamilyCallRefusesBadThreads(t *testing.T) {
	for _, f := range familyModels {
		t.Run(f.name, func(t *testing.T) {
			m := sim.MustNewMachine(sim.Options{})
			stranger := sim.MustNewMachine(sim.Options{}).NewProcess("app.exe").NewThread("stranger")
			calls := threadCalls(f.build(t, m))
			require.NotEmpty(t, calls)
			for name, c := range calls {
				assert.PanicsWithValue(t, nilThreadPanic, func() { c(nil) }, "%s with a nil thread", name)
				require.False(t, sim.Locked(m), "%s with a nil thread left the machine locked", name)
				assert.PanicsWithValue(t, strangerPanic, func() { c(stranger) }, "%s with another machine's thread", name)
				require.False(t, sim.Locked(m), "%s with another machine's thread left the machine locked", name)
			}
		})
	}
}

// threadAccessors are the exported methods of *sim.Thread that are not
// API calls: they read the thread and need no machine lock.
var threadAccessors = []string{"Exited", "Machine", "String"}

// kernelCalls returns, by name, every exported method of *sim.Thread that
// is an API call, as a call on the given receiver with zero arguments.
func kernelCalls(t *testing.T) map[string]func(*sim.Thread) {
	typ := threadType
	out := map[string]func(*sim.Thread){}
	for i := 0; i < typ.NumMethod(); i++ {
		meth := typ.Method(i)
		if slices.Contains(threadAccessors, meth.Name) {
			continue
		}
		out[meth.Name] = func(th *sim.Thread) {
			args := append([]reflect.Value{reflect.ValueOf(th)}, zeroArgs(meth.Type, 1, th)...)
			call(meth.Func, args)
		}
	}
	for _, a := range threadAccessors {
		_, ok := typ.MethodByName(a)
		require.True(t, ok, "threadAccessors names %s, which *sim.Thread no longer has", a)
	}
	require.NotEmpty(t, out)
	return out
}

// TestEveryKernelCallRefusesNilThread: every kernel API call on a nil
// *Thread panics naming the mistake, not with a nil dereference.
func TestEveryKernelCallRefusesNilThread(t *testing.T) {
	for name, c := range kernelCalls(t) {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, nilThreadPanic, func() { c(nil) })
		})
	}
}

// TestPanicInsideKernelCallUnlocks: a kernel call that panics while it holds
// the lock (a call on an exited thread, an APC routine that panics inside
// an alertable wait) releases it as the panic unwinds, and the machine then
// serves the next call.
func TestPanicInsideKernelCallUnlocks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		panic func(m *sim.Machine, th *sim.Thread) func()
		want  any
	}{
		{"exited thread", func(m *sim.Machine, th *sim.Thread) func() {
			dead := th.Proc.NewThread("dead")
			dead.Exit()
			return func() { _, _ = dead.SleepEx(0, false) }
		}, "sim: call on exited thread dead"},
		{"panicking APC", func(m *sim.Machine, th *sim.Thread) func() {
			sim.QueueAPC(th, &sim.APC{Name: "boom", Run: func(*sim.Thread) { panic("boom") }})
			return func() { _, _ = th.SleepEx(10, true) }
		}, "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := sim.MustNewMachine(sim.Options{})
			th := m.NewProcess("app.exe").NewThread("main")
			assert.PanicsWithValue(t, tc.want, tc.panic(m, th))
			require.False(t, sim.Locked(m), "the machine stays locked after the panic")
			h := th.CreateEvent(true, true)
			r, err := th.WaitForSingleObjectEx(h, 0, false)
			require.NoError(t, err)
			assert.Equal(t, sim.WAIT_OBJECT_0, r)
		})
	}
}

// TestLockIsNotPublic: the machine's lock and the operations that need it
// held are not methods a user of the module can call; the family packages
// reach them through sim/internal/kernel.
func TestLockIsNotPublic(t *testing.T) {
	for typ, names := range map[reflect.Type][]string{
		reflect.TypeFor[*sim.Machine](): {"Lock", "Unlock", "Enter", "NowLocked", "AdvanceLocked", "NewProcessLocked",
			"Tracef", "Violate", "Rand", "After", "StopTimer", "TakeFault", "Abort", "OnThreadExit", "KernelHandles"},
		reflect.TypeFor[*sim.Process]():            {"NewThreadLocked"},
		threadType:                                 {"QueueAPC", "PendingAPCs", "TableOf", "InsertHandle", "CloseNativeLocked"},
		reflect.TypeFor[*sim.ChangeNotification](): {"Change", "CloseLocked"},
		reflect.TypeFor[*sim.Event]():              {"Set", "Reset"},
	} {
		for _, n := range names {
			_, ok := typ.MethodByName(n)
			assert.False(t, ok, "%s has an exported method %s", typ, n)
		}
	}
}
