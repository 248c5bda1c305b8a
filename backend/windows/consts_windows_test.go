package windows_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/windows"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/win32"
)

// notInXSys lists SDK constants golang.org/x/sys/windows does not define;
// nothing can be compared for them.
var notInXSys = map[string]bool{
	"SERVICE_ACCEPT_TIMECHANGE":     true,
	"SERVICE_ACCEPT_TRIGGEREVENT":   true,
	"SERVICE_ACCEPT_USERMODEREBOOT": true,
	// The project's name for HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER).
	"HRESULT_RPC_X_NULL_REF_POINTER": true,
}

// xsysSCM holds golang.org/x/sys/windows's value of every SCM constant the
// project defines (scm.Constants), by name.
var xsysSCM = map[string]uint32{
	"SERVICE_WIN32_OWN_PROCESS":            uint32(windows.SERVICE_WIN32_OWN_PROCESS),
	"SERVICE_WIN32_SHARE_PROCESS":          uint32(windows.SERVICE_WIN32_SHARE_PROCESS),
	"DELETE":                               uint32(windows.DELETE),
	"GENERIC_ALL":                          uint32(windows.GENERIC_ALL),
	"GENERIC_EXECUTE":                      uint32(windows.GENERIC_EXECUTE),
	"GENERIC_READ":                         uint32(windows.GENERIC_READ),
	"GENERIC_WRITE":                        uint32(windows.GENERIC_WRITE),
	"SC_MANAGER_ALL_ACCESS":                uint32(windows.SC_MANAGER_ALL_ACCESS),
	"SC_MANAGER_CONNECT":                   uint32(windows.SC_MANAGER_CONNECT),
	"SC_MANAGER_CREATE_SERVICE":            uint32(windows.SC_MANAGER_CREATE_SERVICE),
	"SC_MANAGER_ENUMERATE_SERVICE":         uint32(windows.SC_MANAGER_ENUMERATE_SERVICE),
	"SC_MANAGER_LOCK":                      uint32(windows.SC_MANAGER_LOCK),
	"SC_MANAGER_MODIFY_BOOT_CONFIG":        uint32(windows.SC_MANAGER_MODIFY_BOOT_CONFIG),
	"SC_MANAGER_QUERY_LOCK_STATUS":         uint32(windows.SC_MANAGER_QUERY_LOCK_STATUS),
	"SERVICE_ACCEPT_HARDWAREPROFILECHANGE": uint32(windows.SERVICE_ACCEPT_HARDWAREPROFILECHANGE),
	"SERVICE_ACCEPT_NETBINDCHANGE":         uint32(windows.SERVICE_ACCEPT_NETBINDCHANGE),
	"SERVICE_ACCEPT_PARAMCHANGE":           uint32(windows.SERVICE_ACCEPT_PARAMCHANGE),
	"SERVICE_ACCEPT_PAUSE_CONTINUE":        uint32(windows.SERVICE_ACCEPT_PAUSE_CONTINUE),
	"SERVICE_ACCEPT_POWEREVENT":            uint32(windows.SERVICE_ACCEPT_POWEREVENT),
	"SERVICE_ACCEPT_PRESHUTDOWN":           uint32(windows.SERVICE_ACCEPT_PRESHUTDOWN),
	"SERVICE_ACCEPT_SESSIONCHANGE":         uint32(windows.SERVICE_ACCEPT_SESSIONCHANGE),
	"SERVICE_ACCEPT_SHUTDOWN":              uint32(windows.SERVICE_ACCEPT_SHUTDOWN),
	"SERVICE_ACCEPT_STOP":                  uint32(windows.SERVICE_ACCEPT_STOP),
	"SERVICE_ALL_ACCESS":                   uint32(windows.SERVICE_ALL_ACCESS),
	"SERVICE_AUTO_START":                   uint32(windows.SERVICE_AUTO_START),
	"SERVICE_BOOT_START":                   uint32(windows.SERVICE_BOOT_START),
	"SERVICE_CHANGE_CONFIG":                uint32(windows.SERVICE_CHANGE_CONFIG),
	"SERVICE_CONTINUE_PENDING":             uint32(windows.SERVICE_CONTINUE_PENDING),
	"SERVICE_CONTROL_CONTINUE":             uint32(windows.SERVICE_CONTROL_CONTINUE),
	"SERVICE_CONTROL_INTERROGATE":          uint32(windows.SERVICE_CONTROL_INTERROGATE),
	"SERVICE_CONTROL_NETBINDADD":           uint32(windows.SERVICE_CONTROL_NETBINDADD),
	"SERVICE_CONTROL_NETBINDDISABLE":       uint32(windows.SERVICE_CONTROL_NETBINDDISABLE),
	"SERVICE_CONTROL_NETBINDENABLE":        uint32(windows.SERVICE_CONTROL_NETBINDENABLE),
	"SERVICE_CONTROL_NETBINDREMOVE":        uint32(windows.SERVICE_CONTROL_NETBINDREMOVE),
	"SERVICE_CONTROL_PARAMCHANGE":          uint32(windows.SERVICE_CONTROL_PARAMCHANGE),
	"SERVICE_CONTROL_PAUSE":                uint32(windows.SERVICE_CONTROL_PAUSE),
	"SERVICE_CONTROL_PRESHUTDOWN":          uint32(windows.SERVICE_CONTROL_PRESHUTDOWN),
	"SERVICE_CONTROL_SHUTDOWN":             uint32(windows.SERVICE_CONTROL_SHUTDOWN),
	"SERVICE_CONTROL_STOP":                 uint32(windows.SERVICE_CONTROL_STOP),
	"SERVICE_DEMAND_START":                 uint32(windows.SERVICE_DEMAND_START),
	"SERVICE_DISABLED":                     uint32(windows.SERVICE_DISABLED),
	"SERVICE_ENUMERATE_DEPENDENTS":         uint32(windows.SERVICE_ENUMERATE_DEPENDENTS),
	"SERVICE_ERROR_CRITICAL":               uint32(windows.SERVICE_ERROR_CRITICAL),
	"SERVICE_ERROR_IGNORE":                 uint32(windows.SERVICE_ERROR_IGNORE),
	"SERVICE_ERROR_NORMAL":                 uint32(windows.SERVICE_ERROR_NORMAL),
	"SERVICE_ERROR_SEVERE":                 uint32(windows.SERVICE_ERROR_SEVERE),
	"SERVICE_FILE_SYSTEM_DRIVER":           uint32(windows.SERVICE_FILE_SYSTEM_DRIVER),
	"SERVICE_INTERACTIVE_PROCESS":          uint32(windows.SERVICE_INTERACTIVE_PROCESS),
	"SERVICE_INTERROGATE":                  uint32(windows.SERVICE_INTERROGATE),
	"SERVICE_KERNEL_DRIVER":                uint32(windows.SERVICE_KERNEL_DRIVER),
	"SERVICE_NOTIFY_CONTINUE_PENDING":      uint32(windows.SERVICE_NOTIFY_CONTINUE_PENDING),
	"SERVICE_NOTIFY_CREATED":               uint32(windows.SERVICE_NOTIFY_CREATED),
	"SERVICE_NOTIFY_DELETED":               uint32(windows.SERVICE_NOTIFY_DELETED),
	"SERVICE_NOTIFY_DELETE_PENDING":        uint32(windows.SERVICE_NOTIFY_DELETE_PENDING),
	"SERVICE_NOTIFY_PAUSED":                uint32(windows.SERVICE_NOTIFY_PAUSED),
	"SERVICE_NOTIFY_PAUSE_PENDING":         uint32(windows.SERVICE_NOTIFY_PAUSE_PENDING),
	"SERVICE_NOTIFY_RUNNING":               uint32(windows.SERVICE_NOTIFY_RUNNING),
	"SERVICE_NOTIFY_START_PENDING":         uint32(windows.SERVICE_NOTIFY_START_PENDING),
	"SERVICE_NOTIFY_STOPPED":               uint32(windows.SERVICE_NOTIFY_STOPPED),
	"SERVICE_NOTIFY_STOP_PENDING":          uint32(windows.SERVICE_NOTIFY_STOP_PENDING),
	"SERVICE_PAUSED":                       uint32(windows.SERVICE_PAUSED),
	"SERVICE_PAUSE_CONTINUE":               uint32(windows.SERVICE_PAUSE_CONTINUE),
	"SERVICE_PAUSE_PENDING":                uint32(windows.SERVICE_PAUSE_PENDING),
	"SERVICE_QUERY_CONFIG":                 uint32(windows.SERVICE_QUERY_CONFIG),
	"SERVICE_QUERY_STATUS":                 uint32(windows.SERVICE_QUERY_STATUS),
	"SERVICE_RUNNING":                      uint32(windows.SERVICE_RUNNING),
	"SERVICE_START":                        uint32(windows.SERVICE_START),
	"SERVICE_START_PENDING":                uint32(windows.SERVICE_START_PENDING),
	"SERVICE_STOP":                         uint32(windows.SERVICE_STOP),
	"SERVICE_STOPPED":                      uint32(windows.SERVICE_STOPPED),
	"SERVICE_STOP_PENDING":                 uint32(windows.SERVICE_STOP_PENDING),
	"SERVICE_SYSTEM_START":                 uint32(windows.SERVICE_SYSTEM_START),
	"SERVICE_USER_DEFINED_CONTROL":         uint32(windows.SERVICE_USER_DEFINED_CONTROL),
	"STANDARD_RIGHTS_READ":                 uint32(windows.STANDARD_RIGHTS_READ),
	// Service configuration and enumeration (QueryServiceConfig2,
	// ChangeServiceConfig(2), EnumServicesStatusEx).
	"SERVICE_CONFIG_DESCRIPTION":              uint32(windows.SERVICE_CONFIG_DESCRIPTION),
	"SERVICE_CONFIG_FAILURE_ACTIONS":          uint32(windows.SERVICE_CONFIG_FAILURE_ACTIONS),
	"SERVICE_CONFIG_DELAYED_AUTO_START_INFO":  uint32(windows.SERVICE_CONFIG_DELAYED_AUTO_START_INFO),
	"SERVICE_CONFIG_FAILURE_ACTIONS_FLAG":     uint32(windows.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG),
	"SERVICE_CONFIG_SERVICE_SID_INFO":         uint32(windows.SERVICE_CONFIG_SERVICE_SID_INFO),
	"SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO": uint32(windows.SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO),
	"SERVICE_CONFIG_PRESHUTDOWN_INFO":         uint32(windows.SERVICE_CONFIG_PRESHUTDOWN_INFO),
	"SERVICE_CONFIG_TRIGGER_INFO":             uint32(windows.SERVICE_CONFIG_TRIGGER_INFO),
	"SERVICE_CONFIG_PREFERRED_NODE":           uint32(windows.SERVICE_CONFIG_PREFERRED_NODE),
	"SERVICE_CONFIG_LAUNCH_PROTECTED":         uint32(windows.SERVICE_CONFIG_LAUNCH_PROTECTED),
	"SERVICE_ACTIVE":                          uint32(windows.SERVICE_ACTIVE),
	"SERVICE_INACTIVE":                        uint32(windows.SERVICE_INACTIVE),
	"SERVICE_STATE_ALL":                       uint32(windows.SERVICE_STATE_ALL),
	"SERVICE_DRIVER":                          uint32(windows.SERVICE_DRIVER),
	"SERVICE_WIN32":                           uint32(windows.SERVICE_WIN32),
	"SERVICE_TYPE_ALL":                        uint32(windows.SERVICE_TYPE_ALL),
	"SC_ACTION_NONE":                          uint32(windows.SC_ACTION_NONE),
	"SC_ACTION_RESTART":                       uint32(windows.SC_ACTION_RESTART),
	"SC_ACTION_REBOOT":                        uint32(windows.SC_ACTION_REBOOT),
	"SC_ACTION_RUN_COMMAND":                   uint32(windows.SC_ACTION_RUN_COMMAND),
	"SERVICE_NO_CHANGE":                       uint32(windows.SERVICE_NO_CHANGE),
}

// xsysCodes holds golang.org/x/sys/windows's value of every status code the
// project names (sim.Codes), by name.
var xsysCodes = map[string]uint32{
	"S_OK":                                uint32(windows.S_OK),
	"ERROR_ACCESS_DENIED":                 uint32(windows.ERROR_ACCESS_DENIED),
	"ERROR_ALREADY_REGISTERED":            uint32(windows.ERROR_ALREADY_REGISTERED),
	"ERROR_BADDB":                         uint32(windows.ERROR_BADDB),
	"ERROR_BAD_EXE_FORMAT":                uint32(windows.ERROR_BAD_EXE_FORMAT),
	"ERROR_BAD_PATHNAME":                  uint32(windows.ERROR_BAD_PATHNAME),
	"ERROR_BUSY":                          uint32(windows.ERROR_BUSY),
	"ERROR_CALL_NOT_IMPLEMENTED":          uint32(windows.ERROR_CALL_NOT_IMPLEMENTED),
	"ERROR_CHILD_MUST_BE_VOLATILE":        uint32(windows.ERROR_CHILD_MUST_BE_VOLATILE),
	"ERROR_DATABASE_DOES_NOT_EXIST":       uint32(windows.ERROR_DATABASE_DOES_NOT_EXIST),
	"ERROR_DEPENDENT_SERVICES_RUNNING":    uint32(windows.ERROR_DEPENDENT_SERVICES_RUNNING),
	"ERROR_DUPLICATE_SERVICE_NAME":        uint32(windows.ERROR_DUPLICATE_SERVICE_NAME),
	"ERROR_ENVVAR_NOT_FOUND":              uint32(windows.ERROR_ENVVAR_NOT_FOUND),
	"ERROR_FILE_NOT_FOUND":                uint32(windows.ERROR_FILE_NOT_FOUND),
	"ERROR_INSUFFICIENT_BUFFER":           uint32(windows.ERROR_INSUFFICIENT_BUFFER),
	"ERROR_INVALID_ADDRESS":               uint32(windows.ERROR_INVALID_ADDRESS),
	"ERROR_INVALID_DATA":                  uint32(windows.ERROR_INVALID_DATA),
	"ERROR_GEN_FAILURE":                   uint32(windows.ERROR_GEN_FAILURE),
	"ERROR_INVALID_HANDLE":                uint32(windows.ERROR_INVALID_HANDLE),
	"ERROR_INVALID_LEVEL":                 uint32(windows.ERROR_INVALID_LEVEL),
	"ERROR_INVALID_NAME":                  uint32(windows.ERROR_INVALID_NAME),
	"ERROR_INVALID_PARAMETER":             uint32(windows.ERROR_INVALID_PARAMETER),
	"ERROR_INVALID_SERVICE_CONTROL":       uint32(windows.ERROR_INVALID_SERVICE_CONTROL),
	"ERROR_KEY_DELETED":                   uint32(windows.ERROR_KEY_DELETED),
	"ERROR_MORE_DATA":                     uint32(windows.ERROR_MORE_DATA),
	"ERROR_NO_MORE_ITEMS":                 uint32(windows.ERROR_NO_MORE_ITEMS),
	"ERROR_TOO_MANY_POSTS":                uint32(windows.ERROR_TOO_MANY_POSTS),
	"ERROR_NOT_ENOUGH_MEMORY":             uint32(windows.ERROR_NOT_ENOUGH_MEMORY),
	"ERROR_NOT_LOGGED_ON":                 uint32(windows.ERROR_NOT_LOGGED_ON),
	"ERROR_NOT_SUPPORTED":                 uint32(windows.ERROR_NOT_SUPPORTED),
	"ERROR_PATH_NOT_FOUND":                uint32(windows.ERROR_PATH_NOT_FOUND),
	"ERROR_REGISTRY_IO_FAILED":            uint32(windows.ERROR_REGISTRY_IO_FAILED),
	"ERROR_REQUEST_ABORTED":               uint32(windows.ERROR_REQUEST_ABORTED),
	"ERROR_SERVICE_ALREADY_RUNNING":       uint32(windows.ERROR_SERVICE_ALREADY_RUNNING),
	"ERROR_SERVICE_CANNOT_ACCEPT_CTRL":    uint32(windows.ERROR_SERVICE_CANNOT_ACCEPT_CTRL),
	"ERROR_SERVICE_DATABASE_LOCKED":       uint32(windows.ERROR_SERVICE_DATABASE_LOCKED),
	"ERROR_SERVICE_DEPENDENCY_DELETED":    uint32(windows.ERROR_SERVICE_DEPENDENCY_DELETED),
	"ERROR_SERVICE_DEPENDENCY_FAIL":       uint32(windows.ERROR_SERVICE_DEPENDENCY_FAIL),
	"ERROR_SERVICE_DISABLED":              uint32(windows.ERROR_SERVICE_DISABLED),
	"ERROR_SERVICE_DOES_NOT_EXIST":        uint32(windows.ERROR_SERVICE_DOES_NOT_EXIST),
	"ERROR_SERVICE_EXISTS":                uint32(windows.ERROR_SERVICE_EXISTS),
	"ERROR_SERVICE_LOGON_FAILED":          uint32(windows.ERROR_SERVICE_LOGON_FAILED),
	"ERROR_SERVICE_MARKED_FOR_DELETE":     uint32(windows.ERROR_SERVICE_MARKED_FOR_DELETE),
	"ERROR_SERVICE_NEVER_STARTED":         uint32(windows.ERROR_SERVICE_NEVER_STARTED),
	"ERROR_SERVICE_NOTIFY_CLIENT_LAGGING": uint32(windows.ERROR_SERVICE_NOTIFY_CLIENT_LAGGING),
	"ERROR_SERVICE_NOT_ACTIVE":            uint32(windows.ERROR_SERVICE_NOT_ACTIVE),
	"ERROR_SERVICE_NO_THREAD":             uint32(windows.ERROR_SERVICE_NO_THREAD),
	"ERROR_SERVICE_REQUEST_TIMEOUT":       uint32(windows.ERROR_SERVICE_REQUEST_TIMEOUT),
	"ERROR_SHUTDOWN_IN_PROGRESS":          uint32(windows.ERROR_SHUTDOWN_IN_PROGRESS),
	"ERROR_SUCCESS":                       uint32(windows.ERROR_SUCCESS),
	"ERROR_TIMEOUT":                       uint32(windows.ERROR_TIMEOUT),
	"E_INVALIDARG":                        uint32(windows.E_INVALIDARG),
	"E_ACCESSDENIED":                      uint32(windows.E_ACCESSDENIED),
	"E_NOTIMPL":                           uint32(windows.E_NOTIMPL),
	"NTE_BAD_ALGID":                       uint32(windows.NTE_BAD_ALGID),
	"NTE_BAD_DATA":                        uint32(windows.NTE_BAD_DATA),
	"NTE_BAD_FLAGS":                       uint32(windows.NTE_BAD_FLAGS),
	"NTE_BAD_HASH":                        uint32(windows.NTE_BAD_HASH),
	"NTE_BAD_KEY":                         uint32(windows.NTE_BAD_KEY),
	"NTE_BAD_KEYSET":                      uint32(windows.NTE_BAD_KEYSET),
	"NTE_BAD_KEYSET_PARAM":                uint32(windows.NTE_BAD_KEYSET_PARAM),
	"NTE_BAD_KEY_STATE":                   uint32(windows.NTE_BAD_KEY_STATE),
	"NTE_BAD_PROV_TYPE":                   uint32(windows.NTE_BAD_PROV_TYPE),
	"NTE_BAD_SIGNATURE":                   uint32(windows.NTE_BAD_SIGNATURE),
	"NTE_BAD_UID":                         uint32(windows.NTE_BAD_UID),
	"NTE_BUFFER_TOO_SMALL":                uint32(windows.NTE_BUFFER_TOO_SMALL),
	"NTE_EXISTS":                          uint32(windows.NTE_EXISTS),
	"NTE_FAIL":                            uint32(windows.NTE_FAIL),
	"NTE_INVALID_HANDLE":                  uint32(windows.NTE_INVALID_HANDLE),
	"NTE_INVALID_PARAMETER":               uint32(windows.NTE_INVALID_PARAMETER),
	"NTE_KEYSET_ENTRY_BAD":                uint32(windows.NTE_KEYSET_ENTRY_BAD),
	"NTE_KEYSET_NOT_DEF":                  uint32(windows.NTE_KEYSET_NOT_DEF),
	"NTE_NOT_FOUND":                       uint32(windows.NTE_NOT_FOUND),
	"NTE_NOT_SUPPORTED":                   uint32(windows.NTE_NOT_SUPPORTED),
	"NTE_NO_KEY":                          uint32(windows.NTE_NO_KEY),
	"NTE_NO_MEMORY":                       uint32(windows.NTE_NO_MEMORY),
	"NTE_PERM":                            uint32(windows.NTE_PERM),
	"NTE_PROVIDER_DLL_FAIL":               uint32(windows.NTE_PROVIDER_DLL_FAIL),
	"NTE_PROV_DLL_NOT_FOUND":              uint32(windows.NTE_PROV_DLL_NOT_FOUND),
	"NTE_PROV_TYPE_ENTRY_BAD":             uint32(windows.NTE_PROV_TYPE_ENTRY_BAD),
	"NTE_PROV_TYPE_NOT_DEF":               uint32(windows.NTE_PROV_TYPE_NOT_DEF),
	"NTE_PROV_TYPE_NO_MATCH":              uint32(windows.NTE_PROV_TYPE_NO_MATCH),
	"NTE_SIGNATURE_FILE_BAD":              uint32(windows.NTE_SIGNATURE_FILE_BAD),
	"NTE_SILENT_CONTEXT":                  uint32(windows.NTE_SILENT_CONTEXT),
	"NTE_TEMPORARY_PROFILE":               uint32(windows.NTE_TEMPORARY_PROFILE),
	"RPC_S_SERVER_UNAVAILABLE":            uint32(windows.RPC_S_SERVER_UNAVAILABLE),
	"RPC_X_NULL_REF_POINTER":              uint32(windows.RPC_X_NULL_REF_POINTER),
	"STATUS_ACCESS_DENIED":                uint32(windows.STATUS_ACCESS_DENIED),
	"STATUS_BUFFER_OVERFLOW":              uint32(windows.STATUS_BUFFER_OVERFLOW),
	"STATUS_NO_MORE_ENTRIES":              uint32(windows.STATUS_NO_MORE_ENTRIES),
	"STATUS_BUFFER_TOO_SMALL":             uint32(windows.STATUS_BUFFER_TOO_SMALL),
	"STATUS_CANNOT_DELETE":                uint32(windows.STATUS_CANNOT_DELETE),
	"STATUS_CHILD_MUST_BE_VOLATILE":       uint32(windows.STATUS_CHILD_MUST_BE_VOLATILE),
	"STATUS_INVALID_HANDLE":               uint32(windows.STATUS_INVALID_HANDLE),
	"STATUS_INVALID_PARAMETER":            uint32(windows.STATUS_INVALID_PARAMETER),
	"STATUS_KEY_DELETED":                  uint32(windows.STATUS_KEY_DELETED),
	"STATUS_NOT_IMPLEMENTED":              uint32(windows.STATUS_NOT_IMPLEMENTED),
	"STATUS_OBJECT_NAME_COLLISION":        uint32(windows.STATUS_OBJECT_NAME_COLLISION),
	"STATUS_OBJECT_NAME_INVALID":          uint32(windows.STATUS_OBJECT_NAME_INVALID),
	"STATUS_OBJECT_NAME_NOT_FOUND":        uint32(windows.STATUS_OBJECT_NAME_NOT_FOUND),
	"STATUS_OBJECT_PATH_NOT_FOUND":        uint32(windows.STATUS_OBJECT_PATH_NOT_FOUND),
	"STATUS_OBJECT_PATH_SYNTAX_BAD":       uint32(windows.STATUS_OBJECT_PATH_SYNTAX_BAD),
	"STATUS_OBJECT_TYPE_MISMATCH":         uint32(windows.STATUS_OBJECT_TYPE_MISMATCH),
	"STATUS_REGISTRY_CORRUPT":             uint32(windows.STATUS_REGISTRY_CORRUPT),
	"STATUS_REGISTRY_IO_FAILED":           uint32(windows.STATUS_REGISTRY_IO_FAILED),
	"STATUS_SUCCESS":                      uint32(windows.STATUS_SUCCESS),
	"STATUS_TIMEOUT":                      uint32(windows.STATUS_TIMEOUT),
	"STATUS_USER_APC":                     uint32(windows.STATUS_USER_APC),
}

// TestSDKConstants checks that the SCM constants and the status codes the
// project defines for every platform have the values golang.org/x/sys/windows
// gives them; a constant added to either list needs its entry here.
func TestSDKConstants(t *testing.T) {
	for _, c := range win32.ServiceConstants() {
		want, ok := xsysSCM[c.Name]
		if !ok {
			if !notInXSys[c.Name] {
				t.Errorf("%s (%s): no golang.org/x/sys/windows value listed in xsysSCM", c.Name, c.Group)
			}
			continue
		}
		assert.Equal(t, want, c.Value, "%s (%s)", c.Name, c.Group)
	}
	for _, ci := range sim.Codes() {
		want, ok := xsysCodes[ci.Name]
		if !ok {
			if !notInXSys[ci.Name] {
				t.Errorf("%s: no golang.org/x/sys/windows value listed in xsysCodes", ci.Name)
			}
			continue
		}
		assert.Equal(t, want, ci.Code.Value, ci.Name)
	}
	assert.Equal(t, uint32(windows.WAIT_IO_COMPLETION), uint32(sim.WAIT_IO_COMPLETION))
	assert.Equal(t, uint32(windows.WAIT_TIMEOUT), uint32(sim.WAIT_TIMEOUT))
	assert.Equal(t, uint32(windows.WAIT_FAILED), uint32(sim.WAIT_FAILED))
	assert.Equal(t, uint32(windows.INFINITE), sim.INFINITE)
}
