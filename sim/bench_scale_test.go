package sim

import (
	"fmt"
	"runtime"
	"testing"
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

// BenchmarkScaleHandles opens n events in one process (trace off) and then
// measures SetEvent and the WaitForSingleObjectEx that consumes it on the
// middle one ("ns/call", two calls an iteration): the cost of a handle
// call must not grow with the handles the process holds. "B/handle" is the
// live heap the n events and their handles add, measured after a
// collection on each side.
func BenchmarkScaleHandles(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			m := MustNewMachine(Options{NoTrace: true})
			th := m.NewProcess("app.exe").NewThread("main")
			handles := make([]Handle, n)
			before := liveHeap()
			for i := range handles {
				handles[i] = th.CreateEvent(false, false)
			}
			perHandle := (float64(liveHeap()) - float64(before)) / float64(n)
			h := handles[n/2]
			b.ReportAllocs()
			for b.Loop() {
				th.SetEvent(h)
				if r, err := th.WaitForSingleObjectEx(h, 0, false); r != WAIT_OBJECT_0 || err != nil {
					b.Fatal(r, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/call")
			b.ReportMetric(perHandle, "B/handle")
			runtime.KeepAlive(handles)
		})
	}
}
