package hive

import (
	"slices"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// key is one registry key: a node of a hive's live tree.
type key struct {
	name     string // as created
	parent   *key   // nil for \Registry; a hive's root has its mount point's parent
	hive     *hive
	subkeys  map[string]*key   // by folded name (see fold)
	values   map[string]*Value // by folded name
	volatile bool              // REG_OPTION_VOLATILE: never written to the hive's image
	deleted  bool
	dirty    bool // listed in hive.dirty
	onDisk   bool // the hive's image holds a record of the key

	// order holds the folded names of values in the order NtEnumerateValueKey
	// returns them under Windows: the order they were first set in.
	order []string
	// lastWrite is the key's LastWriteTime, in FILETIME ticks.
	lastWrite int64
	// The largest subkey name, value name and value data lengths (bytes)
	// since the key last had no subkey or no value: the marks
	// KeyFullInformation reports under hive.info.max-lengths-high-water.
	markName, markValueName, markValueData uint32
}

func newKey(name string, parent *key, hv *hive, volatile bool) *key {
	return &key{name: name, parent: parent, hive: hv, volatile: volatile}
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
func utf16Len(s string) int { return win32.WTF16Len(s) }

func (k *key) child(name string) *key {
	var buf [foldBuf]byte
	return k.subkeys[string(appendFold(buf[:0], name))]
}

func (k *key) addChild(c *key) {
	if k.subkeys == nil {
		k.subkeys = map[string]*key{}
	}
	k.subkeys[fold(c.name)] = c
	k.markName = max(k.markName, uint32(2*utf16Len(c.name)))
}

// removeChild drops a deleted subkey; a key left without subkeys forgets
// its subkey name mark.
func (k *key) removeChild(c *key) {
	delete(k.subkeys, fold(c.name))
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

// hivePath returns the key's path inside its hive: "" for the root.
func (k *key) hivePath() string {
	var parts []string
	for p := k; p != k.hive.root; p = p.parent {
		parts = append(parts, p.name)
	}
	slices.Reverse(parts)
	return strings.Join(parts, `\`)
}

// record returns the durable form of k.
func (k *key) record() *Record {
	r := &Record{Path: k.hivePath(), Deleted: k.deleted}
	if k.deleted {
		return r
	}
	r.LastWrite = k.lastWrite
	r.Values = make([]Value, len(k.order))
	for i, n := range k.order {
		v := k.values[n]
		r.Values[i] = Value{Name: v.Name, Type: v.Type, Data: slices.Clone(v.Data)}
	}
	return r
}

// setValue stores a copy of data under name. A new value goes last in the
// key's order; a replaced one keeps its place and the spelling of its name
// (NT rewrites only the type and data of the existing value cell, and so
// does Wine's server: hive.set.replace-keeps-name). A replaced value is
// updated in place, its data copied into the storage it has when that is
// large enough: setting a value again allocates nothing.
func (k *key) setValue(name string, typ uint32, data []byte) {
	if v := k.value(name); v != nil {
		if sim.FaultBroken("hive.set.replace-keeps-name", true, false) {
			name = v.Name
		}
		v.Name, v.Type, v.Data = name, typ, copyData(v.Data, data)
	} else {
		if k.values == nil {
			k.values = map[string]*Value{}
		}
		f := fold(name)
		k.order = append(k.order, f)
		k.values[f] = &Value{Name: name, Type: typ, Data: slices.Clone(data)}
	}
	k.markValueName = max(k.markValueName, uint32(2*utf16Len(name)))
	k.markValueData = max(k.markValueData, uint32(len(data)))
}

// deleteValue removes the value named name; the values after it move up
// one place. A key left without values forgets its value marks.
func (k *key) deleteValue(name string) {
	f := fold(name)
	delete(k.values, f)
	k.order = slices.DeleteFunc(k.order, func(n string) bool { return n == f })
	if len(k.values) == 0 {
		k.markValueName, k.markValueData = 0, 0
	}
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

func (k *key) value(name string) *Value {
	var buf [foldBuf]byte
	return k.values[string(appendFold(buf[:0], name))]
}

// hasSubkeys reports whether k has a live subkey (deleted ones are gone
// from the map).
func (k *key) hasSubkeys() bool { return len(k.subkeys) > 0 }
