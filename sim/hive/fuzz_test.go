package hive_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// maxRecoveryOps bounds the operations of one FuzzRecovery input: with
// value data of at most 255 bytes and virtual time that stops at
// sim.EndOfTime, each input is a bounded amount of work, without a wall
// clock.
const maxRecoveryOps = 96

// FuzzRecovery drives the registry with a sequence of operations read from
// the input: values of any type, name and data set on a few keys of every
// hive (names differing only in case included) and deleted, volatile keys,
// key deletions,
// explicit flushes of a key or of \Registry, virtual time for the lazy
// flusher at any interval, a hive loaded with any load flags, and power
// cuts between calls or armed at any point of the next flush, explicit or
// lazy, under each crash policy. After every operation that cut the power
// (the registry then holds no handle), each hive must be whole as it was
// durable before the operation or as the operation's flush would have
// written it; after a cut between calls, exactly as it was durable. That
// is TestPropertyOldOrNew's oracle, with the inputs a fuzzer finds; and
// the first maxSweptFlushes operations that may flush are each run again
// (on a fresh registry, after the same operations) cut at every point up
// to maxSweptPoint under every crash policy, which finds a cut the
// property's random points may miss: with the barrier after the commit
// record removed, the seeds fail here, while TestPropertyOldOrNew passes
// at its default 100 checks (at 1,000 it fails under two seeds of three).
func FuzzRecovery(f *testing.F) {
	// The seeds, in the input's encoding: a header (profile, seed, trace
	// off), then operations (see the switch below).
	seed := func(ops ...[]byte) []byte { return append([]byte{0, 1, 0}, bytes.Join(ops, nil)...) }
	set := func(hive, key byte, data ...byte) []byte {
		return append(append([]byte{0, 1, byte(win32.REG_BINARY), byte(len(data))}, data...), hive, key, 0)
	}
	setNamed := func(name, hive, key byte, data ...byte) []byte {
		return append(append([]byte{0, name, byte(win32.REG_BINARY), byte(len(data))}, data...), hive, key, 0)
	}
	deleteValue := func(name, hive, key byte) []byte { return []byte{10, name, hive, key, 0} }
	flush := func(target byte) []byte { return []byte{5, target} }
	advance := func(n, unit byte) []byte { return []byte{6, n, unit} }
	crash := func(policy byte) []byte { return []byte{7, policy} }
	arm := func(point, policy byte) []byte { return []byte{8, point - 1, policy} }
	const lose, keep, random = 0, 1, 2
	f.Add([]byte{})
	f.Add(seed(set(0, 0, 1), set(0, 1, 2), arm(2, keep), flush(1)))                      // a cut between two keys' records
	f.Add(seed(set(0, 0, 1), set(1, 1, 2), set(2, 2, 3), arm(5, random), flush(0)))      // a flush of every hive, cut
	f.Add(seed(set(0, 0, 1), set(0, 1, 2), arm(3, keep), advance(6, 2)))                 // a lazy pass, cut
	f.Add(seed(set(0, 0, 1), flush(1), set(0, 0, 2), set(0, 2, 3), crash(keep)))         // a cut between calls
	f.Add(seed(set(0, 0, 1), arm(40, lose), flush(1), set(0, 0, 2), advance(10, 2)))     // armed past the flush's end
	f.Add(seed([]byte{9, 1}, set(4, 0, 1), arm(1, keep), advance(10, 2), crash(random))) // a loaded hive
	// A flushed value deletion, then a cut between calls; a value deleted,
	// set again (it moves last) and a new one, flushed and cut.
	f.Add(seed(set(0, 0, 1), setNamed(3, 0, 0, 2), flush(1), deleteValue(1, 0, 0), flush(1), crash(lose)))
	f.Add(seed(set(0, 0, 1), setNamed(3, 0, 0, 2), flush(1), deleteValue(2, 0, 0), set(0, 0, 3), setNamed(5, 0, 0, 4), flush(1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		writers := recoveryRun(t, data, cutPoint{})
		// Every power cut inside the first flushes: at each point, under
		// each policy, on a fresh run of the same operations.
		for _, n := range writers[:min(len(writers), maxSweptFlushes)] {
			for point := 1; point <= maxSweptPoint; point++ {
				for _, pol := range policies {
					recoveryRun(t, data, cutPoint{op: n, point: point, policy: pol})
				}
			}
		}
	})
}

// cutPoint arms a power cut at point of the next flush just before
// operation op (counted from 1) of a recoveryRun; the zero value arms none.
type cutPoint struct {
	op, point int
	policy    win32.CrashPolicy
}

var policies = []win32.CrashPolicy{win32.LoseUnbarriered, win32.KeepUnbarriered, win32.RandomUnbarriered}

// The sweep of FuzzRecovery: every point up to maxSweptPoint of the first
// maxSweptFlushes operations that may flush (explicit flushes and virtual
// time, for the lazy flusher).
const (
	maxSweptFlushes = 2
	maxSweptPoint   = 24
)

// recoveryRun runs the operations of data on a fresh registry, checking
// after each that cut the power that every hive is old or new, and returns
// the indexes (from 1) of the operations that may flush. How many bytes an
// operation reads does not depend on the registry's state, so a run with a
// cut performs the same operations.
func recoveryRun(t *testing.T, data []byte, cut cutPoint) []int {
	t.Helper()
	{
		in := data
		next := func() int {
			if len(in) == 0 {
				return 0
			}
			b := in[0]
			in = in[1:]
			return int(b)
		}
		ps := sim.Profiles()
		m := sim.MustNewMachine(sim.Options{Profile: ps[next()%len(ps)].Name, Seed: uint64(next()), NoTrace: next()%2 == 0})
		r := hive.MustNew(m, hive.Options{})
		th := m.NewProcess("app.exe").NewThread("main")

		image := func(p string) []hive.Record {
			img, err := r.LiveImage(p)
			if err != nil {
				t.Fatalf("LiveImage(%s): %v", p, err)
			}
			return img
		}
		flushes := func(p string) uint64 {
			s, err := r.Stats(p)
			if err != nil {
				t.Fatalf("Stats(%s): %v", p, err)
			}
			return s.Flushes
		}
		durable := map[string][]hive.Record{}
		seen := map[string]uint64{}
		for _, p := range r.HivePaths() {
			durable[p] = image(p)
		}
		// A handle to \Registry stays open between operations: after one
		// that cut the power the registry holds none.
		sentinel := func() {
			_, st := r.NtOpenKey(th, win32.KEY_READ, win32.Abs(`\Registry`))
			if st != sim.STATUS_SUCCESS {
				t.Fatalf("NtOpenKey(\\Registry): %s", st)
			}
		}
		sentinel()
		withKey := func(path string, options uint32, do func(h sim.Handle)) {
			h, _, st := r.NtCreateKey(th, win32.KEY_ALL_ACCESS, win32.Abs(path), options)
			if st != sim.STATUS_SUCCESS {
				return // a volatile name reused as non-volatile, a volatile parent, ...
			}
			do(h)
			r.NtClose(th, h)
		}
		key := func() string {
			paths := r.HivePaths()
			return fmt.Sprintf(`%s\K%d%s`, paths[next()%len(paths)], next()%4, []string{"", `\S`, `\s`}[next()%3])
		}
		names := []string{"", "v", "V", "w", "v\x00x", "ü"}
		lazy := []time.Duration{0, time.Nanosecond, time.Millisecond, time.Second, 5 * time.Second}
		loaded := false

		var writers []int
		for n := 1; n <= maxRecoveryOps && len(in) > 0; n++ {
			if n == cut.op {
				if err := r.CrashAt(cut.point, cut.policy); err != nil {
					t.Fatal(err)
				}
			}
			paths := r.HivePaths()
			old, written := map[string][]hive.Record{}, map[string][]hive.Record{}
			for _, p := range paths {
				old[p], written[p] = durable[p], image(p)
			}
			between := false
			var op string
			switch next() % 11 {
			case 0, 1, 2:
				op = "set"
				name, typ := names[next()%len(names)], uint32(next()%12)
				size := next()
				value := make([]byte, min(size, len(in)))
				copy(value, in)
				in = in[len(value):]
				withKey(key(), 0, func(h sim.Handle) { r.NtSetValueKey(th, h, name, typ, value) })
			case 3:
				op = "volatile"
				withKey(key()+"v", win32.REG_OPTION_VOLATILE, func(h sim.Handle) { r.NtSetValueKey(th, h, "x", win32.REG_DWORD, []byte{1, 0, 0, 0}) })
			case 4:
				op = "delete"
				if h, st := r.NtOpenKey(th, win32.KEY_ALL_ACCESS, win32.Abs(key())); st == sim.STATUS_SUCCESS {
					r.NtDeleteKey(th, h)
					r.NtClose(th, h)
				}
			case 5:
				op = "flush"
				writers = append(writers, n)
				target := append([]string{`\Registry`}, paths...)[next()%(len(paths)+1)]
				withKey(target, 0, func(h sim.Handle) { r.NtFlushKey(th, h) })
			case 6:
				op = "advance"
				writers = append(writers, n)
				m.Advance(time.Duration(next()) * []time.Duration{time.Millisecond, 100 * time.Millisecond, time.Second, time.Hour}[next()%4])
			case 10:
				op = "delete value"
				name := names[next()%len(names)]
				withKey(key(), 0, func(h sim.Handle) { r.NtDeleteValueKey(th, h, name) })
			case 7:
				op = "crash between calls"
				between = true
				r.Crash(policies[next()%len(policies)])
			case 8:
				op = "crash armed"
				if err := r.CrashAt(1+next(), policies[next()%len(policies)]); err != nil {
					t.Fatal(err)
				}
			default:
				switch b := next(); {
				case b%2 == 0:
					op = "lazy interval"
					if err := r.SetLazyFlush(lazy[b/2%len(lazy)]); err != nil {
						t.Fatal(err)
					}
				case !loaded:
					op = "load hive"
					loaded = true
					flags := []uint32{0, win32.REG_NO_LAZY_FLUSH, win32.REG_WHOLE_HIVE_VOLATILE}[b/2%3]
					if err := r.LoadHive(`\Registry\Machine\H1`, flags); err != nil {
						t.Fatal(err)
					}
					durable[`\Registry\Machine\H1`] = image(`\Registry\Machine\H1`)
				}
			}
			if r.OpenHandles() > 0 {
				// No power cut: what a completed flush wrote is durable.
				for _, p := range r.HivePaths() {
					if c := flushes(p); c != seen[p] {
						seen[p], durable[p] = c, image(p)
					}
				}
				continue
			}
			for _, p := range paths {
				got := image(p)
				switch {
				case between && !equalImages(got, old[p]):
					t.Fatalf("op %d (%s): %s is not what was durable before the power cut:\n got %v\nwant %v", n, op, p, got, old[p])
				case !equalImages(got, old[p]) && !equalImages(got, written[p]):
					t.Fatalf("op %d (%s, %+v): %s is neither its old image nor its new one:\n got %v\n old %v\n new %v", n, op, cut, p, got, old[p], written[p])
				}
				durable[p], seen[p] = got, flushes(p)
			}
			sentinel()
		}
		return writers
	}
}
