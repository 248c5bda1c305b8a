package win32

import (
	"fmt"

	"github.com/winsim/winsim/sim"
)

// The names below are the SDK's (winnt.h, wdm.h, winreg.h), spelled as the
// headers spell them so that code and scenarios read like the documentation.

// Access rights of key handles.
const (
	KEY_QUERY_VALUE        uint32 = 0x0001
	KEY_SET_VALUE          uint32 = 0x0002
	KEY_CREATE_SUB_KEY     uint32 = 0x0004
	KEY_ENUMERATE_SUB_KEYS uint32 = 0x0008
	KEY_NOTIFY             uint32 = 0x0010
	KEY_CREATE_LINK        uint32 = 0x0020
	KEY_WOW64_64KEY        uint32 = 0x0100
	KEY_WOW64_32KEY        uint32 = 0x0200
	KEY_READ               uint32 = 0x00020019
	KEY_WRITE              uint32 = 0x00020006
	KEY_EXECUTE            uint32 = 0x00020019
	KEY_ALL_ACCESS         uint32 = 0x000F003F
)

// CreateOptions of ZwCreateKey.
const (
	REG_OPTION_NON_VOLATILE    uint32 = 0x00
	REG_OPTION_VOLATILE        uint32 = 0x01
	REG_OPTION_CREATE_LINK     uint32 = 0x02
	REG_OPTION_BACKUP_RESTORE  uint32 = 0x04
	REG_OPTION_OPEN_LINK       uint32 = 0x08
	REG_OPTION_DONT_VIRTUALIZE uint32 = 0x10

	// REG_LEGAL_OPTION is every option ZwCreateKey accepts.
	REG_LEGAL_OPTION uint32 = 0x1F
)

// Dispositions ZwCreateKey reports.
const (
	REG_CREATED_NEW_KEY     uint32 = 1
	REG_OPENED_EXISTING_KEY uint32 = 2
)

// Value types.
const (
	REG_NONE                       uint32 = 0
	REG_SZ                         uint32 = 1
	REG_EXPAND_SZ                  uint32 = 2
	REG_BINARY                     uint32 = 3
	REG_DWORD                      uint32 = 4
	REG_DWORD_BIG_ENDIAN           uint32 = 5
	REG_LINK                       uint32 = 6
	REG_MULTI_SZ                   uint32 = 7
	REG_RESOURCE_LIST              uint32 = 8
	REG_FULL_RESOURCE_DESCRIPTOR   uint32 = 9
	REG_RESOURCE_REQUIREMENTS_LIST uint32 = 10
	REG_QWORD                      uint32 = 11
)

// Hive load flags (NtLoadKey2, RegLoadKey and RegRestoreKey).
const (
	REG_WHOLE_HIVE_VOLATILE    uint32 = 0x0001
	REG_REFRESH_HIVE           uint32 = 0x0002
	REG_NO_LAZY_FLUSH          uint32 = 0x0004
	REG_FORCE_RESTORE          uint32 = 0x0008
	REG_APP_HIVE               uint32 = 0x0010
	REG_PROCESS_PRIVATE        uint32 = 0x0020
	REG_START_JOURNAL          uint32 = 0x0040
	REG_HIVE_EXACT_FILE_GROWTH uint32 = 0x0080
	REG_HIVE_NO_RM             uint32 = 0x0100
	REG_HIVE_SINGLE_LOG        uint32 = 0x0200
	REG_BOOT_HIVE              uint32 = 0x0400
)

// predefined returns the value of a predefined key: the 32-bit constant
// sign-extended, as (HKEY)(ULONG_PTR)(LONG)0x80000002 is on 64-bit Windows.
func predefined(v uint32) sim.Handle { return sim.Handle(uintptr(int(int32(v)))) }

// The predefined keys RegFlushKey accepts.
var (
	HKEY_CLASSES_ROOT     = predefined(0x80000000)
	HKEY_CURRENT_USER     = predefined(0x80000001)
	HKEY_LOCAL_MACHINE    = predefined(0x80000002)
	HKEY_USERS            = predefined(0x80000003)
	HKEY_PERFORMANCE_DATA = predefined(0x80000004)
	HKEY_CURRENT_CONFIG   = predefined(0x80000005)
)

// Groups of Constants, the names scenarios may use for each kind of field.
const (
	GroupKeyAccess   = "key-access"
	GroupOptions     = "key-options"
	GroupDisposition = "key-disposition"
	GroupValueType   = "value-type"
	GroupLoadFlags   = "hive-flags"
	GroupAttributes  = "object-attributes"
)

// PredefinedKeys names the predefined keys, for scenario files.
func PredefinedKeys() map[string]sim.Handle {
	return map[string]sim.Handle{
		"HKEY_CLASSES_ROOT":     HKEY_CLASSES_ROOT,
		"HKEY_CURRENT_USER":     HKEY_CURRENT_USER,
		"HKEY_LOCAL_MACHINE":    HKEY_LOCAL_MACHINE,
		"HKEY_USERS":            HKEY_USERS,
		"HKEY_PERFORMANCE_DATA": HKEY_PERFORMANCE_DATA,
		"HKEY_CURRENT_CONFIG":   HKEY_CURRENT_CONFIG,
	}
}

// RegistryConstants lists every constant of the registry family by group, for scenario files.
func RegistryConstants() []sim.Const {
	c := sim.ConstGroup
	var out []sim.Const
	out = append(out, c(GroupKeyAccess,
		"KEY_QUERY_VALUE", KEY_QUERY_VALUE, "KEY_SET_VALUE", KEY_SET_VALUE, "KEY_CREATE_SUB_KEY", KEY_CREATE_SUB_KEY,
		"KEY_ENUMERATE_SUB_KEYS", KEY_ENUMERATE_SUB_KEYS, "KEY_NOTIFY", KEY_NOTIFY, "KEY_CREATE_LINK", KEY_CREATE_LINK,
		"KEY_WOW64_64KEY", KEY_WOW64_64KEY, "KEY_WOW64_32KEY", KEY_WOW64_32KEY,
		"DELETE", DELETE, "READ_CONTROL", READ_CONTROL, "WRITE_DAC", WRITE_DAC, "WRITE_OWNER", WRITE_OWNER,
		"KEY_READ", KEY_READ, "KEY_WRITE", KEY_WRITE, "KEY_EXECUTE", KEY_EXECUTE, "KEY_ALL_ACCESS", KEY_ALL_ACCESS,
		"GENERIC_READ", sim.GENERIC_READ, "GENERIC_WRITE", sim.GENERIC_WRITE, "GENERIC_EXECUTE", sim.GENERIC_EXECUTE,
		"GENERIC_ALL", sim.GENERIC_ALL, "MAXIMUM_ALLOWED", sim.MAXIMUM_ALLOWED)...)
	out = append(out, c(GroupOptions,
		"REG_OPTION_NON_VOLATILE", REG_OPTION_NON_VOLATILE, "REG_OPTION_VOLATILE", REG_OPTION_VOLATILE,
		"REG_OPTION_CREATE_LINK", REG_OPTION_CREATE_LINK, "REG_OPTION_BACKUP_RESTORE", REG_OPTION_BACKUP_RESTORE,
		"REG_OPTION_OPEN_LINK", REG_OPTION_OPEN_LINK, "REG_OPTION_DONT_VIRTUALIZE", REG_OPTION_DONT_VIRTUALIZE)...)
	out = append(out, c(GroupDisposition,
		"REG_CREATED_NEW_KEY", REG_CREATED_NEW_KEY, "REG_OPENED_EXISTING_KEY", REG_OPENED_EXISTING_KEY)...)
	out = append(out, c(GroupValueType,
		"REG_NONE", REG_NONE, "REG_SZ", REG_SZ, "REG_EXPAND_SZ", REG_EXPAND_SZ, "REG_BINARY", REG_BINARY,
		"REG_DWORD", REG_DWORD, "REG_DWORD_BIG_ENDIAN", REG_DWORD_BIG_ENDIAN, "REG_LINK", REG_LINK,
		"REG_MULTI_SZ", REG_MULTI_SZ, "REG_RESOURCE_LIST", REG_RESOURCE_LIST,
		"REG_FULL_RESOURCE_DESCRIPTOR", REG_FULL_RESOURCE_DESCRIPTOR,
		"REG_RESOURCE_REQUIREMENTS_LIST", REG_RESOURCE_REQUIREMENTS_LIST, "REG_QWORD", REG_QWORD)...)
	out = append(out, c(GroupLoadFlags,
		"REG_WHOLE_HIVE_VOLATILE", REG_WHOLE_HIVE_VOLATILE, "REG_REFRESH_HIVE", REG_REFRESH_HIVE,
		"REG_NO_LAZY_FLUSH", REG_NO_LAZY_FLUSH, "REG_FORCE_RESTORE", REG_FORCE_RESTORE,
		"REG_APP_HIVE", REG_APP_HIVE, "REG_PROCESS_PRIVATE", REG_PROCESS_PRIVATE,
		"REG_START_JOURNAL", REG_START_JOURNAL, "REG_HIVE_EXACT_FILE_GROWTH", REG_HIVE_EXACT_FILE_GROWTH,
		"REG_HIVE_NO_RM", REG_HIVE_NO_RM, "REG_HIVE_SINGLE_LOG", REG_HIVE_SINGLE_LOG, "REG_BOOT_HIVE", REG_BOOT_HIVE)...)
	out = append(out, c(GroupAttributes,
		"OBJ_INHERIT", sim.OBJ_INHERIT, "OBJ_PERMANENT", sim.OBJ_PERMANENT, "OBJ_EXCLUSIVE", sim.OBJ_EXCLUSIVE,
		"OBJ_CASE_INSENSITIVE", sim.OBJ_CASE_INSENSITIVE, "OBJ_OPENIF", sim.OBJ_OPENIF, "OBJ_OPENLINK", sim.OBJ_OPENLINK,
		"OBJ_KERNEL_HANDLE", sim.OBJ_KERNEL_HANDLE, "OBJ_FORCE_ACCESS_CHECK", sim.OBJ_FORCE_ACCESS_CHECK)...)
	out = append(out, c(GroupKeyInfoClass, flatten(keyInfoConstants())...)...)
	out = append(out, c(GroupKeyValueInfoClass, flatten(keyValueInfoConstants())...)...)
	return out
}

// ObjectAttributes is the part of OBJECT_ATTRIBUTES the key calls read.
type ObjectAttributes struct {
	// RootDirectory is a key handle the name is relative to, or 0 for an
	// absolute name (\Registry\...).
	RootDirectory sim.Handle
	// ObjectName is the key's name: absolute without RootDirectory,
	// relative (no leading backslash) with it.
	ObjectName string
	// Attributes are OBJ_* flags; OBJ_KERNEL_HANDLE asks for a kernel
	// handle (honored for kernel-mode callers only).
	Attributes uint32
}

// String formats the attributes for the trace.
func (oa ObjectAttributes) String() string {
	if oa.RootDirectory != 0 {
		return fmt.Sprintf("{%s, \"%s\", %s}", oa.RootDirectory, oa.ObjectName, FormatConst(GroupAttributes, oa.Attributes))
	}
	return fmt.Sprintf("{\"%s\", %s}", oa.ObjectName, FormatConst(GroupAttributes, oa.Attributes))
}

// Abs returns attributes for an absolute name with OBJ_CASE_INSENSITIVE.
func Abs(name string) ObjectAttributes {
	return ObjectAttributes{ObjectName: name, Attributes: sim.OBJ_CASE_INSENSITIVE}
}

// Rel returns attributes for a name relative to root, with
// OBJ_CASE_INSENSITIVE.
func Rel(root sim.Handle, name string) ObjectAttributes {
	return ObjectAttributes{RootDirectory: root, ObjectName: name, Attributes: sim.OBJ_CASE_INSENSITIVE}
}

// HiveSpec describes a hive to mount when the registry is created.
type HiveSpec struct {
	// Path is where the hive's root key appears: \Registry\Machine\<name>
	// or \Registry\User\<name>.
	Path string
	// Flags are load flags: REG_NO_LAZY_FLUSH, REG_WHOLE_HIVE_VOLATILE.
	Flags uint32
}

// DefaultHives are the hives a registry has when Options names none: the
// machine's SYSTEM and SOFTWARE, the default user profile and one user's
// hive (HKEY_CURRENT_USER).
var DefaultHives = []HiveSpec{
	{Path: `\Registry\Machine\SYSTEM`},
	{Path: `\Registry\Machine\SOFTWARE`},
	{Path: `\Registry\User\.DEFAULT`},
	{Path: `\Registry\User\` + DefaultUserSID},
}

// DefaultUserSID names the hive HKEY_CURRENT_USER maps to by default.
const DefaultUserSID = "S-1-5-21-1000"

// FlushStats counts the I/O of a hive's flushes. A flush of a clean hive
// changes none of the counters.
type FlushStats struct {
	// Flushes counts the flushes that wrote anything.
	Flushes uint64
	// KeysWritten counts key records written (a deleted key counts as the
	// record of its removal). A key is counted once per flush, although the
	// protocol writes it to the log and to the primary image.
	KeysWritten uint64
	// ValueBytes counts the value data bytes of the keys written, once
	// per flush, like KeysWritten: all of each key's values, also where
	// the record of a key the image already holds carries only the values
	// that changed.
	ValueBytes uint64
	// Writes counts the durable layer's write operations: log records, the
	// commit record, primary records and the checkpoint.
	Writes uint64
	// Barriers counts the durable layer's barriers.
	Barriers uint64
}

// String formats the counters.
func (s FlushStats) String() string {
	return fmt.Sprintf("flushes=%d keys=%d value-bytes=%d writes=%d barriers=%d", s.Flushes, s.KeysWritten, s.ValueBytes, s.Writes, s.Barriers)
}

// CrashPolicy says what a power loss does to the writes the durable layer
// has accepted since its last barrier: they may all be lost, all survive,
// or each survive or not (chosen by the machine's seeded random source). A
// correct flush protocol gives old-or-new under all three.
type CrashPolicy uint8

// The crash policies.
const (
	LoseUnbarriered   CrashPolicy = iota // every write after the last barrier is lost
	KeepUnbarriered                      // every write reached the medium
	RandomUnbarriered                    // each write reached the medium or not
)

// String names the policy as scenarios write it.
func (p CrashPolicy) String() string {
	return [...]string{"lose", "keep", "random"}[p]
}

// ParseCrashPolicy parses "lose", "keep" or "random".
func ParseCrashPolicy(s string) (CrashPolicy, error) {
	for p := LoseUnbarriered; p <= RandomUnbarriered; p++ {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown crash policy %q (lose, keep or random)", s)
}
