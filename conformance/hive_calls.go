package conformance

import (
	"encoding/binary"
	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/win32"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// The registry oracle's calls: what each Nt call returns, worked out before
// the call is made, and the power cuts.

// regTarget is the key handle a registry call names, as the oracle sees it.
type regTarget struct {
	h       *oHandle
	live    bool    // an open key handle
	k       *regKey // its key, when live and not deleted
	deleted bool    // its key was deleted (through any handle)
}

func (w *World) regTargetOf(a Action) regTarget {
	t := regTarget{h: w.handle(a.H)}
	t.live = t.h != nil && !t.h.closed && t.h.kind == hRegKey
	if t.live {
		t.k, t.deleted = w.regKeyOf(t.h)
	}
	return t
}

// badRegHandle is the status of a call on a handle that is not an open
// key handle: the current process's pseudo handle is not a key, anything
// else is no handle at all.
func (w *World) badRegHandle(a Action, h *oHandle) sim.NTStatus {
	if a.H == RefInvalid {
		return sim.STATUS_OBJECT_TYPE_MISMATCH
	}
	if h != nil && h.closed {
		w.assert("hive.close.invalid-handle")
	}
	return sim.STATUS_INVALID_HANDLE
}

// doRegCrash cuts the power between calls: what was not flushed is lost,
// and every key handle is gone.
func (w *World) doRegCrash(a Action) {
	for _, k := range w.reg().live {
		if k.volatile {
			w.assert("hive.volatile.never-persisted")
			break
		}
	}
	if w.reg().unflushed() {
		w.assert("hive.lazy.power-loss")
	}
	w.reg().crash()
	for _, o := range w.order {
		if o.kind == hRegKey && !o.closed {
			o.closed = true
		}
	}
	w.assert("hive.crash.handles-invalid")
	w.failIf(a, "", w.b.(backend.Durability).Crash(win32.LoseUnbarriered))
	w.log(scenario.ScriptStep{Kind: "crash", Args: []scenario.Arg{{Key: "unbarriered", Value: "lose"}}})
}

// doRegCreateOpen runs NtCreateKey or NtOpenKey.
func (w *World) doRegCreateOpen(a Action, th string, st scenario.ScriptStep) {
	var got sim.NTStatus
	want, disp := w.predictCreateOpen(a)
	oa := win32.ObjectAttributes{RootDirectory: w.value(a.Key), ObjectName: *a.Name, Attributes: sim.OBJ_CASE_INSENSITIVE}
	var v sim.Handle
	var gotDisp uint32
	if a.Op == OpRegCreate {
		v, gotDisp, got = w.rg().NtCreateKey(th, a.Access, oa, a.Flags)
		st.Args = []scenario.Arg{{Key: "root", Value: scenario.Raw(a.Key)}, {Key: "name", Value: *a.Name}, {Key: "access", Value: constArg(win32.GroupKeyAccess, a.Access)},
			{Key: "options", Value: constArg(win32.GroupOptions, a.Flags)}}
	} else {
		v, got = w.rg().NtOpenKey(th, a.Access, oa)
		st.Args = []scenario.Arg{{Key: "root", Value: scenario.Raw(a.Key)}, {Key: "name", Value: *a.Name}, {Key: "access", Value: constArg(win32.GroupKeyAccess, a.Access)}}
	}
	st.Want = wantStatus(want)
	if want == sim.STATUS_SUCCESS {
		st.As = a.As
		full := w.fullName(a)
		lk := w.reg().live[strings.ToLower(full)]
		oh := &oHandle{kind: hRegKey, access: a.Access, keyPath: full}
		if lk != nil {
			oh.keyPath, oh.keyGen = lk.path, lk.gen
		}
		if a.Op == OpRegCreate {
			st.Expect = []scenario.Arg{{Key: "disposition", Value: constArg(win32.GroupDisposition, disp)}}
		}
		w.log(st)
		if got == want && a.Op == OpRegCreate && gotDisp != disp {
			w.fail(a, "disposition %d, want %d", gotDisp, disp)
			return
		}
		if got == want {
			w.bind(a.As, v, oh)
		}
	} else {
		w.log(st)
	}
	if got != want {
		w.fail(a, "got %s, want %s", got, want)
	}
}

// doRegSetQuery runs NtSetValueKey or NtQueryValueKey on a DWORD value.
func (w *World) doRegSetQuery(a Action, th string, st scenario.ScriptStep, t regTarget) {
	want := sim.STATUS_SUCCESS
	right := win32.KEY_SET_VALUE
	if a.Op == OpRegQuery {
		right = win32.KEY_QUERY_VALUE
	}
	switch {
	case !t.live:
		want = w.badRegHandle(a, t.h)
	case t.h.access&right == 0:
		w.assert(map[bool]string{true: "hive.query.access", false: "hive.set.access"}[a.Op == OpRegQuery])
		want = sim.STATUS_ACCESS_DENIED
	case t.deleted:
		w.assert(map[bool]string{true: "hive.query.key-deleted", false: "hive.set.key-deleted"}[a.Op == OpRegQuery], "hive.delete.all-handles")
		want = sim.STATUS_KEY_DELETED
	}
	if a.Op == OpRegSet {
		if want == sim.STATUS_SUCCESS {
			t.k.values[strings.ToLower(a.ValueName)] = regVal{typ: win32.REG_DWORD, data: string(dword(a.DWord))}
			w.reg().markDirty(t.k)
			w.assert("hive.visibility.no-flush-needed")
		}
		got := w.rg().NtSetValueKey(th, w.value(a.H), a.ValueName, win32.REG_DWORD, dword(a.DWord))
		st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "name", Value: a.ValueName}, {Key: "dword", Value: a.DWord}}
		st.Want = wantStatus(want)
		w.log(st)
		if got != want {
			w.fail(a, "got %s, want %s", got, want)
		}
		return
	}
	var val regVal
	if want == sim.STATUS_SUCCESS {
		var ok bool
		if val, ok = t.k.values[strings.ToLower(a.ValueName)]; !ok {
			w.assert("hive.query.not-found")
			want = sim.STATUS_OBJECT_NAME_NOT_FOUND
		}
	}
	typ, data, got := w.rg().NtQueryValueKey(th, w.value(a.H), a.ValueName)
	st.Args = []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}, {Key: "name", Value: a.ValueName}}
	st.Want = wantStatus(want)
	if want == sim.STATUS_SUCCESS {
		st.Expect = []scenario.Arg{{Key: "type", Value: scenario.Raw("REG_DWORD")}, {Key: "dword", Value: binary.LittleEndian.Uint32([]byte(val.data))}}
	}
	w.log(st)
	switch {
	case got != want:
		w.fail(a, "got %s, want %s", got, want)
	case want == sim.STATUS_SUCCESS && (typ != val.typ || string(data) != val.data):
		w.fail(a, "read type %d data % x, want type %d data % x", typ, data, val.typ, []byte(val.data))
	}
}

// predictRegDelete states NtDeleteKey: the handle, its DELETE right, then
// the key: a hive's root and the master keys are not deleted, nor a key
// with subkeys; a second delete succeeds.
func (w *World) predictRegDelete(a Action, t regTarget) (want sim.NTStatus) {
	switch {
	case !t.live:
		want = w.badRegHandle(a, t.h)
		if a.H == RefNULL {
			w.assert("hive.delete.null-handle")
		}
	case t.h.access&win32.DELETE == 0:
		w.assert("hive.delete.access")
		want = sim.STATUS_ACCESS_DENIED
	case t.deleted:
		w.assert("hive.delete.twice")
	case hiveOf(t.k.path) == strings.ToLower(t.k.path) || isMaster(t.k.path):
		w.assert("hive.delete.hive-root")
		want = sim.STATUS_CANNOT_DELETE
	case w.hasSubkeys(t.k.path):
		w.assert("hive.delete.has-subkeys")
		want = w.reg().set.deleteSubkeys
	default:
		w.reg().markDirty(t.k)
		delete(w.reg().live, strings.ToLower(t.k.path))
	}
	return want
}

// predictRegFlush states NtFlushKey: the handle, a deleted key, the access
// the profile asks for; then the whole hive (every hive for the registry's
// root) is written where the profile's NtFlushKey writes.
func (w *World) predictRegFlush(a Action, t regTarget) (want sim.NTStatus) {
	switch {
	case !t.live:
		want = w.badRegHandle(a, t.h)
		if a.H == RefInvalid {
			w.assert("hive.flush.current-process")
		} else {
			w.assert("hive.flush.invalid-handle")
		}
	case t.deleted:
		w.assert("hive.flush.key-deleted", "hive.delete.all-handles")
		want = sim.STATUS_KEY_DELETED
	case w.reg().set.flushNeedsQuery && t.h.access&win32.KEY_QUERY_VALUE == 0:
		want = sim.STATUS_ACCESS_DENIED
	default:
		w.assert("hive.flush.success")
		if w.reg().set.flushWrites {
			w.assert("hive.flush.whole-hive", "hive.flush.other-hives-untouched", "hive.flush.durable-on-return")
			if lh := hiveOf(t.k.path); lh != "" {
				w.reg().flushHive(lh)
			} else {
				w.assert("hive.flush.registry-root")
				for _, hv := range regHives {
					w.reg().flushHive(strings.ToLower(hv))
				}
			}
		}
	}
	return want
}

// predictRegClose states NtClose: an open key handle closes, a deleted key's
// too.
func (w *World) predictRegClose(a Action, t regTarget) (want sim.NTStatus) {
	switch {
	case !t.live:
		want = w.badRegHandle(a, t.h)
	default:
		if t.deleted {
			w.assert("hive.delete.close")
		}
		t.h.closed = true
	}
	return want
}

// predictCreateOpen states NtCreateKey and NtOpenKey: the root handle (a
// live key handle; a deleted key gives STATUS_KEY_DELETED), then the name:
// an existing key opens (REG_OPENED_EXISTING_KEY, volatility unchanged), a
// missing one is created under an existing parent (REG_CREATED_NEW_KEY)
// unless the parent is volatile and the new key is not.
func (w *World) predictCreateOpen(a Action) (sim.NTStatus, uint32) {
	if (a.Key == RefNULL) != strings.HasPrefix(*a.Name, `\`) {
		w.assert("hive.name.syntax")
		return sim.STATUS_OBJECT_PATH_SYNTAX_BAD, 0
	}
	if a.Key != RefNULL {
		h := w.handle(a.Key)
		if h == nil || h.closed || h.kind != hRegKey {
			if h != nil && h.closed {
				w.assert("hive.close.invalid-handle")
			}
			return sim.STATUS_INVALID_HANDLE, 0
		}
		if _, deleted := w.regKeyOf(h); deleted {
			w.assert("hive.create.key-deleted")
			return sim.STATUS_KEY_DELETED, 0
		}
	}
	full := w.fullName(a)
	lp := strings.ToLower(full)
	if a.Op == OpRegOpen && a.Access == 0 && (w.reg().live[lp] != nil || isMaster(full)) {
		// The key exists; Windows refuses the empty mask (reg.c:377).
		if w.reg().set.openZeroDenied {
			w.assert("hive.open.zero-access")
			return sim.STATUS_ACCESS_DENIED, 0
		}
		w.assert("hive.open.zero-access-wine")
	}
	if k := w.reg().live[lp]; k != nil {
		if a.Op == OpRegCreate {
			w.assert("hive.create.disposition")
			if (a.Flags&win32.REG_OPTION_VOLATILE != 0) != k.volatile {
				w.assert("hive.volatile.existing-unchanged")
			}
		}
		return sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY
	}
	if isMaster(full) {
		return sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY
	}
	if a.Op == OpRegOpen {
		w.assert("hive.open.not-found")
		return sim.STATUS_OBJECT_NAME_NOT_FOUND, 0
	}
	parent := w.reg().live[strings.ToLower(parentOf(full))]
	if parent == nil {
		w.assert("hive.create.missing-parent")
		return sim.STATUS_OBJECT_NAME_NOT_FOUND, 0
	}
	volatile := a.Flags&win32.REG_OPTION_VOLATILE != 0
	if parent.volatile && !volatile {
		if a.Key != RefNULL || w.reg().set.absVolatileChecked {
			w.assert("hive.volatile.child-must-be-volatile")
			return sim.STATUS_CHILD_MUST_BE_VOLATILE, 0
		}
		w.assert("hive.volatile.absolute-name-wine")
	}
	w.reg().gen++
	w.reg().live[lp] = &regKey{path: full, gen: w.reg().gen, volatile: volatile, transient: volatile || parent.transient, values: map[string]regVal{}}
	w.reg().markDirty(w.reg().live[lp])
	w.assert("hive.create.disposition")
	return sim.STATUS_SUCCESS, win32.REG_CREATED_NEW_KEY
}

// crashFlushTarget returns the hive a crash_in_flush action may cut: its
// handle is a live key of a hive with records to write, and the profile's
// flush writes. "" when the action does not apply.
func (w *World) crashFlushTarget(ref string) string {
	h := w.handle(ref)
	if h == nil || h.closed || h.kind != hRegKey || !w.reg().set.flushWrites {
		return ""
	}
	k, deleted := w.regKeyOf(h)
	if deleted || k == nil {
		return ""
	}
	lh := hiveOf(k.path)
	if lh == "" || w.reg().records(lh) == 0 {
		return ""
	}
	return lh
}

// doCrashFlush states a power cut inside a flush of one hive that writes n
// key records. The flush logs the n records, puts a barrier, writes the
// commit record and a barrier, then updates the primary image (n writes)
// and checkpoints behind two more barriers. Recovery replays a committed
// log, so the hive comes back with its new image exactly when the commit
// record reached the medium: when the cut comes after the barrier that
// follows it (point > n+3), or, if unbarriered writes survive, after the
// commit write itself (point > n+2); otherwise with its old image, whole
// (hive.crash.old-or-new). The flush reports STATUS_REGISTRY_IO_FAILED
// (hive.crash.interrupted-call), and every hive restarts from its image.
func (w *World) doCrashFlush(a Action, h *oHandle) {
	lh := w.crashFlushTarget(a.H)
	if lh == "" {
		w.fail(a, "crash_in_flush needs a live key of a hive with changes to write")
		return
	}
	n := w.reg().records(lh)
	committed := n + 3
	policy, pname := win32.LoseUnbarriered, "lose"
	if a.Flags != 0 {
		policy, pname, committed = win32.KeepUnbarriered, "keep", n+2
	}
	if int(a.MS) > committed {
		w.reg().flushHive(lh)
	}
	w.assert("hive.crash.old-or-new", "hive.crash.interrupted-call", "hive.crash.handles-invalid")
	w.failIf(a, "", w.b.(backend.Durability).CrashAt(int(a.MS), policy))
	w.log(scenario.ScriptStep{Kind: "crash", Args: []scenario.Arg{{Key: "at", Value: a.MS}, {Key: "unbarriered", Value: pname}}})
	got := w.rg().NtFlushKey(a.thread(), w.value(a.H))
	w.log(scenario.ScriptStep{Kind: string(OpRegFlush), Thread: threadMod(a.thread()), Args: []scenario.Arg{{Key: "key", Value: scenario.Raw(a.H)}},
		Want: wantStatus(sim.STATUS_REGISTRY_IO_FAILED)})
	w.reg().crash()
	for _, o := range w.order {
		if o.kind == hRegKey {
			o.closed = true
		}
	}
	if got != sim.STATUS_REGISTRY_IO_FAILED {
		w.fail(a, "the flush the power cut interrupted returned %s, want STATUS_REGISTRY_IO_FAILED", got)
	}
}
