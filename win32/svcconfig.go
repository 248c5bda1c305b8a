package win32

import "github.com/winsim/winsim/sim"

// This file holds the service configuration calls' types: QueryServiceConfig
// and ChangeServiceConfig (QUERY_SERVICE_CONFIG), QueryServiceConfig2 and
// ChangeServiceConfig2 (SERVICE_DESCRIPTION,
// SERVICE_DELAYED_AUTO_START_INFO, SERVICE_FAILURE_ACTIONS), and
// EnumServicesStatusEx (ENUM_SERVICE_STATUS_PROCESS). Strings are Go
// strings; the byte counts the calls answer (pcbBytesNeeded) are those of
// the structures' wide-character forms on 64-bit Windows, each string
// stored after the fixed part as UTF-16 with its terminating NUL.

// SERVICE_NO_CHANGE leaves a DWORD parameter of ChangeServiceConfig as it
// is.
const SERVICE_NO_CHANGE uint32 = 0xffffffff

// Information levels of QueryServiceConfig2 and ChangeServiceConfig2
// (dwInfoLevel).
const (
	SERVICE_CONFIG_DESCRIPTION              uint32 = 1
	SERVICE_CONFIG_FAILURE_ACTIONS          uint32 = 2
	SERVICE_CONFIG_DELAYED_AUTO_START_INFO  uint32 = 3
	SERVICE_CONFIG_FAILURE_ACTIONS_FLAG     uint32 = 4
	SERVICE_CONFIG_SERVICE_SID_INFO         uint32 = 5
	SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO uint32 = 6
	SERVICE_CONFIG_PRESHUTDOWN_INFO         uint32 = 7
	SERVICE_CONFIG_TRIGGER_INFO             uint32 = 8
	SERVICE_CONFIG_PREFERRED_NODE           uint32 = 9
	SERVICE_CONFIG_LAUNCH_PROTECTED         uint32 = 12
)

// SC_ENUM_PROCESS_INFO is the only information level of
// EnumServicesStatusEx.
const SC_ENUM_PROCESS_INFO uint32 = 0

// Service states EnumServicesStatusEx enumerates (dwServiceState).
const (
	SERVICE_ACTIVE    uint32 = 1
	SERVICE_INACTIVE  uint32 = 2
	SERVICE_STATE_ALL uint32 = 3
)

// Service type masks EnumServicesStatusEx takes (dwServiceType), besides
// the single types.
const (
	SERVICE_ADAPTER           ServiceType = 0x004
	SERVICE_RECOGNIZER_DRIVER ServiceType = 0x008
	SERVICE_DRIVER            ServiceType = SERVICE_KERNEL_DRIVER | SERVICE_FILE_SYSTEM_DRIVER | SERVICE_RECOGNIZER_DRIVER
	SERVICE_WIN32             ServiceType = SERVICE_WIN32_OWN_PROCESS | SERVICE_WIN32_SHARE_PROCESS
	SERVICE_TYPE_ALL          ServiceType = SERVICE_WIN32 | SERVICE_ADAPTER | SERVICE_DRIVER | SERVICE_INTERACTIVE_PROCESS
)

// SC_ACTION_TYPE is what the SCM does when a service fails (SC_ACTION.Type,
// an enumeration in the SDK).
type SC_ACTION_TYPE uint32

// Failure actions.
const (
	SC_ACTION_NONE        SC_ACTION_TYPE = 0
	SC_ACTION_RESTART     SC_ACTION_TYPE = 1
	SC_ACTION_REBOOT      SC_ACTION_TYPE = 2
	SC_ACTION_RUN_COMMAND SC_ACTION_TYPE = 3
)

// Groups of the configuration calls' constants, for scenario files.
const (
	GroupConfigLevel  = "config-level"
	GroupEnumState    = "enum-state"
	GroupEnumType     = "enum-service-type"
	GroupSCActionType = "sc-action"
	// ChangeServiceConfig's DWORD parameters: their group's values and
	// SERVICE_NO_CHANGE.
	GroupTypeChange  = "service-type-change"
	GroupStartChange = "start-type-change"
	GroupErrorChange = "error-control-change"
)

// ServiceConfigConstants lists the constants of the configuration calls by
// group, for scenario files.
func ServiceConfigConstants() []sim.Const {
	c := sim.ConstGroup
	var out []sim.Const
	out = append(out, c(GroupConfigLevel,
		"SERVICE_CONFIG_DESCRIPTION", SERVICE_CONFIG_DESCRIPTION, "SERVICE_CONFIG_FAILURE_ACTIONS", SERVICE_CONFIG_FAILURE_ACTIONS,
		"SERVICE_CONFIG_DELAYED_AUTO_START_INFO", SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
		"SERVICE_CONFIG_FAILURE_ACTIONS_FLAG", SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, "SERVICE_CONFIG_SERVICE_SID_INFO", SERVICE_CONFIG_SERVICE_SID_INFO,
		"SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO", SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO, "SERVICE_CONFIG_PRESHUTDOWN_INFO", SERVICE_CONFIG_PRESHUTDOWN_INFO,
		"SERVICE_CONFIG_TRIGGER_INFO", SERVICE_CONFIG_TRIGGER_INFO, "SERVICE_CONFIG_PREFERRED_NODE", SERVICE_CONFIG_PREFERRED_NODE,
		"SERVICE_CONFIG_LAUNCH_PROTECTED", SERVICE_CONFIG_LAUNCH_PROTECTED)...)
	out = append(out, c(GroupEnumState,
		"SERVICE_ACTIVE", SERVICE_ACTIVE, "SERVICE_INACTIVE", SERVICE_INACTIVE, "SERVICE_STATE_ALL", SERVICE_STATE_ALL)...)
	out = append(out, c(GroupEnumType,
		"SERVICE_KERNEL_DRIVER", SERVICE_KERNEL_DRIVER, "SERVICE_FILE_SYSTEM_DRIVER", SERVICE_FILE_SYSTEM_DRIVER,
		"SERVICE_WIN32_OWN_PROCESS", SERVICE_WIN32_OWN_PROCESS, "SERVICE_WIN32_SHARE_PROCESS", SERVICE_WIN32_SHARE_PROCESS,
		"SERVICE_INTERACTIVE_PROCESS", SERVICE_INTERACTIVE_PROCESS,
		"SERVICE_DRIVER", SERVICE_DRIVER, "SERVICE_WIN32", SERVICE_WIN32, "SERVICE_TYPE_ALL", SERVICE_TYPE_ALL)...)
	out = append(out, c(GroupSCActionType,
		"SC_ACTION_NONE", SC_ACTION_NONE, "SC_ACTION_RESTART", SC_ACTION_RESTART,
		"SC_ACTION_REBOOT", SC_ACTION_REBOOT, "SC_ACTION_RUN_COMMAND", SC_ACTION_RUN_COMMAND)...)
	out = append(out, c(GroupTypeChange, "SERVICE_NO_CHANGE", SERVICE_NO_CHANGE,
		"SERVICE_KERNEL_DRIVER", SERVICE_KERNEL_DRIVER, "SERVICE_FILE_SYSTEM_DRIVER", SERVICE_FILE_SYSTEM_DRIVER,
		"SERVICE_WIN32_OWN_PROCESS", SERVICE_WIN32_OWN_PROCESS, "SERVICE_WIN32_SHARE_PROCESS", SERVICE_WIN32_SHARE_PROCESS,
		"SERVICE_INTERACTIVE_PROCESS", SERVICE_INTERACTIVE_PROCESS)...)
	out = append(out, c(GroupStartChange, "SERVICE_NO_CHANGE", SERVICE_NO_CHANGE,
		"SERVICE_BOOT_START", SERVICE_BOOT_START, "SERVICE_SYSTEM_START", SERVICE_SYSTEM_START,
		"SERVICE_AUTO_START", SERVICE_AUTO_START, "SERVICE_DEMAND_START", SERVICE_DEMAND_START,
		"SERVICE_DISABLED", SERVICE_DISABLED)...)
	out = append(out, c(GroupErrorChange, "SERVICE_NO_CHANGE", SERVICE_NO_CHANGE,
		"SERVICE_ERROR_IGNORE", SERVICE_ERROR_IGNORE, "SERVICE_ERROR_NORMAL", SERVICE_ERROR_NORMAL,
		"SERVICE_ERROR_SEVERE", SERVICE_ERROR_SEVERE, "SERVICE_ERROR_CRITICAL", SERVICE_ERROR_CRITICAL)...)
	return out
}

// Sizes of the fixed parts of the wide-character structures on 64-bit
// Windows, in bytes.
const (
	// SizeofQueryServiceConfig is sizeof(QUERY_SERVICE_CONFIGW): three
	// DWORDs, two pointers, a DWORD and three pointers, with the padding
	// that aligns each pointer.
	SizeofQueryServiceConfig = 64
	// SizeofServiceDescription is sizeof(SERVICE_DESCRIPTIONW): one pointer.
	SizeofServiceDescription = 8
	// SizeofDelayedAutoStartInfo is sizeof(SERVICE_DELAYED_AUTO_START_INFO):
	// one BOOL.
	SizeofDelayedAutoStartInfo = 4
	// SizeofServiceFailureActions is sizeof(SERVICE_FAILURE_ACTIONSW): a
	// DWORD, two pointers, a DWORD and a pointer.
	SizeofServiceFailureActions = 40
	// SizeofSCAction is sizeof(SC_ACTION): two DWORDs.
	SizeofSCAction = 8
	// SizeofEnumServiceStatusProcess is sizeof(ENUM_SERVICE_STATUS_PROCESSW):
	// two pointers and a SERVICE_STATUS_PROCESS, padded to 8.
	SizeofEnumServiceStatusProcess = 56
)

// StringBytes is the size of s stored as UTF-16 with its terminating NUL.
func StringBytes(s string) uint32 { return uint32(WTF16Len(s)+1) * 2 }

// MultiStringBytes is the size of names stored as a MULTI_SZ: each name
// NUL-terminated, then a final NUL (an empty list is the final NUL alone,
// an empty string).
func MultiStringBytes(names []string) uint32 {
	n := uint32(2)
	for _, s := range names {
		n += StringBytes(s)
	}
	return n
}

// QUERY_SERVICE_CONFIG mirrors QUERY_SERVICE_CONFIGW, the structure
// QueryServiceConfig fills. Its strings follow the fixed part in the
// caller's buffer (BytesNeeded counts them).
type QUERY_SERVICE_CONFIG struct {
	ServiceType      ServiceType
	StartType        ServiceStartType
	ErrorControl     ServiceErrorControl
	BinaryPathName   string
	LoadOrderGroup   string
	TagId            uint32
	Dependencies     []string // lpDependencies, one string per name
	ServiceStartName string
	DisplayName      string
}

// BytesNeeded is the buffer size QueryServiceConfigW needs for c: the fixed
// part, then each string with its NUL and the dependencies as a MULTI_SZ.
func (c *QUERY_SERVICE_CONFIG) BytesNeeded() uint32 {
	return SizeofQueryServiceConfig + StringBytes(c.BinaryPathName) + StringBytes(c.LoadOrderGroup) +
		MultiStringBytes(c.Dependencies) + StringBytes(c.ServiceStartName) + StringBytes(c.DisplayName)
}

// ChangeServiceConfigParams carries ChangeServiceConfig's parameters. A
// DWORD parameter of SERVICE_NO_CHANGE, and a nil pointer (NULL), leave
// that part of the configuration as it is.
type ChangeServiceConfigParams struct {
	ServiceType      ServiceType
	StartType        ServiceStartType
	ErrorControl     ServiceErrorControl
	BinaryPathName   *string
	LoadOrderGroup   *string
	Dependencies     *[]string // nil: NULL; a pointer to an empty list: no dependencies
	ServiceStartName *string
	Password         *string
	DisplayName      *string
}

// NoChange is a ChangeServiceConfigParams that changes nothing.
func NoChange() ChangeServiceConfigParams {
	return ChangeServiceConfigParams{ServiceType: ServiceType(SERVICE_NO_CHANGE), StartType: ServiceStartType(SERVICE_NO_CHANGE),
		ErrorControl: ServiceErrorControl(SERVICE_NO_CHANGE)}
}

// SC_ACTION mirrors the structure of the same name: one failure action and
// the delay before it, in milliseconds.
type SC_ACTION struct {
	Type  SC_ACTION_TYPE
	Delay uint32
}

// SERVICE_FAILURE_ACTIONS mirrors SERVICE_FAILURE_ACTIONSW. RebootMsg and
// Command are nil for NULL.
type SERVICE_FAILURE_ACTIONS struct {
	ResetPeriod uint32
	RebootMsg   *string
	Command     *string
	Actions     []SC_ACTION
}

// ServiceConfigInfo is the structure of one QueryServiceConfig2 or
// ChangeServiceConfig2 information level: Description for
// SERVICE_CONFIG_DESCRIPTION (SERVICE_DESCRIPTIONW.lpDescription, nil for
// NULL), DelayedAutostart for SERVICE_CONFIG_DELAYED_AUTO_START_INFO
// (SERVICE_DELAYED_AUTO_START_INFO.fDelayedAutostart), FailureActions for
// SERVICE_CONFIG_FAILURE_ACTIONS. The other members are not read or
// written.
type ServiceConfigInfo struct {
	Description      *string
	DelayedAutostart bool
	FailureActions   SERVICE_FAILURE_ACTIONS
}

// ConfigInfoBytes is the buffer size QueryServiceConfig2W needs for level
// of info: the fixed part, then its strings and actions; an empty or NULL
// description takes no room (it is returned as NULL). It is 0 for a level
// it does not know.
func ConfigInfoBytes(level uint32, info *ServiceConfigInfo) uint32 {
	switch level {
	case SERVICE_CONFIG_DESCRIPTION:
		n := uint32(SizeofServiceDescription)
		if info.Description != nil && *info.Description != "" {
			n += StringBytes(*info.Description)
		}
		return n
	case SERVICE_CONFIG_DELAYED_AUTO_START_INFO:
		return SizeofDelayedAutoStartInfo
	case SERVICE_CONFIG_FAILURE_ACTIONS:
		fa := &info.FailureActions
		n := uint32(SizeofServiceFailureActions) + uint32(len(fa.Actions))*SizeofSCAction
		for _, s := range []*string{fa.RebootMsg, fa.Command} {
			if s != nil {
				n += StringBytes(*s)
			}
		}
		return n
	}
	return 0
}

// ENUM_SERVICE_STATUS_PROCESS mirrors ENUM_SERVICE_STATUS_PROCESSW, one
// entry of EnumServicesStatusEx's answer.
type ENUM_SERVICE_STATUS_PROCESS struct {
	ServiceName          string
	DisplayName          string
	ServiceStatusProcess SERVICE_STATUS_PROCESS
}

// BytesNeeded is the room e takes in EnumServicesStatusExW's buffer: the
// fixed part and both names with their NULs.
func (e *ENUM_SERVICE_STATUS_PROCESS) BytesNeeded() uint32 {
	return SizeofEnumServiceStatusProcess + StringBytes(e.ServiceName) + StringBytes(e.DisplayName)
}

// EnumServicesParams carries EnumServicesStatusEx's parameters besides the
// handle and the buffer. ResumeHandle nil is NULL; GroupName nil is NULL
// (every service), "" the services in no group.
type EnumServicesParams struct {
	InfoLevel    uint32
	ServiceType  ServiceType
	ServiceState uint32
	ResumeHandle *uint32
	GroupName    *string
}
