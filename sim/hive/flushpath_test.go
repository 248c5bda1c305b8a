package hive_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
)

// staged hides a *MemStore behind the Store interface, so that the registry
// cannot hand it a whole flush at once and issues the flush's writes and
// barriers one by one, as it does to any other store.
type staged struct{ hive.Store }

// TestWholeFlushMatchesStagedWrites: the in-memory store takes a flush with
// no crash point armed at once, as its barriers would apply it. Run the
// same random sets, value deletes, key deletes (the key is created again
// at its next use), flushes and clock moves (which also let the lazy
// flusher run) on two registries, one whose store
// takes flushes whole and one whose store takes them write by write: after
// every flush the two stores hold the same state (log, commit, primary
// image, checkpoint), recover the same image, and the registries count the
// same statistics.
func TestWholeFlushMatchesStagedWrites(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			type side struct {
				m     *sim.Machine
				r     *hive.Registry
				th    *sim.Thread
				store hive.Store
				mem   *hive.MemStore
				keys  []sim.Handle
			}
			mk := func(wrap bool) *side {
				s := &side{}
				m := sim.MustNewMachine(sim.Options{Seed: seed, NoTrace: true})
				s.m = m
				s.r = hive.MustNew(m, hive.Options{NewStore: func(p string) hive.Store {
					ms := hive.NewMemStore(p)
					if p != software {
						return ms
					}
					s.mem = ms.(*hive.MemStore)
					if wrap {
						s.store = staged{ms}
						return s.store
					}
					s.store = ms
					return ms
				}})
				s.th = m.NewProcess("app.exe").NewThread("main")
				return s
			}
			whole, stepwise := mk(false), mk(true)
			rng := rand.New(rand.NewPCG(seed, 1))
			for i := range 400 {
				op := rng.IntN(11)
				k := rng.IntN(6)
				for _, s := range []*side{whole, stepwise} {
					for len(s.keys) <= k {
						s.keys = append(s.keys, 0)
					}
					// A key deleted is created again (no handle) when it
					// is next used.
					if s.keys[k] == 0 {
						h, _, st := s.r.NtCreateKey(s.th, win32.KEY_ALL_ACCESS, win32.Abs(fmt.Sprintf(`%s\K%d`, software, k)), 0)
						require.Equal(t, sim.STATUS_SUCCESS, st)
						s.keys[k] = h
					}
				}
				// The clock moves between some steps, so that the records
				// carry different last-write times.
				tick := time.Duration(rng.IntN(3)) * time.Second
				for _, s := range []*side{whole, stepwise} {
					s.m.Advance(tick)
				}
				name := fmt.Sprintf("v%d", rng.IntN(12))
				data := dword(uint32(i))
				for _, s := range []*side{whole, stepwise} {
					h := s.keys[k]
					var st sim.NTStatus
					switch {
					case op < 6:
						st = s.r.NtSetValueKey(s.th, h, name, win32.REG_DWORD, data)
					case op < 8:
						if st = s.r.NtDeleteValueKey(s.th, h, name); st == sim.STATUS_OBJECT_NAME_NOT_FOUND {
							st = sim.STATUS_SUCCESS
						}
					case op < 10:
						st = s.r.NtFlushKey(s.th, h)
					default:
						st = s.r.NtDeleteKey(s.th, h)
						s.r.NtClose(s.th, h)
						s.keys[k] = 0
					}
					require.Equal(t, sim.STATUS_SUCCESS, st, "step %d", i)
				}
				if op < 8 || op == 10 {
					continue
				}
				require.Equal(t, hive.DurableState(whole.mem), hive.DurableState(stepwise.mem), "the stores differ after the flush of step %d", i)
				require.Equal(t, whole.store.Recover(), stepwise.store.Recover(), "the recovered images differ after step %d", i)
				ws, err := whole.r.Stats(software)
				require.NoError(t, err)
				ss, err := stepwise.r.Stats(software)
				require.NoError(t, err)
				require.Equal(t, ws, ss, "the statistics differ after step %d", i)
			}
		})
	}
}

// TestWholeFlushEmptyData: values set with no data, nil or empty, one or
// several at a time, and with data again, come out of a whole flush as
// they come out of a flush written write by write: the image and what it
// recovers hold nil data and empty data alike.
func TestWholeFlushEmptyData(t *testing.T) {
	mk := func(wrap bool) (*hive.Registry, *sim.Thread, *hive.MemStore, hive.Store) {
		var mem *hive.MemStore
		var store hive.Store
		m := sim.MustNewMachine(sim.Options{NoTrace: true})
		r := hive.MustNew(m, hive.Options{NewStore: func(p string) hive.Store {
			ms := hive.NewMemStore(p)
			if p != software {
				return ms
			}
			mem, store = ms.(*hive.MemStore), ms
			if wrap {
				store = staged{ms}
			}
			return store
		}})
		return r, m.NewProcess("app.exe").NewThread("main"), mem, store
	}
	rounds := [][]struct {
		name string
		data []byte
	}{
		{{"a", []byte{1}}, {"b", []byte{2}}},
		{{"a", []byte{}}, {"b", []byte{}}},
		{{"a", nil}},
		{{"b", []byte{}}},
		{{"a", nil}, {"b", nil}, {"c", []byte{}}},
		{{"c", []byte{3}}, {"a", []byte{}}},
	}
	wr, wt, wmem, wstore := mk(false)
	sr, stt, smem, sstore := mk(true)
	wh, _, _ := wr.NtCreateKey(wt, win32.KEY_ALL_ACCESS, win32.Abs(software+`\E`), 0)
	sh, _, _ := sr.NtCreateKey(stt, win32.KEY_ALL_ACCESS, win32.Abs(software+`\E`), 0)
	for i, round := range rounds {
		for _, v := range round {
			require.Equal(t, sim.STATUS_SUCCESS, wr.NtSetValueKey(wt, wh, v.name, win32.REG_BINARY, v.data))
			require.Equal(t, sim.STATUS_SUCCESS, sr.NtSetValueKey(stt, sh, v.name, win32.REG_BINARY, v.data))
		}
		require.Equal(t, sim.STATUS_SUCCESS, wr.NtFlushKey(wt, wh))
		require.Equal(t, sim.STATUS_SUCCESS, sr.NtFlushKey(stt, sh))
		require.Equal(t, hive.DurableState(smem), hive.DurableState(wmem), "the stores differ after round %d", i)
		require.Equal(t, sstore.Recover(), wstore.Recover(), "the recovered images differ after round %d", i)
	}
}
