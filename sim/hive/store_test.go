package hive_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// TestMemStoreRecover checks the recovery rules of the in-memory store on
// hand-made media: what survives is decided by the barriers and by the
// crash's choice of unbarriered writes.
func TestMemStoreRecover(t *testing.T) {
	rec := func(path string, v byte) *hive.Record {
		return &hive.Record{Path: path, Values: []hive.Value{{Name: "v", Type: win32.REG_BINARY, Data: []byte{v}}}}
	}
	gone := &hive.Record{Path: "B", Deleted: true}
	// flush issues the protocol of one flush, stopping after n operations
	// (3 records: log 1-3, barrier 4, commit 5, barrier 6, primary 7-9,
	// barrier 10, checkpoint 11, barrier 12).
	flush := func(s hive.Store, seq uint64, n int, recs ...*hive.Record) {
		var ops []func()
		for i, r := range recs {
			ops = append(ops, func() { s.Write(hive.Write{Kind: hive.WriteLog, Seq: seq, Index: i, Record: r}) })
		}
		ops = append(ops, s.Barrier, func() { s.Write(hive.Write{Kind: hive.WriteCommit, Seq: seq, Count: len(recs)}) }, s.Barrier)
		for _, r := range recs {
			ops = append(ops, func() { s.Write(hive.Write{Kind: hive.WritePrimary, Seq: seq, Record: r}) })
		}
		ops = append(ops, s.Barrier, func() { s.Write(hive.Write{Kind: hive.WriteCheckpoint, Seq: seq}) }, s.Barrier)
		for _, op := range ops[:min(n, len(ops))] {
			op()
		}
	}
	keepAll := func(int, hive.Write) bool { return true }
	keepNone := func(int, hive.Write) bool { return false }
	keepLogOnlyFirst := func(i int, w hive.Write) bool { return w.Kind != hive.WriteLog || w.Index == 0 }
	v := func(r *hive.Record) hive.Record { return *r }

	for _, tc := range []struct {
		name string
		ops  int // of the second flush
		keep func(int, hive.Write) bool
		want []hive.Record
	}{
		{"complete", 100, keepNone, []hive.Record{v(rec("A", 2)), v(rec("C", 3))}},
		{"log written, not committed", 4, keepAll, []hive.Record{v(rec("A", 1)), v(rec("B", 1))}},
		{"commit lost", 5, keepNone, []hive.Record{v(rec("A", 1)), v(rec("B", 1))}},
		{"commit kept", 5, keepAll, []hive.Record{v(rec("A", 2)), v(rec("C", 3))}},
		{"half the primary", 8, keepNone, []hive.Record{v(rec("A", 2)), v(rec("C", 3))}},
		{"checkpoint lost", 11, keepNone, []hive.Record{v(rec("A", 2)), v(rec("C", 3))}},
		{"log records lost before the barrier", 3, keepLogOnlyFirst, []hive.Record{v(rec("A", 1)), v(rec("B", 1))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := hive.NewMemStore("")
			flush(s, 1, 100, rec("A", 1), rec("B", 1))
			flush(s, 2, tc.ops, rec("A", 2), gone, rec("C", 3))
			s.Crash(tc.keep)
			assert.Equal(t, tc.want, s.Recover())
			assert.Equal(t, tc.want, s.Recover(), "recovery is repeatable")
		})
	}
}
