package sim

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkHandleInsertRemove measures opening and closing one handle in a
// table that already holds 1,000 open handles.
func BenchmarkHandleInsertRemove(b *testing.B) {
	tab := newHandleTable()
	for range 1000 {
		tab.Insert(&Event{}, EVENT_ALL_ACCESS)
	}
	ev := &Event{}
	for b.Loop() {
		h := tab.Insert(ev, EVENT_ALL_ACCESS)
		tab.Remove(h)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/op")
}

// BenchmarkHandleTableMemory opens 1,000,000 handles in one table and reports
// what the table costs per handle ("B/handle": the HeapAlloc delta across the
// inserts, each side measured after runtime.GC(); target <= 128). The events
// the handles refer to are allocated before the first measurement, so only
// the table is counted. The timed loop then looks handles up in the full
// table (ns/op).
func BenchmarkHandleTableMemory(b *testing.B) {
	const n = 1_000_000
	objs := make([]Event, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tab := newHandleTable()
	for i := range objs {
		tab.Insert(&objs[i], EVENT_ALL_ACCESS)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perHandle := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / n
	if tab.Len() != n {
		b.Fatalf("table holds %d handles, want %d", tab.Len(), n)
	}

	i := 0
	for b.Loop() {
		if _, _, st := tab.Lookup(Handle(4 * (i%n + 1))); st != HandleValid {
			b.Fatal(st)
		}
		i++
	}
	b.ReportMetric(perHandle, "B/handle")
	runtime.KeepAlive(objs)
	runtime.KeepAlive(tab)
}

// BenchmarkTimerScheduleFire measures scheduling one timer and firing it by
// advancing the clock to its deadline, with 1,000 other timers pending later.
func BenchmarkTimerScheduleFire(b *testing.B) {
	m := MustNewMachine(Options{})
	m.head.Mu.Lock()
	defer m.head.Mu.Unlock()
	for i := range 1000 {
		m.after(time.Hour+time.Duration(i)*time.Millisecond, "", func() {})
	}
	fired := 0
	fn := func() { fired++ }
	for b.Loop() {
		m.after(time.Microsecond, "", fn)
		m.advanceLocked(time.Microsecond)
	}
	if fired != b.N {
		b.Fatalf("fired %d timers, want %d", fired, b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/op")
}

// BenchmarkAlertableSleepWithAPC measures queueing one APC (with the
// machine's lock held, as queueAPC requires) and delivering it by an
// alertable SleepEx, including the three trace lines this writes.
func BenchmarkAlertableSleepWithAPC(b *testing.B) {
	m := MustNewMachine(Options{})
	th := m.NewProcess("app.exe").NewThread("main")
	ran := 0
	run := func(*Thread) { ran++ }
	for b.Loop() {
		m.head.Mu.Lock()
		th.queueAPC(&APC{Name: "apc", Run: run})
		m.head.Mu.Unlock()
		if r, err := th.SleepEx(INFINITE, true); r != WAIT_IO_COMPLETION || err != nil {
			b.Fatal(r, err)
		}
	}
	if ran != b.N {
		b.Fatalf("ran %d APCs, want %d", ran, b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/op")
}

// BenchmarkSettingIn measures one profile check, as the families make it
// several times per call ("ns/check").
func BenchmarkSettingIn(b *testing.B) {
	m := MustNewMachine(Options{Profile: "win7", NoTrace: true})
	n := 0
	for b.Loop() {
		if settingDuplicateWaitAllRejected.In(m.Profile()) {
			n++
		}
		if settingMultiplePseudoAccepted.In(m.Profile()) {
			n++
		}
	}
	if n != b.N {
		b.Fatalf("%d checks true, want %d", n, b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/check")
}

// BenchmarkAPCQueueDeliver queues eight APCs to a thread and delivers them
// with one alertable SleepEx, with the trace off and on. With the trace
// off, the queue's storage is reused: no allocation per APC.
func BenchmarkAPCQueueDeliver(b *testing.B) {
	for _, trace := range []bool{false, true} {
		b.Run(fmt.Sprintf("trace=%t", trace), func(b *testing.B) {
			m := MustNewMachine(Options{NoTrace: !trace})
			th := m.NewProcess("app.exe").NewThread("main")
			ran := 0
			var apcs [8]APC
			for i := range apcs {
				apcs[i] = APC{Name: "apc", Run: func(*Thread) { ran++ }}
			}
			for b.Loop() {
				m.head.Mu.Lock()
				for i := range apcs {
					apcs[i].cancelled = false
					th.queueAPC(&apcs[i])
				}
				m.head.Mu.Unlock()
				if r, err := th.SleepEx(0, true); r != WAIT_IO_COMPLETION || err != nil {
					b.Fatal(r, err)
				}
				if trace {
					m.head.Mu.Lock()
					m.trace = m.trace[:0]
					m.head.Mu.Unlock()
				}
			}
			if ran != 8*b.N {
				b.Fatalf("ran %d APCs, want %d", ran, 8*b.N)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(8*b.N), "ns/apc")
		})
	}
}

// BenchmarkSetEventWait measures SetEvent on an auto-reset event and the
// WaitForSingleObjectEx that consumes it, with the trace off: a handle call
// and a wait, each of which should allocate nothing.
func BenchmarkSetEventWait(b *testing.B) {
	m := MustNewMachine(Options{NoTrace: true})
	th := m.NewProcess("app.exe").NewThread("main")
	h := th.CreateEvent(false, false)
	for b.Loop() {
		th.SetEvent(h)
		if r, err := th.WaitForSingleObjectEx(h, 0, false); r != WAIT_OBJECT_0 || err != nil {
			b.Fatal(r, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/call")
}

// BenchmarkTraceMemory runs 1,000,000 SetEvent+wait cycles (2,000,000
// trace events) with the trace on, keeping every event and with
// TraceLimit 100,000 (simrun's), and reports the live heap after the run
// ("MB-live"): the limit bounds it, whatever the length of the run.
func BenchmarkTraceMemory(b *testing.B) {
	const cycles = 1_000_000
	for _, limit := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			var live float64
			for b.Loop() {
				m := MustNewMachine(Options{TraceLimit: limit})
				th := m.NewProcess("app.exe").NewThread("main")
				h := th.CreateEvent(false, false)
				for range cycles {
					th.SetEvent(h)
					th.WaitForSingleObjectEx(h, 0, false)
				}
				live = float64(liveHeap()) / 1e6
				runtime.KeepAlive(m)
			}
			b.ReportMetric(live, "MB-live")
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
