package scenario_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// eventScenario returns a scenario of n steps: an event created, then
// SetEvent and a WaitForSingleObjectEx that consumes it, in turn.
func eventScenario(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("version: 1\ndescription: |\n  SetEvent and WaitForSingleObjectEx in turn, for the step benchmarks.\n  Source: DOC SetEvent.\ncovers: [kernel.wait.object-index]\nsteps:\n")
	buf.WriteString("  - CreateEvent: {manual_reset: false, initial_state: false}\n    as: ev\n")
	for i := 1; i < n; i++ {
		if i%2 == 1 {
			buf.WriteString("  - SetEvent: {handle: ev}\n")
		} else {
			buf.WriteString("  - WaitForSingleObjectEx: {handle: ev, ms: 0, alertable: false}\n    want: WAIT_OBJECT_0\n")
		}
	}
	return buf.Bytes()
}

// BenchmarkScaleSteps decodes and runs a scenario of n steps on the model
// (trace off), and parses the same text with go.yaml.in/yaml/v3 alone, in
// the same iteration. It reports per step the decode ("decode-ns/step"),
// the run after decoding ("run-ns/step"), both together ("ns/step") and the
// bare parse ("yaml-ns/step"); "scenario/yaml", the decode and run over the
// bare parse; "B/step", the bytes allocated per step by decode and run; and
// "B/step-decoded", the live heap the decoded scenario holds per step.
func BenchmarkScaleSteps(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if testing.Short() && n >= 1_000_000 {
				b.Skip("1M steps only without -short (CI's one pass): the smaller sizes run the same code")
			}
			data := eventScenario(n)
			var decode, run, bare time.Duration
			var allocated, held float64
			for b.Loop() {
				start := time.Now()
				var node yaml.Node
				if err := yaml.Unmarshal(data, &node); err != nil {
					b.Fatal(err)
				}
				bare += time.Since(start)
				b.StopTimer()
				node = yaml.Node{}
				before := liveHeap()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				total := ms.TotalAlloc
				b.StartTimer()

				start = time.Now()
				s, err := scenario.Parse("steps.yaml", data, nil)
				if err != nil {
					b.Fatal(err)
				}
				decode += time.Since(start)
				b.StopTimer()
				held = (float64(liveHeap()) - float64(before)) / float64(n)
				b.StartTimer()

				start = time.Now()
				m, err := model.NewWithOptions(sim.Options{NoTrace: true})
				if err != nil {
					b.Fatal(err)
				}
				res := scenario.RunWith(s, m, nil, scenario.Options{})
				if res.Outcome != scenario.Passed {
					b.Fatalf("the scenario did not pass: %v", res.Outcome)
				}
				run += time.Since(start)
				b.StopTimer()
				runtime.ReadMemStats(&ms)
				allocated = float64(ms.TotalAlloc-total) / float64(n)
				b.StartTimer()
			}
			steps := float64(b.N * n)
			b.ReportMetric(float64(decode.Nanoseconds())/steps, "decode-ns/step")
			b.ReportMetric(float64(run.Nanoseconds())/steps, "run-ns/step")
			b.ReportMetric(float64((decode+run).Nanoseconds())/steps, "ns/step")
			b.ReportMetric(float64(bare.Nanoseconds())/steps, "yaml-ns/step")
			b.ReportMetric(float64(decode+run)/float64(bare), "scenario/yaml")
			b.ReportMetric(allocated, "B/step")
			b.ReportMetric(held, "B/step-decoded")
		})
	}
}

// liveHeap returns the live heap after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
