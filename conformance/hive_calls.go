package conformance

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// The registry oracle's calls: what each Nt call returns, worked out from
// the state before the call is made, and the power cuts.

// regTarget is the key handle a registry call names, as the oracle sees it.
type regTarget struct {
	h       regHandle
	i       int     // its index in the state's handles; -1 for none
	live    bool    // an open key handle
	k       *regKey // its key, when live and not deleted
	deleted bool    // its key was deleted (through any handle)
}

func (s regState) targetOf(ref string) regTarget {
	var t regTarget
	t.h, t.i, _ = s.handle(ref)
	t.live = t.i >= 0 && !t.h.closed
	if t.live {
		t.k, t.deleted = s.keyOf(t.h)
	}
	return t
}

// badHandle is the status of a call on a handle that is not an open key
// handle: the current process's pseudo handle is not a key, anything else
// is no handle at all.
func (e *regEdit) badHandle(ref string, t regTarget) sim.NTStatus {
	if ref == RefInvalid {
		return sim.STATUS_OBJECT_TYPE_MISMATCH
	}
	if t.i >= 0 && t.h.closed {
		e.assert("hive.close.invalid-handle")
	}
	return sim.STATUS_INVALID_HANDLE
}

// crashNow cuts the power between calls: what was not flushed is lost,
// and every key handle is gone.
func (e *regEdit) crashNow() {
	for _, k := range e.live {
		if k.volatile {
			e.assert("hive.volatile.never-persisted")
			break
		}
	}
	if e.unflushed() {
		e.assert("hive.lazy.power-loss")
	}
	e.crash()
	e.assert("hive.crash.handles-invalid")
}

// createOpen states NtCreateKey or NtOpenKey, and binds the handle when
// the call succeeds: the status and the disposition NtCreateKey reports.
func (e *regEdit) createOpen(a Action) (sim.NTStatus, uint32) {
	want, disp := e.predictCreateOpen(a)
	if want == sim.STATUS_SUCCESS {
		full := e.fullName(a)
		h := regHandle{name: a.As, access: regArgsOf(a).access, path: full}
		if lk := e.live[strings.ToLower(full)]; lk != nil {
			h.path, h.gen = lk.path, lk.gen
		}
		e.bind(h)
	}
	return want, disp
}

// setValue states NtSetValueKey of a DWORD value.
func (e *regEdit) setValue(a Action, t regTarget) sim.NTStatus {
	want := e.valueAccess(a, t, win32.KEY_SET_VALUE, "hive.set.access", "hive.set.key-deleted")
	if want == sim.STATUS_SUCCESS {
		k := t.k.clone()
		args := regArgsOf(a)
		k.values[strings.ToLower(args.value)] = regVal{typ: win32.REG_DWORD, data: string(dword(args.dword))}
		if lp := strings.ToLower(k.path); e.live[lp] != nil {
			e.ownLive()[lp] = k
		}
		e.markDirty(k)
		e.assert("hive.visibility.no-flush-needed")
	}
	return want
}

// queryValue states NtQueryValueKey: the status, and the value it reads.
func (e *regEdit) queryValue(a Action, t regTarget) (sim.NTStatus, regVal) {
	want := e.valueAccess(a, t, win32.KEY_QUERY_VALUE, "hive.query.access", "hive.query.key-deleted")
	if want != sim.STATUS_SUCCESS {
		return want, regVal{}
	}
	val, ok := t.k.values[strings.ToLower(regArgsOf(a).value)]
	if !ok {
		e.assert("hive.query.not-found")
		return sim.STATUS_OBJECT_NAME_NOT_FOUND, regVal{}
	}
	return want, val
}

// valueAccess states what NtSetValueKey and NtQueryValueKey check first:
// the handle, the right, the key's deletion.
func (e *regEdit) valueAccess(a Action, t regTarget, right uint32, accessRule, deletedRule string) sim.NTStatus {
	switch {
	case !t.live:
		return e.badHandle(a.H, t)
	case t.h.access&right == 0:
		e.assert(accessRule)
		return sim.STATUS_ACCESS_DENIED
	case t.deleted:
		e.assert(deletedRule, "hive.delete.all-handles")
		return sim.STATUS_KEY_DELETED
	}
	return sim.STATUS_SUCCESS
}

// readReport is how a NtQueryValueKey's read is reported (Expect.Reports).
func readReport(typ uint32, data []byte) string { return fmt.Sprintf("type %d data % x", typ, data) }

// queryChecks are a successful NtQueryValueKey's expect: entries.
func queryChecks(val regVal) []scenario.Arg {
	return []scenario.Arg{{Key: "type", Value: scenario.Raw("REG_DWORD")}, {Key: "dword", Value: binary.LittleEndian.Uint32([]byte(val.data))}}
}

// deleteKey states NtDeleteKey: the handle, its DELETE right, then the
// key: a hive's root and the master keys are not deleted, nor a key with
// subkeys; a second delete succeeds.
func (e *regEdit) deleteKey(a Action, t regTarget) (want sim.NTStatus) {
	switch {
	case !t.live:
		want = e.badHandle(a.H, t)
		if a.H == RefNULL {
			e.assert("hive.delete.null-handle")
		}
	case t.h.access&win32.DELETE == 0:
		e.assert("hive.delete.access")
		want = sim.STATUS_ACCESS_DENIED
	case t.deleted:
		e.assert("hive.delete.twice")
	case hiveOf(t.k.path) == strings.ToLower(t.k.path) || isMaster(t.k.path):
		e.assert("hive.delete.hive-root")
		want = sim.STATUS_CANNOT_DELETE
	case e.hasSubkeys(t.k.path):
		e.assert("hive.delete.has-subkeys")
		want = e.set.deleteSubkeys
	default:
		e.markDirty(t.k)
		delete(e.ownLive(), strings.ToLower(t.k.path))
	}
	return want
}

// flush states NtFlushKey: the handle, a deleted key, the access the
// profile asks for; then the whole hive (every hive for the registry's
// root) is written where the profile's NtFlushKey writes.
func (e *regEdit) flush(a Action, t regTarget) (want sim.NTStatus) {
	switch {
	case !t.live:
		want = e.badHandle(a.H, t)
		if a.H == RefInvalid {
			e.assert("hive.flush.current-process")
		} else {
			e.assert("hive.flush.invalid-handle")
		}
	case t.deleted:
		e.assert("hive.flush.key-deleted", "hive.delete.all-handles")
		want = sim.STATUS_KEY_DELETED
	case e.set.flushNeedsQuery && t.h.access&win32.KEY_QUERY_VALUE == 0:
		want = sim.STATUS_ACCESS_DENIED
	default:
		e.assert("hive.flush.success")
		if e.set.flushWrites {
			e.assert("hive.flush.whole-hive", "hive.flush.other-hives-untouched", "hive.flush.durable-on-return")
			if lh := hiveOf(t.k.path); lh != "" {
				e.flushHive(lh)
			} else {
				e.assert("hive.flush.registry-root")
				for _, hv := range regHives {
					e.flushHive(strings.ToLower(hv))
				}
			}
		}
	}
	return want
}

// closeKey states NtClose: an open key handle closes, a deleted key's
// too.
func (e *regEdit) closeKey(a Action, t regTarget) (want sim.NTStatus) {
	if !t.live {
		return e.badHandle(a.H, t)
	}
	if t.deleted {
		e.assert("hive.delete.close")
	}
	e.ownKeys()[t.i].closed = true
	return want
}

// predictCreateOpen states NtCreateKey and NtOpenKey: the root handle (a
// live key handle; a deleted key gives STATUS_KEY_DELETED), then the name:
// an existing key opens (REG_OPENED_EXISTING_KEY, volatility unchanged), a
// missing one is created under an existing parent (REG_CREATED_NEW_KEY)
// unless the parent is volatile and the new key is not.
func (e *regEdit) predictCreateOpen(a Action) (sim.NTStatus, uint32) {
	args := regArgsOf(a)
	if (args.root == RefNULL) != strings.HasPrefix(args.name, `\`) {
		e.assert("hive.name.syntax")
		return sim.STATUS_OBJECT_PATH_SYNTAX_BAD, 0
	}
	if args.root != RefNULL {
		h, i, _ := e.handle(args.root)
		if i < 0 || h.closed {
			if i >= 0 {
				e.assert("hive.close.invalid-handle")
			}
			return sim.STATUS_INVALID_HANDLE, 0
		}
		if _, deleted := e.keyOf(h); deleted {
			e.assert("hive.create.key-deleted")
			return sim.STATUS_KEY_DELETED, 0
		}
	}
	full := e.fullName(a)
	lp := strings.ToLower(full)
	if a.Op == OpRegOpen && args.access == 0 && (e.live[lp] != nil || isMaster(full)) {
		// The key exists; Windows refuses the empty mask (reg.c:377).
		if e.set.openZeroDenied {
			e.assert("hive.open.zero-access")
			return sim.STATUS_ACCESS_DENIED, 0
		}
		e.assert("hive.open.zero-access-wine")
	}
	if k := e.live[lp]; k != nil {
		if a.Op == OpRegCreate {
			e.assert("hive.create.disposition")
			if (args.options&win32.REG_OPTION_VOLATILE != 0) != k.volatile {
				e.assert("hive.volatile.existing-unchanged")
			}
		}
		return sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY
	}
	if isMaster(full) {
		return sim.STATUS_SUCCESS, win32.REG_OPENED_EXISTING_KEY
	}
	if a.Op == OpRegOpen {
		e.assert("hive.open.not-found")
		return sim.STATUS_OBJECT_NAME_NOT_FOUND, 0
	}
	return e.createNew(a, full)
}

// createNew states NtCreateKey of a key that does not exist: its parent
// must, and a stable key goes under a volatile one only where the profile
// lets an absolute name skip the check.
func (e *regEdit) createNew(a Action, full string) (sim.NTStatus, uint32) {
	parent := e.live[strings.ToLower(parentOf(full))]
	if parent == nil {
		e.assert("hive.create.missing-parent")
		return sim.STATUS_OBJECT_NAME_NOT_FOUND, 0
	}
	args := regArgsOf(a)
	volatile := args.options&win32.REG_OPTION_VOLATILE != 0
	if parent.volatile && !volatile {
		if args.root != RefNULL || e.set.absVolatileChecked {
			e.assert("hive.volatile.child-must-be-volatile")
			return sim.STATUS_CHILD_MUST_BE_VOLATILE, 0
		}
		e.assert("hive.volatile.absolute-name-wine")
	}
	e.gen++
	k := &regKey{path: full, gen: e.gen, volatile: volatile, transient: volatile || parent.transient, values: map[string]regVal{}}
	e.ownLive()[strings.ToLower(full)] = k
	e.markDirty(k)
	e.assert("hive.create.disposition")
	return sim.STATUS_SUCCESS, win32.REG_CREATED_NEW_KEY
}

// crashFlushTarget returns the hive a crash_in_flush action may cut: its
// handle is a live key of a hive with records to write, and the profile's
// flush writes. "" when the action does not apply.
func (s regState) crashFlushTarget(ref string) string {
	h, i, _ := s.handle(ref)
	if i < 0 || h.closed || !s.set.flushWrites {
		return ""
	}
	k, deleted := s.keyOf(h)
	if deleted || k == nil {
		return ""
	}
	lh := hiveOf(k.path)
	if lh == "" || s.records(lh) == 0 {
		return ""
	}
	return lh
}

// crashInFlush states a power cut inside a flush of one hive that writes
// n key records. The flush logs the n records, puts a barrier, writes the
// commit record and a barrier, then updates the primary image (n writes)
// and checkpoints behind two more barriers. Recovery replays a committed
// log, so the hive comes back with its new image exactly when the commit
// record reached the medium: when the cut comes after the barrier that
// follows it (point > n+3), or, if unbarriered writes survive, after the
// commit write itself (point > n+2); otherwise with its old image, whole
// (hive.crash.old-or-new). The flush reports STATUS_REGISTRY_IO_FAILED
// (hive.crash.interrupted-call), and every hive restarts from its image.
// It returns the scenario step that arms the cut; ok false when the
// action does not apply (see crashFlushTarget).
func (e *regEdit) crashInFlush(a Action) (arm scenario.ScriptStep, ok bool) {
	lh := e.crashFlushTarget(a.H)
	if lh == "" {
		return scenario.ScriptStep{}, false
	}
	args := regArgsOf(a)
	n := e.records(lh)
	committed := n + 3
	pname := "lose"
	if args.keep {
		pname, committed = "keep", n+2
	}
	if int(args.point) > committed {
		e.flushHive(lh)
	}
	e.assert("hive.crash.old-or-new", "hive.crash.interrupted-call", "hive.crash.handles-invalid")
	e.crash()
	return scenario.ScriptStep{Kind: "crash", Args: []scenario.Arg{{Key: "at", Value: args.point}, {Key: "unbarriered", Value: pname}}}, true
}
