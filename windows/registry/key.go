package registry

import (
	"time"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/windows"
)

// Key access rights (winnt.h's KEY_*), untyped as in x/sys.
const (
	ALL_ACCESS         = 0xf003f
	CREATE_LINK        = 0x00020
	CREATE_SUB_KEY     = 0x00004
	ENUMERATE_SUB_KEYS = 0x00008
	EXECUTE            = 0x20019
	NOTIFY             = 0x00010
	QUERY_VALUE        = 0x00001
	READ               = 0x20019
	SET_VALUE          = 0x00002
	// WOW64_32KEY asks for the 32-bit view; the model has none, and every
	// call given it is refused (rule hive.wow64.views).
	WOW64_32KEY = 0x00200
	// WOW64_64KEY asks for the native view of a 64-bit process: the
	// model's one view.
	WOW64_64KEY = 0x00100
	WRITE       = 0x20006
)

// Key is a handle to an open registry key, or one of the predefined keys.
// As in x/sys its values are the handle values of the model's calls.
type Key windows.Handle

// The predefined keys the model backs. HKEY_CLASSES_ROOT,
// HKEY_CURRENT_CONFIG and HKEY_PERFORMANCE_DATA are not among them (see
// the package documentation).
const (
	// CURRENT_USER is the current user's hive, \Registry\User\<SID>.
	CURRENT_USER = Key(0x80000001)
	// LOCAL_MACHINE is \Registry\Machine, whose subkeys are the machine's
	// hives (SYSTEM, SOFTWARE).
	LOCAL_MACHINE = Key(0x80000002)
	// USERS is \Registry\User, whose subkeys are the loaded user hives.
	USERS = Key(0x80000003)
)

// Close closes the key (RegCloseKey). Closing a predefined key does
// nothing and succeeds.
func (k Key) Close() error {
	var e sim.Errno
	call(func(c reg) { e = c.regCloseKey(k) })
	return errOf(e)
}

// OpenKey opens the subkey path of k with the access rights given
// (RegOpenKeyExW). A missing key is ErrNotExist. An empty path below a
// predefined key returns the predefined key itself.
func OpenKey(k Key, path string, access uint32) (Key, error) {
	path, err := nativeName(path)
	if err != nil {
		return 0, err
	}
	if err := refuse("OpenKey", k, access); err != nil {
		return 0, err
	}
	var out Key
	var e sim.Errno
	call(func(c reg) { out, e = c.regOpenKeyEx(k, path, access) })
	if e != sim.ERROR_SUCCESS {
		return 0, errOf(e)
	}
	return out, nil
}

// refuse refuses what the model does not back: a predefined key other than
// CURRENT_USER, LOCAL_MACHINE and USERS, and KEY_WOW64_32KEY.
func refuse(call string, k Key, access uint32) error {
	if err := refuseKey(call, k); err != nil {
		return err
	}
	return refuseAccess(call, access)
}

// ReadSubKeyNames returns the names of k's subkeys, in the order
// NtEnumerateKey gives them (by upcased name). With n > 0 it returns at
// most n names, and io.EOF with them when there are fewer; with n <= 0,
// all of them. Every call starts from the first subkey, as x/sys's does.
// An error part way returns the names read before it with the error, as
// x/sys's does.
func (k Key) ReadSubKeyNames(n int) ([]string, error) {
	if err := refuseKey("Key.ReadSubKeyNames", k); err != nil {
		return nil, err
	}
	e := &enumeration{
		what:  "subkey",
		size:  256, // x/sys's first buffer, in characters
		entry: func(c reg, i, size uint32) (string, sim.Errno) { return c.regEnumKeyEx(k, i, size) },
		count: func(c reg) (uint32, sim.Errno) {
			ki, e := c.regQueryInfoKey(k)
			return ki.SubKeys, e
		},
	}
	return e.readNames(n, 0)
}

// CreateKey creates the key path under k, and every missing key on the
// way (RegCreateKeyExW, non-volatile), or opens it if it exists;
// openedExisting tells which. A key directly under LOCAL_MACHINE or USERS
// cannot be created there: those are the hives' mount points.
func CreateKey(k Key, path string, access uint32) (newk Key, openedExisting bool, err error) {
	if path, err = nativeName(path); err != nil {
		return 0, false, err
	}
	if err := refuse("CreateKey", k, access); err != nil {
		return 0, false, err
	}
	var disp uint32
	var e sim.Errno
	call(func(c reg) { newk, disp, e = c.regCreateKeyEx(k, path, access) })
	if e != sim.ERROR_SUCCESS {
		return 0, false, errOf(e)
	}
	return newk, disp == _REG_OPENED_EXISTING_KEY, nil
}

// _REG_OPENED_EXISTING_KEY is the disposition of an opened key.
const _REG_OPENED_EXISTING_KEY = 2

// DeleteKey deletes the subkey path of k with its values (RegDeleteKeyW).
// A key that has subkeys is not deleted: ERROR_ACCESS_DENIED.
func DeleteKey(k Key, path string) error {
	path, err := nativeName(path)
	if err != nil {
		return err
	}
	if err := refuseKey("DeleteKey", k); err != nil {
		return err
	}
	var e sim.Errno
	call(func(c reg) { e = c.regDeleteKey(k, path) })
	return errOf(e)
}

// A KeyInfo describes a key, as Stat returns it.
type KeyInfo struct {
	SubKeyCount     uint32
	MaxSubKeyLen    uint32 // the longest subkey name, in UTF-16 code units, without a terminating NUL
	ValueCount      uint32
	MaxValueNameLen uint32 // the longest value name, in UTF-16 code units, without a terminating NUL
	MaxValueLen     uint32 // the longest value data, in bytes
	lastWriteTime   windows.Filetime
}

// ModTime returns the key's last write time. The model's clock starts at
// 2026-01-01 00:00 UTC (rule hive.info.last-write).
func (ki *KeyInfo) ModTime() time.Time {
	ticks := uint64(ki.lastWriteTime.HighDateTime)<<32 | uint64(ki.lastWriteTime.LowDateTime)
	// Seconds first: the nanoseconds from 1601 overflow an int64.
	const unixFrom1601 = 11644473600
	return time.Unix(int64(ticks/1e7)-unixFrom1601, int64(ticks%1e7)*100)
}

// Stat returns the key's counts, longest lengths and last write time
// (RegQueryInfoKeyW over NtQueryKey). It needs QUERY_VALUE.
func (k Key) Stat() (*KeyInfo, error) {
	if err := refuseKey("Key.Stat", k); err != nil {
		return nil, err
	}
	var ki KeyInfo
	var e sim.Errno
	call(func(c reg) {
		info, code := c.regQueryInfoKey(k)
		e = code
		ki = KeyInfo{
			SubKeyCount:     info.SubKeys,
			MaxSubKeyLen:    info.MaxNameLen / 2,
			ValueCount:      info.Values,
			MaxValueNameLen: info.MaxValueNameLen / 2,
			MaxValueLen:     info.MaxValueDataLen,
			lastWriteTime: windows.Filetime{
				LowDateTime:  uint32(info.LastWriteTime),
				HighDateTime: uint32(uint64(info.LastWriteTime) >> 32),
			},
		}
	})
	if e != sim.ERROR_SUCCESS {
		return nil, errOf(e)
	}
	return &ki, nil
}
