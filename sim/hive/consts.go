package hive

import "github.com/winsim/winsim/sim"

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
	DELETE                 uint32 = 0x00010000
	READ_CONTROL           uint32 = 0x00020000
	WRITE_DAC              uint32 = 0x00040000
	WRITE_OWNER            uint32 = 0x00080000
	KEY_READ               uint32 = 0x00020019
	KEY_WRITE              uint32 = 0x00020006
	KEY_EXECUTE            uint32 = 0x00020019
	KEY_ALL_ACCESS         uint32 = 0x000F003F
)

// keyMapping is the key object type's GENERIC_MAPPING.
var keyMapping = sim.GenericMapping{Read: KEY_READ, Write: KEY_WRITE, Execute: KEY_EXECUTE, All: KEY_ALL_ACCESS}

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

	// modeledLoadFlags are the load flags the model implements.
	modeledLoadFlags = REG_WHOLE_HIVE_VOLATILE | REG_NO_LAZY_FLUSH
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

// Constants lists every constant of this family by group, for scenario files.
func Constants() []sim.Const {
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
	return out
}

// constTable formats values for the trace.
var constTable = func() *sim.ConstTable {
	t, err := sim.NewConstTable(Constants())
	if err != nil {
		panic(err)
	}
	return t
}()

func fmtConst(group string, v uint32) string {
	if group == GroupKeyAccess && v == KEY_READ {
		return "KEY_READ" // KEY_EXECUTE has the same value; the table would print that name
	}
	return constTable.Format(group, v)
}
