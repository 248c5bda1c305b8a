package hive_test

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
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

// liveHeap returns the live heap after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// keyName is the name of the i-th key or value of a scaling benchmark.
func keyName(i int) string { return fmt.Sprintf("K%07d", i) }

// scaleKeys makes n subkeys of \Registry\Machine\SOFTWARE\Scale, each with
// one DWORD value, flushed, every handle but the parent's closed. It
// returns the parent's handle and the live heap the n keys added.
func scaleKeys(b *testing.B, r *hive.Registry, t *sim.Thread, n int) (sim.Handle, float64) {
	parent := mustCreate(b, r, t, `\Registry\Machine\SOFTWARE\Scale`)
	before := liveHeap()
	for i := range n {
		h, _, st := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Rel(parent, keyName(i)), 0)
		if st != sim.STATUS_SUCCESS {
			b.Fatal(st)
		}
		r.NtSetValueKey(t, h, "v", win32.REG_DWORD, []byte{1, 2, 3, 4})
		r.NtClose(t, h)
	}
	perKey := (float64(liveHeap()) - float64(before)) / float64(n)
	if st := r.NtFlushKey(t, parent); st != sim.STATUS_SUCCESS {
		b.Fatal(st)
	}
	return parent, perKey
}

// scaleValues makes one key with n DWORD values, flushed. It returns the
// key's handle and the live heap the n values added.
func scaleValues(b *testing.B, r *hive.Registry, t *sim.Thread, n int) (sim.Handle, float64) {
	h := mustCreate(b, r, t, `\Registry\Machine\SOFTWARE\Scale`)
	before := liveHeap()
	for i := range n {
		r.NtSetValueKey(t, h, keyName(i), win32.REG_DWORD, []byte{1, 2, 3, 4})
	}
	perValue := (float64(liveHeap()) - float64(before)) / float64(n)
	if st := r.NtFlushKey(t, h); st != sim.STATUS_SUCCESS {
		b.Fatal(st)
	}
	return h, perValue
}

// BenchmarkScaleKeys opens the middle one of n sibling keys by its name
// relative to their parent and closes it ("ns/call", two calls an
// iteration): the cost must not grow with the keys the hive holds.
// "B/key" is the live heap a key with one value adds.
func BenchmarkScaleKeys(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			_, r, t := benchWorld(b)
			parent, perKey := scaleKeys(b, r, t, n)
			oa := win32.Rel(parent, keyName(n/2))
			b.ReportAllocs()
			for b.Loop() {
				h, st := r.NtOpenKey(t, win32.KEY_READ, oa)
				if st != sim.STATUS_SUCCESS {
					b.Fatal(st)
				}
				r.NtClose(t, h)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/call")
			b.ReportMetric(perKey, "B/key")
		})
	}
}

// BenchmarkScaleValues sets the middle one of n values of a key and
// queries it ("ns/call", two calls an iteration): the cost must not grow
// with the values the key holds. "B/value" is the live heap a DWORD value
// adds.
func BenchmarkScaleValues(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			_, r, t := benchWorld(b)
			h, perValue := scaleValues(b, r, t, n)
			name := keyName(n / 2)
			var data [4]byte
			i := uint32(0)
			b.ReportAllocs()
			for b.Loop() {
				binary.LittleEndian.PutUint32(data[:], i)
				r.NtSetValueKey(t, h, name, win32.REG_DWORD, data[:])
				if _, _, st := r.NtQueryValueKey(t, h, name); st != sim.STATUS_SUCCESS {
					b.Fatal(st)
				}
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/call")
			b.ReportMetric(perValue, "B/value")
		})
	}
}

// BenchmarkScaleFlushKeys changes the value of the middle one of n keys and
// flushes it ("ns/cycle": NtSetValueKey and NtFlushKey): a flush's cost
// should follow what is dirty, not the hive's size.
func BenchmarkScaleFlushKeys(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			_, r, t := benchWorld(b)
			parent, _ := scaleKeys(b, r, t, n)
			h, st := r.NtOpenKey(t, win32.KEY_ALL_ACCESS, win32.Rel(parent, keyName(n/2)))
			if st != sim.STATUS_SUCCESS {
				b.Fatal(st)
			}
			setFlushLoop(b, r, t, h, "v")
		})
	}
}

// BenchmarkScaleFlushValues changes the middle one of n values of a key and
// flushes it ("ns/cycle": NtSetValueKey and NtFlushKey): a flush's cost
// should follow the dirty values, not the key's size.
func BenchmarkScaleFlushValues(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			skipLarge(b, n)
			_, r, t := benchWorld(b)
			h, _ := scaleValues(b, r, t, n)
			setFlushLoop(b, r, t, h, keyName(n/2))
		})
	}
}

// setFlushLoop is the timed loop of the flush scaling benchmarks.
func setFlushLoop(b *testing.B, r *hive.Registry, t *sim.Thread, h sim.Handle, name string) {
	var data [4]byte
	i := uint32(0)
	b.ReportAllocs()
	for b.Loop() {
		binary.LittleEndian.PutUint32(data[:], i)
		r.NtSetValueKey(t, h, name, win32.REG_DWORD, data[:])
		if st := r.NtFlushKey(t, h); st != sim.STATUS_SUCCESS {
			b.Fatal(st)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/cycle")
}

// lazyWorld is a machine with eight hives for the lazy flusher's
// benchmark: each hive is written once per virtual second when writes is
// set, with the lazy flusher on or off.
type lazyWorld struct {
	m      *sim.Machine
	r      *hive.Registry
	t      *sim.Thread
	keys   []sim.Handle
	writes bool
	second uint32 // the next virtual second to run
}

// newLazyWorld builds a lazyWorld.
func newLazyWorld(b *testing.B, writes, lazy bool) *lazyWorld {
	m, r, t := benchWorld(b)
	for i := range 4 {
		if err := r.LoadHive(fmt.Sprintf(`\Registry\Machine\EXTRA%d`, i), 0); err != nil {
			b.Fatal(err)
		}
	}
	if !lazy {
		if err := r.SetLazyFlush(0); err != nil {
			b.Fatal(err)
		}
	}
	w := &lazyWorld{m: m, r: r, t: t, writes: writes}
	for _, p := range r.HivePaths() {
		w.keys = append(w.keys, mustCreate(b, r, t, p+`\Counter`))
	}
	return w
}

// run runs the next seconds virtual seconds and returns how long they took.
func (w *lazyWorld) run(seconds uint32) time.Duration {
	var data [4]byte
	start := time.Now()
	for end := w.second + seconds; w.second < end; w.second++ {
		if w.writes {
			binary.LittleEndian.PutUint32(data[:], w.second)
			for _, h := range w.keys {
				w.r.NtSetValueKey(w.t, h, "Seconds", win32.REG_DWORD, data[:])
			}
		}
		w.m.Advance(time.Second)
	}
	return time.Since(start)
}

// flushes returns how many hive flushes w's registry has made.
func (w *lazyWorld) flushes() uint64 {
	var n uint64
	for _, p := range w.r.HivePaths() {
		st, _ := w.r.Stats(p)
		n += st.Flushes
	}
	return n
}

// BenchmarkLazyFlusherDay runs three worlds of eight hives for 24 virtual
// hours in each iteration: written once a second each with the lazy
// flusher off ("ms/day-writes") and on ("ms/day-writes+lazy"), and with the
// flusher on and no writes ("ms/day-idle"). "lazy-overhead" is what the
// flusher adds to the writes' own cost, as a fraction of it. The worlds
// take turns a virtual hour at a time, the first of each turn alternating,
// so that a change in the machine's load or clock speed falls on all of
// them alike rather than on whichever day ran at that moment.
func BenchmarkLazyFlusherDay(b *testing.B) {
	const hour = 60 * 60
	var writes, both, idle time.Duration
	for b.Loop() {
		off, on, quiet := newLazyWorld(b, true, false), newLazyWorld(b, true, true), newLazyWorld(b, false, true)
		for h := range 24 {
			if h%2 == 0 {
				writes += off.run(hour)
				both += on.run(hour)
			} else {
				both += on.run(hour)
				writes += off.run(hour)
			}
			idle += quiet.run(hour)
		}
		if n := off.flushes(); n != 0 {
			b.Fatalf("%d hive flushes with the lazy flusher off", n)
		}
		// A pass every interval, each writing as many of the eight dirty
		// hives as the profile lets it (the ones left make it arm itself
		// again): a flusher that ran less often would look cheaper.
		interval, perPass := hive.LazyPolicy(on.m.Profile())
		if perPass == 0 || perPass > len(on.keys) {
			perPass = len(on.keys)
		}
		passes := 24 * time.Hour / interval
		if n, want := on.flushes(), uint64(passes)*uint64(perPass); n != want {
			b.Fatalf("%d hive flushes with the lazy flusher on, want %d (%d passes of %d hives)", n, want, passes, perPass)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(writes.Milliseconds())/n, "ms/day-writes")
	b.ReportMetric(float64(both.Milliseconds())/n, "ms/day-writes+lazy")
	b.ReportMetric(float64(idle.Microseconds())/1000/n, "ms/day-idle")
	b.ReportMetric(float64(both-writes)/float64(writes), "lazy-overhead")
}
