package hive_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// TestPropertyOldOrNew drives the registry with random changes (values set
// and deleted, in an order the images keep), flushes,
// lazy flushes and power cuts (between calls and at random points inside a
// flush, under random crash policies), and checks after every crash that
// each hive is exactly what its last completed flush wrote, or, for a hive
// whose flush the crash cut, that or the image the flush was writing.
func TestPropertyOldOrNew(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		m := sim.MustNewMachine(sim.Options{Seed: rapid.Uint64().Draw(rt, "seed"), NoTrace: true})
		r := hive.MustNew(m, hive.Options{})
		th := m.NewProcess("app.exe").NewThread("main")
		paths := r.HivePaths()

		image := func(p string) []hive.Record {
			img, err := r.LiveImage(p)
			require.NoError(rt, err)
			return img
		}
		flushes := func(p string) uint64 {
			s, err := r.Stats(p)
			require.NoError(rt, err)
			return s.Flushes
		}
		durable := map[string][]hive.Record{}
		seen := map[string]uint64{}
		for _, p := range paths {
			durable[p] = image(p)
		}
		// settle records what completed flushes made durable: the live
		// image of every hive whose flush count moved.
		settle := func() {
			for _, p := range paths {
				if n := flushes(p); n != seen[p] {
					seen[p], durable[p] = n, image(p)
				}
			}
		}
		changed := func() bool {
			for _, p := range paths {
				if !equalImages(image(p), durable[p]) {
					return true
				}
			}
			return false
		}
		withKey := func(path string, options uint32, do func(h sim.Handle)) {
			h, _, st := r.NtCreateKey(th, win32.KEY_ALL_ACCESS, win32.Abs(path), options)
			if st != sim.STATUS_SUCCESS {
				return // a volatile name reused as non-volatile, or the like
			}
			do(h)
			require.Equal(rt, sim.STATUS_SUCCESS, r.NtClose(th, h))
		}
		key := func(t *rapid.T) string {
			return fmt.Sprintf(`%s\K%d`, rapid.SampledFrom(paths).Draw(t, "hive"), rapid.IntRange(0, 3).Draw(t, "key"))
		}

		rt.Repeat(map[string]func(*rapid.T){
			"set": func(t *rapid.T) {
				v := rapid.Uint32().Draw(t, "value")
				withKey(key(t), 0, func(h sim.Handle) {
					require.Equal(t, sim.STATUS_SUCCESS, r.NtSetValueKey(th, h, "v", win32.REG_DWORD, dword(v)))
				})
			},
			"set other": func(t *rapid.T) {
				name := rapid.SampledFrom([]string{"a", "B", "c"}).Draw(t, "name")
				withKey(key(t), 0, func(h sim.Handle) {
					require.Equal(t, sim.STATUS_SUCCESS, r.NtSetValueKey(th, h, name, win32.REG_DWORD, dword(1)))
				})
			},
			"delete value": func(t *rapid.T) {
				name := rapid.SampledFrom([]string{"v", "A", "b", "C"}).Draw(t, "name")
				withKey(key(t), 0, func(h sim.Handle) {
					st := r.NtDeleteValueKey(th, h, name)
					require.Contains(t, []sim.NTStatus{sim.STATUS_SUCCESS, sim.STATUS_OBJECT_NAME_NOT_FOUND}, st)
				})
			},
			"volatile": func(t *rapid.T) {
				withKey(key(t)+"v", win32.REG_OPTION_VOLATILE, func(h sim.Handle) {
					r.NtSetValueKey(th, h, "x", win32.REG_DWORD, dword(1))
				})
			},
			"delete": func(t *rapid.T) {
				h, st := r.NtOpenKey(th, win32.KEY_ALL_ACCESS, win32.Abs(key(t)))
				if st == sim.STATUS_SUCCESS {
					require.Equal(t, sim.STATUS_SUCCESS, r.NtDeleteKey(th, h))
					r.NtClose(th, h)
				}
			},
			"flush": func(t *rapid.T) {
				target := rapid.SampledFrom(append([]string{`\Registry`}, paths...)).Draw(t, "flush")
				withKey(target, 0, func(h sim.Handle) {
					require.Equal(t, sim.STATUS_SUCCESS, r.NtFlushKey(th, h))
				})
				settle()
			},
			"wait": func(t *rapid.T) {
				m.Advance(time.Duration(rapid.IntRange(0, 7000).Draw(t, "ms")) * time.Millisecond)
				settle()
			},
			"crash": func(t *rapid.T) {
				r.Crash(policyGen.Draw(t, "policy"))
				for _, p := range paths {
					require.True(t, equalImages(durable[p], image(p)), "%s after a crash between calls", p)
				}
			},
			"crash in flush": func(t *rapid.T) {
				if !changed() {
					t.Skip("nothing to flush: the crash point would stay armed")
				}
				old := map[string][]hive.Record{}
				next := map[string][]hive.Record{}
				for _, p := range paths {
					old[p], next[p] = durable[p], image(p)
				}
				require.NoError(t, r.CrashAt(rapid.IntRange(1, 40).Draw(t, "point"), policyGen.Draw(t, "policy")))
				h, st := r.NtOpenKey(th, win32.KEY_READ, win32.Abs(`\Registry`))
				require.Equal(t, sim.STATUS_SUCCESS, st)
				require.Equal(t, sim.STATUS_REGISTRY_IO_FAILED, r.NtFlushKey(th, h))
				for _, p := range paths {
					got := image(p)
					require.True(t, equalImages(old[p], got) || equalImages(next[p], got), "%s is neither its old nor its new image", p)
					durable[p], seen[p] = got, flushes(p)
				}
			},
		})
	})
}

var policyGen = rapid.SampledFrom([]win32.CrashPolicy{win32.LoseUnbarriered, win32.KeepUnbarriered, win32.RandomUnbarriered})

func equalImages(a, b []hive.Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || len(a[i].Values) != len(b[i].Values) {
			return false
		}
		for j, v := range a[i].Values {
			w := b[i].Values[j]
			if v.Name != w.Name || v.Type != w.Type || string(v.Data) != string(w.Data) {
				return false
			}
		}
	}
	return true
}
