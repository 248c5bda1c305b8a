package hive_test

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// benchWorld is a registry without trace: the figures are the model's, not
// its diagnostics'.
func benchWorld(b *testing.B) (*sim.Machine, *hive.Registry, *sim.Thread) {
	m := sim.MustNewMachine(sim.Options{NoTrace: true})
	return m, hive.MustNew(m, hive.Options{}), m.NewProcess("app.exe").NewThread("main")
}

func mustCreate(b *testing.B, r *hive.Registry, t *sim.Thread, path string) sim.Handle {
	h, _, st := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Abs(path), 0)
	if st != sim.STATUS_SUCCESS {
		b.Fatalf("NtCreateKey(%s): %s", path, st)
	}
	return h
}

// BenchmarkSetFlushCycle measures NtSetValueKey followed by NtFlushKey of
// its hive: one dirty key, written through the whole protocol.
func BenchmarkSetFlushCycle(b *testing.B) {
	_, r, t := benchWorld(b)
	h := mustCreate(b, r, t, `\Registry\Machine\SOFTWARE\App`)
	var data [4]byte
	i := uint32(0)
	for b.Loop() {
		binary.LittleEndian.PutUint32(data[:], i)
		r.NtSetValueKey(t, h, "Counter", win32.REG_DWORD, data[:])
		if st := r.NtFlushKey(t, h); st != sim.STATUS_SUCCESS {
			b.Fatal(st)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/cycle")
}

// BenchmarkFlushOneDirtyKey flushes one changed key in a hive of 10 keys
// and in one of 100,000: the cost follows the dirty data, so the two
// figures should stay within a factor of 2.
func BenchmarkFlushOneDirtyKey(b *testing.B) {
	for _, size := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("keys=%d", size), func(b *testing.B) {
			_, r, t := benchWorld(b)
			parent := mustCreate(b, r, t, `\Registry\Machine\SOFTWARE\Big`)
			var target sim.Handle
			for i := range size {
				h, _, st := r.NtCreateKey(t, win32.KEY_ALL_ACCESS, win32.Rel(parent, fmt.Sprintf("K%06d", i)), 0)
				if st != sim.STATUS_SUCCESS {
					b.Fatal(st)
				}
				r.NtSetValueKey(t, h, "v", win32.REG_DWORD, []byte{1, 2, 3, 4})
				if i == size/2 {
					target = h
				} else {
					r.NtClose(t, h)
				}
			}
			if st := r.NtFlushKey(t, parent); st != sim.STATUS_SUCCESS {
				b.Fatal(st)
			}
			before, _ := r.Stats(`\Registry\Machine\SOFTWARE`)
			var data [4]byte
			i := uint32(0)
			for b.Loop() {
				binary.LittleEndian.PutUint32(data[:], i)
				r.NtSetValueKey(t, target, "v", win32.REG_DWORD, data[:])
				r.NtFlushKey(t, target)
				i++
			}
			after, _ := r.Stats(`\Registry\Machine\SOFTWARE`)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/flush")
			b.ReportMetric(float64(after.Writes-before.Writes)/float64(b.N), "writes/flush")
		})
	}
}

// BenchmarkDayOfLazyFlushes runs 24 hours of virtual time on eight hives,
// each written once per virtual second, with the lazy flusher running:
// 691,200 writes and 17,280 lazy passes per iteration. The whole day
// should take well under a second.
func BenchmarkDayOfLazyFlushes(b *testing.B) {
	const seconds = 24 * 60 * 60
	var flushes uint64
	for b.Loop() {
		m, r, t := benchWorld(b)
		for i := range 4 {
			if err := r.LoadHive(fmt.Sprintf(`\Registry\Machine\EXTRA%d`, i), 0); err != nil {
				b.Fatal(err)
			}
		}
		paths := r.HivePaths()
		keys := make([]sim.Handle, len(paths))
		for i, p := range paths {
			keys[i] = mustCreate(b, r, t, p+`\Counter`)
		}
		var data [4]byte
		for s := range uint32(seconds) {
			binary.LittleEndian.PutUint32(data[:], s)
			for _, h := range keys {
				r.NtSetValueKey(t, h, "Seconds", win32.REG_DWORD, data[:])
			}
			m.Advance(time.Second)
		}
		flushes = 0
		for _, p := range paths {
			st, _ := r.Stats(p)
			flushes += st.Flushes
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/day")
	b.ReportMetric(float64(flushes), "hive-flushes/day")
}

// BenchmarkValueCalls measures the registry's steady-state calls one by
// one, with the trace off: setting a value that exists, querying it (the
// data copy it returns is its one allocation), opening a key by absolute
// name and closing the handle, and flushing a hive with nothing dirty.
func BenchmarkValueCalls(b *testing.B) {
	const path = `\Registry\Machine\SOFTWARE\App`
	data := []byte{1, 2, 3, 4}
	calls := []struct {
		name string
		per  int // calls per iteration
		run  func(r *hive.Registry, t *sim.Thread, h sim.Handle)
	}{
		{"NtSetValueKey", 1, func(r *hive.Registry, t *sim.Thread, h sim.Handle) {
			r.NtSetValueKey(t, h, "Counter", win32.REG_DWORD, data)
		}},
		{"NtQueryValueKey", 1, func(r *hive.Registry, t *sim.Thread, h sim.Handle) {
			if _, _, st := r.NtQueryValueKey(t, h, "Counter"); st != sim.STATUS_SUCCESS {
				b.Fatal(st)
			}
		}},
		{"NtOpenKey+NtClose", 2, func(r *hive.Registry, t *sim.Thread, _ sim.Handle) {
			h, st := r.NtOpenKey(t, win32.KEY_READ, win32.Abs(path))
			if st != sim.STATUS_SUCCESS {
				b.Fatal(st)
			}
			r.NtClose(t, h)
		}},
		{"NtFlushKey-clean", 1, func(r *hive.Registry, t *sim.Thread, h sim.Handle) {
			r.NtFlushKey(t, h)
		}},
	}
	for _, c := range calls {
		b.Run(c.name, func(b *testing.B) {
			_, r, t := benchWorld(b)
			h := mustCreate(b, r, t, path)
			r.NtSetValueKey(t, h, "Counter", win32.REG_DWORD, data)
			r.NtFlushKey(t, h)
			b.ReportAllocs()
			for b.Loop() {
				c.run(r, t, h)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.per), "ns/call")
		})
	}
}

// BenchmarkFlushOneValue changes one value of a key with 10 values and of
// a key with 10,000 values, in two registries, and flushes each, alternating
// batches between the two: the flush writes the changed value, not the key,
// so "big/small", the ratio of the two per-flush costs, should stay <= 2.
func BenchmarkFlushOneValue(b *testing.B) {
	const batch = 8
	setup := func(values int) (*hive.Registry, *sim.Thread, sim.Handle) {
		_, r, t := benchWorld(b)
		h := mustCreate(b, r, t, `\Registry\Machine\SOFTWARE\Wide`)
		for i := range values {
			r.NtSetValueKey(t, h, fmt.Sprintf("V%05d", i), win32.REG_DWORD, []byte{1, 2, 3, 4})
		}
		if st := r.NtFlushKey(t, h); st != sim.STATUS_SUCCESS {
			b.Fatal(st)
		}
		return r, t, h
	}
	sr, st, sh := setup(10)
	br, bt, bh := setup(10_000)
	var data [4]byte
	var small, big time.Duration
	i := uint32(0)
	cycle := func(r *hive.Registry, t *sim.Thread, h sim.Handle) {
		binary.LittleEndian.PutUint32(data[:], i)
		r.NtSetValueKey(t, h, "V00005", win32.REG_DWORD, data[:])
		if s := r.NtFlushKey(t, h); s != sim.STATUS_SUCCESS {
			b.Fatal(s)
		}
		i++
	}
	for b.Loop() {
		start := time.Now()
		for range batch {
			cycle(sr, st, sh)
		}
		mid := time.Now()
		for range batch {
			cycle(br, bt, bh)
		}
		small += mid.Sub(start)
		big += time.Since(mid)
	}
	flushes := float64(b.N * batch)
	b.ReportMetric(float64(small.Nanoseconds())/flushes, "ns/flush-10")
	b.ReportMetric(float64(big.Nanoseconds())/flushes, "ns/flush-10000")
	b.ReportMetric(float64(big)/float64(small), "big/small")
}
