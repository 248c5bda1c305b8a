package hive

import (
	"fmt"
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// NtFlushKey writes the whole hive of the key to its durable image and
// returns once it is durable. A key of the master hive (\Registry,
// \Registry\Machine, \Registry\User) flushes every hive. A flush of a clean
// or volatile hive writes nothing.
func (r *Registry) NtFlushKey(t *sim.Thread, h sim.Handle) sim.NTStatus {
	return r.flushKey(t, Nt, h)
}

// ZwFlushKey is NtFlushKey as kernel-mode code calls it.
func (r *Registry) ZwFlushKey(t *sim.Thread, h sim.Handle) sim.NTStatus {
	return r.flushKey(t, Zw, h)
}

func (r *Registry) flushKey(t *sim.Thread, via Via, h sim.Handle) sim.NTStatus {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtFlushKey", "ZwFlushKey")
	call := func() string { return fmt.Sprintf("%s(%s)", api, h) }
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	return r.ret(t, call, r.flush(t, h, modeOf(t, via)))
}

// flush is the body of NtFlushKey.
func (r *Registry) flush(t *sim.Thread, h sim.Handle, mode sim.Mode) sim.NTStatus {
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return flushHandleError(h, st)
	}
	deleted := sim.FaultBroken("hive.flush.key-deleted", kh.key.deleted, false)
	if deleted {
		return sim.STATUS_KEY_DELETED
	}
	if mode == sim.UserMode && r.setting(&settingFlushNeedsQueryValue) && kh.access&win32.KEY_QUERY_VALUE == 0 {
		return sim.STATUS_ACCESS_DENIED
	}
	return r.flushFrom(kh.key)
}

// flushHandleError is NtFlushKey's answer to a handle that is no usable
// key handle: the status of its lookup. A predefined key such as
// HKEY_CURRENT_USER (never a handle value: those are multiples of 4) is no
// native handle; NtCurrentProcess() (INVALID_HANDLE_VALUE) is a handle of
// another type.
func flushHandleError(h sim.Handle, st sim.NTStatus) sim.NTStatus {
	answer := st
	if h == win32.HKEY_CURRENT_USER {
		answer = sim.FaultBroken("hive.native.predefined-handle", answer, sim.STATUS_SUCCESS)
	}
	if h == sim.INVALID_HANDLE_VALUE {
		return sim.FaultBroken("hive.flush.current-process", answer, sim.STATUS_INVALID_HANDLE)
	}
	switch st {
	case sim.STATUS_INVALID_HANDLE:
		answer = sim.FaultBroken("hive.flush.invalid-handle", answer, sim.STATUS_SUCCESS)
	case sim.STATUS_OBJECT_TYPE_MISMATCH:
		answer = sim.FaultBroken("hive.flush.type-mismatch", answer, sim.STATUS_INVALID_HANDLE)
	}
	return answer
}

// flushFrom flushes the hive of k, or every hive for a key of the master
// hive.
func (r *Registry) flushFrom(k *key) sim.NTStatus {
	if c, ok := kernel.TakeFault(r.m, "NtFlushKey"); ok {
		return sim.NTStatus(c.Value)
	}
	if !r.setting(&settingExplicitFlushWrites) {
		kernel.Tracef(r.m, nil, sim.EvNote, "flush of %s writes nothing (the profile's flush is a no-op)", k.hivePathForTrace())
		return sim.STATUS_SUCCESS
	}
	// The flush has written the hive when it returns ...
	unwritten := sim.FaultBroken("hive.flush.durable-on-return", false, true)
	if unwritten {
		return sim.STATUS_SUCCESS
	}
	// ... the whole hive, from any key of it ...
	subkeySkipped := sim.FaultBroken("hive.flush.whole-hive", false, !k.isRoot() && !k.hive.master)
	if subkeySkipped {
		return sim.STATUS_SUCCESS
	}
	// ... and every hive from a key of the master hive (\Registry), only
	// its own from any other.
	everyHive := k.hive.master
	everyHive = sim.FaultBroken("hive.flush.registry-root", everyHive, false)
	everyHive = sim.FaultBroken("hive.flush.other-hives-untouched", everyHive, true)
	hives := []*hive{k.hive}
	if everyHive {
		hives = r.hives
	}
	ok := r.runFlush(func() bool {
		for _, hv := range hives {
			if !r.sync(hv) {
				return false
			}
		}
		return true
	})
	if !ok {
		// The power failed inside the flush: on Windows the call never
		// returns; the model says the flush did not complete.
		return sim.STATUS_REGISTRY_IO_FAILED
	}
	return sim.FaultBroken("hive.flush.success", sim.STATUS_SUCCESS, sim.STATUS_REGISTRY_IO_FAILED)
}

func (k *key) hivePathForTrace() string {
	if k.hive.master {
		return `\Registry (every hive)`
	}
	return k.hive.path
}

// RegFlushKey is the Win32 call: it flushes through NtFlushKey, from user
// mode, and maps the status to a Win32 code. The predefined keys are
// accepted: HKEY_LOCAL_MACHINE and HKEY_USERS are keys of the master hive
// and flush every hive; HKEY_CURRENT_USER flushes the current user's hive;
// HKEY_CLASSES_ROOT and HKEY_CURRENT_CONFIG flush the hives their keys live
// in (SOFTWARE and SYSTEM); HKEY_PERFORMANCE_DATA is no hive and succeeds
// without I/O.
func (r *Registry) RegFlushKey(t *sim.Thread, hKey sim.Handle) sim.Errno {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	call := func() string { return fmt.Sprintf("RegFlushKey(%s)", fmtHKey(hKey)) }
	var st sim.NTStatus
	path, predef := r.predefinedPath(hKey)
	predef = sim.FaultBroken("hive.regflush.predefined", predef, false)
	switch {
	case hKey == win32.HKEY_PERFORMANCE_DATA:
		st = sim.STATUS_SUCCESS
	case predef:
		k := r.keyAt(path)
		if k == nil {
			st = sim.STATUS_OBJECT_NAME_NOT_FOUND
		} else {
			st = r.flushFrom(k)
		}
	default:
		st = r.flush(t, hKey, sim.UserMode)
	}
	e, ok := st.Win32()
	if !ok {
		panic(fmt.Sprintf("hive: no Win32 mapping for %s", st))
	}
	switch e {
	case sim.ERROR_SUCCESS:
		e = sim.FaultBroken("hive.regflush.success", e, sim.ERROR_INVALID_HANDLE)
	case sim.ERROR_INVALID_HANDLE:
		e = sim.FaultBroken("hive.regflush.invalid-handle", e, sim.ERROR_SUCCESS)
	case sim.ERROR_KEY_DELETED:
		e = sim.FaultBroken("hive.regflush.key-deleted", e, sim.ERROR_SUCCESS)
	}
	kernel.TraceCall(r.m, t, call, e.String)
	return e
}

// predefinedPath returns the key a predefined handle stands for.
func (r *Registry) predefinedPath(h sim.Handle) (string, bool) {
	switch h {
	case win32.HKEY_LOCAL_MACHINE:
		return `\Registry\Machine`, true
	case win32.HKEY_USERS:
		return `\Registry\User`, true
	case win32.HKEY_CURRENT_USER:
		return r.currentUser, true
	case win32.HKEY_CLASSES_ROOT:
		return `\Registry\Machine\SOFTWARE`, true
	case win32.HKEY_CURRENT_CONFIG:
		return `\Registry\Machine\SYSTEM`, true
	case win32.HKEY_PERFORMANCE_DATA:
		return "", true
	}
	return "", false
}

// keyAt resolves an absolute name, or returns nil.
func (r *Registry) keyAt(path string) *key {
	var buf [nameComponents]string
	comps, st := splitAbsolute(buf[:0], path)
	if st != sim.STATUS_SUCCESS || len(comps) == 0 || !equalFold(comps[0], "Registry") {
		return nil
	}
	k, _ := walk(r.master.root, comps[1:])
	return k
}

// runFlush runs one flush (an explicit call or a lazy pass) and counts its
// durable-layer operations for the crash points. An armed crash point past
// the flush's last operation fails the power after the flush completed,
// before it returns. It reports whether the flush completed.
func (r *Registry) runFlush(body func() bool) bool {
	r.ops = 0
	if !body() {
		return false
	}
	if r.crashAt > 0 && r.ops > 0 && r.crashAt > r.ops {
		r.powerLoss(r.crashPol, fmt.Sprintf("after the last of the flush's %d operations, before it returned", r.ops))
		return false
	}
	return true
}

// op counts one durable-layer operation and reports false when the armed
// crash point is reached: the power fails before the operation, a write of
// w or, for a nil w, a barrier. The operation is named only then, so that
// counting one builds nothing.
func (r *Registry) op(hv *hive, w *Write) bool {
	r.ops++
	if r.crashAt > 0 && r.ops == r.crashAt {
		what := "a barrier"
		if w != nil {
			what = "write " + w.Kind.String()
		}
		r.powerLoss(r.crashPol, fmt.Sprintf("at point %d of a flush, before %s of %s", r.ops, what, hv.path))
		return false
	}
	return true
}

func (r *Registry) write(hv *hive, w Write) bool {
	if !r.op(hv, &w) {
		return false
	}
	hv.store.Write(w)
	hv.stats.Writes++
	return true
}

func (r *Registry) barrier(hv *hive) bool {
	if !r.op(hv, nil) {
		return false
	}
	hv.store.Barrier()
	hv.stats.Barriers++
	return true
}

// sync writes the dirty keys of hv with the protocol of Store: log,
// barrier, commit, barrier, primary, barrier, checkpoint, barrier. It
// reports false when the power failed inside.
func (r *Registry) sync(hv *hive) bool {
	// A hive with nothing dirty, and a volatile hive, are not written.
	cleanWritten := sim.FaultBroken("hive.flush.clean-no-io", false, hv.persistent() && len(hv.dirty) == 0)
	volatileWritten := sim.FaultBroken("hive.flush.volatile-hive", false, hv.flags&win32.REG_WHOLE_HIVE_VOLATILE != 0)
	if cleanWritten || volatileWritten {
		hv.stats.Writes++
	}
	if !hv.persistent() || len(hv.dirty) == 0 {
		return true
	}
	return r.syncDirty(hv)
}

// syncDirty is sync for a persistent hive with dirty keys, which the lazy
// flusher calls once it has seen that the hive is one: sync's checks
// would find nothing more to do. (Its fault guards give their documented
// value there: the hive has dirty keys, and a volatile one is not eligible
// for a lazy flush.)
func (r *Registry) syncDirty(hv *hive) bool {
	// The primary is written after the log is committed, so that a crash
	// leaves the old state or the new one.
	primaryFirst := sim.FaultBroken("hive.crash.old-or-new", false, true)
	if ms, ok := hv.store.(*MemStore); ok && r.crashAt == 0 && !primaryFirst && len(ms.pending) == 0 {
		r.syncWhole(hv, ms)
		return true
	}
	// The flush's lists reuse the hive's storage from one flush to the
	// next; they drop their references once the flush is over.
	keys, recs := hv.flushKeys[:0], hv.flushRecs[:0]
	bytes := 0
	for _, k := range hv.dirty {
		k.dirty = false
		if k.deleted && !k.onDisk {
			continue // created and deleted since the last flush: nothing to remove
		}
		keys = append(keys, k)
		recs = append(recs, k.flushRecord())
		bytes += k.payload()
	}
	hv.dirty = hv.dirty[:0]
	hv.flushKeys, hv.flushRecs = keys, recs
	if len(recs) == 0 {
		return true
	}
	ok := r.writeFlush(hv, recs, primaryFirst)
	if ok {
		for _, k := range keys {
			k.onDisk = !k.deleted
		}
	}
	for i := range keys {
		keys[i] = nil
	}
	for i := range recs {
		recs[i] = nil
	}
	hv.flushKeys, hv.flushRecs = keys[:0], recs[:0]
	if !ok {
		return false
	}
	r.flushed(hv, len(recs), bytes)
	return true
}

// syncWhole is sync for a hive whose in-memory store takes the flush at
// once: with no crash point armed, nothing can come between the flush's
// operations, and the store's writes are seen by nothing but its barriers,
// so the store applies each record as the flush's barriers would (see
// MemStore.flushRecord). Each record is built in the hive's one scratch
// record over the live key's data, which the store copies: the flush of a
// key whose values changed in place allocates nothing. The operations are
// counted all the same.
func (r *Registry) syncWhole(hv *hive, ms *MemStore) {
	seq := hv.seq + 1
	rec := &hv.scratch
	n, bytes := 0, 0
	for _, k := range hv.dirty {
		k.dirty = false
		if k.deleted && !k.onDisk {
			continue // created and deleted since the last flush: nothing to remove
		}
		if !flushChangedInPlace(ms, seq, k) {
			k.fillRecord(rec)
			ms.flushRecord(seq, rec)
			// The scratch record lets go of the key's names and data (field
			// by field: there are few, and clear's call costs more).
			for i := range rec.Values {
				v := &rec.Values[i]
				v.Name, v.Data = "", nil
			}
			for i := range rec.Removed {
				rec.Removed[i] = ""
			}
		}
		k.onDisk = !k.deleted
		n++
		bytes += k.payload()
	}
	hv.dirty = hv.dirty[:0]
	if n == 0 {
		return
	}
	hv.seq = seq
	ms.flushDone(seq, n)
	ops := 2*n + 2
	r.ops += ops + 4
	hv.stats.Writes += uint64(ops)
	hv.stats.Barriers += 4
	r.flushed(hv, n, bytes)
}

// flushChangedInPlace is syncWhole's short way for its most common record:
// the partial record of a key that lost no value and changed at most one
// since its last record (a counter or a state set again and again), when
// that key is the one ms applied last. It does to ms what
// ms.flushRecord(seq, rec) does with the record k.fillRecord(rec) fills
// (the key's LastWrite, then the changed value put in its place), straight
// from the live value, and forgets the change as fillRecord does: the
// scratch record is neither filled nor cleared. It reports false, having
// done nothing, for any other key; syncWhole then builds the record.
//
// One value only: a partial record of several values, none with data,
// gives them nil data (nilEmptyData), which the record path keeps.
func flushChangedInPlace(ms *MemStore, seq uint64, k *key) bool {
	if k.deleted || !k.onDisk || len(k.removed) > 0 || len(k.changed) > 1 {
		return false
	}
	sk := ms.shortWay(seq, k.path)
	if sk == nil {
		return false
	}
	sk.seq, sk.rec.LastWrite = seq, k.lastWrite
	if len(k.changed) == 1 {
		sk.put(&k.changed[0].Value)
	}
	k.forgetChanges()
	return true
}

// flushed counts a completed flush of hv that wrote n key records with
// bytes of value data, and traces it.
func (r *Registry) flushed(hv *hive, n, bytes int) {
	hv.stats.Flushes++
	hv.stats.KeysWritten += uint64(n)
	hv.stats.ValueBytes += uint64(bytes)
	if r.m.Tracing() {
		kernel.Tracef(r.m, nil, sim.EvTransition, "hive %s flushed: %d key records, %d value bytes", hv.path, n, bytes)
	}
}

// writeFlush issues the writes and barriers of one flush of recs to hv's
// store, with a new sequence number; primaryFirst is the broken protocol
// of hive.crash.old-or-new, which writes the primary before the log. It
// reports false when the power failed inside.
func (r *Registry) writeFlush(hv *hive, recs []*Record, primaryFirst bool) bool {
	hv.seq++
	seq := hv.seq
	for _, rec := range recs {
		if primaryFirst && !r.write(hv, Write{Kind: WritePrimary, Seq: seq, Record: rec}) {
			return false
		}
	}
	for i, rec := range recs {
		if !r.write(hv, Write{Kind: WriteLog, Seq: seq, Index: i, Record: rec}) {
			return false
		}
	}
	if !r.barrier(hv) || !r.write(hv, Write{Kind: WriteCommit, Seq: seq, Count: len(recs)}) || !r.barrier(hv) {
		return false
	}
	for _, rec := range recs {
		if !r.write(hv, Write{Kind: WritePrimary, Seq: seq, Record: rec}) {
			return false
		}
	}
	return r.barrier(hv) && r.write(hv, Write{Kind: WriteCheckpoint, Seq: seq}) && r.barrier(hv)
}

// markDirty lists k for the next flush of its hive and arms the lazy
// flusher. Volatile keys and keys of volatile hives are never written.
func (r *Registry) markDirty(k *key) {
	if k.dirty || !k.persistent() {
		return
	}
	k.dirty = true
	hv := k.hive
	hv.dirty = append(hv.dirty, k)
	// A pending lazy flush is most often there already: it is looked at
	// here, before armLazy's call, which looks again.
	if hv.lazyEligible() && (r.lazyTimer == nil || !r.lazyTimer.Pending()) {
		r.armLazy()
	}
}

// interval returns the lazy flush interval in force.
func (r *Registry) interval() time.Duration {
	if r.lazyInterval != nil {
		return *r.lazyInterval
	}
	return settingLazyInterval.In(r.m.Profile())
}

// armLazy starts the lazy flush timer unless it is already pending: a
// later change does not push the flush back.
func (r *Registry) armLazy() {
	if r.lazyTimer != nil && r.lazyTimer.Pending() {
		return
	}
	interval := r.interval()
	d := sim.FaultBroken("hive.lazy.after-interval", interval, 2*interval)
	if d <= lazyDisabled {
		return
	}
	periodic := r.setting(&settingLazyPeriodic)
	periodic = sim.FaultBroken("hive.lazy.wine-periodic", periodic, false)
	if periodic {
		// A fixed period counted from the start: the next tick after now.
		d -= time.Duration(kernel.Now(r.m)) % d
	}
	name := ""
	if r.m.Tracing() {
		name = "registry lazy flush"
	}
	if r.lazyTimer == nil {
		r.lazyTimer = kernel.After(r.m, d, name, r.lazyPass)
		return
	}
	// The flusher re-arms itself thousands of times a virtual day: it
	// keeps its one timer rather than allocating one each time.
	kernel.ResetTimer(r.m, r.lazyTimer, d, name)
}

// lazyPass is the lazy flusher's work: it writes the dirty hives it may
// write, at most the profile's number of hives per pass, going round the
// hive list so that every hive gets its turn, and arms itself again when
// dirty hives remain.
func (r *Registry) lazyPass() {
	limit := settingLazyHivesPerPass.In(r.m.Profile())
	// A hive the pass writes is clean after it; one it may write but
	// leaves for want of turns is what arms it again. Each hive is looked
	// at once, the cheap test first: most hives are clean.
	again := false
	ok := r.runFlush(func() bool {
		n, done, start := len(r.hives), 0, r.lazyCursor
		for i := range n {
			idx := start + i // start < n: the hive list only grows
			if idx >= n {
				idx -= n
			}
			hv := r.hives[idx]
			if len(hv.dirty) == 0 || !hv.lazyEligible() {
				continue
			}
			if limit != 0 && done >= limit {
				again = true
				break
			}
			// The hive is persistent and dirty: what sync checks first.
			if !r.syncDirty(hv) {
				return false
			}
			done++
			if r.lazyCursor = idx + 1; r.lazyCursor == n {
				r.lazyCursor = 0
			}
		}
		return true
	})
	if ok && again {
		r.armLazy()
	}
}

// SetLazyFlush sets the lazy flush interval, overriding the profile's; 0
// turns the lazy flusher off. A pending lazy flush is rescheduled.
func (r *Registry) SetLazyFlush(interval time.Duration) error {
	if interval < 0 {
		return fmt.Errorf("lazy flush interval %s is negative", interval)
	}
	kernel.Lock(r.m)
	defer kernel.Unlock(r.m)
	r.lazyInterval = &interval
	kernel.Tracef(r.m, nil, sim.EvNote, "lazy flush interval set to %s", interval)
	if r.lazyTimer != nil {
		kernel.StopTimer(r.m, r.lazyTimer)
	}
	for _, hv := range r.hives {
		if hv.lazyEligible() && len(hv.dirty) > 0 {
			r.armLazy()
			break
		}
	}
	return nil
}
