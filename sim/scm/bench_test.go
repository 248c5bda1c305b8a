package scm_test

import (
	"fmt"
	"runtime"
	"testing"

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
