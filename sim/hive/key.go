package hive

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// key is one registry key: a node of a hive's live tree.
type key struct {
	name     string // as created
	parent   *key   // nil for \Registry; a hive's root has its mount point's parent
	hive     *hive
	subkeys  map[string]*key       // by folded name (see fold)
	values   map[string]*liveValue // by folded name
	volatile bool                  // REG_OPTION_VOLATILE: never written to the hive's image
	deleted  bool
	dirty    bool // listed in hive.dirty
	onDisk   bool // the hive's image holds a record of the key

	// lastChild and lastValue are the subkey and the value looked up
	// last, with the names they were looked up by, which a lookup tries
	// before folding the name: a caller works with the same few names over
	// and over, and a name spelled exactly as the one found last folds the
	// same way, so it names that subkey or value (names are unique as the
	// registry compares them). Each is nil once what it names leaves its
	// map.
	lastChild     *key
	lastChildName string
	lastValue     *liveValue
	lastValueName string

	// path is the key's path inside its hive ("" for its root), kept so
	// that a flush does not rebuild it from the ancestors.
	path string
	// order holds the values in the order NtEnumerateValueKey returns them
	// under Windows: the order they were first set in.
	order []*liveValue
	// changed lists the values set since the key's last record, in the
	// order they were first set since then, and removed the names of the
	// values of the hive's image deleted since: what the next flush writes
	// of a key the image already holds (flushRecord).
	changed []*liveValue
	removed []string
	// dataBytes is the size of all the key's value data.
	dataBytes int
	// lastWrite is the key's LastWriteTime, in FILETIME ticks.
	lastWrite int64
	// The largest subkey name, value name and value data lengths (bytes)
	// since the key last had no subkey or no value: the marks
	// KeyFullInformation reports under hive.info.max-lengths-high-water.
	markName, markValueName, markValueData uint32
}

// liveValue is a value of a live key, with the folded name it is stored
// under, whether it changed since its key's last record, and whether the
// hive's image holds it (as of the key's last record).
type liveValue struct {
	Value
	folded  string
	changed bool
	inImage bool
}

func newKey(name string, parent *key, hv *hive, volatile bool) *key {
	k := &key{name: name, parent: parent, hive: hv, volatile: volatile}
	if volatile {
		hv.hasVolatile = true
	}
	switch {
	case parent == nil || parent.hive != hv:
		// \Registry, or a hive's root: "" inside its hive.
	case parent == hv.root:
		k.path = name
	default:
		k.path = parent.path + `\` + name
	}
	return k
}

// maxValueNameChars is the longest value name NtSetValueKey takes, in
// UTF-16 code units: the name's byte count may not exceed 32767 (ReactOS
// ntoskrnl/config/ntapi.c NtSetValueKey), which the Registry Element Size
// Limits page states as 16,383 characters; a 32,765-character name is
// refused on Windows (reg.c:2122).
const maxValueNameChars = 16383

// utf16Len returns the length of the name s in UTF-16 code units. Names
// are WTF-8, as Go's syscall package writes the UTF-16 strings of Windows
// (win32.EncodeWTF16): a lone surrogate half is one unit.
// An ASCII name, the usual one, is one unit per byte and is not decoded.
func utf16Len(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return win32.WTF16Len(s)
		}
	}
	return len(s)
}

func (k *key) child(name string) *key {
	if c := k.lastChild; c != nil && k.lastChildName == name {
		return c
	}
	var buf [foldBuf]byte
	c := k.subkeys[string(appendFold(buf[:0], name))]
	if c != nil {
		k.lastChild, k.lastChildName = c, name
	}
	return c
}

func (k *key) addChild(c *key) {
	if k.subkeys == nil {
		k.subkeys = map[string]*key{}
	}
	k.lastChild = nil // it may name the subkey c replaces
	k.subkeys[fold(c.name)] = c
	k.markName = max(k.markName, uint32(2*utf16Len(c.name)))
}

// removeChild drops a deleted subkey; a key left without subkeys forgets
// its subkey name mark.
func (k *key) removeChild(c *key) {
	delete(k.subkeys, fold(c.name))
	if k.lastChild == c {
		k.lastChild = nil
	}
	if len(k.subkeys) == 0 {
		k.markName = 0
	}
}

// isRoot reports whether k is its hive's root key (or a key of the master
// hive, which has no image at all).
func (k *key) isRoot() bool { return k.hive.root == k }

// persistent reports whether k belongs in its hive's image: neither k nor
// a key above it is volatile (a stable key under a volatile one exists only
// where a profile lets an absolute name skip the check,
// hive.volatile.absolute-name-checked, and it goes with its volatile
// ancestor, as Wine's server saves no volatile key's subtree).
func (k *key) persistent() bool {
	underVolatile := sim.FaultBroken("hive.volatile.never-persisted", k.underVolatile(), false)
	return !underVolatile && k.hive.persistent()
}

// underVolatile reports whether k or one of its ancestors in its hive is
// volatile (the master keys above a hive's root are not part of it).
func (k *key) underVolatile() bool {
	// Most hives have no volatile key at all: the walk up would find none.
	if !k.hive.hasVolatile {
		return false
	}
	for p := k; p != nil && p.hive == k.hive; p = p.parent {
		if p.volatile {
			return true
		}
	}
	return false
}

// fullPath returns the key's name in the namespace: \REGISTRY\MACHINE\...
func (k *key) fullPath() string {
	var parts []string
	for p := k; p != nil; p = p.parent {
		parts = append(parts, p.name)
	}
	slices.Reverse(parts)
	return `\` + strings.Join(parts, `\`)
}

// record returns the durable form of k: all its values in order, or its
// removal.
func (k *key) record() *Record {
	r := &Record{Path: k.path, Deleted: k.deleted}
	if k.deleted {
		return r
	}
	r.LastWrite = k.lastWrite
	r.Values = make([]Value, len(k.order))
	for i, v := range k.order {
		r.Values[i] = Value{Name: v.Name, Type: v.Type, Data: slices.Clone(v.Data)}
	}
	return r
}

// setValue stores a copy of data under name and lists the value as changed
// for the key's next record. A new value goes last in the key's order; a
// replaced one keeps its place and the spelling of its name (NT rewrites
// only the type and data of the existing value cell, and so does Wine's
// server: hive.set.replace-keeps-name). A replaced value is updated in
// place, its data copied into the storage it has when that is large
// enough: setting a value again allocates nothing.
func (k *key) setValue(name string, typ uint32, data []byte) {
	v := k.value(name)
	if v != nil {
		if sim.FaultBroken("hive.set.replace-keeps-name", true, false) {
			name = v.Name
		}
	} else {
		if k.values == nil {
			k.values = map[string]*liveValue{}
		}
		v = &liveValue{folded: fold(name)}
		k.values[v.folded] = v
		k.order = append(k.order, v)
	}
	k.dataBytes += len(data) - len(v.Data)
	v.Name, v.Type, v.Data = name, typ, copyData(v.Data, data)
	if !v.changed {
		v.changed = true
		k.changed = append(k.changed, v)
	}
	// The name's UTF-16 length is at most its length in bytes: a name no
	// longer than the mark in bytes leaves it as it is, uncounted.
	if uint32(2*len(name)) > k.markValueName {
		k.markValueName = max(k.markValueName, uint32(2*utf16Len(name)))
	}
	k.markValueData = max(k.markValueData, uint32(len(data)))
}

// deleteValue removes the value named name; the values after it move up
// one place. The next record of the key removes it from the image where
// the image holds it. A key left without values forgets its value marks.
func (k *key) deleteValue(name string) {
	v := k.value(name)
	if v == nil {
		return
	}
	delete(k.values, v.folded)
	if k.lastValue == v {
		k.lastValue = nil
	}
	k.order = slices.DeleteFunc(k.order, func(o *liveValue) bool { return o == v })
	k.dataBytes -= len(v.Data)
	if v.changed {
		k.changed = slices.DeleteFunc(k.changed, func(o *liveValue) bool { return o == v })
	}
	if v.inImage {
		k.removed = append(k.removed, v.Name)
	}
	if len(k.values) == 0 {
		k.markValueName, k.markValueData = 0, 0
	}
}

// flushRecord returns the record a flush writes for k, and forgets what
// changed: the key's removal; all its values while the hive's image holds
// no record of it; else a Partial record of the values removed and set
// since its last record, their data copied into one block. Its cost
// follows the changed values, not the size of the key.
func (k *key) flushRecord() *Record {
	defer k.forgetChanges()
	if k.deleted || !k.onDisk {
		return k.record()
	}
	size := 0
	for _, v := range k.changed {
		size += len(v.Data)
	}
	var r *Record
	var block []byte
	if len(k.changed) == 1 {
		// The common case, one changed value: the record, its value and
		// (up to twice a QWORD's worth) its data in one allocation.
		one := new(struct {
			rec  Record
			val  [1]Value
			data [16]byte
		})
		r = &one.rec
		r.Values = one.val[:]
		if size <= len(one.data) {
			block = one.data[:0:size]
		}
	} else {
		r = &Record{}
		if len(k.changed) > 0 {
			r.Values = make([]Value, len(k.changed))
		}
	}
	if block == nil && size > 0 {
		block = make([]byte, 0, size)
	}
	r.Path, r.Partial, r.LastWrite = k.path, true, k.lastWrite
	if len(k.removed) > 0 {
		r.Removed = slices.Clone(k.removed)
	}
	for i, v := range k.changed {
		var data []byte
		if v.Data != nil {
			at := len(block)
			block = append(block, v.Data...)
			data = block[at:len(block):len(block)]
		}
		r.Values[i] = Value{Name: v.Name, Type: v.Type, Data: data}
	}
	return r
}

// fillRecord sets r to the record flushRecord would return for k, and
// forgets what changed as it does, but reuses r's storage and copies no
// data: the record's names and data are the live key's. It is for a store
// that copies what it keeps before the key can change again (the in-memory
// store's whole flush, MemStore.flushRecord): r is valid only until the
// next change of k.
func (k *key) fillRecord(r *Record) {
	r.Path, r.Deleted, r.Partial, r.LastWrite = k.path, k.deleted, false, k.lastWrite
	r.Removed, r.Values = r.Removed[:0], r.Values[:0]
	switch {
	case k.deleted:
		r.LastWrite = 0
	case !k.onDisk:
		for _, v := range k.order {
			r.Values = append(r.Values, v.Value)
		}
	default:
		r.Partial = true
		if len(k.removed) > 0 {
			r.Removed = append(r.Removed, k.removed...)
		}
		for _, v := range k.changed {
			r.Values = append(r.Values, v.Value)
		}
		if len(r.Values) > 1 {
			nilEmptyData(r.Values)
		}
	}
	k.forgetChanges()
}

// nilEmptyData gives vals, the changed values of a partial record, the
// data flushRecord's record gives them: when there are several and none
// holds a byte, their data block is nil, and so is every value's data.
func nilEmptyData(vals []Value) {
	for _, v := range vals {
		if len(v.Data) > 0 {
			return
		}
	}
	for i := range vals {
		vals[i].Data = nil
	}
}

// forgetChanges clears the lists of changed and removed values: a record
// now holds them, or the image they came from does. A value the image
// lacks is always listed as changed, so the image holds every value of
// the key afterwards.
func (k *key) forgetChanges() {
	// The lists are short, most often one value and no name: they are
	// cleared one element at a time rather than through clear, whose
	// call costs more than the work here.
	for i, v := range k.changed {
		v.changed, v.inImage = false, true
		k.changed[i] = nil
	}
	k.changed = k.changed[:0]
	for i := range k.removed {
		k.removed[i] = ""
	}
	k.removed = k.removed[:0]
}

// payload is the value data size of the key written, as the flush
// statistics and the trace count it: every value of the key, also when
// its record holds only the changed ones; 0 for a removal.
func (k *key) payload() int {
	if k.deleted {
		return 0
	}
	return k.dataBytes
}

// copyData returns a copy of data, in dst's storage when it has room. Like
// slices.Clone, it gives nil for nil data and an empty, non-nil slice for
// empty data.
func copyData(dst, data []byte) []byte {
	if data == nil {
		return nil
	}
	if dst == nil || cap(dst) < len(data) {
		return slices.Clone(data)
	}
	return append(dst[:0], data...)
}

func (k *key) value(name string) *liveValue {
	if v := k.lastValue; v != nil && k.lastValueName == name {
		return v
	}
	var buf [foldBuf]byte
	v := k.values[string(appendFold(buf[:0], name))]
	if v != nil {
		k.lastValue, k.lastValueName = v, name
	}
	return v
}

// hasSubkeys reports whether k has a live subkey (deleted ones are gone
// from the map).
func (k *key) hasSubkeys() bool { return len(k.subkeys) > 0 }
