package scm_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// world is a machine with services svc0..svc(n-1). It records no trace:
// the figures are those of the model, not of its diagnostics.
type world struct {
	m   *sim.Machine
	mg  *scm.Manager
	t   *sim.Thread
	scm sim.Handle
	svc []sim.Handle
	// otherSCM is an SCM handle of another process, opened by load.
	otherSCM sim.Handle
}

func newWorld(b testing.TB, services int) *world {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	w := &world{m: m, mg: scm.New(m), t: m.NewProcess("client.exe").NewThread("main")}
	w.scm, _ = w.mg.OpenSCManager(w.t, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	for i := range services {
		h, code := w.mg.CreateService(w.t, w.scm, win32.CreateServiceParams{
			Name: win32.Str(fmt.Sprintf("svc%d", i)), DesiredAccess: win32.SERVICE_ALL_ACCESS,
			ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START, BinaryPath: win32.Str("x"),
		})
		if code != sim.ERROR_SUCCESS {
			b.Fatalf("CreateService: %s", code)
		}
		w.svc = append(w.svc, h)
	}
	return w
}

// heap returns the live heap after a collection.
func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkOpenCloseService measures OpenService + CloseServiceHandle.
func BenchmarkOpenCloseService(b *testing.B) {
	w := newWorld(b, 1)
	name := win32.Str("svc0")
	for b.Loop() {
		h, _ := w.mg.OpenService(w.t, w.scm, name, win32.SERVICE_QUERY_STATUS)
		w.mg.CloseServiceHandle(w.t, h)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2, "ns/call")
}

// BenchmarkNotifyCycle measures register + transition + delivery: a
// NotifyServiceStatusChange, a SetServiceStatus that fires it, and the
// alertable SleepEx that runs the callback.
func BenchmarkNotifyCycle(b *testing.B) {
	w := newWorld(b, 1)
	if code := w.mg.StartService(w.t, w.svc[0], nil); code != sim.ERROR_SUCCESS {
		b.Fatal(code)
	}
	rt, _ := w.mg.Runtime("svc0")
	states := [2]win32.SERVICE_STATUS{
		{CurrentState: win32.SERVICE_RUNNING, ControlsAccepted: win32.SERVICE_ACCEPT_PAUSE_CONTINUE},
		{CurrentState: win32.SERVICE_PAUSED, ControlsAccepted: win32.SERVICE_ACCEPT_PAUSE_CONTINUE},
	}
	delivered := 0
	n := &win32.SERVICE_NOTIFY{Version: win32.SERVICE_NOTIFY_STATUS_CHANGE, NotifyCallback: func(*win32.SERVICE_NOTIFY) { delivered++ }}
	mask := win32.SERVICE_NOTIFY_RUNNING | win32.SERVICE_NOTIFY_PAUSED
	i := 0
	for b.Loop() {
		w.mg.NotifyServiceStatusChange(w.t, w.svc[0], mask, n)
		w.mg.SetServiceStatus(rt.ServiceMain, rt.StatusHandle, &states[i%2])
		w.t.SleepEx(0, true)
		i++
	}
	if delivered != i {
		b.Fatalf("%d callbacks for %d cycles", delivered, i)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/3, "ns/call")
}

// BenchmarkStateChange measures one SetServiceStatus transition in a small
// database and in one of 100,000 services with 1,000,000 open handles: the
// cost must not depend on the population.
func BenchmarkStateChange(b *testing.B) {
	for _, size := range []struct{ services, handles int }{{10, 0}, {100_000, 1_000_000}} {
		b.Run(fmt.Sprintf("services=%d/handles=%d", size.services, size.handles), func(b *testing.B) {
			w := newWorld(b, size.services)
			per := size.handles / size.services
			for i := range size.services {
				for range per {
					w.mg.OpenService(w.t, w.scm, win32.Str(fmt.Sprintf("svc%d", i)), win32.SERVICE_QUERY_STATUS)
				}
			}
			target := size.services / 2
			w.mg.StartService(w.t, w.svc[target], nil)
			rt, _ := w.mg.Runtime(fmt.Sprintf("svc%d", target))
			states := [2]win32.SERVICE_STATUS{{CurrentState: win32.SERVICE_RUNNING}, {CurrentState: win32.SERVICE_PAUSED}}
			i := 0
			for b.Loop() {
				w.mg.SetServiceStatus(rt.ServiceMain, rt.StatusHandle, &states[i%2])
				i++
			}
		})
	}
}

// BenchmarkMemory reports the heap cost of a service record and of an open
// service handle.
func BenchmarkMemory(b *testing.B) {
	const services, handles = 100_000, 1_000_000
	var perService, perHandle float64
	for b.Loop() {
		before := heap()
		w := newWorld(b, services)
		afterServices := heap()
		name := win32.Str("svc0")
		for range handles {
			w.mg.OpenService(w.t, w.scm, name, win32.SERVICE_QUERY_STATUS)
		}
		afterHandles := heap()
		perService = float64(afterServices-before) / services
		perHandle = float64(afterHandles-afterServices) / handles
		runtime.KeepAlive(w)
	}
	b.ReportMetric(perService, "B/service")
	b.ReportMetric(perHandle, "B/handle")
}

// cycler runs the notify cycle of BenchmarkNotifyCycle on the first service
// of a world: register, a SetServiceStatus that fires the request, and the
// alertable SleepEx that runs the callback.
type cycler struct {
	w         *world
	rt        scm.Runtime
	states    [2]win32.SERVICE_STATUS
	n         win32.SERVICE_NOTIFY
	delivered int
	i         int
}

func newCycler(b testing.TB, w *world) *cycler {
	if code := w.mg.StartService(w.t, w.svc[0], nil); code != sim.ERROR_SUCCESS {
		b.Fatal(code)
	}
	c := &cycler{w: w, states: [2]win32.SERVICE_STATUS{{CurrentState: win32.SERVICE_RUNNING}, {CurrentState: win32.SERVICE_PAUSED}}}
	c.rt, _ = w.mg.Runtime("svc0")
	c.n = win32.SERVICE_NOTIFY{Version: win32.SERVICE_NOTIFY_STATUS_CHANGE, NotifyCallback: func(*win32.SERVICE_NOTIFY) { c.delivered++ }}
	return c
}

// cycle runs one notify cycle.
func (c *cycler) cycle() {
	c.w.mg.NotifyServiceStatusChange(c.w.t, c.w.svc[0], win32.SERVICE_NOTIFY_RUNNING|win32.SERVICE_NOTIFY_PAUSED, &c.n)
	c.w.mg.SetServiceStatus(c.rt.ServiceMain, c.rt.StatusHandle, &c.states[c.i%2])
	c.w.t.SleepEx(0, true)
	c.i++
}

// load fills a world with unrelated state: registrations pending on other
// services (half made by the cycling thread, half by another thread, each
// with its own buffer, none of them ever firing) and open handles to other
// services in the cycling thread's process, handles in all. It returns the
// buffers, which must stay alive.
func load(b *testing.B, w *world, registrations, handles int) []win32.SERVICE_NOTIFY {
	other := w.m.NewProcess("waiter.exe").NewThread("waiter")
	bufs := make([]win32.SERVICE_NOTIFY, registrations)
	services := len(w.svc) - 1
	for i := range bufs {
		bufs[i].Version = win32.SERVICE_NOTIFY_STATUS_CHANGE
		th := w.t
		if i%2 == 1 {
			th = other
		}
		h, code := openIn(w, th, 1+i%services)
		if code != sim.ERROR_SUCCESS {
			b.Fatal(code)
		}
		// The services are stopped: a request for RUNNING stays pending.
		if code := w.mg.NotifyServiceStatusChange(th, h, win32.SERVICE_NOTIFY_RUNNING, &bufs[i]); code != sim.ERROR_SUCCESS {
			b.Fatal(code)
		}
	}
	for i := registrations; i < handles; i++ {
		if _, code := w.mg.OpenService(w.t, w.scm, win32.Str(fmt.Sprintf("svc%d", 1+i%services)), win32.SERVICE_QUERY_STATUS); code != sim.ERROR_SUCCESS {
			b.Fatal(code)
		}
	}
	return bufs
}

// openIn opens service svc<i> from thread th through an SCM handle of th's
// process (the other process's is opened on first use).
func openIn(w *world, th *sim.Thread, i int) (sim.Handle, sim.Errno) {
	if th == w.t {
		return w.mg.OpenService(th, w.scm, win32.Str(fmt.Sprintf("svc%d", i)), win32.SERVICE_QUERY_STATUS)
	}
	if w.otherSCM == 0 {
		w.otherSCM, _ = w.mg.OpenSCManager(th, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
	}
	return w.mg.OpenService(th, w.otherSCM, win32.Str(fmt.Sprintf("svc%d", i)), win32.SERVICE_QUERY_STATUS)
}

// BenchmarkNotifyCycleScaling runs the notify cycle on an empty machine
// and on one with 100,000 registrations pending elsewhere and 1,000,000
// open handles, alternating batches of cycles between the two so that both
// see the same load on a shared machine. The cost must not depend on the
// unrelated state: "loaded/empty" is the ratio of the two per-cycle costs
// (target <= 1.2).
func BenchmarkNotifyCycleScaling(b *testing.B) {
	const registrations, handles, batch = 100_000, 1_000_000, 64
	empty := newCycler(b, newWorld(b, 1))
	lw := newWorld(b, 1001)
	bufs := load(b, lw, registrations, handles)
	loaded := newCycler(b, lw)
	var emptyNS, loadedNS time.Duration
	for b.Loop() {
		start := time.Now()
		for range batch {
			empty.cycle()
		}
		mid := time.Now()
		for range batch {
			loaded.cycle()
		}
		emptyNS += mid.Sub(start)
		loadedNS += time.Since(mid)
	}
	if empty.delivered != empty.i || loaded.delivered != loaded.i {
		b.Fatalf("callbacks: %d for %d cycles (empty), %d for %d (loaded)", empty.delivered, empty.i, loaded.delivered, loaded.i)
	}
	cycles := float64(b.N * batch)
	b.ReportMetric(float64(emptyNS.Nanoseconds())/cycles, "ns/cycle-empty")
	b.ReportMetric(float64(loadedNS.Nanoseconds())/cycles, "ns/cycle-loaded")
	b.ReportMetric(float64(loadedNS)/float64(emptyNS), "loaded/empty")
	runtime.KeepAlive(bufs)
}

// BenchmarkRegister makes n registrations, each with its own buffer, on
// one service handle of a stopped service, where none of them fires: the
// cost per registration must not grow with n. "B/registration" is the live
// heap n registrations add (the buffers, made before, not counted),
// measured once before the timed loop, after a collection on each side.
func BenchmarkRegister(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			register := func(w *world, bufs []win32.SERVICE_NOTIFY) {
				for i := range bufs {
					if code := w.mg.NotifyServiceStatusChange(w.t, w.svc[0], win32.SERVICE_NOTIFY_RUNNING, &bufs[i]); code != sim.ERROR_SUCCESS {
						b.Fatal(code)
					}
				}
			}
			prepare := func() (*world, []win32.SERVICE_NOTIFY) {
				w := newWorld(b, 1)
				bufs := make([]win32.SERVICE_NOTIFY, n)
				for i := range bufs {
					bufs[i].Version = win32.SERVICE_NOTIFY_STATUS_CHANGE
				}
				return w, bufs
			}
			w, bufs := prepare()
			before := heap()
			register(w, bufs)
			perRegistration := (float64(heap()) - float64(before)) / float64(n)
			runtime.KeepAlive(w)
			for b.Loop() {
				b.StopTimer()
				w, bufs := prepare()
				b.StartTimer()
				register(w, bufs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/registration")
			b.ReportMetric(perRegistration, "B/registration")
		})
	}
}
