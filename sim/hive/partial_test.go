package hive_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// recordingStore is a Store that keeps the log records each flush writes.
type recordingStore struct {
	hive.Store
	logged []*hive.Record
}

func (s *recordingStore) Write(w hive.Write) {
	if w.Kind == hive.WriteLog {
		s.logged = append(s.logged, w.Record)
	}
	s.Store.Write(w)
}

// wideFixture is a registry whose SOFTWARE hive records what it logs,
// with the key Wide holding v0..v4 (DWORDs 0..4) flushed.
func wideFixture(t *testing.T, seed uint64) (*fixture, *recordingStore, sim.Handle) {
	t.Helper()
	m := sim.MustNewMachine(sim.Options{Seed: seed, NoTrace: true})
	var store *recordingStore
	r := hive.MustNew(m, hive.Options{NewStore: func(p string) hive.Store {
		s := &recordingStore{Store: hive.NewMemStore(p)}
		if p == software {
			store = s
		}
		return s
	}})
	f := &fixture{t: t, m: m, r: r, th: m.NewProcess("app.exe").NewThread("main")}
	h := f.create(software+`\Wide`, 0)
	for i := range 5 {
		f.set(h, fmt.Sprintf("v%d", i), uint32(i))
	}
	require.Equal(t, sim.STATUS_SUCCESS, r.NtFlushKey(f.th, h))
	return f, store, h
}

// TestFlushWritesChangedValues: a flush writes a key its image holds as a
// Partial record of the values removed and set since its last flush, and
// the image keeps the others, in their order; a new key is written whole.
// After the flush a power cut brings back the live key exactly (values,
// their order, the spelling a replaced value keeps, LastWriteTime); a cut
// at any point of the flush, under any policy, brings back the old image
// or the new one, whole. The case "deleted, set again, then a new value"
// is also a cut after the primary image took the record but before the
// checkpoint: recovery replays the log over it, which must not apply the
// record twice.
func TestFlushWritesChangedValues(t *testing.T) {
	del := func(f *fixture, h sim.Handle, name string) {
		f.t.Helper()
		require.Equal(f.t, sim.STATUS_SUCCESS, f.r.NtDeleteValueKey(f.th, h, name))
	}
	for _, tc := range []struct {
		name        string
		change      func(f *fixture, h sim.Handle)
		removed     []string
		values      []string // names in the record, in order
		order       []string // names in the image afterwards, in order
		valueBytesI uint64   // the flush's ValueBytes: the key's whole data
	}{
		{"replace one", func(f *fixture, h sim.Handle) { f.set(h, "v3", 33) },
			nil, []string{"v3"}, []string{"v0", "v1", "v2", "v3", "v4"}, 20},
		{"replace with another spelling", func(f *fixture, h sim.Handle) { f.set(h, "V1", 11) },
			nil, []string{"v1"}, []string{"v0", "v1", "v2", "v3", "v4"}, 20},
		{"delete", func(f *fixture, h sim.Handle) { del(f, h, "V2") },
			[]string{"v2"}, nil, []string{"v0", "v1", "v3", "v4"}, 16},
		{"delete then set again", func(f *fixture, h sim.Handle) { del(f, h, "v1"); f.set(h, "V1", 1) },
			[]string{"v1"}, []string{"V1"}, []string{"v0", "v2", "v3", "v4", "V1"}, 20},
		{"deleted, set again, then a new value", func(f *fixture, h sim.Handle) {
			del(f, h, "v1")
			f.set(h, "v1", 1)
			f.set(h, "n", 7)
		}, []string{"v1"}, []string{"v1", "n"}, []string{"v0", "v2", "v3", "v4", "v1", "n"}, 24},
		{"a new value deleted again", func(f *fixture, h sim.Handle) { f.set(h, "n", 7); del(f, h, "n") },
			nil, nil, []string{"v0", "v1", "v2", "v3", "v4"}, 20},
		{"replace, add, replace", func(f *fixture, h sim.Handle) { f.set(h, "v4", 44); f.set(h, "n", 7); f.set(h, "v0", 10) },
			nil, []string{"v4", "n", "v0"}, []string{"v0", "v1", "v2", "v3", "v4", "n"}, 24},
		{"every value deleted", func(f *fixture, h sim.Handle) {
			for i := range 5 {
				del(f, h, fmt.Sprintf("v%d", i))
			}
		}, []string{"v0", "v1", "v2", "v3", "v4"}, nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, store, h := wideFixture(t, 0)
			require.Len(t, store.logged, 1, "the first flush writes the new key")
			assert.False(t, store.logged[0].Partial, "a key new to the image is written whole")
			assert.Len(t, store.logged[0].Values, 5)

			store.logged = nil
			tc.change(f, h)
			want := f.image(software)
			before := f.stats(software).ValueBytes
			require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, h))
			require.Len(t, store.logged, 1)
			rec := store.logged[0]
			assert.True(t, rec.Partial)
			assert.Equal(t, tc.removed, rec.Removed, "removed")
			var names []string
			for _, v := range rec.Values {
				names = append(names, v.Name)
			}
			assert.Equal(t, tc.values, names, "values in the record")
			assert.Equal(t, tc.valueBytesI, f.stats(software).ValueBytes-before, "ValueBytes counts the key's whole data")

			f.r.Crash(win32.LoseUnbarriered)
			got := f.image(software)
			assert.Equal(t, want, got, "after a power cut, the image is the flushed key")
			var order []string
			for _, v := range got[1].Values {
				order = append(order, v.Name)
			}
			assert.Equal(t, tc.order, order)
		})
		for _, policy := range policies {
			for seed := range uint64(3) {
				if policy != win32.RandomUnbarriered && seed > 0 {
					continue
				}
				// One record: log, barrier, commit, barrier, primary,
				// barrier, checkpoint, barrier; and past the end.
				for point := 1; point <= 9; point++ {
					t.Run(fmt.Sprintf("%s/%s/seed%d/point%d", tc.name, policy, seed, point), func(t *testing.T) {
						f, _, h := wideFixture(t, seed)
						old := f.image(software)
						tc.change(f, h)
						next := f.image(software)
						require.NoError(t, f.r.CrashAt(point, policy))
						require.Equal(t, sim.STATUS_REGISTRY_IO_FAILED, f.r.NtFlushKey(f.th, h))
						got := f.image(software)
						assert.True(t, assert.ObjectsAreEqual(old, got) || assert.ObjectsAreEqual(next, got),
							"neither the old image nor the new one:\n got %v\n old %v\n new %v", got, old, next)
					})
				}
			}
		}
	}
}

// TestFlushedValueDeletionSurvives: a value deleted and flushed stays
// deleted after a power cut, also when the key's record is partial (the
// key was in the image before), and the hive's other keys and values are
// untouched.
func TestFlushedValueDeletionSurvives(t *testing.T) {
	f := newFixture(t, "")
	a := f.create(software+`\A`, 0)
	f.set(a, "gone", 1)
	f.set(a, "kept", 2)
	f.set(f.create(software+`\B`, 0), "other", 3)
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, a))

	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtDeleteValueKey(f.th, a, "GONE"))
	require.Equal(t, sim.STATUS_SUCCESS, f.r.NtFlushKey(f.th, a))
	f.r.Crash(win32.LoseUnbarriered)

	_, ok := f.value(software+`\A`, "gone")
	assert.False(t, ok, "the flushed deletion survives the power cut")
	v, ok := f.value(software+`\A`, "kept")
	assert.True(t, ok)
	assert.Equal(t, uint32(2), v)
	v, ok = f.value(software+`\B`, "other")
	assert.True(t, ok)
	assert.Equal(t, uint32(3), v)
}

// TestMemStorePartialRecords: a MemStore applies a partial record over
// the key's image (removals, then values replaced in place or added last),
// and a recovery that completes a flush the primary image already holds
// applies each record once.
func TestMemStorePartialRecords(t *testing.T) {
	val := func(name string, b byte) hive.Value {
		return hive.Value{Name: name, Type: win32.REG_BINARY, Data: []byte{b}}
	}
	whole := &hive.Record{Path: "K", LastWrite: 1, Values: []hive.Value{val("a", 1), val("b", 1), val("c", 1)}}
	partial := &hive.Record{Path: "k", Partial: true, LastWrite: 2, Removed: []string{"A"},
		Values: []hive.Value{val("C", 2), val("a", 2), val("d", 2)}}
	want := []hive.Record{{Path: "k", LastWrite: 2, Values: []hive.Value{val("b", 1), val("C", 2), val("a", 2), val("d", 2)}}}
	flush := func(s hive.Store, seq uint64, rec *hive.Record, checkpoint bool) {
		s.Write(hive.Write{Kind: hive.WriteLog, Seq: seq, Record: rec})
		s.Barrier()
		s.Write(hive.Write{Kind: hive.WriteCommit, Seq: seq, Count: 1})
		s.Barrier()
		s.Write(hive.Write{Kind: hive.WritePrimary, Seq: seq, Record: rec})
		s.Barrier()
		if checkpoint {
			s.Write(hive.Write{Kind: hive.WriteCheckpoint, Seq: seq})
			s.Barrier()
		}
	}
	for _, tc := range []struct {
		name       string
		checkpoint bool
	}{
		{"checkpointed", true},
		{"replayed over a primary that holds it", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := hive.NewMemStore("")
			flush(s, 1, whole, true)
			flush(s, 2, partial, tc.checkpoint)
			s.Crash(func(int, hive.Write) bool { return false })
			assert.Equal(t, want, s.Recover())
			assert.Equal(t, want, s.Recover(), "recovery is repeatable")
		})
	}
}
