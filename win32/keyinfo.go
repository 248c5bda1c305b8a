package win32

import (
	"encoding/binary"
	"fmt"
)

// KEY_INFORMATION_CLASS (wdm.h): what NtQueryKey and NtEnumerateKey
// return about a key.
const (
	KeyBasicInformation          uint32 = 0
	KeyNodeInformation           uint32 = 1
	KeyFullInformation           uint32 = 2
	KeyNameInformation           uint32 = 3
	KeyCachedInformation         uint32 = 4
	KeyFlagsInformation          uint32 = 5
	KeyVirtualizationInformation uint32 = 6
	KeyHandleTagsInformation     uint32 = 7
	KeyTrustInformation          uint32 = 8
	KeyLayerInformation          uint32 = 9
	MaxKeyInfoClass              uint32 = 10
)

// KEY_VALUE_INFORMATION_CLASS (wdm.h): what NtEnumerateValueKey and
// NtQueryValueKey return about a value.
const (
	KeyValueBasicInformation          uint32 = 0
	KeyValueFullInformation           uint32 = 1
	KeyValuePartialInformation        uint32 = 2
	KeyValueFullInformationAlign64    uint32 = 3
	KeyValuePartialInformationAlign64 uint32 = 4
	KeyValueLayerInformation          uint32 = 5
	MaxKeyValueInfoClass              uint32 = 6
)

// The fixed parts of the information structures, in bytes: the offset of
// the variable-length member (Name, Class or Data), or the whole structure
// when it has none (KEY_CACHED_INFORMATION).
const (
	KeyBasicInformationFixed        = 16 // KEY_BASIC_INFORMATION: LastWriteTime, TitleIndex, NameLength
	KeyNodeInformationFixed         = 24 // KEY_NODE_INFORMATION: ... ClassOffset, ClassLength, NameLength
	KeyFullInformationFixed         = 44 // KEY_FULL_INFORMATION: up to Class
	KeyNameInformationFixed         = 4  // KEY_NAME_INFORMATION: NameLength
	KeyCachedInformationSize        = 40 // KEY_CACHED_INFORMATION, whole
	KeyValueBasicInformationFixed   = 12 // KEY_VALUE_BASIC_INFORMATION: TitleIndex, Type, NameLength
	KeyValueFullInformationFixed    = 20 // KEY_VALUE_FULL_INFORMATION: ... DataOffset, DataLength, NameLength
	KeyValuePartialInformationFixed = 12 // KEY_VALUE_PARTIAL_INFORMATION: TitleIndex, Type, DataLength
)

// Groups of the information classes, for scenario files.
const (
	GroupKeyInfoClass      = "key-information-class"
	GroupKeyValueInfoClass = "key-value-information-class"
)

func keyInfoConstants() []constPair {
	return []constPair{
		{"KeyBasicInformation", KeyBasicInformation}, {"KeyNodeInformation", KeyNodeInformation},
		{"KeyFullInformation", KeyFullInformation}, {"KeyNameInformation", KeyNameInformation},
		{"KeyCachedInformation", KeyCachedInformation}, {"KeyFlagsInformation", KeyFlagsInformation},
		{"KeyVirtualizationInformation", KeyVirtualizationInformation},
		{"KeyHandleTagsInformation", KeyHandleTagsInformation}, {"KeyTrustInformation", KeyTrustInformation},
		{"KeyLayerInformation", KeyLayerInformation}, {"MaxKeyInfoClass", MaxKeyInfoClass},
	}
}

func keyValueInfoConstants() []constPair {
	return []constPair{
		{"KeyValueBasicInformation", KeyValueBasicInformation}, {"KeyValueFullInformation", KeyValueFullInformation},
		{"KeyValuePartialInformation", KeyValuePartialInformation},
		{"KeyValueFullInformationAlign64", KeyValueFullInformationAlign64},
		{"KeyValuePartialInformationAlign64", KeyValuePartialInformationAlign64},
		{"KeyValueLayerInformation", KeyValueLayerInformation}, {"MaxKeyValueInfoClass", MaxKeyValueInfoClass},
	}
}

type constPair struct {
	name string
	v    uint32
}

func flatten(ps []constPair) []any {
	out := make([]any, 0, 2*len(ps))
	for _, p := range ps {
		out = append(out, p.name, p.v)
	}
	return out
}

// KeyInfo is the decoded content of a key information structure
// (KEY_BASIC_INFORMATION, KEY_NODE_INFORMATION, KEY_FULL_INFORMATION,
// KEY_NAME_INFORMATION or KEY_CACHED_INFORMATION): the members the class
// carries, the others zero. Lengths are in bytes, as the structures give
// them.
type KeyInfo struct {
	LastWriteTime   int64 // FILETIME ticks (100 ns since 1601)
	TitleIndex      uint32
	ClassOffset     uint32
	ClassLength     uint32
	SubKeys         uint32
	MaxNameLen      uint32
	MaxClassLen     uint32
	Values          uint32
	MaxValueNameLen uint32
	MaxValueDataLen uint32
	NameLength      uint32
	Name            string // the part of the name the buffer holds
}

// DecodeKeyInfo reads a key information structure of class from the bytes
// a call wrote. It fails when b is shorter than the class's fixed part; a
// name cut short by the buffer is decoded as far as it goes.
func DecodeKeyInfo(class uint32, b []byte) (KeyInfo, error) {
	var ki KeyInfo
	u32 := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	need := map[uint32]int{KeyBasicInformation: KeyBasicInformationFixed, KeyNodeInformation: KeyNodeInformationFixed,
		KeyFullInformation: KeyFullInformationFixed, KeyNameInformation: KeyNameInformationFixed, KeyCachedInformation: KeyCachedInformationSize}
	n, ok := need[class]
	if !ok {
		return ki, fmt.Errorf("key information class %d is not decoded", class)
	}
	if len(b) < n {
		return ki, fmt.Errorf("%d bytes hold no %s structure (%d bytes)", len(b), FormatConst(GroupKeyInfoClass, class), n)
	}
	switch class {
	case KeyBasicInformation:
		ki.LastWriteTime, ki.TitleIndex, ki.NameLength = int64(binary.LittleEndian.Uint64(b)), u32(8), u32(12)
		ki.Name = utf16Bytes(b[16:], ki.NameLength)
	case KeyNodeInformation:
		ki.LastWriteTime, ki.TitleIndex = int64(binary.LittleEndian.Uint64(b)), u32(8)
		ki.ClassOffset, ki.ClassLength, ki.NameLength = u32(12), u32(16), u32(20)
		ki.Name = utf16Bytes(b[24:], ki.NameLength)
	case KeyFullInformation:
		ki.LastWriteTime, ki.TitleIndex = int64(binary.LittleEndian.Uint64(b)), u32(8)
		ki.ClassOffset, ki.ClassLength, ki.SubKeys, ki.MaxNameLen = u32(12), u32(16), u32(20), u32(24)
		ki.MaxClassLen, ki.Values, ki.MaxValueNameLen, ki.MaxValueDataLen = u32(28), u32(32), u32(36), u32(40)
	case KeyNameInformation:
		ki.NameLength = u32(0)
		ki.Name = utf16Bytes(b[4:], ki.NameLength)
	case KeyCachedInformation:
		ki.LastWriteTime, ki.TitleIndex = int64(binary.LittleEndian.Uint64(b)), u32(8)
		ki.SubKeys, ki.MaxNameLen, ki.Values, ki.MaxValueNameLen = u32(12), u32(16), u32(20), u32(24)
		ki.MaxValueDataLen, ki.NameLength = u32(28), u32(32)
	}
	return ki, nil
}

// ValueInfo is the decoded content of a value information structure
// (KEY_VALUE_BASIC_INFORMATION, KEY_VALUE_FULL_INFORMATION or
// KEY_VALUE_PARTIAL_INFORMATION).
type ValueInfo struct {
	TitleIndex uint32
	Type       uint32
	DataOffset uint32
	DataLength uint32
	NameLength uint32
	Name       string // the part of the name the buffer holds
	Data       []byte // the part of the data the buffer holds
}

// DecodeValueInfo reads a value information structure of class from the
// bytes a call wrote, as DecodeKeyInfo does.
func DecodeValueInfo(class uint32, b []byte) (ValueInfo, error) {
	var vi ValueInfo
	u32 := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	need := map[uint32]int{KeyValueBasicInformation: KeyValueBasicInformationFixed,
		KeyValueFullInformation: KeyValueFullInformationFixed, KeyValuePartialInformation: KeyValuePartialInformationFixed}
	n, ok := need[class]
	if !ok {
		return vi, fmt.Errorf("key value information class %d is not decoded", class)
	}
	if len(b) < n {
		return vi, fmt.Errorf("%d bytes hold no %s structure (%d bytes)", len(b), FormatConst(GroupKeyValueInfoClass, class), n)
	}
	switch class {
	case KeyValueBasicInformation:
		vi.TitleIndex, vi.Type, vi.NameLength = u32(0), u32(4), u32(8)
		vi.Name = utf16Bytes(b[12:], vi.NameLength)
	case KeyValueFullInformation:
		vi.TitleIndex, vi.Type, vi.DataOffset, vi.DataLength, vi.NameLength = u32(0), u32(4), u32(8), u32(12), u32(16)
		vi.Name = utf16Bytes(b[20:], vi.NameLength)
		if vi.DataLength > 0 && int(vi.DataOffset) <= len(b) {
			vi.Data = clip(b[vi.DataOffset:], vi.DataLength)
		}
	case KeyValuePartialInformation:
		vi.TitleIndex, vi.Type, vi.DataLength = u32(0), u32(4), u32(8)
		vi.Data = clip(b[12:], vi.DataLength)
	}
	return vi, nil
}

// clip returns a copy of at most n bytes of b.
func clip(b []byte, n uint32) []byte {
	if uint32(len(b)) > n {
		b = b[:n]
	}
	return append([]byte{}, b...)
}

// utf16Bytes decodes at most n bytes of UTF-16LE from b (a whole number of
// code units) to the WTF-8 string the models name keys and values with
// (DecodeWTF16): a lone surrogate half comes back as itself.
func utf16Bytes(b []byte, n uint32) string {
	if uint32(len(b)) > n {
		b = b[:n]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return DecodeWTF16(u)
}
