package hive

import (
	"fmt"
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// Crash is a power loss now, between two calls: every hive comes back as
// its durable image holds it, volatile keys and unflushed changes are gone,
// and every key handle of every process is gone with the processes that
// held it (later uses of the old values give STATUS_INVALID_HANDLE). The
// hives mounted before the crash are mounted again.
func (r *Registry) Crash(policy win32.CrashPolicy) {
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	r.powerLoss(policy, "between calls")
}

// CrashAt arms a power loss inside the next flush that writes anything (an
// explicit flush or a lazy pass): the power fails just before the point-th
// operation (write or barrier, counted from 1 across every hive the flush
// writes). A point past the flush's last operation fails the power once the
// flush is complete, before it returns. The call that was flushing returns
// STATUS_REGISTRY_IO_FAILED. policy says what happens to the writes not yet
// behind a barrier.
func (r *Registry) CrashAt(point int, policy win32.CrashPolicy) error {
	if point < 1 {
		return fmt.Errorf("crash point %d: points count from 1", point)
	}
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	r.crashAt, r.crashPol = point, policy
	kernel.Tracef(r.m, nil, sim.EvNote, "power loss armed at point %d of the next flush (unbarriered writes: %s)", point, policy)
	return nil
}

// powerLoss crashes every hive's store, then restarts the registry from
// what the stores recover.
func (r *Registry) powerLoss(policy win32.CrashPolicy, where string) {
	kernel.Tracef(r.m, nil, sim.EvNote, "power lost %s (unbarriered writes: %s)", where, policy)
	// What no flush wrote is lost with the power.
	flushedFirst := sim.FaultBroken("hive.lazy.power-loss", false, r.crashAt == 0)
	if flushedFirst {
		for _, hv := range r.hives {
			r.sync(hv)
		}
	}
	keep := func(int, Write) bool { return policy == win32.KeepUnbarriered }
	if policy == win32.RandomUnbarriered {
		rng := kernel.Rand(r.m)
		keep = func(int, Write) bool { return rng.IntN(2) == 0 }
	}
	for _, hv := range r.hives {
		if hv.persistent() {
			hv.store.Crash(keep)
		}
	}
	r.crashAt = 0
	if r.lazyTimer != nil {
		kernel.StopTimer(r.m, r.lazyTimer)
	}
	for _, kh := range r.handles {
		kh.table.Remove(kh.local)
		kh.slot = -1
	}
	r.handles = nil
	r.drivers = map[*sim.Thread]*driverState{}
	r.buildMaster()
	for _, hv := range r.hives {
		var recs []Record
		if hv.persistent() {
			recs = hv.store.Recover()
		}
		hv.rebuild(recs)
		kernel.Tracef(r.m, nil, sim.EvTransition, "hive %s recovered: %d key records in its image", hv.path, len(recs))
	}
}

// rebuild replaces the live tree of hv by the image recs, and mounts it
// under the master hive again.
func (hv *hive) rebuild(recs []Record) {
	comps, _ := splitAbsolute(nil, hv.path)
	parent := hv.r.master.root.child(comps[1])
	hv.root = newKey(comps[2], parent, hv, false)
	hv.root.lastWrite = hv.r.now()
	parent.addChild(hv.root)
	hv.dirty = nil
	byPath := map[string]*key{"": hv.root}
	for _, rec := range recs {
		k := hv.root
		if rec.Path != "" {
			parentPath, name := "", rec.Path
			if i := strings.LastIndex(rec.Path, `\`); i >= 0 {
				parentPath, name = rec.Path[:i], rec.Path[i+1:]
			}
			p := byPath[fold(parentPath)]
			if p == nil {
				panic(fmt.Sprintf("hive %s: the image holds %s without its parent", hv.path, rec.Path))
			}
			k = newKey(name, p, hv, false)
			p.addChild(k)
			byPath[fold(rec.Path)] = k
		}
		for _, v := range rec.Values {
			k.setValue(v.Name, v.Type, v.Data)
		}
		k.forgetChanges() // the image holds these values
		k.lastWrite = rec.LastWrite
		k.onDisk = true
	}
}

// LiveImage returns the keys of the hive at path that belong in its image
// (every non-volatile key), as records sorted by path: what a flush now
// would make durable (but for the LastWrite of a key only a subkey's
// creation or deletion changed, which stays unwritten until the key itself
// changes: hive.info.last-write).
func (r *Registry) LiveImage(path string) ([]Record, error) {
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	hv := r.hiveAt(path)
	if hv == nil {
		return nil, fmt.Errorf("no hive is mounted at %s", path)
	}
	var out []Record
	if !hv.persistent() {
		return out, nil
	}
	var visit func(k *key)
	visit = func(k *key) {
		if k.volatile {
			return
		}
		out = append(out, *k.record())
		for _, c := range k.subkeys {
			visit(c)
		}
	}
	visit(hv.root)
	slices.SortFunc(out, func(a, b Record) int { return strings.Compare(fold(a.Path), fold(b.Path)) })
	return out, nil
}
