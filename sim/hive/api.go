package hive

import (
	"fmt"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// optionsChecked reports whether CreateOptions outside REG_LEGAL_OPTION are
// refused under the profile (hive.create.options-checked).
// volatileParentChecked reports whether NtCreateKey of the name in oa
// refuses a stable key under a volatile parent: always with a
// RootDirectory, and with an absolute name unless the profile skips the
// check there (hive.volatile.absolute-name-checked).
func (r *Registry) volatileParentChecked(oa win32.ObjectAttributes) bool {
	absoluteChecked := settingVolatileParentAbsolute.In(r.m.Profile())
	absoluteChecked = sim.FaultBroken("hive.volatile.absolute-name-wine", absoluteChecked, true)
	return oa.RootDirectory != 0 || absoluteChecked
}

func (r *Registry) optionsChecked() bool {
	checked := settingCreateOptionsChecked.In(r.m.Profile())
	checked = sim.FaultBroken("hive.create.invalid-options", checked, false)
	checked = sim.FaultBroken("hive.create.invalid-options-wine", checked, true)
	return checked
}

// zeroAccessDenied reports whether NtOpenKey refuses an empty access mask
// (hive.open.zero-access) or, under a profile that opens the key (Wine
// 8.0), opens it (hive.open.zero-access-wine).
func (r *Registry) zeroAccessDenied() bool {
	denied := settingOpenZeroAccessDenied.In(r.m.Profile())
	denied = sim.FaultBroken("hive.open.zero-access", denied, false)
	denied = sim.FaultBroken("hive.open.zero-access-wine", denied, true)
	return denied
}

// NtCreateKey creates a key, or opens it if it exists, and returns a
// handle with the requested access and the disposition
// (REG_CREATED_NEW_KEY or REG_OPENED_EXISTING_KEY). Only the last component
// of the name is created; an existing key keeps its volatility.
func (r *Registry) NtCreateKey(t *sim.Thread, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return r.createKey(t, Nt, access, oa, options)
}

// ZwCreateKey is NtCreateKey as kernel-mode code calls it.
func (r *Registry) ZwCreateKey(t *sim.Thread, access uint32, oa win32.ObjectAttributes, options uint32) (sim.Handle, uint32, sim.NTStatus) {
	return r.createKey(t, Zw, access, oa, options)
}

func (r *Registry) createKey(t *sim.Thread, via Via, access uint32, oa win32.ObjectAttributes, options uint32) (h sim.Handle, disp uint32, st sim.NTStatus) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtCreateKey", "ZwCreateKey")
	defer func() {
		kernel.TraceCall(r.m, t, func() string {
			return fmt.Sprintf("%s(%s, %s, %s)", api, fmtConst(win32.GroupKeyAccess, access), oa, fmtConst(win32.GroupOptions, options))
		}, func() string { return fmt.Sprintf("%s, %s, %s", h, dispText(disp), st) })
	}()
	r.enter(t, via, api)
	mode := modeOf(t, via)
	if options&^win32.REG_LEGAL_OPTION != 0 && r.optionsChecked() {
		return 0, 0, sim.STATUS_INVALID_PARAMETER
	}
	var buf [nameComponents]string
	start, comps, st := r.start(t, oa, mode, buf[:0])
	if st != sim.STATUS_SUCCESS {
		return 0, 0, st
	}
	k := start
	disp = win32.REG_OPENED_EXISTING_KEY
	if len(comps) > 0 {
		parent, st := walk(start, comps[:len(comps)-1])
		if st == sim.STATUS_INVALID_PARAMETER {
			return 0, 0, st
		}
		if parent == nil {
			return 0, 0, sim.FaultBroken("hive.create.missing-parent", sim.STATUS_OBJECT_NAME_NOT_FOUND, sim.STATUS_OBJECT_NAME_INVALID)
		}
		name := comps[len(comps)-1]
		if st := checkComponent(name); st != sim.STATUS_SUCCESS {
			return 0, 0, st
		}
		if k = parent.child(name); k == nil {
			if parent.hive.master {
				// \Registry, \Registry\Machine and \Registry\User take only
				// mounted hives.
				return 0, 0, sim.STATUS_ACCESS_DENIED
			}
			volatile := options&win32.REG_OPTION_VOLATILE != 0
			// A volatile key's subkeys are volatile too.
			stable := parent.volatile && !volatile && r.volatileParentChecked(oa)
			stable = sim.FaultBroken("hive.volatile.child-must-be-volatile", stable, false)
			if stable {
				return 0, 0, sim.STATUS_CHILD_MUST_BE_VOLATILE
			}
			k = newKey(name, parent, parent.hive, volatile)
			parent.addChild(k)
			r.touch(k)
			r.touch(parent)
			r.markDirty(k)
			disp = sim.FaultBroken("hive.create.disposition", win32.REG_CREATED_NEW_KEY, win32.REG_OPENED_EXISTING_KEY)
		} else {
			// An existing key keeps its volatility.
			k.volatile = sim.FaultBroken("hive.volatile.existing-unchanged", k.volatile, options&win32.REG_OPTION_VOLATILE != 0)
			if k.volatile {
				// Broken, the guard may have made the key volatile.
				k.hive.hasVolatile = true
			}
		}
	}
	return r.opened(t, via, openedCreate, k, access, oa.Attributes, mode), disp, sim.STATUS_SUCCESS
}

func dispText(d uint32) string {
	if d == 0 {
		return "-"
	}
	return fmtConst(win32.GroupDisposition, d)
}

// opened runs the driver checks of a successful create or open, then issues
// the handle.
func (r *Registry) opened(t *sim.Thread, via Via, how opener, k *key, access, attributes uint32, mode sim.Mode) sim.Handle {
	if via == Zw && kernel.Context(t).Driver != sim.DriverNone {
		r.checkHeldTwice(t, how, k)
	} else {
		how = openedOther
	}
	return r.newHandle(t, k, access, attributes, mode, how)
}

// NtOpenKey opens an existing key; every component of the name must exist.
func (r *Registry) NtOpenKey(t *sim.Thread, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return r.openKey(t, Nt, access, oa)
}

// ZwOpenKey is NtOpenKey as kernel-mode code calls it.
func (r *Registry) ZwOpenKey(t *sim.Thread, access uint32, oa win32.ObjectAttributes) (sim.Handle, sim.NTStatus) {
	return r.openKey(t, Zw, access, oa)
}

func (r *Registry) openKey(t *sim.Thread, via Via, access uint32, oa win32.ObjectAttributes) (h sim.Handle, st sim.NTStatus) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtOpenKey", "ZwOpenKey")
	defer func() {
		kernel.TraceCall(r.m, t, func() string { return fmt.Sprintf("%s(%s, %s)", api, fmtConst(win32.GroupKeyAccess, access), oa) },
			func() string { return fmt.Sprintf("%s, %s", h, st) })
	}()
	r.enter(t, via, api)
	mode := modeOf(t, via)
	var buf [nameComponents]string
	start, comps, st := r.start(t, oa, mode, buf[:0])
	if st != sim.STATUS_SUCCESS {
		return 0, st
	}
	k, st := walk(start, comps)
	if st == sim.STATUS_INVALID_PARAMETER {
		return 0, st
	}
	if k == nil {
		return 0, sim.FaultBroken("hive.open.not-found", sim.STATUS_OBJECT_NAME_NOT_FOUND, sim.STATUS_OBJECT_NAME_INVALID)
	}
	if access == 0 && r.zeroAccessDenied() {
		// An open asking for no right at all is refused and writes no
		// handle on Windows (reg.c:377, 379).
		return 0, sim.STATUS_ACCESS_DENIED
	}
	return r.opened(t, via, openedOpen, k, access, oa.Attributes, mode), sim.STATUS_SUCCESS
}

// NtSetValueKey creates or replaces a value of the key. Any type code is
// accepted, with any length.
func (r *Registry) NtSetValueKey(t *sim.Thread, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return r.setValueKey(t, Nt, h, name, typ, data)
}

// ZwSetValueKey is NtSetValueKey as kernel-mode code calls it.
func (r *Registry) ZwSetValueKey(t *sim.Thread, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	return r.setValueKey(t, Zw, h, name, typ, data)
}

func (r *Registry) setValueKey(t *sim.Thread, via Via, h sim.Handle, name string, typ uint32, data []byte) sim.NTStatus {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtSetValueKey", "ZwSetValueKey")
	call := func() string { return fmt.Sprintf("%s(%s, %q, %s)", api, h, name, fmtData(typ, data)) }
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return r.ret(t, call, st)
	}
	if st := setValueRefused(kh, mode, name, typ); st != sim.STATUS_SUCCESS {
		return r.ret(t, call, st)
	}
	// The value is there for every later query, flushed or not.
	set := sim.FaultBroken("hive.visibility.no-flush-needed", true, false)
	if set {
		kh.key.setValue(name, typ, data)
		r.touch(kh.key)
	}
	r.markDirty(kh.key)
	return r.ret(t, call, sim.STATUS_SUCCESS)
}

// NtQueryValueKey returns a value's type and a copy of its data (what
// KeyValuePartialInformation carries).
func (r *Registry) NtQueryValueKey(t *sim.Thread, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return r.queryValueKey(t, Nt, h, name)
}

// ZwQueryValueKey is NtQueryValueKey as kernel-mode code calls it.
func (r *Registry) ZwQueryValueKey(t *sim.Thread, h sim.Handle, name string) (uint32, []byte, sim.NTStatus) {
	return r.queryValueKey(t, Zw, h, name)
}

// setValueRefused makes NtSetValueKey's checks of a valid handle: a
// user-mode caller needs KEY_SET_VALUE, a value name is at most
// maxValueNameChars characters, the key is not deleted; any type code is
// accepted.
func setValueRefused(kh *keyHandle, mode sim.Mode, name string, typ uint32) sim.NTStatus {
	denied := mode == sim.UserMode && kh.access&win32.KEY_SET_VALUE == 0
	denied = sim.FaultBroken("hive.set.access", denied, false)
	if denied {
		return sim.STATUS_ACCESS_DENIED
	}
	// A name has no more UTF-16 units than bytes: a short one is not
	// counted.
	tooLong := len(name) > maxValueNameChars && utf16Len(name) > maxValueNameChars
	tooLong = sim.FaultBroken("hive.set.name-too-long", tooLong, false)
	if tooLong {
		return sim.STATUS_INVALID_PARAMETER
	}
	deleted := sim.FaultBroken("hive.set.key-deleted", kh.key.deleted, false)
	if deleted {
		return sim.STATUS_KEY_DELETED
	}
	badType := sim.FaultBroken("hive.set.any-type", false, typ > win32.REG_QWORD)
	if badType {
		return sim.STATUS_INVALID_PARAMETER
	}
	return sim.STATUS_SUCCESS
}

func (r *Registry) queryValueKey(t *sim.Thread, via Via, h sim.Handle, name string) (typ uint32, data []byte, st sim.NTStatus) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtQueryValueKey", "ZwQueryValueKey")
	defer func() {
		kernel.TraceCall(r.m, t, func() string { return fmt.Sprintf("%s(%s, %q)", api, h, name) }, func() string {
			if st != sim.STATUS_SUCCESS {
				return st.String()
			}
			return fmt.Sprintf("%s, %s", fmtData(typ, data), st)
		})
	}()
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return 0, nil, st
	}
	// A user-mode caller needs KEY_QUERY_VALUE.
	denied := mode == sim.UserMode && kh.access&win32.KEY_QUERY_VALUE == 0
	denied = sim.FaultBroken("hive.query.access", denied, false)
	if denied {
		return 0, nil, sim.STATUS_ACCESS_DENIED
	}
	deleted := sim.FaultBroken("hive.query.key-deleted", kh.key.deleted, false)
	if deleted {
		return 0, nil, sim.STATUS_KEY_DELETED
	}
	v := kh.key.value(name)
	if v == nil {
		return 0, nil, sim.FaultBroken("hive.query.not-found", sim.STATUS_OBJECT_NAME_NOT_FOUND, sim.STATUS_SUCCESS)
	}
	return v.Type, slices.Clone(v.Data), sim.STATUS_SUCCESS
}

// NtDeleteKey deletes the key of the handle. Every handle to it becomes a
// handle to a deleted key: later calls give STATUS_KEY_DELETED, except a
// second delete (STATUS_SUCCESS) and closing the handle.
func (r *Registry) NtDeleteKey(t *sim.Thread, h sim.Handle) sim.NTStatus {
	return r.deleteKey(t, Nt, h)
}

// ZwDeleteKey is NtDeleteKey as kernel-mode code calls it.
func (r *Registry) ZwDeleteKey(t *sim.Thread, h sim.Handle) sim.NTStatus {
	return r.deleteKey(t, Zw, h)
}

func (r *Registry) deleteKey(t *sim.Thread, via Via, h sim.Handle) sim.NTStatus {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtDeleteKey", "ZwDeleteKey")
	call := func() string { return fmt.Sprintf("%s(%s)", api, h) }
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	// NtDeleteKey(NULL) is an invalid handle like any other.
	nullTaken := sim.FaultBroken("hive.delete.null-handle", false, h == 0)
	if nullTaken {
		return r.ret(t, call, sim.STATUS_SUCCESS)
	}
	if st != sim.STATUS_SUCCESS {
		return r.ret(t, call, st)
	}
	// A user-mode caller needs DELETE.
	denied := mode == sim.UserMode && kh.access&win32.DELETE == 0
	denied = sim.FaultBroken("hive.delete.access", denied, false)
	if denied {
		return r.ret(t, call, sim.STATUS_ACCESS_DENIED)
	}
	k := kh.key
	hasSubkeys := sim.FaultBroken("hive.delete.has-subkeys", k.hasSubkeys(), false)
	switch {
	case k.deleted:
		r.releasedByDelete(t, via, kh)
		return r.ret(t, call, sim.FaultBroken("hive.delete.twice", sim.STATUS_SUCCESS, sim.STATUS_KEY_DELETED))
	case k.isRoot() || k.hive.master:
		return r.ret(t, call, sim.FaultBroken("hive.delete.hive-root", sim.STATUS_CANNOT_DELETE, sim.STATUS_ACCESS_DENIED))
	case hasSubkeys:
		return r.ret(t, call, settingDeleteWithSubkeys.In(r.m.Profile()))
	}
	// The key is deleted for every handle to it.
	k.deleted = sim.FaultBroken("hive.delete.all-handles", true, false)
	k.parent.removeChild(k)
	r.touch(k.parent)
	// The deletion reaches the disk with the next flush.
	flushed := sim.FaultBroken("hive.delete.flushed", true, false)
	if flushed {
		r.markDirty(k)
	}
	r.releasedByDelete(t, via, kh)
	r.ret(t, call, sim.STATUS_SUCCESS)
	kernel.Trace(r.m, t, sim.EvTransition, func() string { return "key " + k.fullPath() + " deleted" })
	return sim.STATUS_SUCCESS
}

// NtClose closes a handle to any kernel object; a key handle closes even
// when its key was deleted.
func (r *Registry) NtClose(t *sim.Thread, h sim.Handle) sim.NTStatus {
	return r.close(t, Nt, h)
}

// ZwClose is NtClose as kernel-mode code calls it.
func (r *Registry) ZwClose(t *sim.Thread, h sim.Handle) sim.NTStatus {
	return r.close(t, Zw, h)
}

func (r *Registry) close(t *sim.Thread, via Via, h sim.Handle) sim.NTStatus {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtClose", "ZwClose")
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	mode := modeOf(t, via)
	// A handle of a deleted key still closes: the close does not look at
	// the key. Only the broken rule, which refuses such a handle, needs to
	// resolve it first.
	refusesDeleted := sim.FaultBroken("hive.delete.close", false, true)
	if refusesDeleted {
		if kh, st := r.lookup(t, h, mode); st == sim.STATUS_SUCCESS && kh.key.deleted {
			return sim.STATUS_KEY_DELETED
		}
	}
	st := kernel.CloseNative(t, h, mode)
	if st == sim.STATUS_INVALID_HANDLE {
		st = sim.FaultBroken("hive.close.invalid-handle", st, sim.STATUS_SUCCESS)
	}
	return r.ret(t, func() string { return fmt.Sprintf("%s(%s)", api, h) }, st)
}
