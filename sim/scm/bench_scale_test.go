package scm_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/scm"
	"github.com/winsim/winsim/win32"
)

// scaleSizes are the population sizes of the scaling benchmarks: the
// curves docs/benchmarks.md draws (10, 1k, 100k, 1M objects present).
var scaleSizes = []int{10, 1_000, 100_000, 1_000_000}

// skipLarge skips a population of 1M or more under -short, as CI's one pass
// over every benchmark runs: the smaller sizes run the same code.
func skipLarge(b *testing.B, n int) {
	if testing.Short() && n >= 1_000_000 {
		b.Skip("1M objects and more only without -short")
	}
}

// BenchmarkScaleServices creates n services (each handle closed again,
// trace off) and then measures OpenService and CloseServiceHandle on the
// middle one ("ns/call", two calls an iteration): the cost must not grow
// with the database. "B/service" is the live heap the n services add,
// measured after a collection on each side.
func BenchmarkScaleServices(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			m := sim.MustNewMachine(sim.Options{NoTrace: true})
			mg := scm.New(m)
			t := m.NewProcess("client.exe").NewThread("main")
			h, _ := mg.OpenSCManager(t, nil, nil, win32.SC_MANAGER_ALL_ACCESS)
			before := heap()
			for i := range n {
				svc, code := mg.CreateService(t, h, win32.CreateServiceParams{
					Name: win32.Str(fmt.Sprintf("svc%d", i)), DesiredAccess: win32.SERVICE_ALL_ACCESS,
					ServiceType: win32.SERVICE_WIN32_OWN_PROCESS, StartType: win32.SERVICE_DEMAND_START, BinaryPath: win32.Str("x"),
				})
				if code != sim.ERROR_SUCCESS {
					b.Fatalf("CreateService: %s", code)
				}
				mg.CloseServiceHandle(t, svc)
			}
			perService := (float64(heap()) - float64(before)) / float64(n)
			name := win32.Str(fmt.Sprintf("svc%d", n/2))
			b.ReportAllocs()
			for b.Loop() {
				svc, code := mg.OpenService(t, h, name, win32.SERVICE_QUERY_STATUS)
				if code != sim.ERROR_SUCCESS {
					b.Fatal(code)
				}
				mg.CloseServiceHandle(t, svc)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/call")
			b.ReportMetric(perService, "B/service")
			runtime.KeepAlive(mg)
		})
	}
}
