package registry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/hive"
	"github.com/winsim/winsim/win32"
	"github.com/winsim/winsim/windows"
	"github.com/winsim/winsim/windows/internal/twinfam"
	"github.com/winsim/winsim/windows/internal/twinrt"
)

// This file is the Reg* layer: what advapi32's RegXxxW functions do over
// the native calls, for the calls x/sys's registry package makes. Each
// function runs inside one twinrt call on the calling goroutine's thread
// and returns a Win32 code, as the Reg functions do (they leave the
// thread's last error alone). The rules it follows, with their sources,
// are listed in the package documentation under "The Reg* layer".

// The rules the twin refuses an argument under: out-of-scope rules of the
// registry's catalog.
const (
	ruleWOW64Views      = "hive.wow64.views"
	rulePredefinedViews = "hive.predefined.views"
)

// unmodeledError is the twin's refusal of an argument whose behavior is
// not modeled: the call is not made. It matches errors.ErrUnsupported.
type unmodeledError struct {
	call, what, rule string
}

func (e *unmodeledError) Error() string {
	return fmt.Sprintf("winsim/windows/registry: %s: %s is not modeled (rule %s); the call was not made", e.call, e.what, e.rule)
}

func (e *unmodeledError) Unwrap() error { return errors.ErrUnsupported }

// refuseAccess refuses KEY_WOW64_32KEY: the model has the native view only.
// KEY_WOW64_64KEY asks for the native view of a 64-bit process, which is
// the model's, and goes through.
func refuseAccess(call string, access uint32) error {
	if access&WOW64_32KEY != 0 {
		return &unmodeledError{call, "KEY_WOW64_32KEY (the 32-bit registry view)", ruleWOW64Views}
	}
	return nil
}

// The predefined keys, as advapi32 recognizes them: by the low 32 bits of
// the handle value, whatever the high half holds on a 64-bit system, so
// that x/sys's zero-extended LOCAL_MACHINE (0x80000002), the SDK's
// sign-extended HKEY_LOCAL_MACHINE and any other high half are one key
// (observed: Wine advapi32 registry.c:1139-1169; inferred: Wine kernelbase,
// which compares HandleToUlong(hkey)). The range runs from
// HKEY_CLASSES_ROOT to HKEY_DYN_DATA; the two performance keys above it
// are recognized the same way.
const (
	hkeyClassesRoot        = 0x80000000
	hkeyPerformanceData    = 0x80000004
	hkeyCurrentConfig      = 0x80000005
	hkeyDynData            = 0x80000006
	hkeyPerformanceText    = 0x80000050
	hkeyPerformanceNLSText = 0x80000060
)

// unmodeledKeys names the predefined and performance keys the model does
// not back, by their low 32 bits.
var unmodeledKeys = map[uint32]string{
	hkeyClassesRoot:        "HKEY_CLASSES_ROOT",
	hkeyPerformanceData:    "HKEY_PERFORMANCE_DATA",
	hkeyCurrentConfig:      "HKEY_CURRENT_CONFIG",
	hkeyDynData:            "HKEY_DYN_DATA",
	hkeyPerformanceText:    "HKEY_PERFORMANCE_TEXT",
	hkeyPerformanceNLSText: "HKEY_PERFORMANCE_NLSTEXT",
}

// rootPath returns the key a modeled predefined key stands for
// (documented: Predefined Keys; inferred: Wine's kernelbase root key
// names, and RtlOpenCurrentUser for HKEY_CURRENT_USER), matched on the
// low 32 bits. The twin's machine has the registry's default hives, so
// HKEY_CURRENT_USER is the default user's.
func rootPath(k Key) (string, bool) {
	switch uint32(k) {
	case uint32(LOCAL_MACHINE):
		return `\Registry\Machine`, true
	case uint32(USERS):
		return `\Registry\User`, true
	case uint32(CURRENT_USER):
		return `\Registry\User\` + win32.DefaultUserSID, true
	}
	return "", false
}

// refuseKey refuses the predefined keys the model does not back
// (HKEY_CLASSES_ROOT, HKEY_PERFORMANCE_DATA, HKEY_CURRENT_CONFIG and
// HKEY_DYN_DATA) and the performance keys HKEY_PERFORMANCE_TEXT and
// HKEY_PERFORMANCE_NLSTEXT, with any high half.
func refuseKey(call string, k Key) error {
	if name, ok := unmodeledKeys[uint32(k)]; ok {
		return &unmodeledError{call, fmt.Sprintf("the predefined key %s (%#x)", name, uintptr(k)), rulePredefinedViews}
	}
	return nil
}

// reg is one Reg* call in progress: the registry model and the calling
// goroutine's thread.
type reg struct {
	r *hive.Registry
	t *sim.Thread
}

// call runs fn as one call on the calling goroutine's thread.
func call(fn func(c reg)) {
	b := twinrt.Current()
	r := twinfam.Registry(b)
	b.Call(func(th *twinrt.Thread) { fn(reg{r, th.T}) })
}

// code maps a native call's status to the Win32 code the Reg functions
// return (RtlNtStatusToDosError). A status the table lacks is a model the
// twin does not know, and panics.
func code(st sim.NTStatus) sim.Errno {
	e, ok := st.Win32()
	if !ok {
		panic(fmt.Sprintf("winsim/windows/registry: no Win32 code for %s", st))
	}
	return e
}

// errOf returns a Reg function's code as the error x/sys's wrappers
// return: nil for ERROR_SUCCESS, else the Errno.
func errOf(e sim.Errno) error {
	if e == sim.ERROR_SUCCESS {
		return nil
	}
	return windows.Errno(e)
}

// withKey runs fn on the handle k stands for. A zero Key is
// ERROR_INVALID_HANDLE before any native call: advapi32 maps a NULL root to
// no handle and refuses it (observed: Wine advapi32 registry.c:1052-1055
// and 1115-1122; inferred: Wine kernelbase, whose RegOpenKeyExW,
// RegCreateKeyExW, RegDeleteKeyExW and the value and enumeration calls
// return ERROR_INVALID_HANDLE when the root maps to NULL). Passed on, it
// would be a RootDirectory of 0, which the native calls read as "the name
// is absolute". A modeled predefined key is opened for the call
// (MAXIMUM_ALLOWED) and closed after it, where advapi32 opens it once per
// process and keeps the handle: the model's handle count differs only
// while a call runs, and a power cut, which takes every handle, leaves
// nothing stale behind. A predefined key whose key cannot be opened is
// ERROR_INVALID_HANDLE, as advapi32 reports it.
func (c reg) withKey(k Key, fn func(h sim.Handle) sim.Errno) sim.Errno {
	if k == 0 {
		return sim.ERROR_INVALID_HANDLE
	}
	path, ok := rootPath(k)
	if !ok {
		return fn(sim.Handle(k))
	}
	h, st := c.r.NtOpenKey(c.t, sim.MAXIMUM_ALLOWED, win32.Abs(path))
	if st != sim.STATUS_SUCCESS {
		return sim.ERROR_INVALID_HANDLE
	}
	defer c.r.NtClose(c.t, h)
	return fn(h)
}

// rel names path below the key of h, compared without case
// (OBJ_CASE_INSENSITIVE, as advapi32 opens keys; inferred: ReactOS
// advapi32 reg.c).
func rel(h sim.Handle, path string) win32.ObjectAttributes { return win32.Rel(h, path) }

// regOpenKeyEx is RegOpenKeyExW with no options. An empty path below a
// predefined key returns the predefined key itself, as given (observed:
// Wine advapi32 registry.c:1089-1091, RegOpenKeyExA(HKEY_CLASSES_ROOT,
// ""); inferred: Wine kernelbase RegOpenKeyExW, which checks the low 32
// bits and hands back the value it was given); the predefined keys the
// model does not back never get here, being refused before.
func (c reg) regOpenKeyEx(k Key, path string, access uint32) (Key, sim.Errno) {
	if _, modeled := rootPath(k); path == "" && modeled {
		return k, sim.ERROR_SUCCESS
	}
	var out sim.Handle
	e := c.withKey(k, func(h sim.Handle) sim.Errno {
		var st sim.NTStatus
		out, st = c.r.NtOpenKey(c.t, access, rel(h, path))
		return code(st)
	})
	return Key(out), e
}

// regCreateKeyEx is RegCreateKeyExW with REG_OPTION_NON_VOLATILE, no
// class and no security attributes. It creates every missing key of the
// path (documented: RegCreateKeyExW, remarks), as advapi32 does when
// NtCreateKey finds a component missing: one NtCreateKey per component,
// each relative to the one before, skipping runs of backslashes, the
// intermediate handles closed (inferred: Wine kernelbase create_key).
func (c reg) regCreateKeyEx(k Key, path string, access uint32) (Key, uint32, sim.Errno) {
	var out sim.Handle
	var disp uint32
	e := c.withKey(k, func(root sim.Handle) sim.Errno {
		var st sim.NTStatus
		out, disp, st = c.r.NtCreateKey(c.t, access, rel(root, path), win32.REG_OPTION_NON_VOLATILE)
		if st != sim.STATUS_OBJECT_NAME_NOT_FOUND || !strings.Contains(path, `\`) {
			return code(st)
		}
		parent := root
		for i := 0; ; {
			start := i
			for i < len(path) && path[i] != '\\' {
				i++
			}
			out, disp, st = c.r.NtCreateKey(c.t, access, rel(parent, path[start:i]), win32.REG_OPTION_NON_VOLATILE)
			if parent != root {
				c.r.NtClose(c.t, parent)
			}
			if st != sim.STATUS_SUCCESS || i == len(path) {
				return code(st)
			}
			parent = out
			for i < len(path) && path[i] == '\\' {
				i++
			}
		}
	})
	return Key(out), disp, e
}

// regDeleteKey is RegDeleteKeyW: it opens the subkey with DELETE, deletes
// it and closes the handle (inferred: Wine kernelbase RegDeleteKeyExW). A
// key with subkeys is refused by NtDeleteKey (STATUS_CANNOT_DELETE), which
// reads ERROR_ACCESS_DENIED (documented: RegDeleteKeyW, "the subkey to be
// deleted must not have subkeys").
func (c reg) regDeleteKey(k Key, path string) sim.Errno {
	return c.withKey(k, func(root sim.Handle) sim.Errno {
		h, st := c.r.NtOpenKey(c.t, win32.DELETE, rel(root, path))
		if st != sim.STATUS_SUCCESS {
			return code(st)
		}
		defer c.r.NtClose(c.t, h)
		return code(c.r.NtDeleteKey(c.t, h))
	})
}

// regCloseKey is RegCloseKey: NULL is ERROR_INVALID_HANDLE, any value
// from 0x80000000 on (the predefined keys, modeled or not, the
// performance keys, and a predefined key with a high half) is left alone
// and succeeds, any other value is closed by NtClose (inferred: Wine
// kernelbase RegCloseKey, which compares the whole value with
// 0x80000000).
func (c reg) regCloseKey(k Key) sim.Errno {
	switch {
	case k == 0:
		return sim.ERROR_INVALID_HANDLE
	case k >= hkeyClassesRoot:
		return sim.ERROR_SUCCESS
	}
	return code(c.r.NtClose(c.t, sim.Handle(k)))
}

// regQueryValueEx is RegQueryValueExW. Without a buffer (buf nil) it
// returns the type and the data's size. With one too short for the data
// it returns ERROR_MORE_DATA with the type and the size needed, and leaves
// the buffer untouched (documented: RegQueryValueExW, lpcbData; observed:
// Wine advapi32 registry.c:2115). With one that holds the data it copies
// it, and for REG_SZ, REG_EXPAND_SZ and REG_MULTI_SZ data whose last
// character is not NUL writes a NUL after it when the buffer has room,
// without counting it (inferred: Wine kernelbase RegQueryValueExW, "NT
// appends a \0"). A failure leaves the size as it came in, 0 without a
// buffer (inferred: the same).
func (c reg) regQueryValueEx(k Key, name string, buf []byte) (n, typ uint32, e sim.Errno) {
	if buf != nil {
		n = uint32(len(buf))
	}
	e = c.withKey(k, func(h sim.Handle) sim.Errno {
		t, data, st := c.r.NtQueryValueKey(c.t, h, name)
		if st != sim.STATUS_SUCCESS {
			return code(st)
		}
		typ, n = t, uint32(len(data))
		switch {
		case buf == nil:
			return sim.ERROR_SUCCESS
		case len(data) > len(buf):
			return sim.ERROR_MORE_DATA
		}
		copy(buf, data)
		if isString(t) && len(data) >= 2 && len(data)+2 <= len(buf) && binary.LittleEndian.Uint16(data[len(data)-2:]) != 0 {
			buf[len(data)], buf[len(data)+1] = 0, 0
		}
		return sim.ERROR_SUCCESS
	})
	return n, typ, e
}

// isString reports whether a value type holds strings.
func isString(typ uint32) bool { return typ == SZ || typ == EXPAND_SZ || typ == MULTI_SZ }

// regSetValueEx is RegSetValueExW: NtSetValueKey with the data as given.
func (c reg) regSetValueEx(k Key, name string, typ uint32, data []byte) sim.Errno {
	return c.withKey(k, func(h sim.Handle) sim.Errno {
		return code(c.r.NtSetValueKey(c.t, h, name, typ, data))
	})
}

// regDeleteValue is RegDeleteValueW: NtDeleteValueKey.
func (c reg) regDeleteValue(k Key, name string) sim.Errno {
	return c.withKey(k, func(h sim.Handle) sim.Errno {
		return code(c.r.NtDeleteValueKey(c.t, h, name))
	})
}

// regFlushKey is RegFlushKey, which the registry model has itself, the
// predefined keys included (rules hive.regflush.*): a predefined key the
// model names, recognized by its low 32 bits, is passed on as the model
// spells it (sign-extended, as on 64-bit Windows); any other value as it
// is.
func (c reg) regFlushKey(k Key) sim.Errno {
	h := sim.Handle(k)
	for _, predefined := range win32.PredefinedKeys() {
		if uint32(predefined) == uint32(k) {
			h = predefined
		}
	}
	return c.r.RegFlushKey(c.t, h)
}

// firstInfoBuffer is the size of the first buffer advapi32 passes to the
// information calls; it asks again with the size the call reports when
// that is too short (inferred: Wine kernelbase's 256-byte stack buffers).
const firstInfoBuffer = 256

// maxInfoCalls bounds the calls info makes for one answer. The model
// reports the exact size on the first overflow, so two calls suffice; more
// are needed only when other goroutines grow the entry between them (a
// value's data, which KeyValueFullInformation carries), and eight growths
// in a row are no race but a call that does not grow its buffer.
const maxInfoCalls = 8

// info calls an information call with the first buffer, and again with
// the size it reports for as long as it overflows and asks for more. A
// call that overflows a buffer of the size it asked for, or that still
// overflows after maxInfoCalls calls, is a broken layer below, and panics
// rather than loop.
func info(query func(length uint32) ([]byte, uint32, sim.NTStatus)) ([]byte, sim.NTStatus) {
	length := uint32(firstInfoBuffer)
	for calls := 1; ; calls++ {
		b, n, st := query(length)
		if st != sim.STATUS_BUFFER_OVERFLOW {
			return b, st
		}
		switch {
		case n <= length:
			panic(fmt.Sprintf("winsim/windows/registry: an information call overflows %d bytes and asks for %d", length, n))
		case calls == maxInfoCalls:
			panic(fmt.Sprintf("winsim/windows/registry: an information call still overflows after %d calls (the last with %d bytes, asking for %d)", calls, length, n))
		}
		length = n
	}
}

// regEnumKeyEx is RegEnumKeyExW without class or time: the name of the
// index-th subkey (NtEnumerateKey, KeyNodeInformation). nameCap is the
// caller's buffer in characters, the terminating NUL included: a name
// that does not fit, NUL and all, is ERROR_MORE_DATA (inferred: Wine
// kernelbase RegEnumKeyExW; documented: RegEnumKeyExW, lpcchName); past
// the last subkey, ERROR_NO_MORE_ITEMS.
func (c reg) regEnumKeyEx(k Key, index, nameCap uint32) (name string, e sim.Errno) {
	e = c.withKey(k, func(h sim.Handle) sim.Errno {
		b, st := info(func(length uint32) ([]byte, uint32, sim.NTStatus) {
			return c.r.NtEnumerateKey(c.t, h, index, win32.KeyNodeInformation, length)
		})
		if st != sim.STATUS_SUCCESS {
			return code(st)
		}
		ki, err := win32.DecodeKeyInfo(win32.KeyNodeInformation, b)
		if err != nil {
			panic("winsim/windows/registry: NtEnumerateKey: " + err.Error())
		}
		if ki.NameLength/2 >= nameCap {
			return sim.ERROR_MORE_DATA
		}
		name = nameFromNative(ki.Name)
		return sim.ERROR_SUCCESS
	})
	return name, e
}

// regEnumValue is RegEnumValueW without type or data: the name of the
// index-th value (NtEnumerateValueKey, KeyValueFullInformation), with
// RegEnumKeyExW's rule for the name's buffer (observed: Wine advapi32
// registry.c:666, a name one character too long for the buffer is
// ERROR_MORE_DATA); past the last value, ERROR_NO_MORE_ITEMS.
func (c reg) regEnumValue(k Key, index, nameCap uint32) (name string, e sim.Errno) {
	e = c.withKey(k, func(h sim.Handle) sim.Errno {
		b, st := info(func(length uint32) ([]byte, uint32, sim.NTStatus) {
			return c.r.NtEnumerateValueKey(c.t, h, index, win32.KeyValueFullInformation, length)
		})
		if st != sim.STATUS_SUCCESS {
			return code(st)
		}
		vi, err := win32.DecodeValueInfo(win32.KeyValueFullInformation, b)
		if err != nil {
			panic("winsim/windows/registry: NtEnumerateValueKey: " + err.Error())
		}
		if vi.NameLength/2 >= nameCap {
			return sim.ERROR_MORE_DATA
		}
		name = nameFromNative(vi.Name)
		return sim.ERROR_SUCCESS
	})
	return name, e
}

// regQueryInfoKey is RegQueryInfoKeyW without class or security: the
// counts and longest lengths of KeyFullInformation, names in characters,
// and the last write time (inferred: Wine kernelbase RegQueryInfoKeyW; a
// buffer too short for the class, which keys of the model lack, is no
// failure).
func (c reg) regQueryInfoKey(k Key) (ki win32.KeyInfo, e sim.Errno) {
	e = c.withKey(k, func(h sim.Handle) sim.Errno {
		b, _, st := c.r.NtQueryKey(c.t, h, win32.KeyFullInformation, firstInfoBuffer)
		if st != sim.STATUS_SUCCESS && st != sim.STATUS_BUFFER_OVERFLOW {
			return code(st)
		}
		var err error
		if ki, err = win32.DecodeKeyInfo(win32.KeyFullInformation, b); err != nil {
			panic("winsim/windows/registry: NtQueryKey: " + err.Error())
		}
		return sim.ERROR_SUCCESS
	})
	return ki, e
}
