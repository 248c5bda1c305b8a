package hive

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/internal/kernel"
	"github.com/winsim/winsim/win32"
)

// This file holds the calls that read a key's information and enumerate
// its subkeys and values (NtQueryKey, NtEnumerateKey, NtEnumerateValueKey)
// and NtDeleteValueKey. The information calls return what they wrote into
// the caller's buffer of length bytes, in the SDK's layout (decode it with
// win32.DecodeKeyInfo or win32.DecodeValueInfo), and ResultLength, the
// size the whole structure needs:
//   - a buffer shorter than the class's fixed part gets nothing:
//     STATUS_BUFFER_TOO_SMALL (hive.info.buffer);
//   - a buffer that holds the fixed part but not the name or data after
//     it gets the fixed part and as much as fits: STATUS_BUFFER_OVERFLOW;
//   - ResultLength is the whole size in every one of these cases.
//
// The classes modeled are KeyBasicInformation, KeyNodeInformation,
// KeyFullInformation, KeyNameInformation and KeyCachedInformation for keys
// (NtEnumerateKey takes the first three, hive.enumkey.classes) and
// KeyValueBasicInformation, KeyValueFullInformation and
// KeyValuePartialInformation for values. Keys have no class name
// (NtCreateKey's Class is not modeled): ClassOffset is 0xFFFFFFFF and
// ClassLength 0.

// modelEpoch is the LastWriteTime of a change at the machine's time zero,
// in FILETIME ticks (100 ns since 1601-01-01): 2026-01-01 00:00 UTC. The
// model has no wall clock; key times follow its virtual clock from there
// (hive.info.last-write).
const modelEpoch int64 = 134116992000000000

// now returns the machine's time as FILETIME ticks.
func (r *Registry) now() int64 { return modelEpoch + int64(kernel.Now(r.m))/100 }

// touch sets k's LastWriteTime to now (hive.info.last-write).
func (r *Registry) touch(k *key) { k.lastWrite = r.now() }

// NtQueryKey returns information of class about the key of the handle.
func (r *Registry) NtQueryKey(t *sim.Thread, h sim.Handle, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return r.queryKey(t, Nt, h, class, length)
}

// ZwQueryKey is NtQueryKey as kernel-mode code calls it.
func (r *Registry) ZwQueryKey(t *sim.Thread, h sim.Handle, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return r.queryKey(t, Zw, h, class, length)
}

// NtEnumerateKey returns information of class about the index-th subkey
// (from 0) of the key of the handle; past the last, STATUS_NO_MORE_ENTRIES.
func (r *Registry) NtEnumerateKey(t *sim.Thread, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return r.enumerateKey(t, Nt, h, index, class, length)
}

// ZwEnumerateKey is NtEnumerateKey as kernel-mode code calls it.
func (r *Registry) ZwEnumerateKey(t *sim.Thread, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return r.enumerateKey(t, Zw, h, index, class, length)
}

// NtEnumerateValueKey returns information of class about the index-th
// value (from 0) of the key of the handle; past the last,
// STATUS_NO_MORE_ENTRIES.
func (r *Registry) NtEnumerateValueKey(t *sim.Thread, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return r.enumerateValueKey(t, Nt, h, index, class, length)
}

// ZwEnumerateValueKey is NtEnumerateValueKey as kernel-mode code calls it.
func (r *Registry) ZwEnumerateValueKey(t *sim.Thread, h sim.Handle, index, class, length uint32) ([]byte, uint32, sim.NTStatus) {
	return r.enumerateValueKey(t, Zw, h, index, class, length)
}

// NtDeleteValueKey deletes a value of the key of the handle.
func (r *Registry) NtDeleteValueKey(t *sim.Thread, h sim.Handle, name string) sim.NTStatus {
	return r.deleteValueKey(t, Nt, h, name)
}

// ZwDeleteValueKey is NtDeleteValueKey as kernel-mode code calls it.
func (r *Registry) ZwDeleteValueKey(t *sim.Thread, h sim.Handle, name string) sim.NTStatus {
	return r.deleteValueKey(t, Zw, h, name)
}

// traceInfo traces an information call.
func (r *Registry) traceInfo(t *sim.Thread, call func() string, info *[]byte, n *uint32, st *sim.NTStatus) {
	kernel.TraceCall(r.m, t, call, func() string { return fmt.Sprintf("%d bytes, ResultLength %d, %s", len(*info), *n, *st) })
}

func (r *Registry) queryKey(t *sim.Thread, via Via, h sim.Handle, class, length uint32) (info []byte, n uint32, st sim.NTStatus) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtQueryKey", "ZwQueryKey")
	defer r.traceInfo(t, func() string {
		return fmt.Sprintf("%s(%s, %s, %d)", api, h, fmtConst(win32.GroupKeyInfoClass, class), length)
	}, &info, &n, &st)
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	// The class is checked before the handle.
	known := class <= win32.KeyCachedInformation
	known = sim.FaultBroken("hive.querykey.classes", known, true)
	if !known {
		return nil, 0, sim.STATUS_INVALID_PARAMETER
	}
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return nil, 0, st
	}
	// A user-mode caller needs KEY_QUERY_VALUE, or for the name any
	// right at all, where the profile checks.
	need := win32.KEY_QUERY_VALUE
	denied := kh.access&need == 0
	if class == win32.KeyNameInformation {
		denied = kh.access == 0
	}
	denied = mode == sim.UserMode && denied && r.setting(&settingQueryKeyAccessChecked)
	denied = sim.FaultBroken("hive.querykey.access", denied, false)
	if denied {
		return nil, 0, sim.STATUS_ACCESS_DENIED
	}
	deleted := sim.FaultBroken("hive.querykey.key-deleted", kh.key.deleted, false)
	if deleted {
		return nil, 0, sim.STATUS_KEY_DELETED
	}
	full, fixed := r.keyInfo(kh.key, class)
	info, n, st = fit(full, fixed, length, sim.STATUS_BUFFER_TOO_SMALL)
	return info, n, st
}

func (r *Registry) enumerateKey(t *sim.Thread, via Via, h sim.Handle, index, class, length uint32) (info []byte, n uint32, st sim.NTStatus) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtEnumerateKey", "ZwEnumerateKey")
	defer r.traceInfo(t, func() string {
		return fmt.Sprintf("%s(%s, %d, %s, %d)", api, h, index, fmtConst(win32.GroupKeyInfoClass, class), length)
	}, &info, &n, &st)
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	// The class is checked before the handle: the basic, node and full
	// classes, and where the profile takes them the name and cached ones.
	known := class <= win32.KeyFullInformation
	if class == win32.KeyNameInformation || class == win32.KeyCachedInformation {
		known = r.setting(&settingEnumKeyNameClasses)
	}
	known = sim.FaultBroken("hive.enumkey.classes", known, !known)
	if !known {
		return nil, 0, sim.STATUS_INVALID_PARAMETER
	}
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return nil, 0, st
	}
	denied := mode == sim.UserMode && kh.access&win32.KEY_ENUMERATE_SUB_KEYS == 0
	denied = sim.FaultBroken("hive.enumkey.access", denied, false)
	if denied {
		return nil, 0, sim.STATUS_ACCESS_DENIED
	}
	deleted := sim.FaultBroken("hive.enumkey.key-deleted", kh.key.deleted, false)
	if deleted {
		return nil, 0, sim.STATUS_KEY_DELETED
	}
	subs := sortedSubkeys(kh.key)
	if index >= uint32(len(subs)) {
		return nil, 0, sim.FaultBroken("hive.enumkey.no-more-entries", sim.STATUS_NO_MORE_ENTRIES, sim.STATUS_OBJECT_NAME_NOT_FOUND)
	}
	full, fixed := r.keyInfo(subs[index], class)
	info, n, st = fit(full, fixed, length, sim.STATUS_BUFFER_TOO_SMALL)
	return info, n, st
}

// sortedSubkeys returns k's subkeys in the order NtEnumerateKey gives
// them: by their upcased names, compared as UTF-16 code units
// (hive.enumkey.sorted).
func sortedSubkeys(k *key) []*key {
	subs := make([]*key, 0, len(k.subkeys))
	for _, c := range k.subkeys {
		subs = append(subs, c)
	}
	sorted := sim.FaultBroken("hive.enumkey.sorted", true, false)
	cmp := func(a, b *key) int { return compareUTF16(fold(a.name), fold(b.name)) }
	if !sorted {
		// Broken: reverse order.
		cmp = func(a, b *key) int { return compareUTF16(fold(b.name), fold(a.name)) }
	}
	slices.SortFunc(subs, cmp)
	return subs
}

// compareUTF16 compares two names as sequences of UTF-16 code units.
func compareUTF16(a, b string) int {
	return slices.Compare(win32.EncodeWTF16(a), win32.EncodeWTF16(b))
}

// orderedValues returns k's values in the order NtEnumerateValueKey gives
// them: the order they were first set in under Windows, by upcased name
// where the profile sorts them (hive.enumvalue.order).
func (r *Registry) orderedValues(k *key) []*Value {
	out := make([]*Value, 0, len(k.order))
	for _, v := range k.order {
		out = append(out, &v.Value)
	}
	sorted := r.setting(&settingEnumValuesSorted)
	sorted = sim.FaultBroken("hive.enumvalue.order", sorted, !sorted)
	if sorted {
		slices.SortStableFunc(out, func(a, b *Value) int { return compareUTF16(fold(a.Name), fold(b.Name)) })
	}
	return out
}

// maxLengths returns what KeyFullInformation reports as the longest
// subkey name, value name and value data of k, in bytes: the marks under
// a profile that keeps them, the current maxima otherwise
// (hive.info.max-lengths).
func (r *Registry) maxLengths(k *key) (name, valueName, valueData uint32) {
	marks := r.setting(&settingMaxLengthsHighWater)
	marks = sim.FaultBroken("hive.info.max-lengths", marks, !marks)
	if marks {
		return k.markName, k.markValueName, k.markValueData
	}
	for _, c := range k.subkeys {
		name = max(name, uint32(2*utf16Len(c.name)))
	}
	for _, v := range k.values {
		valueName = max(valueName, uint32(2*utf16Len(v.Name)))
		valueData = max(valueData, uint32(len(v.Data)))
	}
	return name, valueName, valueData
}

// noClass is the ClassOffset of a key without a class name.
const noClass = 0xFFFFFFFF

// keyInfo returns the whole structure of class for k and the size of its
// fixed part.
func (r *Registry) keyInfo(k *key, class uint32) (full []byte, fixed int) {
	le := binary.LittleEndian
	name := utf16LE(k.name)
	switch class {
	case win32.KeyBasicInformation:
		b := le.AppendUint64(nil, uint64(k.lastWrite))
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, uint32(len(name)))
		return append(b, name...), win32.KeyBasicInformationFixed
	case win32.KeyNodeInformation:
		b := le.AppendUint64(nil, uint64(k.lastWrite))
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, noClass)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, uint32(len(name)))
		return append(b, name...), win32.KeyNodeInformationFixed
	case win32.KeyNameInformation:
		// The full name in the namespace, not the key's own.
		full := sim.FaultBroken("hive.querykey.name", true, false)
		path := utf16LE(k.name)
		if full {
			path = utf16LE(k.fullPath())
		}
		b := le.AppendUint32(nil, uint32(len(path)))
		return append(b, path...), win32.KeyNameInformationFixed
	}
	maxName, maxValueName, maxValueData := r.maxLengths(k)
	counted := sim.FaultBroken("hive.querykey.full", true, false)
	subkeys, values := uint32(len(k.subkeys)), uint32(len(k.values))
	if !counted {
		subkeys, values = 0, 0
	}
	b := le.AppendUint64(nil, uint64(k.lastWrite))
	b = le.AppendUint32(b, 0)
	if class == win32.KeyCachedInformation {
		for _, v := range []uint32{subkeys, maxName, values, maxValueName, maxValueData, uint32(len(name))} {
			b = le.AppendUint32(b, v)
		}
		return le.AppendUint32(b, 0), win32.KeyCachedInformationSize // padding to 8
	}
	for _, v := range []uint32{noClass, 0, subkeys, maxName, 0, values, maxValueName, maxValueData} {
		b = le.AppendUint32(b, v)
	}
	return b, win32.KeyFullInformationFixed
}

// fit is the buffer rule of the information calls: it returns what a
// buffer of length bytes receives of full, whose fixed part is fixed
// bytes, ResultLength and the status. short is the status of a buffer
// shorter than the fixed part.
func fit(full []byte, fixed int, length uint32, short sim.NTStatus) ([]byte, uint32, sim.NTStatus) {
	n := uint32(len(full))
	cut := length < n
	cut = sim.FaultBroken("hive.info.buffer", cut, false)
	if !cut {
		return full, n, sim.STATUS_SUCCESS
	}
	tooSmall := length < uint32(fixed)
	switch {
	case tooSmall && short == sim.STATUS_BUFFER_TOO_SMALL:
		return nil, n, short
	case tooSmall:
		// Wine 8.0's NtEnumerateValueKey: the part of the fixed part
		// that fits, and STATUS_BUFFER_OVERFLOW.
		return slices.Clone(full[:length]), n, short
	}
	return slices.Clone(full[:max(length, uint32(fixed))]), n, sim.STATUS_BUFFER_OVERFLOW
}

// utf16LE encodes the name s as UTF-16LE without a terminating NUL.
func utf16LE(s string) []byte {
	var b []byte
	for _, u := range win32.EncodeWTF16(s) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func (r *Registry) enumerateValueKey(t *sim.Thread, via Via, h sim.Handle, index, class, length uint32) (info []byte, n uint32, st sim.NTStatus) {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtEnumerateValueKey", "ZwEnumerateValueKey")
	defer r.traceInfo(t, func() string {
		return fmt.Sprintf("%s(%s, %d, %s, %d)", api, h, index, fmtConst(win32.GroupKeyValueInfoClass, class), length)
	}, &info, &n, &st)
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	// The class is checked before the handle.
	known := class <= win32.KeyValuePartialInformation
	known = sim.FaultBroken("hive.enumvalue.classes", known, true)
	if !known {
		return nil, 0, sim.STATUS_INVALID_PARAMETER
	}
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return nil, 0, st
	}
	denied := mode == sim.UserMode && kh.access&win32.KEY_QUERY_VALUE == 0
	denied = sim.FaultBroken("hive.enumvalue.access", denied, false)
	if denied {
		return nil, 0, sim.STATUS_ACCESS_DENIED
	}
	deleted := sim.FaultBroken("hive.enumvalue.key-deleted", kh.key.deleted, false)
	if deleted {
		return nil, 0, sim.STATUS_KEY_DELETED
	}
	vals := r.orderedValues(kh.key)
	if index >= uint32(len(vals)) {
		return nil, 0, sim.FaultBroken("hive.enumvalue.no-more-entries", sim.STATUS_NO_MORE_ENTRIES, sim.STATUS_OBJECT_NAME_NOT_FOUND)
	}
	full, fixed := r.valueInfo(vals[index], class, length)
	short := settingEnumValueShortBuffer.In(r.m.Profile())
	short = sim.FaultBroken("hive.enumvalue.short-buffer", short, otherShort(short))
	info, n, st = fit(full, fixed, length, short)
	return info, n, st
}

// otherShort is the short-buffer status a profile does not give.
func otherShort(st sim.NTStatus) sim.NTStatus {
	if st == sim.STATUS_BUFFER_TOO_SMALL {
		return sim.STATUS_BUFFER_OVERFLOW
	}
	return sim.STATUS_BUFFER_TOO_SMALL
}

// valueInfo returns the whole structure of class for v and the size of
// its fixed part, as a buffer of length bytes receives it (fit cuts it to
// length). KeyValueFullInformation puts the data at DataOffset: under
// Windows the next 4-byte boundary after the name, 0xFFFFFFFF without
// data; where the profile does not align, right after the name, data or
// not (hive.enumvalue.full). NameLength and DataLength are the whole
// name's and data's, or, where the profile counts what the buffer
// received, the parts of them it holds (hive.enumvalue.lengths).
func (r *Registry) valueInfo(v *Value, class, length uint32) (full []byte, fixed int) {
	le := binary.LittleEndian
	name := utf16LE(v.Name)
	fixed = win32.KeyValueFullInformationFixed
	switch class {
	case win32.KeyValueBasicInformation:
		fixed = win32.KeyValueBasicInformationFixed
	case win32.KeyValuePartialInformation:
		fixed = win32.KeyValuePartialInformationFixed
	}
	nameLen, dataLen := r.reportedLengths(class, len(name), len(v.Data), fixed, length)
	switch class {
	case win32.KeyValueBasicInformation:
		b := le.AppendUint32(nil, 0)
		b = le.AppendUint32(b, v.Type)
		b = le.AppendUint32(b, nameLen)
		return append(b, name...), fixed
	case win32.KeyValuePartialInformation:
		b := le.AppendUint32(nil, 0)
		b = le.AppendUint32(b, v.Type)
		b = le.AppendUint32(b, dataLen)
		return append(b, v.Data...), fixed
	}
	aligned := r.setting(&settingFullDataAligned)
	aligned = sim.FaultBroken("hive.enumvalue.full", aligned, !aligned)
	end := fixed + len(name)
	start, offset := end, uint32(fixed)+nameLen
	switch {
	case aligned && len(v.Data) == 0:
		// No data: no padding either.
		offset = noClass
	case aligned:
		start = (end + 3) &^ 3
		offset = uint32(start)
	}
	b := le.AppendUint32(nil, 0)
	b = le.AppendUint32(b, v.Type)
	b = le.AppendUint32(b, offset)
	b = le.AppendUint32(b, dataLen)
	b = le.AppendUint32(b, nameLen)
	b = append(b, name...)
	b = append(b, make([]byte, start-end)...)
	return append(b, v.Data...), fixed
}

// reportedLengths returns the NameLength and DataLength members of a value
// structure of class, whose fixed part is fixed bytes, for a name and data
// of nameLen and dataLen bytes, in a buffer of length bytes: the whole
// lengths, or where the profile counts what the buffer received, the part
// of the name, then of the data, that fits after the fixed part
// (hive.enumvalue.lengths). KeyValuePartialInformation carries no name.
func (r *Registry) reportedLengths(class uint32, nameLen, dataLen, fixed int, length uint32) (uint32, uint32) {
	if class == win32.KeyValuePartialInformation {
		nameLen = 0
	}
	whole := r.setting(&settingEnumValueWholeLengths)
	whole = sim.FaultBroken("hive.enumvalue.lengths", whole, !whole)
	if whole {
		return uint32(nameLen), uint32(dataLen)
	}
	room := max(int(length)-fixed, 0)
	name := min(nameLen, room)
	return uint32(name), uint32(min(dataLen, room-name))
}

func (r *Registry) deleteValueKey(t *sim.Thread, via Via, h sim.Handle, name string) sim.NTStatus {
	kernel.Enter(r.m, t)
	defer kernel.Unlock(r.m)
	api := via.name("NtDeleteValueKey", "ZwDeleteValueKey")
	call := func() string { return fmt.Sprintf("%s(%s, %q)", api, h, name) }
	r.enter(t, via, api)
	r.checkUse(t, via, api, h)
	mode := modeOf(t, via)
	kh, st := r.lookup(t, h, mode)
	if st != sim.STATUS_SUCCESS {
		return r.ret(t, call, st)
	}
	denied := mode == sim.UserMode && kh.access&win32.KEY_SET_VALUE == 0
	denied = sim.FaultBroken("hive.deletevalue.access", denied, false)
	if denied {
		return r.ret(t, call, sim.STATUS_ACCESS_DENIED)
	}
	deleted := sim.FaultBroken("hive.deletevalue.key-deleted", kh.key.deleted, false)
	if deleted {
		return r.ret(t, call, sim.STATUS_KEY_DELETED)
	}
	if kh.key.value(name) == nil {
		return r.ret(t, call, sim.FaultBroken("hive.deletevalue.not-found", sim.STATUS_OBJECT_NAME_NOT_FOUND, sim.STATUS_SUCCESS))
	}
	// The value is gone for every handle at once ...
	removed := sim.FaultBroken("hive.deletevalue.visible", true, false)
	if removed {
		kh.key.deleteValue(name)
		r.touch(kh.key)
	}
	// ... and from the image with the next flush.
	flushed := sim.FaultBroken("hive.deletevalue.flushed", true, false)
	if flushed {
		r.markDirty(kh.key)
	}
	return r.ret(t, call, sim.STATUS_SUCCESS)
}
